package view

import (
	"cmp"
	"maps"
	"slices"
	"sort"

	"github.com/policygraph/policygraph/schema"
)

// patchNames is the name index of nv, mended from v's: the entries of
// the records in drop are replaced by those mini (the records built
// again) has for them, at the place newNameIndex would put them. The
// lists of entries by pair of characters change only for the entries
// removed or added (they list serials, not places); the entries that
// move when a record gets more or fewer names get their place written
// in pos; the names of the entries removed or added are resolved again.
// What is left proportional to the graph is the copy of entries, a
// dense list that the search indexes read by place. The result equals
// newNameIndex(nv); TestPatchIsNew checks it.
func patchNames(v, nv, mini *View, drop map[schema.Type]map[string]bool) *nameIndex {
	old := v.names
	type record struct {
		t  schema.Type
		id string
		// lo and hi are the record's entries in old.entries, add its
		// entries in mini.
		lo, hi int
		add    []nameEntry
	}
	var changed []*record
	byKey := map[[2]string]*record{}
	for t, ids := range drop {
		if _, named := namedOrder[t]; !named {
			continue
		}
		for id := range ids {
			r := &record{t: t, id: id}
			changed = append(changed, r)
			byKey[[2]string{string(t), id}] = r
		}
	}
	for _, e := range mini.names.entries {
		if r := byKey[[2]string{string(e.typ), e.id}]; r != nil {
			r.add = append(r.add, e)
		}
	}
	slices.SortFunc(changed, func(a, b *record) int {
		return cmp.Or(cmp.Compare(namedOrder[a.t], namedOrder[b.t]), compareIDs(a.id, b.id))
	})
	for _, r := range changed {
		r.lo = sort.Search(len(old.entries), func(i int) bool { return namedBefore(r.t, r.id, &old.entries[i]) <= 0 })
		r.hi = r.lo
		for r.hi < len(old.entries) && old.entries[r.hi].typ == r.t && old.entries[r.hi].id == r.id {
			r.hi++
		}
	}

	ix := &nameIndex{lengths: maps.Clone(old.lengths), byType: maps.Clone(old.byType)}
	pos := old.pos.edit()
	next := int32(old.pos.len())
	var removed, added []nameEntry
	n := len(old.entries)
	for _, r := range changed {
		n += len(r.add) - (r.hi - r.lo)
	}
	ix.entries = make([]nameEntry, 0, n)
	at := 0 // the next old entry
	// keep copies old entries up to hi, writing the place of those that moved.
	keep := func(hi int) {
		shift := len(ix.entries) - at
		if shift != 0 {
			for i := at; i < hi; i++ {
				*pos.ref(int(old.entries[i].serial)) = int32(i + shift)
			}
		}
		ix.entries = append(ix.entries, old.entries[at:hi]...)
		at = hi
	}
	for _, r := range changed {
		keep(r.lo)
		for _, e := range old.entries[r.lo:r.hi] {
			*pos.ref(int(e.serial)) = -1
			removed = append(removed, e)
		}
		at = r.hi
		for _, e := range r.add {
			e.serial = next
			next++
			pos.append(int32(len(ix.entries)))
			ix.entries = append(ix.entries, e)
			added = append(added, e)
		}
	}
	keep(len(old.entries))
	ix.pos = pos.done()
	if ix.pos.len() > 2*len(ix.entries)+1024 {
		return newNameIndex(nv) // mostly serials gone: numbered again
	}

	for _, e := range removed {
		ix.lengths[max(len(e.text), len(e.key))]--
	}
	for _, e := range added {
		ix.lengths[max(len(e.text), len(e.key))]++
	}
	ix.longest = longestOf(ix.lengths)

	type edit struct{ remove, add []int32 }
	edits := map[string]*edit{}
	gram := func(g string) *edit {
		ed := edits[g]
		if ed == nil {
			ed = &edit{}
			edits[g] = ed
		}
		return ed
	}
	for _, e := range removed {
		forPairs(e.key, func(g string) {
			if ed := gram(g); len(ed.remove) == 0 || ed.remove[len(ed.remove)-1] != e.serial {
				ed.remove = append(ed.remove, e.serial)
			}
		})
	}
	for _, e := range added {
		forPairs(e.key, func(g string) {
			if ed := gram(g); len(ed.add) == 0 || ed.add[len(ed.add)-1] != e.serial {
				ed.add = append(ed.add, e.serial)
			}
		})
	}
	grams := old.grams.Edit()
	for g, ed := range edits {
		l, _ := grams.Get(g)
		if l = l.Mend(cmp.Compare[int32], ed.remove, ed.add); l.Len() == 0 {
			grams.Delete(g)
		} else {
			grams.Set(g, l)
		}
	}
	ix.grams = grams.Map()

	// byType: a name is the first entry's of its type that has it, in
	// the order of entries. An added entry wins over the old holder
	// when it comes first; a holder removed is looked for among the
	// entries holding the name.
	place := map[[2]string]int32{} // the first added entry per type and key
	has := map[[3]string]bool{}    // the keys of each record added
	for _, e := range added {
		k := [2]string{string(e.typ), e.key}
		if _, ok := place[k]; !ok {
			place[k] = ix.pos.at(int(e.serial))
		}
		has[[3]string{string(e.typ), e.id, e.key}] = true
	}
	again := map[schema.Type]map[string]bool{}
	for _, es := range [][]nameEntry{removed, added} {
		for _, e := range es {
			if again[e.typ] == nil {
				again[e.typ] = map[string]bool{}
			}
			again[e.typ][e.key] = true
		}
	}
	for t, keys := range again {
		m := ix.byType[t].Edit()
		for k := range keys {
			holder, ok := m.Get(k)
			first := int32(-1)
			switch {
			case ok && !drop[t][holder]:
				first = ix.firstOf(t, k, holder)
			case ok && has[[3]string{string(t), holder, k}]:
				// Built again with the name: it keeps its place in the
				// order of records, before every other old holder of
				// it, so the first added entry with it wins.
			default:
				for _, p := range ix.candidates(k) {
					if e := &ix.entries[p]; e.typ == t && e.key == k {
						first = p
						break
					}
				}
			}
			if p, ok := place[[2]string{string(t), k}]; ok && (first < 0 || p < first) {
				first = p
			}
			if first < 0 {
				m.Delete(k)
				continue
			}
			m.Set(k, ix.entries[first].id)
		}
		if sm := m.Map(); sm.Len() > 0 || nv.entities[t].len() > 0 {
			ix.byType[t] = sm
		} else {
			delete(ix.byType, t) // as newNameIndex, which meets no record of t
		}
	}
	return ix
}

// firstOf is the place of the first entry of the record (t, id) whose
// key is k; the record's entries are neighbours, found by search.
func (ix *nameIndex) firstOf(t schema.Type, k, id string) int32 {
	i := sort.Search(len(ix.entries), func(i int) bool { return namedBefore(t, id, &ix.entries[i]) <= 0 })
	for ; i < len(ix.entries) && ix.entries[i].typ == t && ix.entries[i].id == id; i++ {
		if ix.entries[i].key == k {
			return int32(i)
		}
	}
	return -1
}

// namedBefore compares record (t, id) with entry e's in the order of
// entries.
func namedBefore(t schema.Type, id string, e *nameEntry) int {
	return cmp.Or(cmp.Compare(namedOrder[t], namedOrder[e.typ]), compareIDs(id, e.id))
}
