package view

import (
	"fmt"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/loader/synthetic"
	"github.com/policygraph/policygraph/schema"
)

// scanSearchPage is what /v1/search answers, found by reading every name
// and every text: the names' hits (scanSearch), then, of the entities not
// found by name, the first text holding every token of q (and, outside
// Latin, q as a phrase), best field first and then in index order.
func scanSearchPage(v *View, q string, f SearchFilter) []TextHit {
	ix := newTextPart(v) // for its texts only
	kept := func(t schema.Type, id, city string) bool {
		if len(f.Types) > 0 && !containsType(f.Types, t) || f.City != "" && city != f.City {
			return false
		}
		if f.Time.IsZero() {
			return true
		}
		switch t {
		case schema.Plan:
			return f.Time.Passes(v.Plan(id))
		case schema.Measure:
			m := v.Measure(id)
			return m != nil && f.Time.Passes(v.Plan(m.Plan))
		}
		return false
	}
	var want []TextHit
	found := map[entityKey]bool{}
	for _, h := range scanSearch(v, normalize(q)) {
		city := v.cityOf(h.Type, h.ID)
		if !kept(h.Type, h.ID, city) {
			continue
		}
		found[entityKey{h.Type, h.ID}] = true
		field := "name"
		if h.Type == schema.Measure || h.Type == schema.Plan {
			field = "title"
		}
		want = append(want, NewTextHit(h, field, city, h.Matched, q))
	}
	tq := newTextQuery(q)
	if len(tq.toks) == 0 {
		return want
	}
	var byRank [5][]TextHit
	for i := range ix.docText {
		d := ix.doc(int32(i))
		key := entityKey{d.typ, d.id}
		if found[key] || !kept(d.typ, d.id, d.city) {
			continue
		}
		has := map[string]bool{}
		for _, tok := range tokens(d.key) {
			has[tok] = true
		}
		all := true
		for _, tok := range tq.toks {
			all = all && has[tok]
		}
		if !all || !tq.latin && !strings.Contains(d.key, tq.k) {
			continue
		}
		found[key] = true
		r := min(fieldRank[d.field], 4)
		byRank[r] = append(byRank[r], ix.textHit(tq, int32(i)))
	}
	for _, r := range byRank {
		want = append(want, r...)
	}
	return want
}

type searchCase struct {
	q string
	f SearchFilter
}

func (c searchCase) String() string {
	return fmt.Sprintf("%q types %v city %q time %+v", c.q, c.f.Types, c.f.City, c.f.Time)
}

// checkSearchPages: pages of size of SearchPage, put together, are the
// scan's hits in its order, and every page's total counts them all.
func checkSearchPages(t *testing.T, v *View, ix *TextIndex, c searchCase, size int) int {
	t.Helper()
	want := scanSearchPage(v, c.q, c.f)
	var got []TextHit
	for offset := 0; ; offset += size {
		page, total := ix.SearchPage(c.q, c.f, offset, size)
		if total != len(want) {
			t.Fatalf("%v: total %d at offset %d, want %d", c, total, offset, len(want))
		}
		got = append(got, page...)
		if len(page) < size {
			break
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%v: %d hits over the pages, want %d", c, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.SearchHit != w.SearchHit || g.Field != w.Field || g.City != w.City || g.Snip() != w.Snip() {
			t.Fatalf("%v: hit %d of %d is %+v (%s), want %+v (%s)", c, i, len(want), g.SearchHit, g.Snip(), w.SearchHit, w.Snip())
		}
	}
	return len(want)
}

// TestSearchPage: on the fixture, /v1/search's pages are what reading
// every name and text gives, with every filter.
func TestSearchPage(t *testing.T) {
	v := frozenView(t)
	ix := NewTextIndex(v)
	measure, plans := []schema.Type{schema.Measure}, []schema.Type{schema.Plan, schema.Measure}
	inForce2023 := TimeFilter{InForce: "2023-06-01"}
	for _, c := range []searchCase{
		{"blockchain", SearchFilter{}}, {"区块链", SearchFilter{}}, {"government affairs", SearchFilter{}}, {"目录链", SearchFilter{}},
		{"finance", SearchFilter{City: "fuzhou"}}, {"区块链", SearchFilter{City: "beijing"}}, {"blockchain", SearchFilter{Types: measure}},
		{"data", SearchFilter{City: "shanghai"}}, {"zzq", SearchFilter{}}, {"平台", SearchFilter{}}, {"数据中心", SearchFilter{}},
		{"区块链 金融", SearchFilter{}}, {"5G基站", SearchFilter{}}, {"链", SearchFilter{}}, {"a", SearchFilter{}}, {"ai", SearchFilter{}},
		{"blockchain", SearchFilter{Time: inForce2023}}, {"区块链", SearchFilter{Time: TimeFilter{PublishedAfter: "2020-06-01"}}},
		{"data", SearchFilter{Types: plans, Time: TimeFilter{PublishedBefore: "2020-06-05"}}}, {"beijing", SearchFilter{}},
		{"blockchain", SearchFilter{City: "nowhere"}}, {"blockchain", SearchFilter{Types: []schema.Type{"nothing"}}},
	} {
		checkSearchPages(t, v, ix, c, 3)
	}
	if _, total := ix.SearchPage("blockchain", SearchFilter{}, 0, 1); total < 20 {
		t.Errorf("blockchain: %d hits in all, the fixture has more", total)
	}
}

// TestSearchPageBroad: on the generated corpus, where some words are in
// every measure (its titles, its summaries), the pages of broad searches
// are still what reading every name and text gives, across the boundary
// of names and texts and of field ranks.
func TestSearchPageBroad(t *testing.T) {
	dir := t.TempDir()
	if _, err := synthetic.Write("../data", dir, synthetic.Size{Cities: 10, Plans: 2, Measures: 40, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	v := loadView(t, dir)
	ix := NewTextIndex(v)
	measure := []schema.Type{schema.Measure}
	city := v.Cities[len(v.Cities)-1].ID
	for _, c := range []searchCase{
		{"project", SearchFilter{}}, {"合成市", SearchFilter{}}, {"government affairs", SearchFilter{}},
		{"blockchain", SearchFilter{}}, {"区块链", SearchFilter{}}, {"smart city", SearchFilter{}}, {"info", SearchFilter{}},
		{"project", SearchFilter{City: city}}, {"合成市", SearchFilter{Types: measure}}, {"合成", SearchFilter{}}, {"合成市政府", SearchFilter{}},
		{"project", SearchFilter{Time: TimeFilter{InForce: "2024-01-01"}}}, {"合成市", SearchFilter{Time: TimeFilter{PublishedAfter: "2024-01-01"}}},
		{"city", SearchFilter{}}, {"data center", SearchFilter{Types: []schema.Type{schema.Plan, schema.Measure, schema.City}}},
	} {
		n := checkSearchPages(t, v, ix, c, 50)
		if c.f.Types == nil && c.f.City == "" && c.f.Time.IsZero() && strings.Contains("project 合成市 government affairs", c.q) && n < 200 {
			t.Errorf("%v: %d hits, want a broad search (the corpus has %d measures)", c, n, len(v.Measures))
		}
	}
	// Pages of other sizes, from offsets inside the names and the texts.
	for _, size := range []int{7, 333} {
		checkSearchPages(t, v, ix, searchCase{"project", SearchFilter{}}, size)
		checkSearchPages(t, v, ix, searchCase{"合成市", SearchFilter{}}, size)
	}
}

// TestSearchPagePatchedNames: an index made anew over a patched View,
// whose name index was patched (its entries no longer at the places of
// their serials), finds the names a scan finds.
func TestSearchPagePatchedNames(t *testing.T) {
	_, steps := patchSeries(t, dataDir, func(*View) {})
	for _, s := range steps {
		if s.patched.names.flat != nil {
			t.Fatalf("%s: the patched View's name index is one made, not patched", s.name)
		}
		ix := NewTextIndex(s.patched)
		for _, c := range []searchCase{
			{"blockchain", SearchFilter{}}, {"区块链", SearchFilter{}}, {"copy", SearchFilter{}}, {"a", SearchFilter{}},
			{"链", SearchFilter{}}, {"beijing", SearchFilter{}}, {"data", SearchFilter{Types: []schema.Type{schema.Plan, schema.Measure}}},
		} {
			checkSearchPages(t, s.built, ix, c, 5)
		}
	}
}
