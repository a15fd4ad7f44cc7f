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

// TestSortedMendEqual: what is added goes after the elements equal to it
// by the order, in the order given, and an element removed may come back
// equal (a record built again): as a stable sort of the list without the
// elements removed, followed by those added, would place them.
func TestSortedMendEqual(t *testing.T) {
	type tagged struct{ key, tag int }
	byKey := func(a, b tagged) int { return cmp.Compare(a.key, b.key) }
	r := rand.New(rand.NewPCG(3, 4))
	var plain []tagged
	for i := range 5000 {
		plain = append(plain, tagged{3 * i, 0})
	}
	s := SortedOf(slices.Clone(plain))
	for round := 1; round <= 100; round++ {
		var remove, add []tagged
		seen, count := map[int]bool{}, map[int]int{}
		for _, x := range plain {
			count[x.key]++
		}
		for range r.IntN(60) {
			// What is removed must be alone with its key.
			x := plain[r.IntN(len(plain))]
			if seen[x.key] || count[x.key] > 1 {
				continue
			}
			seen[x.key] = true
			remove = append(remove, x)
			// Every third round, every record removed is built again.
			if round%3 == 0 || r.IntN(2) == 0 {
				add = append(add, tagged{x.key, round}) // built again
			}
		}
		for i := range r.IntN(20) * min(round%3, 1) {
			// Beside a key kept, or a new one: after what is there.
			add = append(add, tagged{3*r.IntN(5000) + r.IntN(2), 1000*round + i})
		}
		next := slices.DeleteFunc(slices.Clone(plain), func(x tagged) bool { return seen[x.key] })
		next = append(next, add...)
		slices.SortStableFunc(next, byKey)
		r.Shuffle(len(remove), func(i, j int) { remove[i], remove[j] = remove[j], remove[i] })
		s = s.Mend(byKey, remove, slices.Clone(add))
		plain = next
		if got := s.Slice(); !slices.Equal(got, plain) {
			t.Fatalf("round %d: mended list differs (%d elements, want %d)", round, len(got), len(plain))
		}
	}
}
