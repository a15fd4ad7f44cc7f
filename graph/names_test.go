package graph

import (
	"slices"
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
	for _, e := range ix.entries {
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
		for i, e := range ix.entries {
			if strings.Contains(e.key, k) && !slices.Contains(cands, int32(i)) {
				t.Fatalf("%q: entry %q (%s %s) holds it but is not a candidate", k, e.key, e.typ, e.id)
			}
		}
	}
	if len(asked) < 500 {
		t.Fatalf("only %d texts asked: the fixture's names are missing", len(asked))
	}
	if hits := v.Search("区块", nil); len(hits) == 0 || hits[0].ID != "blockchain" {
		t.Errorf("区块: %v, want blockchain first", hits)
	}
}
