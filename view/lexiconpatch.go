package view

import (
	"cmp"
	"slices"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// nameTypeOrder is the order in which the name index (and so Lexicon)
// lists the records of each type; within a type, records come in the
// View's order, by IRI text.
var nameTypeOrder = map[schema.Type]int{
	schema.City: 0, schema.Technology: 1, schema.Domain: 2, schema.Province: 3, schema.Organization: 4,
	schema.Source: 5, schema.Scope: 6, schema.Plan: 7, schema.Measure: 8,
}

// CompareRecords orders two records as Lexicon lists their entries
// (every entry of one record comes before those of the next): a mended
// lexicon puts the entries of records built again where a new one would.
func CompareRecords(t1 schema.Type, id1 string, t2 schema.Type, id2 string) int {
	if c := cmp.Compare(nameTypeOrder[t1], nameTypeOrder[t2]); c != 0 || t1 == t2 && id1 == id2 {
		return c
	}
	return strings.Compare(t1.IRI(id1).String(), t2.IRI(id2).String())
}

// LexiconOf is Lexicon(types...) narrowed to the records named (per type,
// ids) that v holds, in Lexicon's order: the entries a lexicon mended
// after a patch takes in for the records the patch built again.
func (v *View) LexiconOf(records map[schema.Type]map[string]bool, types ...schema.Type) []LexiconEntry {
	return recordsView(v, records).Lexicon(types...)
}

// recordsView is a View holding only v's records named in records, in
// v's order, with their name index: what a derived index built over the
// changed records alone reads.
func recordsView(v *View, records map[schema.Type]map[string]bool) *View {
	mini := &View{Version: v.Version, entities: map[schema.Type]*sharded[string, any]{}}
	for t, ids := range records {
		held := map[string]any{}
		for id := range ids {
			if rec := v.Get(t, id); rec != nil {
				held[id] = rec
			}
		}
		if len(held) > 0 {
			mini.entities[t] = newSharded(held, hashString)
		}
	}
	mini.Cities = pickRecords[City](mini, schema.City)
	mini.Technologies = pickRecords[Entity](mini, schema.Technology)
	mini.Domains = pickRecords[Entity](mini, schema.Domain)
	mini.Provinces = pickRecords[Entity](mini, schema.Province)
	mini.Organizations = pickRecords[Entity](mini, schema.Organization)
	mini.Sources = pickRecords[Source](mini, schema.Source)
	mini.Scopes = pickRecords[Scope](mini, schema.Scope)
	mini.Plans = pickRecords[Plan](mini, schema.Plan)
	mini.Measures = pickRecords[Measure](mini, schema.Measure)
	mini.Mentions = pickRecords[Mention](mini, schema.MentionCount)
	mini.Instruments = pickRecords[Instrument](mini, schema.SupportInstrument)
	mini.names = newNameIndex(mini)
	return mini
}

// pickRecords are mini's records of type t, in a View's order (by IRI text).
func pickRecords[T any](mini *View, t schema.Type) []*T {
	type keyed struct {
		key string
		rec *T
	}
	var ks []keyed
	for id, rec := range mini.entities[t].all() {
		if r, ok := rec.(*T); ok {
			ks = append(ks, keyed{t.IRI(id).String(), r})
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	out := make([]*T, len(ks))
	for i, k := range ks {
		out[i] = k.rec
	}
	return out
}
