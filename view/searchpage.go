package view

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policygraph/policygraph/schema"
)

// A search of /v1/search counts every hit, to give the total, and shows a
// page of them. A word in every measure of the generated corpus at size L
// has over 100,000 hits, so what a search does per hit is kept to a few
// reads of small arrays: entities are numbered in the order their names
// are shown and kept as bitsets (a set difference and a count are a pass
// over a few thousand words), names are found by the name index's lists
// of character pairs, Chinese and Japanese phrases of three
// characters by one list of trigrams, and only the page's hits are made.

// SearchFilter narrows a search: to some types, to what one city owns, to
// plans and measures of plans passing a time filter. The zero value keeps
// everything.
type SearchFilter struct {
	Types []schema.Type
	City  string
	// Time, when set, keeps only plans that pass it and measures of
	// plans that pass it.
	Time TimeFilter
}

// bitset is a set of entity numbers.
type bitset []uint64

func newBitset(n int) bitset      { return make(bitset, (n+63)/64) }
func (b bitset) add(i int32)      { b[i>>6] |= 1 << (uint32(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint32(i)&63)) != 0 }
func (b bitset) without(o bitset) bitset {
	for i := range b {
		b[i] &^= o[i]
	}
	return b
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// each calls f with the members of b in ascending order from the skip-th
// (counting from 0) until f returns false.
func (b bitset) each(skip int, f func(int32) bool) {
	for wi, w := range b {
		if c := bits.OnesCount64(w); skip >= c {
			skip -= c
			continue
		}
		for w != 0 {
			t := bits.TrailingZeros64(w)
			w &^= 1 << t
			if skip > 0 {
				skip--
				continue
			}
			if !f(int32(wi*64 + t)) {
				return
			}
		}
	}
}

// searchCodes are small numbers for the types and cities of texts and
// entities, compared per hit instead of strings.
type searchCodes struct {
	types    map[schema.Type]uint8
	cities   map[string]int32
	cityIDs  []string // code → city
	entCity  []int32  // entity → code of the city owning it, -1 for none
	entFirst []int32  // entity → its first entry in the name index, -1 for none
	nameType []uint8  // entry of the name index → its type's code
}

func (c *searchCodes) typ(t schema.Type) uint8 {
	n, ok := c.types[t]
	if !ok {
		n = uint8(len(c.types))
		c.types[t] = n
	}
	return n
}

func (c *searchCodes) city(id string) int32 {
	if id == "" {
		return -1
	}
	n, ok := c.cities[id]
	if !ok {
		n = int32(len(c.cities))
		c.cities[id] = n
		c.cityIDs = append(c.cityIDs, id)
	}
	return n
}

// cityID is the city of code n, "" for none.
func (c *searchCodes) cityID(n int32) string {
	if n < 0 {
		return ""
	}
	return c.cityIDs[n]
}

// planEntities is a plan's entity and those of its measures, for time
// filters: by the plan's id, looked up in the View searched, so that a
// part made for an earlier View filters by the current plans.
type planEntities struct {
	plan     string
	entities []int32
}

type entityKey struct {
	typ schema.Type
	id  string
}

// number gives every entity with a text (of docs) or a name its number,
// in the order names are shown within a kind of match (type rank, then
// id), and fills the per-text and per-entity codes.
func (ix *textPart) number(v *View, docs []textDoc) {
	seen := map[entityKey]bool{}
	var keys []entityKey
	note := func(t schema.Type, id string) {
		if k := (entityKey{t, id}); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, d := range docs {
		note(d.typ, d.id)
	}
	for _, e := range ix.entries {
		note(e.typ, e.id)
	}
	slices.SortFunc(keys, compareEntities)
	num := make(map[entityKey]int32, len(keys))
	for i, k := range keys {
		num[k] = int32(i)
	}
	ix.entities = len(keys)
	ix.keys = keys
	ix.codes = searchCodes{types: map[schema.Type]uint8{}, cities: map[string]int32{}}
	c := &ix.codes
	ix.docRank = make([]uint8, len(docs))
	ix.docType = make([]uint8, len(docs))
	ix.docCity = make([]int32, len(docs))
	ix.docEnt = make([]int32, len(docs))
	ix.entDoc = make([]int32, len(keys))
	for i := range ix.entDoc {
		ix.entDoc[i] = -1
	}
	for i := range docs {
		d := &docs[i]
		e := num[entityKey{d.typ, d.id}]
		ix.docEnt[i] = e
		if ix.entDoc[e] < 0 {
			ix.entDoc[e] = int32(i)
		}
		ix.docRank[i] = uint8(min(fieldRank[d.field], 4))
		ix.docType[i] = c.typ(d.typ)
		ix.docCity[i] = c.city(d.city)
	}
	c.entCity = make([]int32, len(keys))
	c.entFirst = make([]int32, len(keys))
	for i := range keys {
		c.entCity[i], c.entFirst[i] = -1, -1
	}
	ix.nameEntity = make([]int32, len(ix.entries))
	c.nameType = make([]uint8, len(ix.entries))
	for i, e := range ix.entries {
		n := num[entityKey{e.typ, e.id}]
		ix.nameEntity[i] = n
		c.nameType[i] = c.typ(e.typ)
		c.entCity[n] = c.city(ix.nameCity[i])
		if c.entFirst[n] < 0 {
			c.entFirst[n] = int32(i)
		}
	}
	at := map[string]int{}
	for _, p := range v.Plans {
		at[p.ID] = len(ix.byPlan)
		ix.byPlan = append(ix.byPlan, planEntities{plan: p.ID, entities: []int32{num[entityKey{schema.Plan, p.ID}]}})
	}
	ix.entPlan = make([]int32, len(keys))
	for i := range ix.entPlan {
		ix.entPlan[i] = -1
	}
	for _, m := range v.Measures {
		i, ok := at[m.Plan]
		if !ok {
			// Of a plan this part does not hold (a measure built again
			// under a plan that was not), or of none: the plan's id
			// decides, looked up when a search filters by time.
			i = len(ix.byPlan)
			at[m.Plan] = i
			ix.byPlan = append(ix.byPlan, planEntities{plan: m.Plan})
		}
		e := num[entityKey{schema.Measure, m.ID}]
		ix.byPlan[i].entities = append(ix.byPlan[i].entities, e)
		ix.entPlan[e] = int32(i)
	}
}

// compareEntities is the order of entity numbers: type rank, id, type.
func compareEntities(a, b entityKey) int {
	rank := func(t schema.Type) int { return min(typeRank[t], 8) }
	return cmp.Or(cmp.Compare(rank(a.typ), rank(b.typ)), strings.Compare(a.id, b.id), strings.Compare(string(a.typ), string(b.typ)))
}

// nameText finds names by substring with the name index they were
// taken from (the version its View had, which later patches leave as it
// was): its lists of the entries holding each pair of characters give
// the few entries that may hold a query, each then read. A suffix array
// of every key found occurrences without reading any, but took four
// bytes a byte of key (36 MiB at size L, beside the name index's own
// lists of pairs, which the View keeps anyway).
type nameText struct {
	ix *nameIndex // its places are the indexes of textPart.entries
}

func newNameText(ix *nameIndex) nameText { return nameText{ix: ix} }

// searchFilter is a SearchFilter as codes and sets.
type searchFilter struct {
	types []bool // by type code; nil keeps every type
	city  int32  // code; -1 keeps every city
	allow bitset // nil keeps every entity
}

func (ix *textPart) filter(f SearchFilter, plans *sharded[string, any]) searchFilter {
	sf := searchFilter{city: -1}
	if len(f.Types) > 0 {
		sf.types = make([]bool, len(ix.codes.types))
		for _, t := range f.Types {
			if c, ok := ix.codes.types[t]; ok {
				sf.types[c] = true
			}
		}
	}
	if f.City != "" {
		sf.city = -2 // owns nothing
		if c, ok := ix.codes.cities[f.City]; ok {
			sf.city = c
		}
	}
	if !f.Time.IsZero() {
		sf.allow = newBitset(ix.entities)
		for _, pe := range ix.byPlan {
			if rec, _ := plans.get(pe.plan); f.Time.Passes(asPlan(rec)) {
				for _, e := range pe.entities {
					sf.allow.add(e)
				}
			}
		}
	}
	return sf
}

// nameSets are the entities whose names match k, kept by f, by their
// best match: exact, prefix (and no exact), contains (and neither).
func (ix *textPart) nameSets(k string, f *searchFilter) [3]bitset {
	var sets [3]bitset
	for i := range sets {
		sets[i] = newBitset(ix.entities)
	}
	if k == "" {
		return sets
	}
	entries := ix.entries
	keep := func(i int32, match int) {
		e := ix.nameEntity[i]
		if f.types != nil && !f.types[ix.codes.nameType[i]] ||
			f.city != -1 && ix.codes.entCity[e] != f.city ||
			f.allow != nil && !f.allow.has(e) {
			return
		}
		sets[match].add(e)
	}
	// An entity with several matching names is in the set of each's
	// match until the sets are told apart below: it keeps its best.
	for _, i := range ix.names.ix.candidates(k) {
		if match := matchOf(&entries[i], k); match >= 0 {
			keep(i, match)
		}
	}
	sets[1].without(sets[0])
	sets[2].without(sets[0]).without(sets[1])
	return sets
}

// nameEntryOf is entity e's first entry matching k as well as match.
func (ix *textPart) nameEntryOf(e int32, k string, match int) int32 {
	entries := ix.entries
	for i := ix.codes.entFirst[e]; int(i) < len(entries) && ix.nameEntity[i] == e; i++ {
		if matchOf(&entries[i], k) == match {
			return i
		}
	}
	return ix.codes.entFirst[e]
}

// candidates are the texts that may hold q: those in the lists of every
// word, lone CJK character, pair of a two-character CJK run and trigram
// of a longer one; exact says they all hold it, so none need be read.
func (ix *textPart) candidates(q textQuery) (cands []int32, exact bool) {
	var lists [][]int32
	runs := 0
	forTerms(q.k, func(term string, trigram bool) {
		if trigram {
			lists = append(lists, ix.trigrams.of(trigramKey(term)))
		} else {
			lists = append(lists, ix.postings.of(term))
		}
	}, &runs)
	if len(lists) == 0 {
		return nil, true
	}
	slices.SortFunc(lists, func(a, b []int32) int { return cmp.Compare(len(a), len(b)) })
	cands = lists[0]
	for _, l := range lists[1:] {
		if len(cands) == 0 {
			break
		}
		cands = intersect(cands, l)
	}
	// Latin words need not be adjacent; a query that is one CJK run of
	// at most three characters is one list of exactly it.
	exact = q.latin || runs == 1 && isCJKRun(q.k) && len([]rune(q.k)) <= 3
	return cands, exact
}

func isCJKRun(s string) bool {
	for _, r := range s {
		if r < 0x80 || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// forTerms calls f with the terms of normalized k that candidates reads:
// tokens as tokens cuts them, except that a CJK run of three or more
// characters gives its trigrams instead of its pairs (a text holding a
// run's trigram holds its pairs). runs counts the CJK runs.
func forTerms(k string, f func(term string, trigram bool), runs *int) {
	seen := map[string]bool{}
	emit := func(t string, tri bool) {
		if !seen[t] {
			seen[t] = true
			f(t, tri)
		}
	}
	var cjk []rune
	flush := func() {
		switch {
		case len(cjk) == 0:
			return
		case len(cjk) <= 2:
			emit(string(cjk), false)
		default:
			for i := 0; i+2 < len(cjk); i++ {
				emit(string(cjk[i:i+3]), true)
			}
		}
		*runs++
		cjk = cjk[:0]
	}
	var word []rune
	for _, r := range k {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case r < 0x80 && letter:
			flush()
			word = append(word, r)
		case r >= 0x80 && letter:
			if len(word) > 0 {
				emit(string(word), false)
				word = word[:0]
			}
			cjk = append(cjk, r)
		default:
			if len(word) > 0 {
				emit(string(word), false)
				word = word[:0]
			}
			flush()
		}
	}
	if len(word) > 0 {
		emit(string(word), false)
	}
	flush()
}

// forTrigrams calls f with every three neighbouring CJK characters of
// normalized k, within its runs as tokens cuts them.
func forTrigrams(k string, f func(string)) {
	var at [3]int // byte offsets of the last three CJK characters of the run
	n := 0
	for i, r := range k {
		if r < 0x80 || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			n = 0
			continue
		}
		at[0], at[1], at[2] = at[1], at[2], i
		n++
		if n >= 3 {
			_, size := utf8.DecodeRuneInString(k[i:])
			f(k[at[0] : i+size])
		}
	}
}

// asPlan is rec as a plan, or nil.
func asPlan(rec any) *Plan {
	p, _ := rec.(*Plan)
	return p
}

// postings are lists of positions by key, in one array: those of the
// i-th key (ascending) are post[at[i]:at[i+1]].
type postings[K cmp.Ordered] struct {
	keys []K
	at   []uint32
	post []int32
}

// newPostings keeps lists; string keys are copied into one string (they
// are otherwise each a string of its own, made as a text was cut into
// tokens).
func newPostings[K cmp.Ordered](lists map[K][]int32) postings[K] {
	p := postings[K]{keys: make([]K, 0, len(lists)), at: make([]uint32, 1, len(lists)+1)}
	n := 0
	for k, l := range lists {
		p.keys = append(p.keys, k)
		n += len(l)
	}
	slices.Sort(p.keys)
	p.post = make([]int32, 0, n)
	for _, k := range p.keys {
		p.post = append(p.post, lists[k]...)
		p.at = append(p.at, uint32(len(p.post)))
	}
	if ks, ok := any(p.keys).([]string); ok {
		var b strings.Builder
		n := 0
		for _, k := range ks {
			n += len(k)
		}
		b.Grow(n)
		for _, k := range ks {
			b.WriteString(k)
		}
		all, at := b.String(), 0
		for i, k := range ks {
			ks[i] = all[at : at+len(k)]
			at += len(k)
		}
	}
	return p
}

// of is the list of k (nil for none), which its caller must not grow.
func (p *postings[K]) of(k K) []int32 {
	i, ok := slices.BinarySearch(p.keys, k)
	if !ok {
		return nil
	}
	return p.post[p.at[i]:p.at[i+1]:p.at[i+1]]
}

// trigramKey is three characters as a number, 21 bits each.
func trigramKey(g string) uint64 {
	var k uint64
	for _, r := range g {
		k = k<<21 | uint64(r)
	}
	return k
}
