package view

import (
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
}

// nameIndex resolves names, aliases and ids in any language to entities.
type nameIndex struct {
	byType  map[schema.Type]map[string]string // normalized name → id
	entries []nameEntry
	// longest is the length in bytes of the longest name, as written or
	// normalized.
	longest int
	// grams lists, for each pair of neighbouring characters, the entries
	// whose key holds it, ascending: a search reads the entries holding
	// every pair of the text asked instead of every entry (at size L a
	// scan of every name took 30 ms a search).
	grams map[string][]int32
}

func newNameIndex(v *View) *nameIndex {
	ix := &nameIndex{byType: map[schema.Type]map[string]string{}}
	add := func(t schema.Type, id, label string, texts ...string) {
		m := ix.byType[t]
		if m == nil {
			m = map[string]string{}
			ix.byType[t] = m
		}
		for _, s := range texts {
			k := normalize(s)
			if k == "" {
				continue
			}
			ix.longest = max(ix.longest, len(s), len(k))
			if _, taken := m[k]; !taken {
				m[k] = id
			}
			ix.entries = append(ix.entries, nameEntry{typ: t, id: id, text: s, key: k, label: label})
		}
	}
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
		add(e.Type, e.ID, e.Name("en"), texts...)
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
		add(schema.Plan, p.ID, planLabel(p), texts...)
	}
	for _, m := range v.Measures {
		add(schema.Measure, m.ID, m.Title, m.ID, m.Title)
	}
	ix.grams = map[string][]int32{}
	for i, e := range ix.entries {
		forPairs(e.key, func(g string) {
			p := ix.grams[g]
			if len(p) == 0 || p[len(p)-1] != int32(i) {
				ix.grams[g] = append(p, int32(i))
			}
		})
	}
	return ix
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

// candidates lists the entries whose key may hold k: those holding every
// pair of its characters (all entries when k has fewer than two).
func (ix *nameIndex) candidates(k string) []int32 {
	var lists [][]int32
	short := true
	forPairs(k, func(g string) {
		short = false
		lists = append(lists, ix.grams[g])
	})
	if short {
		all := make([]int32, len(ix.entries))
		for i := range all {
			all[i] = int32(i)
		}
		return all
	}
	sort.Slice(lists, func(i, j int) bool { return len(lists[i]) < len(lists[j]) })
	out := lists[0]
	for _, l := range lists[1:] {
		if len(out) == 0 {
			break
		}
		out = intersect(out, l)
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
	if id, ok := v.names.byType[t][k]; ok {
		return id, nil
	}
	// English plurals: "data centers", "smart cities".
	for _, sing := range []string{strings.TrimSuffix(k, "s"), strings.TrimSuffix(k, "ies") + "y"} {
		if sing == k || sing == "y" {
			continue
		}
		if id, ok := v.names.byType[t][sing]; ok {
			return id, nil
		}
	}
	var cands []string
	ids := map[string]string{}
	for _, e := range v.names.entries {
		if e.typ == t {
			cands = append(cands, e.key)
			ids[e.key] = e.id
		}
	}
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
	e := &ix.entries[i]
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
			e := &v.names.entries[best]
			t := min(typeRank[e.typ], len(groups[0])-1)
			groups[bestRank][t] = append(groups[bestRank][t], best)
		}
		best, bestRank = -1, -1
	}
	for _, i := range v.names.candidates(k) {
		e := &v.names.entries[i]
		if len(types) > 0 && !containsType(types, e.typ) {
			continue
		}
		r := matchOf(e, k)
		if r < 0 {
			continue
		}
		if best >= 0 {
			if b := &v.names.entries[best]; b.typ != e.typ || b.id != e.id {
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
			slices.SortFunc(g, func(a, b int32) int { return strings.Compare(v.names.entries[a].id, v.names.entries[b].id) })
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
