package graph

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"time"

	"github.com/cayleygraph/cayley/query"
	_ "github.com/cayleygraph/cayley/query/gizmo"   // registers "gizmo"
	_ "github.com/cayleygraph/cayley/query/graphql" // registers "graphql"
)

// Languages are the Cayley query languages Query runs.
var Languages = []string{"gizmo", "graphql"}

// QueryError is a query the engine could not compile or run: the client's
// mistake, not the server's.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

// ErrQueryMemory stops a query whose allocations grow past MemoryLimit.
var ErrQueryMemory = errors.New("the query allocated too much memory and was stopped")

// MemoryLimit is how much a query may grow the heap before it is stopped.
// The JavaScript VM has no allocation limit of its own, so a watchdog
// samples the heap while a query runs. Queries running side by side share
// the heap, so the limit is generous.
var MemoryLimit uint64 = 512 << 20

// watchMemory calls stop once the heap has grown by more than limit since
// the call, checking every few milliseconds until done is closed.
func watchMemory(done <-chan struct{}, limit uint64, stop func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > base && v-base > limit {
				stop()
				return
			}
		}
	}
}

// Query runs src in one of Cayley's query languages and returns at most
// limit results, reporting whether more existed. Values are JSON-LD: IRIs
// as {"@id": …}, language-tagged strings as {"@value": …, "@language": …}.
// The query stops when ctx is done: the JavaScript VM is interrupted and
// the iterators cancelled, and the error wraps ctx.Err().
func (s *Store) Query(ctx context.Context, language, src string, limit int) (_ []any, _ bool, err error) {
	defer func() { err = classify(err) }()
	lang := query.GetLanguage(language)
	if lang == nil {
		return nil, false, &QueryError{fmt.Sprintf("unknown language %q: use gizmo or graphql", language)}
	}
	// GraphQL answers in its own JSON shape and has no JSON-LD collation.
	col := query.JSONLD
	if language == "graphql" {
		col = query.JSON
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	defer close(done)
	qs, err := s.queryStore(ctx)
	if err != nil {
		return nil, false, err
	}
	go watchMemory(done, MemoryLimit, func() { cancel(ErrQueryMemory) })
	it, err := lang.Session(qs).Execute(ctx, src, query.Options{Collation: col, Limit: limit + 1})
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("query: %w", ctx.Err())
		}
		return nil, false, &QueryError{err.Error()}
	}
	defer it.Close()
	out := []any{}
	for it.Next(ctx) {
		if len(out) == limit {
			return out, true, nil
		}
		out = append(out, it.Result())
	}
	if err := it.Err(); err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, ErrQueryMemory) {
			return nil, false, ErrQueryMemory
		}
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("query: %w", context.Cause(ctx))
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, false, fmt.Errorf("query: %w", err)
		}
		return nil, false, &QueryError{err.Error()}
	}
	return out, false, nil
}
