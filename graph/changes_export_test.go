package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/view"
)

// CurrentView is the store's current View, without a version check.
func (s *Store) CurrentView() *view.View { return s.views.current.Load() }

// ReadChangesSince does, for the benchmarks, what a store holding View v
// does before it patches v to the store's version: learn which documents
// changed (from the change log, or from every label when fromLabels) and
// read their quads. It returns how many documents changed, and the time
// of each part.
func (s *Store) ReadChangesSince(ctx context.Context, v *view.View, fromLabels bool) (n int, learn, read time.Duration, err error) {
	ver, err := s.version(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	from := builtFromOf(v)
	start := time.Now()
	var docs map[quad.IRI][]quad.Quad
	if fromLabels {
		labels, err := s.storedLabels(ctx)
		if err != nil {
			return 0, 0, 0, err
		}
		learn = time.Since(start)
		docs, err = s.changedDocuments(ctx, from.labels, labels)
	} else {
		ch, answer, err := s.changesSince(ctx, v.Version, ver)
		if err != nil || answer != logTold {
			return 0, 0, 0, fmt.Errorf("the change log answers %d (%v)", answer, err)
		}
		learn = time.Since(start)
		_, docs, err = s.readChanges(ctx, from.labels, ch)
	}
	return len(docs), learn, time.Since(start) - learn, err
}

// WaitBackground waits for the store's background work (warming a new
// View, which ends in a collection of the heap) to end, so that a
// benchmark does not time it with what follows.
func (s *Store) WaitBackground() { s.views.bg.Wait() }

// deaf keeps st from hearing other stores' writes as they commit (see
// Store.listen), for tests that count the patches its own reads make.
func deaf(st *Store) *Store {
	st.views.listen.Do(func() {})
	return st
}
