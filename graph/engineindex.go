package graph

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/view"
)

// quadIndex lists the View's quads by the value at one place of a quad:
// value → the positions of its quads, ascending. Both are shared with
// the index of the View patched from this one wherever the patch did not
// change them.
type quadIndex = view.SharedMap[quad.Value, view.Sorted[int32]]

// place is the index of the quads by the value at one place of a quad,
// made once per View: built from every quad, or mended from the index of
// the View it was patched from.
type place struct {
	mu   sync.Mutex
	made atomic.Pointer[quadIndex]
}

// places says, for each index of a viewStore, which value of a quad it
// is by (0 subject … 3 label) and which values it lists.
func (s *viewStore) placeOf(p *place) (position int, keep func(quad.Value) bool) {
	switch p {
	case &s.byPred:
		return 1, everyValue
	case &s.byLabel:
		return 3, everyValue
	}
	return 2, func(val quad.Value) bool { return !view.IsNode(val) }
}

func everyValue(quad.Value) bool { return true }

// of lists the quads with val at p's place.
func (s *viewStore) of(p *place, val quad.Value) view.Sorted[int32] {
	l, _ := s.index(p).Get(val)
	return l
}

// index is p's index, made the first time: mended from the base's when
// v was patched from a View whose engine made it, built otherwise.
func (s *viewStore) index(p *place) *quadIndex {
	if ix := p.made.Load(); ix != nil {
		return ix
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if ix := p.made.Load(); ix != nil {
		return ix
	}
	position, keep := s.placeOf(p)
	var ix quadIndex
	if base, c := s.baseEngine(), s.change(); base != nil {
		if old := base.theirs(s, p).made.Load(); old != nil {
			ix = mendIndex(*old, base.v, s.v, c, position, keep)
		}
	}
	if ix.Len() == 0 {
		ix = buildIndex(s.v, position, keep)
	}
	p.made.Store(&ix)
	return &ix
}

// theirs is b's index of the place p is in s.
func (b *viewStore) theirs(s *viewStore, p *place) *place {
	switch p {
	case &s.byPred:
		return &b.byPred
	case &s.byLabel:
		return &b.byLabel
	}
	return &b.byText
}

// baseEngine is the engine of the View v was patched from, while that
// View lives; nil otherwise. It is made if the base had none, which
// costs nothing until asked.
func (s *viewStore) baseEngine() *viewStore {
	if _, ok := s.v.Change(); !ok {
		return nil
	}
	base := s.v.Base()
	if base == nil {
		return nil
	}
	return engineOf(base)
}

func (s *viewStore) change() view.Change {
	c, _ := s.v.Change()
	return c
}

// buildIndex groups v's quads by the value at position, keeping the
// values keep accepts: counted by value position, so no map lookup per
// quad. A value a patched View lists twice has its two lists merged.
func buildIndex(v *view.View, position int, keep func(quad.Value) bool) quadIndex {
	count := make([]int32, v.Values())
	for i := range v.Quads() {
		count[v.QuadValues(int32(i))[position]]++
	}
	start := make([]int32, len(count)+1)
	kept := 0
	for i, n := range count {
		if n > 0 && !keep(v.Value(int32(i))) {
			count[i], n = 0, 0
		}
		start[i+1] = start[i] + n
		if n > 0 {
			kept++
		}
	}
	at := make([]int32, start[len(start)-1])
	next := slices.Clone(start[:len(start)-1])
	for i := range v.Quads() {
		if val := v.QuadValues(int32(i))[position]; count[val] > 0 {
			at[next[val]] = int32(i)
			next[val]++
		}
	}
	e := view.NewSharedMap[quad.Value, view.Sorted[int32]](kept)
	for i, n := range count {
		if n == 0 {
			continue
		}
		val := v.Value(int32(i))
		list := at[start[i]:start[i+1]]
		if old, ok := e.Get(val); ok {
			list = append(old.Slice()[:old.Len():old.Len()], list...)
			slices.Sort(list)
		}
		e.Set(val, view.SortedOf(list))
	}
	return e.Map()
}

// mendIndex is old, base's index, made v's: the positions c names as
// gone leave the lists of base's values there, those it names as
// placed join the lists of v's. Lists of values no changed quad holds
// are shared, and so are the runs of the others that hold no changed
// position.
func mendIndex(old quadIndex, base, v *view.View, c view.Change, position int, keep func(quad.Value) bool) quadIndex {
	type edit struct{ remove, add []int32 }
	edits := map[quad.Value]*edit{}
	at := func(val quad.Value) *edit {
		e := edits[val]
		if e == nil {
			e = &edit{}
			edits[val] = e
		}
		return e
	}
	for _, p := range c.Gone {
		if val := base.Value(base.QuadValues(p)[position]); keep(val) {
			at(val).remove = append(at(val).remove, p)
		}
	}
	for _, p := range c.Placed {
		if val := v.Value(v.QuadValues(p)[position]); keep(val) {
			at(val).add = append(at(val).add, p)
		}
	}
	e := old.Edit()
	for val, ed := range edits {
		l, _ := e.Get(val)
		l = l.Mend(cmp.Compare[int32], ed.remove, ed.add)
		if l.Len() == 0 {
			e.Delete(val)
			continue
		}
		e.Set(val, l)
	}
	return e.Map()
}
