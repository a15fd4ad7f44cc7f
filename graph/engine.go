package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/policygraph/policygraph/schema"
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
// indexes by predicate, by graph label and by literal object are arrays
// over the View's value positions (one counting pass each, no map per
// quad). The one by predicate, which nearly every question uses, is made
// with the View (see prepare); the others on the first question that
// needs them.
type viewStore struct {
	v *view.View

	byPred, byLabel, byText place // byText: literal objects

	nodesOnce sync.Once
	live      []int32 // see nodes
}

// place is the index of the quads by the value at one place of a quad.
type place struct {
	once sync.Once
	postings
	// at are the positions of the values found there.
	at map[quad.Value]int32
}

// of lists the quads with val at this place, making the index the first
// time: the quads whose position-th value keep accepts.
func (p *place) of(v *view.View, position int, keep func(int32) bool, val quad.Value) []int32 {
	p.once.Do(func() { p.postings, p.at = newPostings(v, position, keep) })
	i, ok := p.at[val]
	if !ok {
		return nil
	}
	return p.postings.of(i)
}

// postings group the View's quads by the value at one place: the quads
// whose value there has position i are at[start[i]:start[i+1]], in
// ascending order.
type postings struct{ start, at []int32 }

func (p postings) of(i int32) []int32 {
	if i < 0 || int(i)+1 >= len(p.start) {
		return nil
	}
	return p.at[p.start[i]:p.start[i+1]]
}

// newPostings groups v's quads by the value at place (0 subject … 3
// label), keeping those keep accepts, and returns where each value found
// there is listed. A value a patched View lists twice is listed once,
// under its first position.
func newPostings(v *view.View, place int, keep func(val int32) bool) (postings, map[quad.Value]int32) {
	count := make([]int32, v.Values())
	for i := range v.Quads() {
		if val := v.QuadValues(int32(i))[place]; keep(val) {
			count[val]++
		}
	}
	at := map[quad.Value]int32{}
	var again map[int32]int32 // a second position → the first
	for i, n := range count {
		if n == 0 {
			continue
		}
		val := v.Value(int32(i))
		if first, ok := at[val]; ok {
			if again == nil {
				again = map[int32]int32{}
			}
			again[int32(i)] = first
			count[first] += n
			count[i] = 0
			continue
		}
		at[val] = int32(i)
	}
	key := func(val int32) int32 {
		if first, ok := again[val]; ok {
			return first
		}
		return val
	}
	p := postings{start: make([]int32, v.Values()+1)}
	for i, n := range count {
		p.start[i+1] = p.start[i] + n
	}
	p.at = make([]int32, p.start[len(p.start)-1])
	next := slices.Clone(p.start[:len(p.start)-1])
	for i := range v.Quads() {
		if val := v.QuadValues(int32(i))[place]; keep(val) {
			k := key(val)
			p.at[next[k]] = int32(i)
			next[k]++
		}
	}
	return p, at
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

func everyValue(int32) bool { return true }

// prepare makes the index by predicate, which nearly every question
// uses, before the View answers its first.
func (s *viewStore) prepare() { s.quads(quad.Predicate, schema.TypeOf) }

// quads lists the positions of the quads with v in direction d.
func (s *viewStore) quads(d quad.Direction, v quad.Value) []int32 {
	switch d {
	case quad.Subject:
		return s.v.Out(v)
	case quad.Object:
		if view.IsNode(v) {
			return s.v.In(v)
		}
		return s.byText.of(s.v, 2, func(val int32) bool { return !view.IsNode(s.v.Value(val)) }, v)
	case quad.Predicate:
		if !view.IsNode(v) {
			return nil
		}
		return s.byPred.of(s.v, 1, everyValue, v)
	case quad.Label:
		if !view.IsNode(v) {
			return nil
		}
		return s.byLabel.of(s.v, 3, everyValue, v)
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
	// The View's lists are in ascending order, which a binary search
	// reads as they are; a set is made only for one that is not.
	c.sorted = slices.IsSorted(p.list)
	if !c.sorted && len(p.list) > 16 {
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
	sorted bool
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
	case it.sorted:
		_, found = slices.BinarySearch(it.p.list, int32(i))
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
