package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
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
// indexes by predicate, by graph label and by literal object are made
// here (one counting pass over the quads each, no map per quad). The one
// by predicate, which nearly every question uses, is made with the View
// (see prepare); the others on the first question that needs them. The
// View of a patch mends its base's instead (engineindex.go): a PUT then
// pays for the quads it changed, not for the graph.
type viewStore struct {
	v *view.View

	byPred, byLabel, byText place // byText: literal objects

	nodesOnce sync.Once
	live      []int32 // see nodes
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
	return engineOf(v), nil
}

// engineOf is v's engine, made on the first query of v or by prepareEngine.
func engineOf(v *view.View) *viewStore {
	return v.Memo(viewStoreKey{}, func() any { return &viewStore{v: v} }).(*viewStore)
}

// prepare makes the index by predicate, which nearly every question
// uses, before the View answers its first, and mends those of the
// patched View's base that the base had made, while the base lives.
func (s *viewStore) prepare() {
	s.index(&s.byPred)
	base := s.baseEngine()
	if base == nil {
		return
	}
	for _, p := range []struct{ mine, theirs *place }{{&s.byLabel, &base.byLabel}, {&s.byText, &base.byText}} {
		if p.theirs.made.Load() != nil {
			s.index(p.mine)
		}
	}
}

// quads lists the positions of the quads with v in direction d.
func (s *viewStore) quads(d quad.Direction, v quad.Value) view.Sorted[int32] {
	switch d {
	case quad.Subject:
		return view.SortedOf(s.v.Out(v))
	case quad.Object:
		if view.IsNode(v) {
			return view.SortedOf(s.v.In(v))
		}
		return s.of(&s.byText, v)
	case quad.Predicate:
		if !view.IsNode(v) {
			return view.Sorted[int32]{}
		}
		return s.of(&s.byPred, v)
	case quad.Label:
		if !view.IsNode(v) {
			return view.Sorted[int32]{}
		}
		return s.of(&s.byLabel, v)
	}
	return view.Sorted[int32]{}
}

func (s *viewStore) ValueOf(v quad.Value) (graph.Ref, error) {
	if v == nil {
		return nil, nil
	}
	v = canonical(v)
	for _, d := range quad.Directions {
		if s.quads(d, v).Len() > 0 {
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
	// A node's quads as subject or object are one slice of the View:
	// walked as it is, without a Sorted made of it per call (a HasA's
	// Contains asks this once for every node it checks).
	if v := vr.v; d == quad.Subject || (d == quad.Object && view.IsNode(v)) {
		var flat []int32
		if d == quad.Subject {
			flat = s.v.Out(v)
		} else {
			flat = s.v.In(v)
		}
		return &positions{flat: flat, isList: true, isFlat: true}
	}
	return &positions{list: s.quads(d, vr.v), isList: true}
}

func (s *viewStore) QuadIteratorSize(_ context.Context, d quad.Direction, r graph.Ref) (refs.Size, error) {
	vr, ok := r.(valueRef)
	if !ok {
		return refs.Size{Exact: true}, nil
	}
	return refs.Size{Value: int64(s.quads(d, vr.v).Len()), Exact: true}, nil
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

// NodesAllIterator lists every value lazily: Save and And make "all
// nodes" one side of an intersection, and a list of every value made per
// query was most of what a small question cost.
func (s *viewStore) NodesAllIterator() iterator.Shape { return &allValues{s: s} }

// nodes lists, for a patched View, the positions of its values each once
// and only those a quad holds (see view.View.ValuesDistinct); nil for a
// View whose every position is one.
func (s *viewStore) nodes() []int32 {
	if s.v.ValuesDistinct() {
		return nil
	}
	s.nodesOnce.Do(func() {
		held := make([]bool, s.v.Values())
		for i := range s.v.Quads() {
			for _, at := range s.v.QuadValues(int32(i)) {
				held[at] = true
			}
		}
		seen := make(map[quad.Value]bool, s.v.Values())
		s.live = make([]int32, 0, s.v.Values())
		for i, h := range held {
			val := s.v.Value(int32(i))
			if h && !seen[val] {
				seen[val] = true
				s.live = append(s.live, int32(i))
			}
		}
	})
	return s.live
}

func (s *viewStore) QuadsAllIterator() iterator.Shape { return &positions{all: s.v.Quads()} }

func (s *viewStore) ApplyDeltas([]graph.Delta, graph.IgnoreOpts) error { return errReadOnly }
func (s *viewStore) NewQuadWriter() (quad.WriteCloser, error)          { return nil, errReadOnly }
func (s *viewStore) Close() error                                      { return nil }

// positions is an iterator over quads of the View: those of list, or
// the first all of them.
type positions struct {
	list   view.Sorted[int32]
	isList bool
	all    int
	// isFlat: the list is flat, one ascending slice.
	flat   []int32
	isFlat bool
}

func (p *positions) size() int {
	if p.isFlat {
		return len(p.flat)
	}
	if p.isList {
		return p.list.Len()
	}
	return p.all
}

func (p *positions) String() string { return fmt.Sprintf("ViewQuads(%d)", p.size()) }

func (p *positions) Iterate() iterator.Scanner { return &positionsNext{p: p, i: -1} }

func (p *positions) Lookup() iterator.Index { return &positionsContains{p: p} }

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

// positionsNext walks a list run by run: i counts the quads passed, run
// and off are where the current one is.
type positionsNext struct {
	p        *positions
	i        int
	run, off int
	cur      quadRef
	err      error
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
	if it.p.isFlat {
		it.cur = quadRef(it.p.flat[it.i])
		return true
	}
	if !it.p.isList {
		it.cur = quadRef(it.i)
		return true
	}
	runs := it.p.list.Runs()
	if it.i > 0 {
		it.off++
	}
	for it.off >= len(runs[it.run]) {
		it.run, it.off = it.run+1, 0
	}
	it.cur = quadRef(runs[it.run][it.off])
	return true
}

func (it *positionsNext) Result() graph.Ref {
	if it.i < 0 || it.i >= it.p.size() {
		return nil
	}
	return it.cur
}

func (it *positionsNext) NextPath(context.Context) bool   { return false }
func (it *positionsNext) TagResults(map[string]graph.Ref) {}
func (it *positionsNext) Err() error                      { return it.err }
func (it *positionsNext) Close() error                    { return nil }
func (it *positionsNext) String() string                  { return it.p.String() }

type positionsContains struct {
	p      *positions
	result graph.Ref
}

func (it *positionsContains) Contains(_ context.Context, r graph.Ref) bool {
	i, ok := r.(quadRef)
	found := false
	switch {
	case !ok:
	case it.p.isFlat:
		_, found = slices.BinarySearch(it.p.flat, int32(i))
	case !it.p.isList:
		found = int(i) >= 0 && int(i) < it.p.all
	default:
		found = it.p.list.Contains(int32(i), cmp.Compare[int32])
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

// allValues is every value of a View, as Cayley's "all nodes".
type allValues struct{ s *viewStore }

func (a *allValues) size() int {
	if live := a.s.nodes(); live != nil {
		return len(live)
	}
	return a.s.v.Values()
}

func (a *allValues) at(i int) graph.Ref {
	if live := a.s.nodes(); live != nil {
		return valueRef{a.s.v.Value(live[i])}
	}
	return valueRef{a.s.v.Value(int32(i))}
}

func (a *allValues) String() string                 { return fmt.Sprintf("ViewValues(%d)", a.size()) }
func (a *allValues) Iterate() iterator.Scanner      { return &allValuesNext{a: a, i: -1} }
func (a *allValues) SubIterators() []iterator.Shape { return nil }

// Lookup holds every value it is asked about: a reference to a value
// comes from this View's own iterators or ValueOf, which names only
// values the View's quads hold.
func (a *allValues) Lookup() iterator.Index { return &allValuesContains{a: a} }

func (a *allValues) Stats(context.Context) (iterator.Costs, error) {
	return iterator.Costs{ContainsCost: 1, NextCost: 1, Size: refs.Size{Value: int64(a.size()), Exact: true}}, nil
}

func (a *allValues) Optimize(context.Context) (iterator.Shape, bool) {
	if a.size() == 0 {
		return iterator.NewNull(), true
	}
	return a, false
}

type allValuesNext struct {
	a   *allValues
	i   int
	err error
}

func (it *allValuesNext) Next(ctx context.Context) bool {
	n := it.a.size()
	if it.i%1024 == 0 && ctx.Err() != nil {
		it.i, it.err = n, ctx.Err()
		return false
	}
	if it.i+1 >= n {
		it.i = n
		return false
	}
	it.i++
	return true
}

func (it *allValuesNext) Result() graph.Ref {
	if it.i < 0 || it.i >= it.a.size() {
		return nil
	}
	return it.a.at(it.i)
}

func (it *allValuesNext) NextPath(context.Context) bool   { return false }
func (it *allValuesNext) TagResults(map[string]graph.Ref) {}
func (it *allValuesNext) Err() error                      { return it.err }
func (it *allValuesNext) Close() error                    { return nil }
func (it *allValuesNext) String() string                  { return it.a.String() }

type allValuesContains struct {
	a      *allValues
	result graph.Ref
}

func (it *allValuesContains) Contains(_ context.Context, r graph.Ref) bool {
	_, ok := r.(valueRef)
	it.result = nil
	if ok {
		it.result = r
	}
	return ok
}

func (it *allValuesContains) Result() graph.Ref               { return it.result }
func (it *allValuesContains) NextPath(context.Context) bool   { return false }
func (it *allValuesContains) TagResults(map[string]graph.Ref) {}
func (it *allValuesContains) Err() error                      { return nil }
func (it *allValuesContains) Close() error                    { return nil }
func (it *allValuesContains) String() string                  { return it.a.String() }

// prepareEngine makes what the first query of v would otherwise wait
// for; a View is prepared before it becomes current.
func prepareEngine(v *view.View) { engineOf(v).prepare() }
