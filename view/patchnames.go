package view

import (
	"maps"

	"github.com/policygraph/policygraph/schema"
)

// patchNames is the name index of nv, patched from v's: the entries of
// the records in drop are replaced by those mini (the records built
// again) has for them, in the order newNameIndex makes entries, and only
// the postings those entries are in, or whose positions moved, are
// copied. The result equals newNameIndex(nv); TestPatchIsNew checks it.
func patchNames(v, nv, mini *View, drop map[schema.Type]map[string]bool) *nameIndex {
	old := v.names
	type key struct {
		t  schema.Type
		id string
	}
	// The entries mini has for each record built again.
	rebuilt := map[key][]nameEntry{}
	for _, e := range mini.names.entries {
		if drop[e.typ][e.id] {
			k := key{e.typ, e.id}
			rebuilt[k] = append(rebuilt[k], e)
		}
	}
	entries := make([]nameEntry, 0, len(old.entries)+len(rebuilt))
	remap := make([]int32, len(old.entries)) // old position → new, -1 gone
	var added []int32
	at := 0 // the next old entry
	skipDropped := func() {
		for at < len(old.entries) && drop[old.entries[at].typ][old.entries[at].id] {
			remap[at] = -1
			at++
		}
	}
	record := func(t schema.Type, id string) {
		if drop[t][id] {
			for _, e := range rebuilt[key{t, id}] {
				added = append(added, int32(len(entries)))
				entries = append(entries, e)
			}
			return
		}
		skipDropped()
		for at < len(old.entries) && old.entries[at].typ == t && old.entries[at].id == id {
			remap[at] = int32(len(entries))
			entries = append(entries, old.entries[at])
			at++
			skipDropped()
		}
	}
	// newNameIndex's order of records.
	for _, c := range nv.Cities {
		record(c.Type, c.ID)
	}
	for _, lists := range [][]*Entity{nv.Technologies, nv.Domains, nv.Provinces, nv.Organizations} {
		for _, e := range lists {
			record(e.Type, e.ID)
		}
	}
	for _, s := range nv.Sources {
		record(s.Type, s.ID)
	}
	for _, s := range nv.Scopes {
		record(s.Type, s.ID)
	}
	for _, p := range nv.Plans {
		record(schema.Plan, p.ID)
	}
	for _, m := range nv.Measures {
		record(schema.Measure, m.ID)
	}
	skipDropped()
	if at != len(old.entries) {
		return newNameIndex(nv) // the order differs from what was assumed
	}

	ix := &nameIndex{byType: maps.Clone(old.byType), entries: entries}
	for _, e := range entries {
		ix.longest = max(ix.longest, len(e.text), len(e.key))
	}

	// Postings: the first old position whose entry moved; lists holding
	// none at or past it, and no entry removed or added, are shared.
	firstMoved := len(remap)
	for i, to := range remap {
		if to >= 0 && to != int32(i) {
			firstMoved = i
			break
		}
	}
	touched := map[string]bool{}
	for i, to := range remap {
		if to < 0 {
			forPairs(old.entries[i].key, func(g string) { touched[g] = true })
		}
	}
	grew := map[string][]int32{}
	for _, i := range added {
		forPairs(entries[i].key, func(g string) {
			if l := grew[g]; len(l) == 0 || l[len(l)-1] != i {
				grew[g] = append(l, i)
			}
		})
	}
	ix.grams = maps.Clone(old.grams)
	for g, list := range old.grams {
		if !touched[g] && len(grew[g]) == 0 && (len(list) == 0 || int(list[len(list)-1]) < firstMoved) {
			continue
		}
		// Both ascending (remap keeps the order of what it keeps): merged.
		add := grew[g]
		out := make([]int32, 0, len(list)+len(add))
		for _, p := range list {
			to := remap[p]
			if to < 0 {
				continue
			}
			for len(add) > 0 && add[0] < to {
				out, add = append(out, add[0]), add[1:]
			}
			out = append(out, to)
		}
		out = append(out, add...)
		if len(out) == 0 {
			delete(ix.grams, g)
			continue
		}
		ix.grams[g] = out
	}
	for g, l := range grew {
		if _, ok := old.grams[g]; !ok {
			ix.grams[g] = l
		}
	}

	// byType: a name is the first entry's of its type that has it; the
	// names of the entries removed or added are looked up again.
	again := map[schema.Type]map[string]bool{}
	note := func(e nameEntry) {
		if again[e.typ] == nil {
			again[e.typ] = map[string]bool{}
		}
		again[e.typ][e.key] = true
	}
	for i, to := range remap {
		if to < 0 {
			note(old.entries[i])
		}
	}
	for _, i := range added {
		note(entries[i])
	}
	for t, keys := range again {
		m := maps.Clone(ix.byType[t])
		if m == nil {
			m = map[string]string{}
		}
		for k := range keys {
			delete(m, k)
			for _, p := range ix.candidates(k) {
				if e := &entries[p]; e.typ == t && e.key == k {
					m[k] = e.id
					break
				}
			}
		}
		if len(m) == 0 && nv.entities[t].len() == 0 {
			delete(ix.byType, t) // as newNameIndex, which meets no record of t
			continue
		}
		ix.byType[t] = m
	}
	return ix
}
