package view

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// A search index takes seconds to make at size L, and a write changes a
// few dozen records of a hundred thousand. The index of a patched View is
// therefore the previous one's base, less the entities of the records
// the patch built again or removed, with a small part over those
// records as the new View has them, merged when a search is answered: in
// the order, totals and pages a new index gives (TestSearchIndexMended).
// The changes add up from patch to patch, and once their part has grown,
// FoldText makes the index anew in the background.

// searchKey keeps a View's search index (Derived).
type searchKey struct{}

// foldShare is how small the part of the changed records stays, against
// the base's texts and names, before FoldText makes the index anew.
const foldShare = 16

// SearchIndex is the full-text index /v1/search reads for v: mended from
// the index of the View v was patched from when there is one, made anew
// otherwise; made once per View.
func (v *View) SearchIndex() *TextIndex {
	return v.Derived(searchKey{}, func(prev any, changed map[schema.Type]map[string]bool) any {
		if p, ok := prev.(*TextIndex); ok {
			return p.answering().mended(v, changed)
		}
		return NewTextIndex(v)
	}).(*TextIndex)
}

// FoldText makes v's search index anew when the part of changed records
// it was mended with has grown (see foldShare), and answers with it from
// then on; it reports whether it did. It is for a background worker:
// searches meanwhile are answered by the mended index.
func (v *View) FoldText() bool {
	folded := false
	if ix := v.SearchIndex(); ix.folded.Load() == nil && ix.over != nil &&
		foldShare*(len(ix.over.docText)+len(ix.over.entries)) > len(ix.base.docText)+len(ix.base.entries) {
		ix.folded.Store(NewTextIndex(v))
		folded = true
	}
	if sim := v.textIndex(); sim.foldDue() {
		v.foldSimilarity()
		folded = true
	}
	return folded
}

// answering is the index that answers for ix: the one made anew once
// FoldText made it.
func (ix *TextIndex) answering() *TextIndex {
	if f := ix.folded.Load(); f != nil {
		return f
	}
	return ix
}

// mended is ix for v, whose records of the ids in changed were built
// again or removed since ix's View.
func (ix *TextIndex) mended(v *View, changed map[schema.Type]map[string]bool) *TextIndex {
	acc := unionRecords(ix.changed, changed)
	base := ix.base
	over := newTextPart(recordsView(v, acc))
	// A record built again with the texts and names it had (a plan's
	// measures, when only the plan changed) stays the base's.
	same := 0
	for e, key := range over.keys {
		if b, ok := slices.BinarySearchFunc(base.keys, key, compareEntities); ok && base.sameEntity(int32(b), over, int32(e)) {
			delete(acc[key.typ], key.id)
			same++
		}
	}
	if same > 0 {
		over = newTextPart(recordsView(v, acc))
	}
	gone := newBitset(base.entities)
	for t, ids := range acc {
		for id := range ids {
			if e, ok := slices.BinarySearchFunc(base.keys, entityKey{t, id}, compareEntities); ok {
				gone.add(int32(e))
			}
		}
	}
	return &TextIndex{base: base, gone: gone, over: over, changed: acc, words: mendedWords(base, gone, over), plans: v.entities[schema.Plan]}
}

// sameEntity reports whether entity e of part o has the texts, names,
// city and plan entity b of ix has.
func (ix *textPart) sameEntity(b int32, o *textPart, e int32) bool {
	docs := func(p *textPart, e int32) []textDoc {
		var out []textDoc
		for d := p.entDoc[e]; d >= 0 && int(d) < len(p.docText) && p.docEnt[d] == e; d++ {
			out = append(out, p.doc(d))
		}
		return out
	}
	da, db := docs(ix, b), docs(o, e)
	if len(da) != len(db) {
		return false
	}
	for i := range da {
		x, y := &da[i], &db[i]
		if x.typ != y.typ || x.id != y.id || x.label != y.label || x.field != y.field || x.city != y.city || x.text != y.text {
			return false
		}
	}
	i, j := ix.codes.entFirst[b], o.codes.entFirst[e]
	for ; i >= 0 && int(i) < len(ix.entries) && ix.nameEntity[i] == b; i, j = i+1, j+1 {
		if j < 0 || int(j) >= len(o.entries) || o.nameEntity[j] != e || ix.entries[i] != o.entries[j] || ix.nameCity[i] != o.nameCity[j] {
			return false
		}
	}
	if j >= 0 && int(j) < len(o.entries) && o.nameEntity[j] == e {
		return false // o has more names
	}
	pa, pb := ix.entPlan[b], o.entPlan[e]
	return pa < 0 && pb < 0 || pa >= 0 && pb >= 0 && ix.byPlan[pa].plan == o.byPlan[pb].plan
}

// mendedWords are the Latin words of base's texts and names but those of
// the gone entities, and over's, sorted.
func mendedWords(base *textPart, gone bitset, over *textPart) []string {
	lost := map[string]int32{}
	in := map[string]bool{}
	count := func(key string) {
		clear(in)
		for _, tok := range tokens(key) {
			if isLatinWord(tok) && !in[tok] {
				in[tok] = true
				lost[tok]++
			}
		}
	}
	gone.each(0, func(e int32) bool {
		for d := base.entDoc[e]; d >= 0 && int(d) < len(base.docText) && base.docEnt[d] == e; d++ {
			count(base.docKey[d])
		}
		for i := base.codes.entFirst[e]; i >= 0 && int(i) < len(base.entries) && base.nameEntity[i] == e; i++ {
			count(base.entries[i].key)
		}
		return true
	})
	if len(lost) == 0 && len(over.words) == 0 {
		return base.words
	}
	out := make([]string, 0, len(base.words)+len(over.words))
	a, b := base.words, over.words
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			if base.wordCount[a[0]] > lost[a[0]] {
				out = append(out, a[0])
			}
			a = a[1:]
		case len(a) == 0 || b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}

// searchPart is what one part of an index finds for a search.
type searchPart struct {
	p      *textPart
	gone   bitset // entities of p not to be shown; nil for none
	sf     searchFilter
	names  [3]bitset
	count  [3]int
	found  bitset
	byRank [5][]int32
	counts [5]int
}

// SearchPage is what /v1/search shows: the entities whose names match q
// (as View.Search orders them: exact, prefix, contains, each by type rank
// and id), then the texts of other entities holding q, one per entity (its
// first text holding q), best field first and then in index order; all
// narrowed by f. It returns the hits from offset, at most limit of them,
// and how many there are in all. Only the page's hits are made.
func (ix *TextIndex) SearchPage(q string, f SearchFilter, offset, limit int) ([]TextHit, int) {
	ix = ix.answering()
	k := normalize(q)
	parts := []*searchPart{{p: ix.base, gone: ix.gone}}
	if ix.over != nil {
		parts = append(parts, &searchPart{p: ix.over})
	}
	nNames := 0
	for _, sp := range parts {
		sp.sf = sp.p.filter(f, ix.plans)
		sp.names = sp.p.nameSets(k, &sp.sf)
		sp.found = newBitset(sp.p.entities)
		for j, s := range sp.names {
			if sp.gone != nil {
				s.without(sp.gone)
			}
			sp.count[j] = s.count()
			nNames += sp.count[j]
			for i, w := range s {
				sp.found[i] |= w
			}
		}
	}

	tq := newTextQuery(q)
	need := max(offset+limit-nNames, 0)
	total := nNames
	if len(tq.toks) > 0 {
		for _, sp := range parts {
			sp.texts(tq, need)
			for _, n := range sp.counts {
				total += n
			}
		}
	}

	var page []TextHit
	at := 0
	for match := range 3 {
		n := 0
		for _, sp := range parts {
			n += sp.count[match]
		}
		if len(page) < limit && offset-at < n {
			page = namesPage(page, parts, match, max(offset-at, 0), limit, k, q)
		}
		at += n
	}
	for r := range 5 {
		n := 0
		for _, sp := range parts {
			n += sp.counts[r]
		}
		if len(page) < limit && offset-at < n {
			hits := mergedTexts(parts, r)
			for j := max(offset-at, 0); j < len(hits) && len(page) < limit; j++ {
				page = append(page, hits[j].sp.p.textHit(tq, hits[j].doc))
			}
		}
		at += n
	}
	return page, total
}

// texts counts sp's texts holding q, of entities not found by name, per
// field rank, and keeps the first need of each rank.
func (sp *searchPart) texts(tq textQuery, need int) {
	ix, sf := sp.p, &sp.sf
	cands, exact := ix.candidates(tq)
	last, docEnt := int32(-1), ix.docEnt
	for _, di := range cands {
		e := docEnt[di]
		if e == last || sp.found.has(e) || sp.gone != nil && sp.gone.has(e) {
			continue
		}
		if sf.types != nil && !sf.types[ix.docType[di]] || sf.city != -1 && ix.docCity[di] != sf.city || sf.allow != nil && !sf.allow.has(e) {
			continue
		}
		if !exact && !strings.Contains(ix.docKey[di], tq.k) {
			continue
		}
		last = e
		r := ix.docRank[di]
		sp.counts[r]++
		if len(sp.byRank[r]) < need {
			sp.byRank[r] = append(sp.byRank[r], di)
		}
	}
}

// namesPage appends to page the name hits of kind match from the skip-th
// on, the parts' entities merged in their order, until page holds limit.
func namesPage(page []TextHit, parts []*searchPart, match, skip, limit int, k, q string) []TextHit {
	emit := func(sp *searchPart, e int32) bool {
		i := sp.p.nameEntryOf(e, k, match)
		en := &sp.p.entries[i]
		h := SearchHit{Type: en.typ, ID: en.id, Name: en.label, Matched: en.text, Match: matchNames[max(matchOf(en, k), 0)]}
		field := "name"
		if h.Type == schema.Measure || h.Type == schema.Plan {
			field = "title"
		}
		page = append(page, NewTextHit(h, field, sp.p.nameCity[i], h.Matched, q))
		return len(page) < limit
	}
	if len(parts) == 1 || parts[1].count[match] == 0 {
		parts[0].names[match].each(skip, func(e int32) bool { return emit(parts[0], e) })
		return page
	}
	base, over := parts[0], parts[1]
	var om []int32
	over.names[match].each(0, func(e int32) bool { om = append(om, e); return true })
	// The overlay's members before the skip-th of the merged order: the
	// j-th is at j plus the base's members ordered before it.
	j := 0
	for j < len(om) && j+base.below(match, over.p.keys[om[j]]) < skip {
		j++
	}
	more := true
	base.names[match].each(skip-j, func(e int32) bool {
		for j < len(om) && compareEntities(over.p.keys[om[j]], base.p.keys[e]) < 0 {
			if more = emit(over, om[j]); !more {
				return false
			}
			j++
		}
		more = emit(base, e)
		return more
	})
	for ; more && j < len(om); j++ {
		more = emit(over, om[j])
	}
	return page
}

// below counts sp's entities of kind match ordered before key.
func (sp *searchPart) below(match int, key entityKey) int {
	t, _ := slices.BinarySearchFunc(sp.p.keys, key, compareEntities)
	s := sp.names[match]
	n := 0
	for _, w := range s[:t>>6] {
		n += bits.OnesCount64(w)
	}
	if t&63 != 0 {
		n += bits.OnesCount64(s[t>>6] & (1<<(uint(t)&63) - 1))
	}
	return n
}

type partDoc struct {
	sp  *searchPart
	doc int32
}

// mergedTexts are the texts the parts kept of field rank r, in the order
// of a View's texts: by type (measures, plans, mentions, instruments),
// then by IRI text.
func mergedTexts(parts []*searchPart, r int) []partDoc {
	var out []partDoc
	if len(parts) == 1 || len(parts[1].byRank[r]) == 0 {
		for _, d := range parts[0].byRank[r] {
			out = append(out, partDoc{parts[0], d})
		}
		return out
	}
	a, b := parts[0].byRank[r], parts[1].byRank[r]
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || len(a) > 0 && docBefore(parts[0].p.keys[parts[0].p.docEnt[a[0]]], parts[1].p.keys[parts[1].p.docEnt[b[0]]]) {
			out, a = append(out, partDoc{parts[0], a[0]}), a[1:]
		} else {
			out, b = append(out, partDoc{parts[1], b[0]}), b[1:]
		}
	}
	return out
}

// docGroup is the order of the types of texts in a text index.
var docGroup = map[schema.Type]int{schema.Measure: 0, schema.Plan: 1, schema.MentionCount: 2, schema.SupportInstrument: 3}

// docBefore reports whether a text of record a comes before a text of
// another, b, in a text index.
func docBefore(a, b entityKey) bool {
	if ga, gb := docGroup[a.typ], docGroup[b.typ]; ga != gb {
		return ga < gb
	}
	return a.typ.IRI(a.id).String() < b.typ.IRI(b.id).String()
}

// SearchIndexMade reports whether v's search index has been made.
func (v *View) SearchIndexMade() bool { return v.Made(searchKey{}) }
