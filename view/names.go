package view

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/policygraph/policygraph/schema"
)

// normalize folds what a researcher types so that "ＡＩ", " ai " and "AI"
// are one key: full-width to half-width, lower case, single spaces.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(width.Fold.String(s))), " ")
}

// nameEntry is one way to call one entity.
type nameEntry struct {
	typ   schema.Type
	id    string
	text  string // as written
	key   string // normalized
	label string // the entity's display name
	// serial is the entry's number in grams, which a patch does not
	// change when it moves the entry (see nameIndex.pos).
	serial int32
}

// nameIndex resolves names, aliases and ids in any language to entities.
type nameIndex struct {
	byType map[schema.Type]SharedMap[string, string] // normalized name → id
	// The entries, in forNamed's order, are numbered by place (0 to
	// len()-1) and kept in chunks of about nameChunkLen, so that a patch
	// copies the chunks of the records it changes and shares the others:
	// a dense list copied whole cost a patch at L some 15 ms and 40 MiB.
	// starts[k] is the place of chunks[k]'s first entry (one more, the
	// count, at the end); order is each chunk id's index in chunks (-1
	// for an id no chunk has). flat is every entry in one array when
	// newNameIndex made the index, for list.
	chunks   []*nameChunk
	chunkLen int
	starts   []int32
	order    []int32
	flat     []nameEntry
	// longest is the length in bytes of the longest name, as written or
	// normalized; lengths counts the entries per such length, so a patch
	// that removes the longest finds the next.
	longest int
	lengths map[int]int
	// grams lists, for each pair of neighbouring characters, the serials
	// of the entries whose key holds it, ascending: a search reads the
	// entries holding every pair of the text asked instead of every entry
	// (at size L a scan of every name took 30 ms a search). pos is each
	// serial's chunk and offset in it (chunk -1 once gone): a patch that
	// moves entries rewrites where they are, not the lists they are in.
	grams SharedMap[string, Sorted[int32]]
	pos   column[entryAt]
}

// nameChunkLen is how many entries a chunk of the name index holds when
// made (its chunkLen); a patch splits a chunk grown past twice as many.
const nameChunkLen = 512

// nameChunk is a run of neighbouring entries; id names it in pos, and a
// patch that rewrites the chunk gives the copy the same id.
type nameChunk struct {
	id int32
	es []nameEntry
}

// entryAt is where an entry is: its chunk's id and its offset there.
type entryAt struct{ chunk, off int32 }

// len is how many entries ix holds.
func (ix *nameIndex) len() int { return int(ix.starts[len(ix.starts)-1]) }

// chunkOf is the index in chunks of the chunk holding place p < len().
func (ix *nameIndex) chunkOf(p int32) int {
	return sort.Search(len(ix.chunks), func(k int) bool { return ix.starts[k+1] > p })
}

// at is the entry at place p, to be read only.
func (ix *nameIndex) at(p int32) *nameEntry {
	k := ix.chunkOf(p)
	return &ix.chunks[k].es[p-ix.starts[k]]
}

// place is where the entry numbered serial is, -1 once it is gone.
func (ix *nameIndex) place(serial int32) int32 {
	a := ix.pos.at(int(serial))
	if a.chunk < 0 {
		return -1
	}
	return ix.starts[ix.order[a.chunk]] + a.off
}

// all calls f with each entry and its place, in order, until f returns
// false.
func (ix *nameIndex) all(f func(p int32, e *nameEntry) bool) {
	for k, c := range ix.chunks {
		for i := range c.es {
			if !f(ix.starts[k]+int32(i), &c.es[i]) {
				return
			}
		}
	}
}

// list is every entry by place, in one array: the index's own when
// newNameIndex made it, else a copy.
func (ix *nameIndex) list() []nameEntry {
	if ix.flat != nil || ix.len() == 0 {
		return ix.flat
	}
	out := make([]nameEntry, 0, ix.len())
	for _, c := range ix.chunks {
		out = append(out, c.es...)
	}
	return out
}

// setChunks makes chunks the index's, numbering their places.
func (ix *nameIndex) setChunks(chunks []*nameChunk) {
	ix.chunks = chunks
	ix.starts = make([]int32, len(chunks)+1)
	for k, c := range chunks {
		ix.starts[k+1] = ix.starts[k] + int32(len(c.es))
	}
}

func newNameIndex(v *View) *nameIndex { return chunkedNameIndex(v, nameChunkLen) }

// chunkedNameIndex is v's name index in chunks of chunkLen entries.
func chunkedNameIndex(v *View, chunkLen int) *nameIndex {
	byType := map[schema.Type]map[string]string{}
	ix := &nameIndex{lengths: map[int]int{}, chunkLen: chunkLen}
	var entries []nameEntry
	add := func(t schema.Type, id, label string, texts ...string) {
		m := byType[t]
		if m == nil {
			m = map[string]string{}
			byType[t] = m
		}
		for _, s := range texts {
			k := normalize(s)
			if k == "" {
				continue
			}
			if _, taken := m[k]; !taken {
				m[k] = id
			}
			entries = append(entries, nameEntry{typ: t, id: id, text: s, key: k, label: label, serial: int32(len(entries))})
		}
	}
	v.forNamed(func(t schema.Type, id, label string, texts []string) { add(t, id, label, texts...) })
	ix.byType = map[schema.Type]SharedMap[string, string]{}
	for t, m := range byType {
		e := NewSharedMap[string, string](len(m))
		for k, id := range m {
			e.Set(k, id)
		}
		ix.byType[t] = e.Map()
	}
	pos := make([]entryAt, len(entries))
	var chunks []*nameChunk
	for i := 0; i < len(entries); i += chunkLen {
		j := min(i+chunkLen, len(entries))
		k := int32(len(chunks))
		chunks = append(chunks, &nameChunk{id: k, es: entries[i:j:j]})
		ix.order = append(ix.order, k)
	}
	ix.setChunks(chunks)
	ix.flat = entries
	for i, e := range entries {
		pos[i] = entryAt{int32(i / chunkLen), int32(i % chunkLen)}
		ix.lengths[max(len(e.text), len(e.key))]++
	}
	ix.longest = longestOf(ix.lengths)
	ix.grams, ix.pos = pairLists(entries), columnOf(pos)
	return ix
}

// pairLists are, for each pair of neighbouring characters of the keys
// of entries, the serials (here: indexes) of the entries holding it,
// ascending. They are counted first and then written into one array:
// lists grown by append kept a third more than they held, each in an
// allocation of its own (32 MiB at size L).
func pairLists(entries []nameEntry) SharedMap[string, Sorted[int32]] {
	// count is, per pair, its list's length; a pair seen twice in one
	// key counts once (last says in which entry it was seen last).
	type tally struct{ count, last, at int32 }
	pairs := map[string]*tally{}
	var total int32
	for i, e := range entries {
		forPairs(e.key, func(g string) {
			t := pairs[g]
			if t == nil {
				t = &tally{last: -1}
				pairs[g] = t
			}
			if t.last != int32(i) {
				t.last = int32(i)
				t.count++
				total++
			}
		})
	}
	all := make([]int32, total)
	var at int32
	for _, t := range pairs {
		t.at, at = at, at+t.count
		t.count, t.last = 0, -1
	}
	for i, e := range entries {
		forPairs(e.key, func(g string) {
			if t := pairs[g]; t.last != int32(i) {
				t.last = int32(i)
				all[t.at+t.count] = int32(i)
				t.count++
			}
		})
	}
	m := NewSharedMap[string, Sorted[int32]](len(pairs))
	for g, t := range pairs {
		m.Set(g, SortedOf(all[t.at:t.at+t.count:t.at+t.count]))
	}
	return m.Map()
}

func longestOf(lengths map[int]int) int {
	n := 0
	for l, c := range lengths {
		if c > 0 {
			n = max(n, l)
		}
	}
	return n
}

// forNamed calls f for each named record of v in the order of the name
// index's entries: by type (cities, technologies, domains, provinces,
// organizations, sources, scopes, plans, measures), then by IRI, with
// the texts it is called by.
func (v *View) forNamed(f func(t schema.Type, id, label string, texts []string)) {
	entity := func(e *Entity) {
		texts := []string{e.ID}
		for _, l := range schema.Languages {
			if n, ok := e.Names[l]; ok {
				texts = append(texts, n)
			}
		}
		for _, l := range schema.Languages {
			texts = append(texts, e.Aliases[l]...)
		}
		f(e.Type, e.ID, e.Name("en"), texts)
	}
	for _, c := range v.Cities {
		entity(&c.Entity)
	}
	for _, lists := range [][]*Entity{v.Technologies, v.Domains, v.Provinces, v.Organizations} {
		for _, e := range lists {
			entity(e)
		}
	}
	for _, s := range v.Sources {
		entity(&s.Entity)
	}
	for _, s := range v.Scopes {
		entity(&s.Entity)
	}
	for _, p := range v.Plans {
		texts := []string{p.ID}
		for _, l := range schema.Languages {
			if t, ok := p.Titles[l]; ok {
				texts = append(texts, t)
			}
		}
		f(schema.Plan, p.ID, planLabel(p), texts)
	}
	for _, m := range v.Measures {
		f(schema.Measure, m.ID, m.Title, []string{m.ID, m.Title})
	}
}

// namedOrder is the place of type t in forNamed's order.
var namedOrder = map[schema.Type]int{
	schema.City: 0, schema.Technology: 1, schema.Domain: 2, schema.Province: 3, schema.Organization: 4,
	schema.Source: 5, schema.Scope: 6, schema.Plan: 7, schema.Measure: 8,
}

// forPairs calls f with every two neighbouring characters of k.
func forPairs(k string, f func(string)) {
	prev := -1
	for i := range k {
		if prev >= 0 {
			_, size := utf8.DecodeRuneInString(k[i:])
			f(k[prev : i+size])
		}
		prev = i
	}
}

// candidates lists the entries whose key may hold k, ascending: those
// holding every pair of its characters (all entries when k has fewer
// than two).
func (ix *nameIndex) candidates(k string) []int32 {
	var lists []Sorted[int32]
	short := true
	forPairs(k, func(g string) {
		short = false
		l, _ := ix.grams.Get(g)
		lists = append(lists, l)
	})
	if short {
		all := make([]int32, ix.len())
		for i := range all {
			all[i] = int32(i)
		}
		return all
	}
	sort.Slice(lists, func(i, j int) bool { return lists[i].Len() < lists[j].Len() })
	out := slices.Clone(lists[0].Slice())
	for _, l := range lists[1:] {
		if len(out) == 0 {
			break
		}
		out = intersectSorted(out, l)
	}
	if ix.flat != nil {
		// Made, not patched: every entry is at the place of its serial.
		return out
	}
	for i, s := range out {
		out[i] = ix.place(s)
	}
	slices.Sort(out)
	return out
}

// firstWithKey is the place of the first entry of type t whose key is
// k, -1 for none. It reads the shortest list of the pairs of k, not
// their intersection: a patch asks it for each name whose holder it
// removed, and the name is most often its own record's alone.
func (ix *nameIndex) firstWithKey(t schema.Type, k string) int32 {
	var shortest Sorted[int32]
	short := true
	forPairs(k, func(g string) {
		l, _ := ix.grams.Get(g)
		if short || l.Len() < shortest.Len() {
			shortest = l
		}
		short = false
	})
	first := int32(-1)
	match := func(p int32) {
		if e := ix.at(p); e.typ == t && e.key == k && (first < 0 || p < first) {
			first = p
		}
	}
	if short {
		ix.all(func(p int32, _ *nameEntry) bool { match(p); return first < 0 })
		return first
	}
	for _, run := range shortest.Runs() {
		for _, s := range run {
			match(ix.place(s))
		}
	}
	return first
}

// intersectSorted keeps of a, ascending, what l holds: by search in l
// when a is much the shorter, else by one walk of both.
func intersectSorted(a []int32, l Sorted[int32]) []int32 {
	out := a[:0]
	if len(a)*16 < l.Len() {
		for _, x := range a {
			if l.Contains(x, cmp.Compare[int32]) {
				out = append(out, x)
			}
		}
		return out
	}
	i := 0
	for _, run := range l.Runs() {
		for _, y := range run {
			for i < len(a) && a[i] < y {
				i++
			}
			if i == len(a) {
				return out
			}
			if a[i] == y {
				out = append(out, y)
				i++
			}
		}
	}
	return out
}

func planLabel(p *Plan) string {
	if t := p.Titles["en"]; t != "" {
		return t
	}
	return p.ID
}

// LongestName is the length in bytes of the longest id, name or alias of
// any entity: a longer name resolves to nothing, and callers may refuse
// it before paying for suggestions.
func (v *View) LongestName() int { return v.names.longest }

// Resolve finds the id of the entity of type t called name (its id, a
// name or an alias in any language, any case). When there is none it
// returns close matches instead.
func (v *View) Resolve(t schema.Type, name string) (id string, suggestions []string) {
	k := normalize(name)
	if id, ok := v.names.byType[t].Get(k); ok {
		return id, nil
	}
	// English plurals: "data centers", "smart cities".
	for _, sing := range []string{strings.TrimSuffix(k, "s"), strings.TrimSuffix(k, "ies") + "y"} {
		if sing == k || sing == "y" {
			continue
		}
		if id, ok := v.names.byType[t].Get(sing); ok {
			return id, nil
		}
	}
	var cands []string
	ids := map[string]string{}
	v.names.all(func(_ int32, e *nameEntry) bool {
		if e.typ == t {
			cands = append(cands, e.key)
			ids[e.key] = e.id
		}
		return true
	})
	var out []string
	seen := map[string]bool{}
	for _, s := range schema.Suggest(k, cands, 10) {
		if id := ids[s]; !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
		if len(out) == 3 {
			break
		}
	}
	return "", out
}

// SearchHit is one entity matching a search.
type SearchHit struct {
	Type    schema.Type `json:"type"`
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Matched string      `json:"matched"`
	Match   string      `json:"match"` // exact, prefix or contains
}

// typeRank orders hits of equal quality: places and topics before documents.
var typeRank = map[schema.Type]int{
	schema.City: 0, schema.Technology: 1, schema.Domain: 2, schema.Plan: 3, schema.Measure: 4,
	schema.Province: 5, schema.Organization: 6, schema.Scope: 7, schema.Source: 8,
}

// Search finds entities whose id, name or alias matches q in any language:
// exact matches first, then prefixes, then substrings.
func (v *View) Search(q string, types []schema.Type) []SearchHit {
	k := normalize(q)
	hits := []SearchHit{}
	for _, i := range v.nameMatches(k, types) {
		hits = append(hits, v.names.hit(i, k))
	}
	return hits
}

// matchOf is how entry e's key matches k: 0 exact, 1 prefix, 2 contains,
// -1 not at all.
func matchOf(e *nameEntry, k string) int {
	switch {
	case e.key == k:
		return 0
	case strings.HasPrefix(e.key, k):
		return 1
	case strings.Contains(e.key, k):
		return 2
	}
	return -1
}

var matchNames = [3]string{"exact", "prefix", "contains"}

// hit is entry i as a hit for k.
func (ix *nameIndex) hit(i int32, k string) SearchHit {
	e := ix.at(i)
	return SearchHit{Type: e.typ, ID: e.id, Name: e.label, Matched: e.text, Match: matchNames[max(matchOf(e, k), 0)]}
}

// nameMatches are the entries matching normalized k, one per entity (its
// best match, the first of equal ones), in Search's order: exact matches,
// then prefixes, then substrings, each by type rank, then by id. An
// entity's entries are neighbours, so its best match is found without a
// map; each (match, type) group, in the View's IRI order already all but
// a few ids, is sorted by id at little cost. Only entry indexes are made.
func (v *View) nameMatches(k string, types []schema.Type) []int32 {
	if k == "" {
		return nil
	}
	var groups [3][9][]int32
	best, bestRank := int32(-1), -1
	flush := func() {
		if best >= 0 {
			e := v.names.at(best)
			t := min(typeRank[e.typ], len(groups[0])-1)
			groups[bestRank][t] = append(groups[bestRank][t], best)
		}
		best, bestRank = -1, -1
	}
	for _, i := range v.names.candidates(k) {
		e := v.names.at(i)
		if len(types) > 0 && !containsType(types, e.typ) {
			continue
		}
		r := matchOf(e, k)
		if r < 0 {
			continue
		}
		if best >= 0 {
			if b := v.names.at(best); b.typ != e.typ || b.id != e.id {
				flush()
			}
		}
		if best < 0 || r < bestRank {
			best, bestRank = i, r
		}
	}
	flush()
	var out []int32
	for _, byType := range groups {
		for _, g := range byType {
			slices.SortFunc(g, func(a, b int32) int { return strings.Compare(v.names.at(a).id, v.names.at(b).id) })
			out = append(out, g...)
		}
	}
	return out
}

// cityOf is the city an entity belongs to: a city itself, a plan's or a
// measure's city; "" for what no city owns.
func (v *View) cityOf(t schema.Type, id string) string {
	switch t {
	case schema.City:
		return id
	case schema.Plan:
		if p := v.Plan(id); p != nil {
			return p.City
		}
	case schema.Measure:
		if m := v.Measure(id); m != nil {
			return m.City
		}
	}
	return ""
}

func containsType(ts []schema.Type, t schema.Type) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
