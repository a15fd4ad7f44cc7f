package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
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

// ErrQueryMemory stops a query that would use too much memory: its
// builtins were to make more than MemoryLimit, or the heap grew by more
// than MemoryLimit while it was the query seen allocating.
var ErrQueryMemory = errors.New("the query allocated too much memory and was stopped")

// MemoryLimit is how much one query may make before it is stopped. The
// JavaScript VM has no allocation limit of its own: its builtins are
// guarded per query (jsguard.go) and a watchdog attributes heap growth to
// the query causing it (attribute.go), so one query's growth stops that
// query alone.
var MemoryLimit uint64 = 256 << 20

// QueriesMemoryLimit is how much all running queries together may grow
// the heap: past it, the one seen allocating most is stopped. It keeps the
// server within its memory however many heavy requests run at once.
var QueriesMemoryLimit uint64 = 1 << 30

// maxAnswerBytes caps the encoded size of one query's results: a script
// can emit one value many times over, and the answer is built in memory.
const maxAnswerBytes = 64 << 20

// queryIDs numbers running queries for their pprof label.
var queryIDs atomic.Uint64

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
	// The label is inherited by the goroutine Cayley starts for the VM, so
	// the watchdog can tell this query's allocations from others'.
	id := strconv.FormatUint(queryIDs.Add(1), 10)
	ctx = pprof.WithLabels(ctx, pprof.Labels(queryLabel, id))
	pprof.SetGoroutineLabels(ctx)
	// Handlers' goroutines carry no labels of their own to restore.
	defer pprof.SetGoroutineLabels(context.Background())
	done := make(chan struct{})
	defer close(done)
	qs, err := s.queryStore(ctx)
	if err != nil {
		return nil, false, err
	}
	go watchMemory(done, id, MemoryLimit, func() { cancel(ErrQueryMemory) })
	sess := lang.Session(qs)
	if language == "gizmo" {
		if sess, err = guardedSession(sess, min(MemoryLimit, builtinBudget), cancel); err != nil {
			return nil, false, err
		}
	}
	if language == "gizmo" {
		if src, err = guardSource(src); err != nil {
			return nil, false, err
		}
	}
	it, err := sess.Execute(ctx, src, query.Options{Collation: col, Limit: limit + 1})
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("query: %w", ctx.Err())
		}
		return nil, false, &QueryError{err.Error()}
	}
	defer func() {
		it.Close()
		if language == "gizmo" {
			drainVM(it)
		}
	}()
	out := []any{}
	size := &answerSize{left: maxAnswerBytes}
	enc := json.NewEncoder(size)
	for it.Next(ctx) {
		if len(out) == limit {
			return out, true, nil
		}
		r := it.Result()
		if err := enc.Encode(r); err != nil {
			if errors.Is(err, errAnswerTooLarge) {
				return nil, false, fmt.Errorf("%w: its answer is over %d MiB", ErrQueryMemory, maxAnswerBytes>>20)
			}
			return nil, false, &QueryError{fmt.Sprintf("result %d cannot be encoded: %v", len(out)+1, err)}
		}
		out = append(out, r)
	}
	if err := it.Err(); err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, ErrQueryMemory) {
			return nil, false, cause
		}
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("query: %w", context.Cause(ctx))
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, false, fmt.Errorf("query: %w", err)
		}
		return nil, false, &QueryError{err.Error()}
	}
	if cause := context.Cause(ctx); errors.Is(cause, ErrQueryMemory) {
		return nil, false, cause
	}
	if ctx.Err() != nil {
		// The engine may end quietly when stopped: what it gave is not all.
		return nil, false, fmt.Errorf("query: %w", context.Cause(ctx))
	}
	return out, false, nil
}

// errAnswerTooLarge is an answer past maxAnswerBytes.
var errAnswerTooLarge = errors.New("answer too large")

// answerSize counts encoded bytes down from left, failing past zero.
type answerSize struct{ left int }

func (a *answerSize) Write(p []byte) (int, error) {
	a.left -= len(p)
	if a.left < 0 {
		return 0, errAnswerTooLarge
	}
	return len(p), nil
}

// vmDrain bounds the wait for a stopped VM: every builtin it may be in is
// bounded (jsguard.go), so it ends well within this.
const vmDrain = 10 * time.Second

// drainVM waits for the goroutine Cayley runs the VM in to end. Close
// interrupts the VM but does not wait for it; waiting here makes the
// query's work over when its answer is, so a caller's admission slot
// (--max-heavy) covers all of it.
func drainVM(it query.Iterator) {
	ctx, cancel := context.WithTimeout(context.Background(), vmDrain)
	defer cancel()
	for it.Next(ctx) {
	}
}
