package view

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestNameCandidatesHoldEveryMatch: the entries a search reads through
// the character-pair index include every entry whose key holds the text,
// for every piece of every name of the fixture (one, two and three
// characters, halves, wholes, in every language), so Search finds what a
// scan of every name found.
func TestNameCandidatesHoldEveryMatch(t *testing.T) {
	v := frozenView(t)
	ix := v.names
	asked := map[string]bool{}
	for _, e := range ix.list() {
		rs := []rune(e.key)
		for _, piece := range [][2]int{{0, 1}, {0, 2}, {1, 4}, {len(rs) / 2, len(rs)}, {0, len(rs)}} {
			lo, hi := min(piece[0], len(rs)), min(piece[1], len(rs))
			if lo < hi {
				asked[string(rs[lo:hi])] = true
			}
		}
	}
	asked["zzq"], asked["区块链 金融"] = true, true
	for k := range asked {
		cands := ix.candidates(k)
		for i, e := range ix.list() {
			if strings.Contains(e.key, k) && !slices.Contains(cands, int32(i)) {
				t.Fatalf("%q: entry %q (%s %s) holds it but is not a candidate", k, e.key, e.typ, e.id)
			}
		}
	}
	// And the hits are what a scan of every name, sorted, gives.
	for k := range asked {
		if got, want := v.Search(k, nil), scanSearch(v, normalize(k)); !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("Search(%q): hit %d of %d/%d is %v, want %v", k, i, len(got), len(want), got[i], want[i])
				}
			}
			t.Fatalf("Search(%q): %d hits, want %d", k, len(got), len(want))
		}
	}
	if len(asked) < 500 {
		t.Fatalf("only %d texts asked: the fixture's names are missing", len(asked))
	}
	if hits := v.Search("区块", nil); len(hits) == 0 || hits[0].ID != "blockchain" {
		t.Errorf("区块: %v, want blockchain first", hits)
	}
}

var matchRank = map[string]int{"exact": 0, "prefix": 1, "contains": 2}

// scanSearch is Search done by reading every name and sorting.
func scanSearch(v *View, k string) []SearchHit {
	best := map[[2]string]SearchHit{}
	for _, e := range v.names.list() {
		var m string
		switch {
		case e.key == k:
			m = "exact"
		case strings.HasPrefix(e.key, k):
			m = "prefix"
		case strings.Contains(e.key, k):
			m = "contains"
		default:
			continue
		}
		key := [2]string{string(e.typ), e.id}
		if old, ok := best[key]; ok && matchRank[old.Match] <= matchRank[m] {
			continue
		}
		best[key] = SearchHit{Type: e.typ, ID: e.id, Name: e.label, Matched: e.text, Match: m}
	}
	hits := []SearchHit{}
	for _, h := range best {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if matchRank[a.Match] != matchRank[b.Match] {
			return matchRank[a.Match] < matchRank[b.Match]
		}
		if typeRank[a.Type] != typeRank[b.Type] {
			return typeRank[a.Type] < typeRank[b.Type]
		}
		return a.ID < b.ID
	})
	return hits
}
