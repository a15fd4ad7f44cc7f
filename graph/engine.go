package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/policygraph/policygraph/view"
)

// errReadOnly is what a query language gets if it tries to write.
var errReadOnly = errors.New("queries cannot change the graph")

// viewStore is Cayley's QuadStore interface over one View, read only:
// the store Gizmo and GraphQL run on. They then read exactly the
// committed version the typed endpoints answer from, with every document
// whole — never a document half replaced, never the leftovers of a write
// that failed or was killed, never the meta graph — and hold nothing of
// the store while they run, so a long query delays no write and, on
// PostgreSQL, costs no round trip per quad.
//
// It copies nothing: a value is its own reference, a quad its position in
// the View. The View indexes quads by subject and by node object; the
// indexes by predicate, by graph and by literal object are made on the
// first query of a version that needs one.
type viewStore struct {
	v *view.View

	once                sync.Once
	byPred, byLabel, by map[quad.Value][]int32 // by: literal objects
}

// valueRef is a value as Cayley's reference to it.
type valueRef struct{ v quad.Value }

func (r valueRef) Key() any { return r.v }

// viewStoreKey keeps a View's viewStore in its Memo.
type viewStoreKey struct{}

// quadRef is a quad as its position in the View.
type quadRef int32

func (r quadRef) Key() any { return int32(r) }

// queryStore is the query store of the current View.
func (s *Store) queryStore(ctx context.Context) (graph.QuadStore, error) {
	v, ok := ctx.Value(viewKey{}).(*view.View)
	if !ok {
		var err error
		if v, err = s.View(ctx); err != nil {
			return nil, err
		}
	}
	return v.Memo(viewStoreKey{}, func() any { return &viewStore{v: v} }).(*viewStore), nil
}

func (s *viewStore) index() {
	s.once.Do(func() {
		s.byPred, s.byLabel, s.by = map[quad.Value][]int32{}, map[quad.Value][]int32{}, map[quad.Value][]int32{}
		for i := range s.v.Quads() {
			r := s.v.QuadValues(int32(i))
			p, o, l := s.v.Value(r[1]), s.v.Value(r[2]), s.v.Value(r[3])
			s.byPred[p] = append(s.byPred[p], int32(i))
			s.byLabel[l] = append(s.byLabel[l], int32(i))
			if !view.IsNode(o) {
				s.by[o] = append(s.by[o], int32(i))
			}
		}
	})
}

// quads lists the positions of the quads with v in direction d.
func (s *viewStore) quads(d quad.Direction, v quad.Value) []int32 {
	switch d {
	case quad.Subject:
		return s.v.Out(v)
	case quad.Object:
		if view.IsNode(v) {
			return s.v.In(v)
		}
		s.index()
		return s.by[v]
	case quad.Predicate:
		s.index()
		return s.byPred[v]
	case quad.Label:
		s.index()
		return s.byLabel[v]
	}
	return nil
}

func (s *viewStore) ValueOf(v quad.Value) (graph.Ref, error) {
	if v == nil {
		return nil, nil
	}
	v = canonical(v)
	for _, d := range quad.Directions {
		if len(s.quads(d, v)) > 0 {
			return valueRef{v}, nil
		}
	}
	return nil, nil
}

func (s *viewStore) NameOf(r graph.Ref) (quad.Value, error) {
	if vr, ok := r.(valueRef); ok {
		return vr.v, nil
	}
	return nil, nil
}

func (s *viewStore) Quad(r graph.Ref) (quad.Quad, error) {
	i, ok := r.(quadRef)
	if !ok || int(i) >= s.v.Quads() {
		return quad.Quad{}, fmt.Errorf("no quad %v", r)
	}
	return s.v.Quad(int32(i)), nil
}

func (s *viewStore) QuadIterator(d quad.Direction, r graph.Ref) iterator.Shape {
	vr, ok := r.(valueRef)
	if !ok {
		return iterator.NewNull()
	}
	return &positions{list: s.quads(d, vr.v)}
}

func (s *viewStore) QuadIteratorSize(_ context.Context, d quad.Direction, r graph.Ref) (refs.Size, error) {
	vr, ok := r.(valueRef)
	if !ok {
		return refs.Size{Exact: true}, nil
	}
	return refs.Size{Value: int64(len(s.quads(d, vr.v))), Exact: true}, nil
}

func (s *viewStore) QuadDirection(r graph.Ref, d quad.Direction) (graph.Ref, error) {
	i, ok := r.(quadRef)
	if !ok || int(i) >= s.v.Quads() {
		return nil, nil
	}
	var at int
	switch d {
	case quad.Subject:
		at = 0
	case quad.Predicate:
		at = 1
	case quad.Object:
		at = 2
	case quad.Label:
		at = 3
	default:
		return nil, nil
	}
	return valueRef{s.v.Value(s.v.QuadValues(int32(i))[at])}, nil
}

func (s *viewStore) Stats(context.Context, bool) (graph.Stats, error) {
	return graph.Stats{
		Nodes: refs.Size{Value: int64(s.v.Values()), Exact: true},
		Quads: refs.Size{Value: int64(s.v.Quads()), Exact: true},
	}, nil
}

func (s *viewStore) NodesAllIterator() iterator.Shape {
	// A patched View may list a value twice (a literal met again is
	// appended, not looked up), or one no quad holds any more (see
	// view.View.Patch): each node once, and only those in a quad.
	all := make([]graph.Ref, 0, s.v.Values())
	seen := make(map[quad.Value]bool, s.v.Values())
	for i := range s.v.Values() {
		val := s.v.Value(int32(i))
		if seen[val] {
			continue
		}
		seen[val] = true
		if r, _ := s.ValueOf(val); r != nil {
			all = append(all, valueRef{val})
		}
	}
	return iterator.NewFixed(all...)
}

func (s *viewStore) QuadsAllIterator() iterator.Shape { return &positions{all: s.v.Quads()} }

func (s *viewStore) ApplyDeltas([]graph.Delta, graph.IgnoreOpts) error { return errReadOnly }
func (s *viewStore) NewQuadWriter() (quad.WriteCloser, error)          { return nil, errReadOnly }
func (s *viewStore) Close() error                                      { return nil }

// positions is an iterator over quads of the View: those at list, or the
// first all of them.
type positions struct {
	list []int32
	all  int
}

func (p *positions) size() int {
	if p.list != nil {
		return len(p.list)
	}
	return p.all
}

func (p *positions) at(i int) quadRef {
	if p.list != nil {
		return quadRef(p.list[i])
	}
	return quadRef(i)
}

func (p *positions) String() string { return fmt.Sprintf("ViewQuads(%d)", p.size()) }

func (p *positions) Iterate() iterator.Scanner { return &positionsNext{p: p, i: -1} }

func (p *positions) Lookup() iterator.Index {
	c := &positionsContains{p: p}
	if p.list != nil && len(p.list) > 16 {
		c.set = make(map[int32]bool, len(p.list))
		for _, i := range p.list {
			c.set[i] = true
		}
	}
	return c
}

func (p *positions) Stats(context.Context) (iterator.Costs, error) {
	return iterator.Costs{ContainsCost: 1, NextCost: 1, Size: refs.Size{Value: int64(p.size()), Exact: true}}, nil
}

func (p *positions) Optimize(context.Context) (iterator.Shape, bool) {
	if p.size() == 0 {
		return iterator.NewNull(), true
	}
	return p, false
}

func (p *positions) SubIterators() []iterator.Shape { return nil }

type positionsNext struct {
	p   *positions
	i   int
	err error
}

func (it *positionsNext) Next(ctx context.Context) bool {
	if it.i%1024 == 0 && ctx.Err() != nil {
		// Stopped, not finished: an answer cut here must not look whole.
		it.i, it.err = it.p.size(), ctx.Err()
		return false
	}
	if it.i+1 >= it.p.size() {
		it.i = it.p.size()
		return false
	}
	it.i++
	return true
}

func (it *positionsNext) Result() graph.Ref {
	if it.i < 0 || it.i >= it.p.size() {
		return nil
	}
	return it.p.at(it.i)
}

func (it *positionsNext) NextPath(context.Context) bool   { return false }
func (it *positionsNext) TagResults(map[string]graph.Ref) {}
func (it *positionsNext) Err() error                      { return it.err }
func (it *positionsNext) Close() error                    { return nil }
func (it *positionsNext) String() string                  { return it.p.String() }

type positionsContains struct {
	p      *positions
	set    map[int32]bool
	result graph.Ref
}

func (it *positionsContains) Contains(_ context.Context, r graph.Ref) bool {
	i, ok := r.(quadRef)
	found := false
	switch {
	case !ok:
	case it.p.list == nil:
		found = int(i) >= 0 && int(i) < it.p.all
	case it.set != nil:
		found = it.set[int32(i)]
	default:
		for _, x := range it.p.list {
			if x == int32(i) {
				found = true
				break
			}
		}
	}
	it.result = nil
	if found {
		it.result = r
	}
	return found
}

func (it *positionsContains) Result() graph.Ref               { return it.result }
func (it *positionsContains) NextPath(context.Context) bool   { return false }
func (it *positionsContains) TagResults(map[string]graph.Ref) {}
func (it *positionsContains) Err() error                      { return nil }
func (it *positionsContains) Close() error                    { return nil }
func (it *positionsContains) String() string                  { return it.p.String() }
