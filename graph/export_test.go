package graph

import (
	"context"

	"github.com/cayleygraph/cayley/graph"

	"github.com/policygraph/policygraph/view"
)

// RunOnBackend runs src on Cayley's own engine over the store's backend,
// as /v1/query did before it ran on the View: the baseline of the
// benchmarks of the View's engine.
func (s *Store) RunOnBackend(ctx context.Context, language, src string) ([]any, error) {
	s.rlock()
	defer s.runlock()
	return runOn(ctx, s.qs, language, src)
}

// NewEngine is a new engine over v as a new version's is when it becomes
// current: prepared, its lazy indexes still to make.
func NewEngine(v *view.View) graph.QuadStore {
	e := &viewStore{v: v}
	e.prepare()
	return e
}

// RunOn runs src on Cayley's engine over qs.
func RunOn(ctx context.Context, qs graph.QuadStore, language, src string) ([]any, error) {
	return runOn(ctx, qs, language, src)
}
