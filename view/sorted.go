package view

import (
	"slices"
	"sort"
	"unsafe"
)

// runBytes is about the size of a run of a Sorted list: a mend copies
// the runs its edits fall in and the list of runs, so runs of some 2 KiB
// keep both small (a few thousand runs at a million positions). With
// runs of 8 KiB, a one-plan patch at L copied 110 runs of a thousand
// measures each for the query index alone, 1 ms and more with the
// collector's barriers; a View's memory grows by under 1% at 2 KiB.
const runBytes = 2048

// runLen is how many elements of T a run is cut to.
func runLen[T any]() int {
	var x T
	return min(max(runBytes/max(int(unsafe.Sizeof(x)), 1), 64), 2048)
}

// Sorted is an ascending list kept in runs, so that the version a patch
// makes of it copies only the runs it edits and shares the others with
// the version it was made from, which stays as it was for its readers.
// The zero Sorted is empty.
type Sorted[T any] struct {
	runs [][]T
	// ends[i] is how many elements runs[:i+1] hold.
	ends []int
}

// SortedOf is list, ascending, as a Sorted; list is kept, not copied, and
// must not change after.
func SortedOf[T any](list []T) Sorted[T] {
	var s Sorted[T]
	runMax := runLen[T]()
	for i := 0; i < len(list); i += runMax {
		j := min(i+runMax, len(list))
		s.runs = append(s.runs, list[i:j:j])
		s.ends = append(s.ends, j)
	}
	return s
}

// Len is how many elements s holds.
func (s Sorted[T]) Len() int {
	if len(s.ends) == 0 {
		return 0
	}
	return s.ends[len(s.ends)-1]
}

// At is the i-th element.
func (s Sorted[T]) At(i int) T {
	r := sort.SearchInts(s.ends, i+1)
	if r > 0 {
		i -= s.ends[r-1]
	}
	return s.runs[r][i]
}

// Runs are s's elements in order, run by run; they must not be written.
func (s Sorted[T]) Runs() [][]T { return s.runs }

// Slice is every element in order: the list itself when s is one run.
func (s Sorted[T]) Slice() []T {
	switch len(s.runs) {
	case 0:
		return nil
	case 1:
		return s.runs[0]
	}
	out := make([]T, 0, s.Len())
	for _, r := range s.runs {
		out = append(out, r...)
	}
	return out
}

// Contains reports whether s holds an element equal to x by cmp.
func (s Sorted[T]) Contains(x T, cmp func(a, b T) int) bool {
	r := s.runAtOrAfter(x, cmp, false)
	if r < 0 {
		return false
	}
	_, found := slices.BinarySearchFunc(s.runs[r], x, cmp)
	return found
}

// runAtOrAfter is the first run whose last element is at or past x by
// cmp (strictly past when after), the last run when none is, -1 when s
// is empty.
func (s Sorted[T]) runAtOrAfter(x T, cmp func(a, b T) int, after bool) int {
	if len(s.runs) == 0 {
		return -1
	}
	r := sort.Search(len(s.runs), func(i int) bool {
		c := cmp(s.runs[i][len(s.runs[i])-1], x)
		return c > 0 || c == 0 && !after
	})
	return min(r, len(s.runs)-1)
}

// Mend is s without one element equal by cmp to each of remove (which
// must be unique by cmp in s) and with add put in after the elements
// equal to them, in the order given. Only the runs these fall in are
// copied. remove and add are sorted in place.
func (s Sorted[T]) Mend(cmp func(a, b T) int, remove, add []T) Sorted[T] {
	if len(remove) == 0 && len(add) == 0 {
		return s
	}
	if len(s.runs) == 0 {
		slices.SortStableFunc(add, cmp)
		return SortedOf(slices.Clone(add))
	}
	slices.SortFunc(remove, cmp)
	slices.SortStableFunc(add, cmp)
	type edit struct{ remove, add []T }
	edits := map[int]*edit{}
	at := func(r int) *edit {
		e := edits[r]
		if e == nil {
			e = &edit{}
			edits[r] = e
		}
		return e
	}
	for _, x := range remove {
		e := at(s.runAtOrAfter(x, cmp, false))
		e.remove = append(e.remove, x)
	}
	for _, x := range add {
		e := at(s.runAtOrAfter(x, cmp, true))
		e.add = append(e.add, x)
	}
	runMax := runLen[T]()
	out := Sorted[T]{runs: make([][]T, 0, len(s.runs)+len(edits))}
	for i, run := range s.runs {
		e := edits[i]
		if e == nil {
			out.runs = append(out.runs, run)
			continue
		}
		merged := mendRun(run, e.remove, e.add, cmp)
		for len(merged) > 2*runMax {
			out.runs = append(out.runs, merged[:runMax:runMax])
			merged = merged[runMax:]
		}
		if len(merged) > 0 {
			out.runs = append(out.runs, merged[:len(merged):len(merged)])
		}
	}
	out.ends = make([]int, len(out.runs))
	n := 0
	for i, r := range out.runs {
		n += len(r)
		out.ends[i] = n
	}
	return out
}

// mendRun is run without the elements equal by cmp to those of remove
// and with add put in after the elements equal to them, in a new array;
// remove and add are sorted. Their places are found by binary search and
// the stretches between them are moved whole, so a run of a thousand
// costs a few comparisons per element edited, not one per element: a
// comparison of the time index's links compares three strings.
func mendRun[T any](run, remove, add []T, cmp func(a, b T) int) []T {
	if out, ok := replaceRun(run, remove, add, cmp); ok {
		return out
	}
	merged := make([]T, 0, len(run)+len(add))
	prev := 0
	for _, x := range remove {
		i, found := slices.BinarySearchFunc(run[prev:], x, cmp)
		if !found {
			continue // not in s
		}
		merged = append(merged, run[prev:prev+i]...)
		prev += i + 1
	}
	merged = append(merged, run[prev:]...)
	// From the last added back, each moves the stretch after it up.
	hi := len(merged)
	merged = append(merged, add...)
	for j := len(add) - 1; j >= 0; j-- {
		lo := sort.Search(hi, func(i int) bool { return cmp(merged[i], add[j]) > 0 })
		copy(merged[lo+j+1:hi+j+1], merged[lo:hi])
		merged[lo+j] = add[j]
		hi = lo
	}
	return merged
}

// replaceRun is mendRun when each element added replaces the one removed
// equal to it (a record built again, in the lists of the keys it was in):
// a copy of run with those written over, one move of the run instead of
// two. ok is false when the edit is not of that kind.
func replaceRun[T any](run, remove, add []T, cmp func(a, b T) int) (out []T, ok bool) {
	if len(remove) != len(add) {
		return nil, false
	}
	for i := range add {
		if cmp(remove[i], add[i]) != 0 || i > 0 && cmp(add[i-1], add[i]) == 0 {
			return nil, false
		}
	}
	at := make([]int, len(remove))
	for i, x := range remove {
		j, found := slices.BinarySearchFunc(run, x, cmp)
		if !found {
			return nil, false
		}
		at[i] = j
	}
	out = slices.Clone(run)
	for i, j := range at {
		out[j] = add[i]
	}
	return out, true
}
