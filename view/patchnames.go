package view

import (
	"cmp"
	"maps"
	"slices"
	"sort"

	"github.com/policygraph/policygraph/schema"
)

// patchNames is the name index of nv, mended from v's: the entries of
// the records in drop whose names changed are replaced by those mini
// (the records built again) has for them, at the place newNameIndex
// would put them. Only the chunks those entries are in are copied; the
// entries added take the serials of those removed, record by record, so
// a name written again as it was changes no list of entries by pair; the
// names of the entries removed or added are resolved again. The result
// equals newNameIndex(nv); TestPatchIsNew checks it.
func patchNames(v, nv, mini *View, drop map[schema.Type]map[string]bool) *nameIndex {
	old := v.names
	type record struct {
		t  schema.Type
		id string
		// lo and hi are the record's places in old, add its entries in
		// mini.
		lo, hi int32
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
	mini.names.all(func(_ int32, e *nameEntry) bool {
		if r := byKey[[2]string{string(e.typ), e.id}]; r != nil {
			r.add = append(r.add, *e)
		}
		return true
	})
	n := int32(old.len())
	for _, r := range changed {
		r.lo = int32(sort.Search(int(n), func(i int) bool { return namedBefore(r.t, r.id, old.at(int32(i))) <= 0 }))
		r.hi = r.lo
		for r.hi < n && old.at(r.hi).typ == r.t && old.at(r.hi).id == r.id {
			r.hi++
		}
	}
	// A record built again with the very entries it had (a plan's
	// measures, when only the plan changed) is left where it is.
	changed = slices.DeleteFunc(changed, func(r *record) bool {
		if int(r.hi-r.lo) != len(r.add) {
			return false
		}
		for i, e := range r.add {
			if o := old.at(r.lo + int32(i)); o.typ != e.typ || o.id != e.id || o.text != e.text || o.key != e.key || o.label != e.label {
				return false
			}
		}
		delete(byKey, [2]string{string(r.t), r.id})
		return true
	})
	slices.SortFunc(changed, func(a, b *record) int {
		return cmp.Or(cmp.Compare(namedOrder[a.t], namedOrder[b.t]), compareIDs(a.id, b.id))
	})

	ix := &nameIndex{lengths: maps.Clone(old.lengths), byType: maps.Clone(old.byType), order: slices.Clone(old.order), chunkLen: old.chunkLen}
	pos := old.pos.edit()
	var removed, added []nameEntry
	var spare []int32 // serials removed and not yet taken again
	// The chunks the changed records are in, each run of neighbouring
	// ones made again: their entries without the records' old ones and
	// with their new, cut again into chunks.
	var chunks []*nameChunk
	var free []int32 // ids of chunks made again and not used again
	newID := func() int32 {
		if len(free) > 0 {
			id := free[0]
			free = free[1:]
			ix.order[id] = -2 // taken, placed below
			return id
		}
		for id, k := range ix.order {
			if k == -1 {
				ix.order[id] = -2 // taken, placed below
				return int32(id)
			}
		}
		ix.order = append(ix.order, -2)
		return int32(len(ix.order) - 1)
	}
	next := 0 // the next old chunk
	for i := 0; i < len(changed); {
		// The run of chunks [ka, kb] holding records i to j-1.
		chunkOf := func(r *record) (int, int) {
			if len(old.chunks) == 0 {
				return 0, -1
			}
			last := max(r.hi-1, r.lo)
			return old.chunkOf(min(r.lo, n-1)), old.chunkOf(min(last, n-1))
		}
		ka, kb := chunkOf(changed[i])
		j := i + 1
		for ; j < len(changed); j++ {
			a, b := chunkOf(changed[j])
			if a > kb {
				break
			}
			kb = max(kb, b)
		}
		chunks = append(chunks, old.chunks[next:max(ka, next)]...)
		var es []nameEntry
		from := int32(0)
		if ka <= kb {
			from = old.starts[ka]
		}
		for _, r := range changed[i:j] {
			for p := from; p < r.lo; p++ {
				es = append(es, *old.at(p))
			}
			for p := r.lo; p < r.hi; p++ {
				e := *old.at(p)
				removed = append(removed, e)
				spare = append(spare, e.serial)
			}
			for _, e := range r.add {
				switch {
				case len(spare) > 0:
					e.serial, spare = spare[0], spare[1:]
				default:
					e.serial = int32(pos.c.len())
					pos.append(entryAt{-1, 0})
				}
				es = append(es, e)
				added = append(added, e)
			}
			from = r.hi
		}
		if ka <= kb {
			for p := from; p < old.starts[kb+1]; p++ {
				es = append(es, *old.at(p))
			}
			for _, c := range old.chunks[ka : kb+1] {
				free = append(free, c.id)
				ix.order[c.id] = -1
			}
			next = kb + 1
		}
		for len(es) > 0 {
			m := len(es)
			if m > 2*ix.chunkLen {
				m = ix.chunkLen
			}
			c := &nameChunk{id: newID(), es: es[:m:m]}
			for off, e := range c.es {
				*pos.ref(int(e.serial)) = entryAt{c.id, int32(off)}
			}
			chunks = append(chunks, c)
			es = es[m:]
		}
		i = j
	}
	chunks = append(chunks, old.chunks[min(next, len(old.chunks)):]...)
	for _, s := range spare {
		*pos.ref(int(s)) = entryAt{-1, 0}
	}
	ix.setChunks(chunks)
	for k, c := range chunks {
		ix.order[c.id] = int32(k)
	}
	for id, k := range ix.order {
		if k < 0 {
			ix.order[id] = -1
		}
	}
	ix.pos = pos.done()
	if ix.pos.len() > 2*ix.len()+1024 {
		return chunkedNameIndex(nv, ix.chunkLen) // mostly serials gone: numbered again
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
		// A serial taken again by an entry with the pair is where it was.
		if len(ed.remove) > 0 && len(ed.add) > 0 {
			slices.Sort(ed.remove)
			slices.Sort(ed.add)
			rm, add := ed.remove[:0], ed.add[:0]
			i, j := 0, 0
			for i < len(ed.remove) || j < len(ed.add) {
				switch {
				case j == len(ed.add) || i < len(ed.remove) && ed.remove[i] < ed.add[j]:
					rm, i = append(rm, ed.remove[i]), i+1
				case i == len(ed.remove) || ed.add[j] < ed.remove[i]:
					add, j = append(add, ed.add[j]), j+1
				default:
					i, j = i+1, j+1
				}
			}
			ed.remove, ed.add = rm, add
			if len(rm)+len(add) == 0 {
				continue
			}
		}
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
			place[k] = ix.place(e.serial)
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
			case ok && byKey[[2]string{string(t), holder}] == nil:
				first = ix.firstOf(t, k, holder)
			case ok && has[[3]string{string(t), holder, k}]:
				// Built again with the name: it keeps its place in the
				// order of records, before every other old holder of
				// it, so the first added entry with it wins.
			default:
				first = ix.firstWithKey(t, k)
			}
			if p, ok := place[[2]string{string(t), k}]; ok && (first < 0 || p < first) {
				first = p
			}
			if first < 0 {
				m.Delete(k)
				continue
			}
			m.Set(k, ix.at(first).id)
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
	n := int32(ix.len())
	i := int32(sort.Search(int(n), func(i int) bool { return namedBefore(t, id, ix.at(int32(i))) <= 0 }))
	for ; i < n && ix.at(i).typ == t && ix.at(i).id == id; i++ {
		if ix.at(i).key == k {
			return i
		}
	}
	return -1
}

// namedBefore compares record (t, id) with entry e's in the order of
// entries.
func namedBefore(t schema.Type, id string, e *nameEntry) int {
	return cmp.Or(cmp.Compare(namedOrder[t], namedOrder[e.typ]), compareIDs(id, e.id))
}
