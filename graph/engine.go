package graph

import (
	"context"
	"errors"
	"sync"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
)

// errReadOnly is what a query language gets if it tries to write.
var errReadOnly = errors.New("queries cannot change the graph")

// engine is the store Cayley's query languages run on: an in-memory copy
// of one View's quads. Gizmo and GraphQL then read exactly the committed
// version the typed endpoints answer from, with every document whole:
// never a document half replaced, never the leftovers of a write that
// failed or was killed, never the meta graph. They also no longer hold
// the store while they run, so a long query delays no write and, on
// PostgreSQL, costs no round trip per quad. The copy is made on the first
// query of each version.
type engine struct {
	mu      sync.Mutex
	version string
	qs      graph.QuadStore
}

// readOnly refuses writes to an engine copy.
type readOnly struct{ *memstore.QuadStore }

func (readOnly) ApplyDeltas([]graph.Delta, graph.IgnoreOpts) error { return errReadOnly }
func (readOnly) NewQuadWriter() (quad.WriteCloser, error)          { return nil, errReadOnly }

// queryStore is the engine copy of the current View.
func (s *Store) queryStore(ctx context.Context) (graph.QuadStore, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	e := &s.engine
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.qs != nil && e.version == v.Version {
		return e.qs, nil
	}
	e.qs = nil // the old copy goes before the new one is made
	quads := make([]quad.Quad, len(v.quads))
	for i := range v.quads {
		quads[i] = v.quad(int32(i))
	}
	qs := memstore.New(quads...)
	e.qs, e.version = readOnly{qs}, v.Version
	return e.qs, nil
}
