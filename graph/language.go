package graph

import (
	"context"
	"errors"
	"fmt"

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

// Query runs src in one of Cayley's query languages and returns at most
// limit results, reporting whether more existed. Values are JSON-LD: IRIs
// as {"@id": …}, language-tagged strings as {"@value": …, "@language": …}.
// The query stops when ctx is done: the JavaScript VM is interrupted and
// the iterators cancelled, and the error wraps ctx.Err().
func (s *Store) Query(ctx context.Context, language, src string, limit int) ([]any, bool, error) {
	lang := query.GetLanguage(language)
	if lang == nil {
		return nil, false, &QueryError{fmt.Sprintf("unknown language %q: use gizmo or graphql", language)}
	}
	// GraphQL answers in its own JSON shape and has no JSON-LD collation.
	col := query.JSONLD
	if language == "graphql" {
		col = query.JSON
	}
	s.rlock()
	defer s.runlock()
	it, err := lang.Session(s.qs).Execute(ctx, src, query.Options{Collation: col, Limit: limit + 1})
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
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("query: %w", ctx.Err())
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, false, fmt.Errorf("query: %w", err)
		}
		return nil, false, &QueryError{err.Error()}
	}
	return out, false, nil
}
