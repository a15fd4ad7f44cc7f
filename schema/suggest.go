package schema

import (
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Suggest returns the candidates closest to word, best first: those within
// an edit distance of a third of the word's length (at least 1, at most 3),
// and those that contain it or that it contains. Both messages of the
// loader ("did you mean …") and the API's 404 suggestions come from here.
func Suggest(word string, candidates []string, n int) []string {
	w := strings.ToLower(word)
	limit := min(max(len([]rune(w))/3, 1), 3)
	type scored struct {
		s string
		d int
	}
	var hits []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if seen[c] || lc == w {
			continue
		}
		d := levenshtein.ComputeDistance(w, lc)
		switch {
		case d <= limit:
		case len(w) >= 3 && (strings.Contains(lc, w) || strings.Contains(w, lc) && len(lc) >= 3):
			d = limit + 1
		default:
			continue
		}
		seen[c] = true
		hits = append(hits, scored{c, d})
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].d != hits[j].d {
			return hits[i].d < hits[j].d
		}
		return hits[i].s < hits[j].s
	})
	out := make([]string, 0, min(len(hits), n))
	for i := 0; i < len(hits) && i < n; i++ {
		out = append(out, hits[i].s)
	}
	return out
}
