package graph

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/view"
)

// OptimizeShape is Cayley's hook for a store's own plans. A set of quads
// constrained only by fixed values — g.V(x).In(p), Has(p, o), In of a
// list of predicates — is otherwise an And of one iterator per
// direction, which Cayley walks by calling Contains on the others for
// every quad of the smallest, through a Ref, a Key and an interface per
// call. Here it is one list made at once: the quads of the smallest
// constraint's lists whose other values the other constraints hold,
// checked against the View's own value table.
func (s *viewStore) OptimizeShape(_ context.Context, sh shape.Shape) (shape.Shape, bool) {
	switch sh := sh.(type) {
	case shape.Quads:
		filters := make([]fixedFilter, 0, len(sh))
		for _, f := range sh {
			fixed, ok := f.Values.(shape.Fixed)
			if !ok {
				return sh, false
			}
			ff, ok := fixedOf(f.Dir, fixed)
			if !ok {
				return sh, false
			}
			filters = append(filters, ff)
		}
		if len(filters) == 0 {
			return sh, false
		}
		return s.matching(filters), true
	case shape.QuadsAction:
		if len(sh.Filter) == 0 {
			return sh, false
		}
		filters := make([]fixedFilter, 0, len(sh.Filter))
		for d, r := range sh.Filter {
			ff, ok := fixedOf(d, shape.Fixed{r})
			if !ok {
				return sh, false
			}
			filters = append(filters, ff)
		}
		if len(sh.Save) == 0 {
			return s.nodesOf(s.matching(filters), sh.Result), true
		}
		return sh.SimplifyFrom(s.matching(filters)), true
	}
	return sh, false
}

var _ shape.Optimizer = (*viewStore)(nil)

// nodesOf is HasA(dir, l) as the View answers it.
func (s *viewStore) nodesOf(l *viewQuadList, dir quad.Direction) shape.Shape {
	at := slices.Index([]quad.Direction{quad.Subject, quad.Predicate, quad.Object, quad.Label}, dir)
	if at < 0 {
		return shape.NodesFrom{Dir: dir, Quads: l}
	}
	return viewNodes{Quads: l, Dir: dir, At: at}
}

// fixedFilter is one constraint: the value at a quad's place is one of values.
type fixedFilter struct {
	dir    quad.Direction
	at     int
	values []quad.Value
	// byPosition: the View's values are each one position, at32 those
	// of values that a quad holds.
	byPosition bool
	at32       []int32
}

// fixedOf is the constraint of d over fixed, if every value is the
// View's own (a reference this store gave out) and d a quad's place.
func fixedOf(d quad.Direction, fixed shape.Fixed) (fixedFilter, bool) {
	i := slices.Index([]quad.Direction{quad.Subject, quad.Predicate, quad.Object, quad.Label}, d)
	if i < 0 {
		return fixedFilter{}, false
	}
	f := fixedFilter{dir: d, at: i, values: make([]quad.Value, 0, len(fixed))}
	for _, r := range fixed {
		vr, ok := r.(valueRef)
		if !ok {
			return fixedFilter{}, false
		}
		if !slices.Contains(f.values, vr.v) {
			f.values = append(f.values, vr.v)
		}
	}
	return f, true
}

// matching is the quads every filter holds, as a shape. It costs
// nothing until read: Cayley checks most such sets (a Has) quad by quad
// and never lists them, which the filters answer without a list; the
// list, when walked, is made from the filter whose lists are shortest.
func (s *viewStore) matching(filters []fixedFilter) *viewQuadList {
	l := &viewQuadList{s: s, filters: filters, bound: -1}
	distinct := s.v.ValuesDistinct()
	for i := range l.filters {
		f := &l.filters[i]
		n := 0
		for _, v := range f.values {
			q := s.quads(f.dir, v)
			if q.Len() > 0 && distinct {
				// A value is one position of an unpatched View: its
				// quads compare positions, not values.
				f.at32 = append(f.at32, s.v.QuadValues(q.At(0))[f.at])
			}
			n += q.Len()
		}
		f.byPosition = distinct
		if l.bound < 0 || n < l.bound {
			l.best, l.bound = i, n
		}
	}
	return l
}

// holds says whether quad q passes every filter but skip.
func (l *viewQuadList) holds(q int32, skip int) bool {
	qv := l.s.v.QuadValues(q)
	for i := range l.filters {
		if i == skip {
			continue
		}
		f := &l.filters[i]
		if f.byPosition {
			if !slices.Contains(f.at32, qv[f.at]) {
				return false
			}
		} else if !slices.Contains(f.values, l.s.v.Value(qv[f.at])) {
			return false
		}
	}
	return true
}

// quads lists the matching quads, ascending, made on the first walk.
func (l *viewQuadList) quads() view.Sorted[int32] {
	l.once.Do(func() {
		if l.bound == 0 {
			return
		}
		best := l.filters[l.best]
		out := make([]int32, 0, l.bound)
		for _, v := range best.values {
			for _, run := range l.s.quads(best.dir, v).Runs() {
				for _, q := range run {
					if l.holds(q, l.best) {
						out = append(out, q)
					}
				}
			}
		}
		if len(best.values) > 1 {
			// Each value's list is ascending; a quad holds one value at
			// a place, so the lists are disjoint and sorting makes one.
			slices.Sort(out)
		}
		l.list = view.SortedOf(out)
	})
	return l.list
}

// viewQuadList is the set of the View's quads some fixed constraints
// hold: what OptimizeShape makes of them, both Cayley's shape and its
// iterator.
type viewQuadList struct {
	s       *viewStore
	filters []fixedFilter
	best    int // the filter with the shortest lists
	bound   int // their length: at least as many quads as match

	once sync.Once
	list view.Sorted[int32]
}

func (l *viewQuadList) BuildIterator(graph.QuadStore) iterator.Shape {
	if l.bound == 0 {
		return iterator.NewNull()
	}
	return quadListIterator{l}
}

func (l *viewQuadList) Optimize(context.Context, shape.Optimizer) (shape.Shape, bool) {
	if l.bound == 0 {
		return nil, true
	}
	return l, false
}

func (l *viewQuadList) String() string { return fmt.Sprintf("ViewQuadList(≤%d)", l.bound) }

// quadListIterator is a viewQuadList as Cayley's iterator.
type quadListIterator struct{ l *viewQuadList }

func (it quadListIterator) String() string { return it.l.String() }

func (it quadListIterator) Iterate() iterator.Scanner {
	return &positionsNext{p: &positions{list: it.l.quads(), isList: true}, i: -1}
}

func (it quadListIterator) Lookup() iterator.Index { return &quadListContains{l: it.l} }

// Stats gives the bound, not the count: counting is the walk a Has
// never needs.
func (it quadListIterator) Stats(context.Context) (iterator.Costs, error) {
	return iterator.Costs{ContainsCost: 1, NextCost: 1, Size: refs.Size{Value: int64(it.l.bound)}}, nil
}

func (it quadListIterator) Optimize(context.Context) (iterator.Shape, bool) { return it, false }
func (it quadListIterator) SubIterators() []iterator.Shape                  { return nil }

type quadListContains struct {
	l      *viewQuadList
	result graph.Ref
}

// Contains checks r's values against the filters: no list, no search.
func (it *quadListContains) Contains(_ context.Context, r graph.Ref) bool {
	i, ok := r.(quadRef)
	found := ok && int(i) >= 0 && int(i) < it.l.s.v.Quads() && it.l.holds(int32(i), -1)
	it.result = nil
	if found {
		it.result = r
	}
	return found
}

func (it *quadListContains) Result() graph.Ref               { return it.result }
func (it *quadListContains) NextPath(context.Context) bool   { return false }
func (it *quadListContains) TagResults(map[string]graph.Ref) {}
func (it *quadListContains) Err() error                      { return nil }
func (it *quadListContains) Close() error                    { return nil }
func (it *quadListContains) String() string                  { return it.l.String() }

// viewNodes is the values at dir of a viewQuadList's quads, one per
// quad as a HasA gives them: what a Has or an In of fixed values is. A
// HasA checks a node by walking the node's quads through Cayley's
// iterators; this checks them against the filters, and gives the same
// paths: one per matching quad (Contains, then NextPath for the rest).
type viewNodes struct {
	// Exported, as shape.Walk reflects over a shape's fields.
	Quads *viewQuadList
	Dir   quad.Direction
	At    int
}

func (n viewNodes) BuildIterator(graph.QuadStore) iterator.Shape {
	if n.Quads.bound == 0 {
		return iterator.NewNull()
	}
	return viewNodesIterator{n}
}

func (n viewNodes) Optimize(context.Context, shape.Optimizer) (shape.Shape, bool) {
	if n.Quads.bound == 0 {
		return nil, true
	}
	return n, false
}

func (n viewNodes) String() string { return fmt.Sprintf("ViewNodes(%v, ≤%d)", n.Dir, n.Quads.bound) }

// viewNodesIterator is viewNodes as Cayley's iterator.
type viewNodesIterator struct{ n viewNodes }

func (it viewNodesIterator) String() string                                  { return it.n.String() }
func (it viewNodesIterator) Optimize(context.Context) (iterator.Shape, bool) { return it, false }

func (it viewNodesIterator) Iterate() iterator.Scanner {
	n := it.n
	return &viewNodesNext{n: n, quads: &positionsNext{p: &positions{list: n.Quads.quads(), isList: true}, i: -1}}
}

func (it viewNodesIterator) Lookup() iterator.Index { return &viewNodesContains{n: it.n} }

func (it viewNodesIterator) Stats(context.Context) (iterator.Costs, error) {
	return iterator.Costs{ContainsCost: 2, NextCost: 1, Size: refs.Size{Value: int64(it.n.Quads.bound)}}, nil
}

func (it viewNodesIterator) SubIterators() []iterator.Shape { return nil }

type viewNodesNext struct {
	n      viewNodes
	quads  *positionsNext
	result graph.Ref
}

func (it *viewNodesNext) Next(ctx context.Context) bool {
	it.result = nil
	if !it.quads.Next(ctx) {
		return false
	}
	q := int32(it.quads.cur)
	it.result = valueRef{it.n.Quads.s.v.Value(it.n.Quads.s.v.QuadValues(q)[it.n.At])}
	return true
}

func (it *viewNodesNext) Result() graph.Ref               { return it.result }
func (it *viewNodesNext) NextPath(context.Context) bool   { return false }
func (it *viewNodesNext) TagResults(map[string]graph.Ref) {}
func (it *viewNodesNext) Err() error                      { return it.quads.Err() }
func (it *viewNodesNext) Close() error                    { return nil }
func (it *viewNodesNext) String() string                  { return it.n.String() }

type viewNodesContains struct {
	n      viewNodes
	result graph.Ref
	more   int // paths after the current one: matching quads left
}

func (it *viewNodesContains) Contains(_ context.Context, r graph.Ref) bool {
	it.result, it.more = nil, 0
	vr, ok := r.(valueRef)
	if !ok {
		return false
	}
	k := 0
	for _, run := range it.n.Quads.s.quads(it.n.Dir, vr.v).Runs() {
		for _, q := range run {
			if it.n.Quads.holds(q, -1) {
				k++
			}
		}
	}
	if k == 0 {
		return false
	}
	it.result, it.more = r, k-1
	return true
}

func (it *viewNodesContains) NextPath(context.Context) bool {
	if it.more == 0 {
		return false
	}
	it.more--
	return true
}

func (it *viewNodesContains) Result() graph.Ref               { return it.result }
func (it *viewNodesContains) TagResults(map[string]graph.Ref) {}
func (it *viewNodesContains) Err() error                      { return nil }
func (it *viewNodesContains) Close() error                    { return nil }
func (it *viewNodesContains) String() string                  { return it.n.String() }
