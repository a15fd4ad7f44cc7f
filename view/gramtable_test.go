package view

import "testing"

// TestGramTableIsCosine: the hashed dot product is the merged cosine, to
// the bit, for every pair of the fixture's measures.
func TestGramTableIsCosine(t *testing.T) {
	v := loadView(t, dataDir)
	ix := v.textIndex()
	pairs := 0
	for _, a := range v.Measures {
		probe := newGramTable(ix.small.vec[a])
		for _, b := range v.Measures {
			want := cosine(ix.small.vec[a], ix.small.vec[b])
			if got := probe.dot(ix.small.vec[b]); got != want {
				t.Fatalf("%s · %s: %v, want %v", a.ID, b.ID, got, want)
			}
			if want > 0 {
				pairs++
			}
		}
	}
	if pairs < len(v.Measures) {
		t.Errorf("only %d pairs share a gram", pairs)
	}
}
