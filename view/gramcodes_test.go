package view

import (
	"slices"
	"testing"

	"github.com/policygraph/policygraph/loader/synthetic"
	"github.com/policygraph/policygraph/schema"
)

// TestGramCodesRoundTrip: counts written as gaps between gram numbers
// read back as written, for counts at the edges of the encoding (the
// first gram numbered 0, gaps past one byte of varint, counts above one)
// and for every measure of the generated corpus.
func TestGramCodesRoundTrip(t *testing.T) {
	dict := gramDict{grams: []uint32{3, 7, 8, 1 << 20, 1<<31 + 5, 1<<32 - 1}}
	for len(dict.grams) < 70000 {
		dict.grams = append(dict.grams, 1<<32-2-uint32(70000-len(dict.grams)))
	}
	slices.Sort(dict.grams)
	dict.grams = slices.Compact(dict.grams)
	at := func(ids ...int32) []gramCount {
		var tf []gramCount
		for i, id := range ids {
			tf = append(tf, gramCount{dict.grams[id], int32(1 + i%3*(i+200))})
		}
		return tf
	}
	last := int32(len(dict.grams) - 1)
	cases := []struct {
		name string
		ids  []int32
	}{
		{"none", nil},
		{"the first gram", []int32{0}},
		{"neighbours", []int32{0, 1, 2, 3}},
		{"wide gaps", []int32{5, 200, 70000 / 2, last}},
		{"the last gram", []int32{last}},
	}
	var c gramCodes
	for _, tc := range cases {
		c.appendCounts(at(tc.ids...), tc.ids)
	}
	for i, tc := range cases {
		tf, ids := c.counts(int32(i), &dict, nil, nil)
		if want := at(tc.ids...); !slices.Equal(tf, want) || !slices.Equal(ids, tc.ids) {
			t.Errorf("%s: read %v %v, want %v %v", tc.name, tf, ids, want, tc.ids)
		}
	}

	dir := t.TempDir()
	if _, err := synthetic.Write("../data", dir, synthetic.Size{Cities: 10, Plans: 2, Measures: 40, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	v := loadView(t, dir)
	ix := newTextIndex(v, 0)
	for i, m := range v.Measures {
		got, _ := ix.base.counts.counts(int32(i), &ix.base.dict, nil, nil)
		if want := gramCounts(measureText(m)); !slices.Equal(got, want) {
			t.Fatalf("%s: %d counts read back, want %d: %v", m.ID, len(got), len(want), got)
		}
	}
}

// TestVectorsFromCounts: a vector weighed from the counts kept for a
// measure is the one weighed from its text, and a cosine read from them
// the one over the two vectors, to the bit, on an index made
// anew and on each mended through a series of patches (measures changed,
// removed, added and built again with their texts), so that keeping
// counts instead of vectors changes no score.
func TestVectorsFromCounts(t *testing.T) {
	corpus := t.TempDir()
	if _, err := synthetic.Write("../data", corpus, synthetic.Size{Cities: 10, Plans: 2, Measures: 40, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	first, steps := patchSeries(t, corpus, func(v *View) {})
	ix := newTextIndex(first, 0)
	check := func(step string, v *View, ix *textIndex) {
		var buf vectorBuf
		fromCounts := 0
		fromText := make([][]gramWeight, len(v.Measures))
		for i, m := range v.Measures {
			if _, ok := ix.base.index[m]; ok {
				fromCounts++
			}
			got := ix.vector(m, &buf)
			if fromText[i] = ix.weigh(gramCounts(measureText(m))); !slices.Equal(got, fromText[i]) {
				t.Fatalf("%s: %s: the vector from its counts differs from the one from its text", step, m.ID)
			}
		}
		// The cosine read from counts is the one over whole vectors.
		for i := 0; i < len(v.Measures); i += 17 {
			q := ix.asked(fromText[i])
			for j, c := range v.Measures {
				if got, want := ix.cosine(q, c, &buf), q.byGram.dot(fromText[j]); got != want {
					t.Fatalf("%s: cosine of %s and %s: %v from counts, want %v", step, v.Measures[i].ID, c.ID, got, want)
				}
			}
		}
		if fromCounts < len(v.Measures)/2 {
			t.Fatalf("%s: %d of %d vectors weighed from kept counts", step, fromCounts, len(v.Measures))
		}
	}
	check("anew", first, ix)
	mended := 0
	for _, s := range steps {
		c, _ := s.patched.Change()
		if m := ix.mended(s.patched, c.Records[schema.Measure]); m != nil {
			ix = m
			mended++
		} else {
			ix = newTextIndex(s.patched, 0)
		}
		check(s.name, s.patched, ix)
	}
	if mended < 3 {
		t.Errorf("%d of %d indexes mended", mended, len(steps))
	}
}
