package view

import (
	"testing"

	"github.com/policygraph/policygraph/loader/synthetic"
)

// TestSimilarFindsCopies: in the generated corpus, the measure a city
// copied from another is the copy's most similar measure, published
// before it, and the copy is the original's, published after. The larger
// corpus is past exactBelow, so there only measures sharing a distinctive
// n-gram are ranked.
func TestSimilarFindsCopies(t *testing.T) {
	for _, size := range []synthetic.Size{
		{Cities: 30, Plans: 2, Measures: 20, Seed: 3},
		{Cities: 60, Plans: 2, Measures: 45, Seed: 1},
	} {
		dir := t.TempDir()
		if _, err := synthetic.Write("../data", dir, size); err != nil {
			t.Fatal(err)
		}
		v := loadView(t, dir)
		copies := synthetic.Copies(size)
		if len(copies) != size.Cities/10 {
			t.Fatalf("%d copies for %d cities", len(copies), size.Cities)
		}
		for _, c := range copies {
			got, ok := v.SimilarTo(c.Copy, TimeFilter{})
			if !ok || len(got) == 0 || got[0].Measure != c.Original || got[0].Order != "before" || got[0].Text < 0.5 {
				t.Errorf("%d measures: similar to the copy %s: %+v, want %s first, before", len(v.Measures), c.Copy, first(got), c.Original)
			}
			got, ok = v.SimilarTo(c.Original, TimeFilter{})
			if !ok || len(got) == 0 || got[0].Measure != c.Copy || got[0].Order != "after" {
				t.Errorf("%d measures: similar to the original %s: %+v, want %s first, after", len(v.Measures), c.Original, first(got), c.Copy)
			}
		}
	}
}

func first(s []Similarity) any {
	if len(s) == 0 {
		return nil
	}
	return s[0]
}
