package view

import (
	"cmp"
	stdmaps "maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortedMend: a list mended through many rounds of removals and
// insertions holds what a plain sorted slice holds, and every earlier
// version still holds what it held.
func TestSortedMend(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var plain []int32
	for i := range 20000 {
		plain = append(plain, int32(2*i))
	}
	s := SortedOf(slices.Clone(plain))
	type version struct {
		s    Sorted[int32]
		want []int32
	}
	var versions []version
	for round := range 200 {
		var remove, add []int32
		for range r.IntN(40) {
			if len(plain) == 0 {
				break
			}
			x := plain[r.IntN(len(plain))]
			if !slices.Contains(remove, x) {
				remove = append(remove, x)
			}
		}
		for range r.IntN(40) {
			if x := int32(r.IntN(60000)); !slices.Contains(plain, x) && !slices.Contains(add, x) {
				add = append(add, x)
			}
		}
		next := plain[:0:0]
		for _, x := range plain {
			if !slices.Contains(remove, x) {
				next = append(next, x)
			}
		}
		next = append(next, add...)
		slices.Sort(next)
		s = s.Mend(cmp.Compare[int32], remove, add)
		plain = next
		if got := s.Slice(); !slices.Equal(got, plain) {
			t.Fatalf("round %d: mended %d elements, want %d", round, len(got), len(plain))
		}
		if s.Len() != len(plain) || len(plain) > 0 && s.At(len(plain)/2) != plain[len(plain)/2] {
			t.Fatalf("round %d: Len or At differ", round)
		}
		for _, x := range add {
			if !s.Contains(x, cmp.Compare[int32]) {
				t.Fatalf("round %d: %d added but not contained", round, x)
			}
		}
		versions = append(versions, version{s, slices.Clone(plain)})
	}
	for i, v := range versions {
		if !slices.Equal(v.s.Slice(), v.want) {
			t.Fatalf("version %d changed after later mends", i)
		}
	}
}

// TestSharedMapEdit: edits make a new version and leave the old ones as
// they were, through growth too.
func TestSharedMapEdit(t *testing.T) {
	m := SharedMap[int, int]{}
	plain := map[int]int{}
	type version struct {
		m    SharedMap[int, int]
		want map[int]int
	}
	var versions []version
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 100 {
		e := m.Edit()
		for range 200 {
			k := r.IntN(5000)
			if r.IntN(3) == 0 {
				e.Delete(k)
				delete(plain, k)
				continue
			}
			e.Set(k, round)
			plain[k] = round
		}
		m = e.Map()
		versions = append(versions, version{m, stdmaps.Clone(plain)})
	}
	for i, v := range versions {
		got := map[int]int{}
		v.m.All(func(k, x int) bool { got[k] = x; return true })
		if len(got) != len(v.want) || v.m.Len() != len(v.want) {
			t.Fatalf("version %d: %d keys (Len %d), want %d", i, len(got), v.m.Len(), len(v.want))
		}
		for k, x := range v.want {
			if y, ok := v.m.Get(k); !ok || y != x {
				t.Fatalf("version %d: %d is %d, %v; want %d", i, k, y, ok, x)
			}
		}
	}
}
