package server

import (
	"strings"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// questionLexiconKey keeps a View's question lexicon (view.View.Derived).
type questionLexiconKey struct{}

// questionLexiconOf is v's question lexicon: mended from the lexicon of
// the View v was patched from when there is one, made anew otherwise.
func questionLexiconOf(v *view.View) *questionLexicon {
	return v.Derived(questionLexiconKey{}, func(prev any, changed map[schema.Type]map[string]bool) any {
		if p, ok := prev.(*questionLexicon); ok {
			return p.mended(v, changed)
		}
		return newQuestionLexicon(v)
	}).(*questionLexicon)
}

// mended is lx for v, whose records of the ids in changed (per type) were
// built again or removed since lx was made: their names go, the names v
// has for them come in where newQuestionLexicon would list them, and
// every list neither touches is shared. Lists hold a record's names
// together, in the order view.CompareRecords gives the records.
func (lx *questionLexicon) mended(v *view.View, changed map[schema.Type]map[string]bool) *questionLexicon {
	recs := map[schema.Type]map[string]bool{}
	for _, t := range questionTypes {
		if len(changed[t]) > 0 {
			recs[t] = changed[t]
		}
	}
	if len(recs) == 0 {
		return lx
	}
	gone := func(n lexName) bool { return recs[n.e.Type][n.e.ID] }
	freshFirst, freshLatin := map[rune][]lexName{}, map[int][]lexName{}
	for _, e := range v.LexiconOf(recs, questionTypes...) {
		n := lexName{e, []rune(e.Key)}
		if len(n.runes) < 2 {
			continue
		}
		freshFirst[n.runes[0]] = append(freshFirst[n.runes[0]], n)
		if isLatin(n.runes[0]) {
			words := strings.Count(e.Key, " ") + 1
			freshLatin[words] = append(freshLatin[words], n)
		}
	}
	return &questionLexicon{byFirst: mendLists(lx.byFirst, freshFirst, gone), latin: mendLists(lx.latin, freshLatin, gone)}
}

// mendLists is lists without the names gone says, with fresh merged in.
func mendLists[K comparable](lists, fresh map[K][]lexName, gone func(lexName) bool) map[K][]lexName {
	out := make(map[K][]lexName, len(lists)+len(fresh))
	for k, l := range lists {
		out[k] = l
		for _, n := range l {
			if gone(n) {
				kept := make([]lexName, 0, len(l))
				for _, n := range l {
					if !gone(n) {
						kept = append(kept, n)
					}
				}
				out[k] = kept
				break
			}
		}
	}
	for k, add := range fresh {
		out[k] = mergeNames(out[k], add)
	}
	for k, l := range out {
		if len(l) == 0 {
			delete(out, k)
		}
	}
	return out
}

// mergeNames merges two lists ordered by record, neither holding a record
// of the other.
func mergeNames(a, b []lexName) []lexName {
	out := make([]lexName, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if view.CompareRecords(a[0].e.Type, a[0].e.ID, b[0].e.Type, b[0].e.ID) < 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}
