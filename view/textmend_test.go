package view

import (
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/loader/synthetic"
	"github.com/policygraph/policygraph/schema"
)

// patchStep is one patch of a series: the View patched, and the View New
// builds from the same quads.
type patchStep struct {
	name           string
	patched, built *View
}

// patchSeries patches the View of data directory dir through plans
// replaced (retitled, a measure dropped), deleted, copied under new ids
// and restored, and returns each step with its View built anew. before
// is called with each View before it is patched.
func patchSeries(t *testing.T, dir string, before func(v *View)) (first *View, steps []patchStep) {
	t.Helper()
	ds, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[quad.IRI][]quad.Quad{}
	var order, plans []quad.IRI
	for _, g := range ds.Graphs {
		iri := schema.GraphIRI(g.ID)
		docs[iri] = g.Quads
		order = append(order, iri)
		if strings.HasPrefix(g.ID, "plan/") {
			plans = append(plans, iri)
		}
	}
	if len(plans) < 2 {
		t.Fatalf("%s: %d plans", dir, len(plans))
	}
	a, b := plans[0], plans[len(plans)-1]
	original := map[quad.IRI][]quad.Quad{a: docs[a], b: docs[b]}
	// retitled gives every title of g a new Latin word and drops one of
	// its measures.
	retitled := func(g quad.IRI, word string) []quad.Quad {
		var victim quad.Value
		for _, q := range original[g] {
			if q.Predicate == schema.HasMeasure {
				victim = q.Object
			}
		}
		var out []quad.Quad
		for _, q := range original[g] {
			if q.Subject == victim || q.Object == victim {
				continue
			}
			if ls, ok := q.Object.(quad.LangString); ok && q.Predicate == schema.Title {
				ls.Value += quad.String(" " + word)
				q.Object = ls
			}
			out = append(out, q)
		}
		return out
	}
	series := []struct {
		name    string
		changes map[quad.IRI][]quad.Quad
	}{
		{"replace a plan", map[quad.IRI][]quad.Quad{a: retitled(a, "zanzibarian")}},
		{"delete a plan", map[quad.IRI][]quad.Quad{b: nil}},
		{"a copy under new ids", map[quad.IRI][]quad.Quad{schema.GraphIRI("plan/copy"): copied(original[a], "plan/copy")}},
		{"restore both", map[quad.IRI][]quad.Quad{a: original[a], b: original[b]}},
		{"replace the other", map[quad.IRI][]quad.Quad{b: retitled(b, "quokkaesque")}},
	}
	v := New(all(docs, order), "0")
	first = v
	for i, s := range series {
		before(v)
		var graphs []quad.IRI
		var added []quad.Quad
		for g, qs := range s.changes {
			graphs = append(graphs, g)
			added = append(added, qs...)
			if qs == nil {
				delete(docs, g)
				continue
			}
			if !slices.Contains(order, g) {
				order = append(order, g)
			}
			docs[g] = qs
		}
		version := fmt.Sprint(i + 1)
		patched := v.Patch(graphs, added, version)
		if patched == nil {
			t.Fatalf("%s: not patched", s.name)
		}
		steps = append(steps, patchStep{s.name, patched, New(all(docs, order), version)})
		v = patched
	}
	return first, steps
}

// TestSearchIndexMended: through a series of patches, the search index
// mended from the previous View's answers every search, page by page,
// with the totals and suggestions of an index made anew, on the fixture
// and on the generated corpus.
func TestSearchIndexMended(t *testing.T) {
	corpus := t.TempDir()
	if _, err := synthetic.Write("../data", corpus, synthetic.Size{Cities: 10, Plans: 2, Measures: 40, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{dataDir, corpus} {
		_, steps := patchSeries(t, dir, func(v *View) { v.SearchIndex() })
		for _, s := range steps {
			got, want := s.patched.SearchIndex(), NewTextIndex(s.built)
			if got.anew || got.over == nil {
				t.Fatalf("%s: the search index was made anew, not mended", s.name)
			}
			city := s.built.Cities[len(s.built.Cities)-1].ID
			measure := []schema.Type{schema.Measure}
			for _, c := range []searchCase{
				{"project", SearchFilter{}}, {"合成市", SearchFilter{}}, {"government affairs", SearchFilter{}},
				{"blockchain", SearchFilter{}}, {"区块链", SearchFilter{}}, {"data", SearchFilter{}}, {"zanzibarian", SearchFilter{}},
				{"quokkaesque", SearchFilter{}}, {"copy", SearchFilter{}}, {"a", SearchFilter{}}, {"链", SearchFilter{}},
				{"project", SearchFilter{City: city}}, {"区块链", SearchFilter{Types: measure}}, {"data center", SearchFilter{Types: []schema.Type{schema.Plan, schema.Measure, schema.City}}},
				{"project", SearchFilter{Time: TimeFilter{InForce: "2024-01-01"}}}, {"区块链", SearchFilter{Time: TimeFilter{PublishedAfter: "2020-06-01"}}},
			} {
				for _, size := range []int{7, 50} {
					comparePages(t, s.name, got, want, c, size)
				}
				checkSearchPages(t, s.built, got, c, 50)
			}
			for _, q := range []string{"zanzibarin", "quokkaesqe", "blockchian", "projetc"} {
				if g, w := got.Suggest(q), want.Suggest(q); !reflect.DeepEqual(g, w) {
					t.Errorf("%s: suggestions for %q: %v, want %v", s.name, q, g, w)
				}
			}
			if !slices.Equal(got.words, want.words) {
				t.Errorf("%s: %d words, want %d", s.name, len(got.words), len(want.words))
			}
		}
	}
}

// comparePages: every page of got is want's, hit for hit, with its total.
func comparePages(t *testing.T, step string, got, want *TextIndex, c searchCase, size int) {
	t.Helper()
	for offset := 0; ; offset += size {
		gp, gt := got.SearchPage(c.q, c.f, offset, size)
		wp, wt := want.SearchPage(c.q, c.f, offset, size)
		if gt != wt || len(gp) != len(wp) {
			t.Fatalf("%s: %v from %d: %d hits of %d, want %d of %d", step, c, offset, len(gp), gt, len(wp), wt)
		}
		for i := range wp {
			g, w := gp[i], wp[i]
			if g.SearchHit != w.SearchHit || g.Field != w.Field || g.City != w.City || g.Snip() != w.Snip() {
				t.Fatalf("%s: %v from %d: hit %d is %+v %s (%s), want %+v %s (%s)", step, c, offset, i, g.SearchHit, g.Field, g.Snip(), w.SearchHit, w.Field, w.Snip())
			}
		}
		if len(wp) < size {
			return
		}
	}
}

// TestSimilarityMended: through a series of patches, similarity answers
// from the index mended from the previous View's are those of an index
// made anew, score for score, for every measure: with every vector kept
// (the fixture's size) and with the vectors made when asked.
func TestSimilarityMended(t *testing.T) {
	corpus := t.TempDir()
	if _, err := synthetic.Write("../data", corpus, synthetic.Size{Cities: 10, Plans: 2, Measures: 40, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{dataDir, corpus} {
		first, steps := patchSeries(t, dir, func(v *View) { v.textIndex() })
		// The vectors made when asked, whatever the size; made anew when
		// the changes outgrow the room its postings keep.
		large := newTextIndex(first, 0)
		mended := 0
		for _, s := range steps {
			c, _ := s.patched.Change()
			if m := large.mended(s.patched, c.Records[schema.Measure]); m != nil {
				large = m
				mended++
			} else if !large.foldDue() {
				t.Fatalf("%s: the similarity index was not mended, and its fold was not due", s.name)
			} else {
				large = newTextIndex(s.patched, 0)
			}
			want := newTextIndex(s.built, 0)
			for _, m := range s.built.Measures {
				if g, w := sims(s.patched.SimilarTo(m.ID, TimeFilter{})), sims(s.built.SimilarTo(m.ID, TimeFilter{})); !reflect.DeepEqual(g, w) {
					t.Fatalf("%s: similar to %s: %.300v\nwant %.300v", s.name, m.ID, g, w)
				}
				g, _ := s.patched.similarTo(large, m.ID, TimeFilter{})
				w, _ := s.built.similarTo(want, m.ID, TimeFilter{})
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("%s: similar to %s, vectors made when asked: %.300v\nwant %.300v", s.name, m.ID, g, w)
				}
			}
			if large.n != want.n || !reflect.DeepEqual(candidateIDs(large), candidateIDs(want)) {
				t.Fatalf("%s: the mended index's distinctive n-grams differ from a new one's", s.name)
			}
		}
		if mended < 3 {
			t.Errorf("%s: %d of %d similarity indexes mended", dir, mended, len(steps))
		}
	}
}

func sims(s []Similarity, ok bool) any {
	if !ok {
		return "no such measure"
	}
	return s
}

// candidateIDs are, per distinctive n-gram, the ids of the measures
// holding it, sorted.
func candidateIDs(ix *textIndex) map[uint32][]string {
	out := map[uint32][]string{}
	grams := map[uint32]bool{}
	for _, g := range ix.base.dict.grams {
		grams[g] = true
	}
	for g := range ix.delta {
		grams[g] = true
	}
	for g := range grams {
		if df := ix.df(g); df == 0 || df > ix.limit {
			continue
		}
		var ids []string
		for _, m := range ix.candidates([]gramWeight{{gram: g}}) {
			ids = append(ids, m.ID)
		}
		slices.Sort(ids)
		out[g] = ids
	}
	return out
}

// TestGramCounts: the n-grams are counted as a map of FNV-1a hashes of
// each bigram and trigram counts them.
func TestGramCounts(t *testing.T) {
	v := loadView(t, dataDir)
	for _, m := range v.Measures {
		want := referenceGrams(measureText(m))
		got := gramCounts(measureText(m))
		if len(got) != len(want) {
			t.Fatalf("%s: %d grams, want %d", m.ID, len(got), len(want))
		}
		for i, gc := range got {
			if want[gc.gram] != int(gc.n) || i > 0 && got[i-1].gram >= gc.gram {
				t.Fatalf("%s: gram %x counted %d, want %d (or out of order)", m.ID, gc.gram, gc.n, want[gc.gram])
			}
		}
	}
}

// referenceGrams is how the n-grams were first counted: a map of the
// hash.Hash32 FNV-1a of each bigram's and trigram's UTF-8 bytes.
func referenceGrams(s string) map[uint32]int {
	var rs []rune
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
			space = false
		} else if !space {
			rs = append(rs, ' ')
			space = true
		}
	}
	out := map[uint32]int{}
	h := fnv.New32a()
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(rs); i++ {
			h.Reset()
			h.Write([]byte(string(rs[i : i+n])))
			out[h.Sum32()]++
		}
	}
	return out
}

// TestDerivedThroughABurst: Views nobody asked anything of pass on what
// their base derived, so the index of the last of a burst of patches is
// still mended, over every change since, with a new index's answers; and
// once a View has derived its own, it holds nothing older.
func TestDerivedThroughABurst(t *testing.T) {
	asked := 0
	_, steps := patchSeries(t, dataDir, func(v *View) {
		if asked == 0 {
			v.SearchIndex()
		}
		asked++
	})
	last := steps[len(steps)-1]
	got := last.patched.SearchIndex()
	if got.anew {
		t.Fatal("the index after a burst of patches was made anew, not mended")
	}
	for _, c := range []searchCase{{"blockchain", SearchFilter{}}, {"区块链", SearchFilter{}}, {"quokkaesque", SearchFilter{}}, {"copy", SearchFilter{}}} {
		comparePages(t, last.name, got, NewTextIndex(last.built), c, 5)
	}
	s := last.patched.derived()
	if _, held := s.inherited[searchKey{}]; held {
		t.Error("the View holds its base's search index after making its own")
	}
	for _, st := range steps[:len(steps)-1] {
		if st.patched.Made(searchKey{}) {
			t.Errorf("%s: a View of the burst made its search index", st.name)
		}
	}
}
