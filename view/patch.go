package view

import (
	"maps"
	"slices"
	"strings"
	"weak"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// A View is patched, not rebuilt, when a write changed a few documents:
// the quads of those documents are swapped, the records whose content or
// links those quads touch are built again (by New, over just the quads
// they are made of), and the indexes are mended or rebuilt from the
// records. The old View is never written to: everything a patch changes
// is copied first, so its readers go on undisturbed.

// maxPatchRecords bounds the records a patch may rebuild: beyond it a
// change is no longer local (a document of many cities' plans), and New
// over every quad costs about as much.
const maxPatchRecords = 20000

// vocabularyTypes are the types whose records other records are
// resolved against (names, hierarchies, every measure's links): a write
// that defines or changes one is rebuilt, not patched.
var vocabularyTypes = map[schema.Type]bool{
	schema.City: true, schema.Province: true, schema.Technology: true, schema.Domain: true,
	schema.Organization: true, schema.Source: true, schema.Scope: true,
}

// childLinks are the links whose target's record is derived from its
// source (a plan's city, a measure's plan, an instrument's measure and
// plan, a target's plan): when the source changes, so may the target.
var childLinks = map[quad.Value]bool{
	schema.HasPlan: true, schema.HasMeasure: true, schema.Offers: true, schema.HasTarget: true,
}

// idOnlyLinks are the child links whose target takes nothing from its
// source but the source's id (a plan's City is its city's id, and no
// index holds a plan by its city's record): a target whose link stood
// through the change, from the same source, keeps its record. Without
// this, a plan written again rebuilt every other plan of its city (its
// city's HasPlan quad is in the plan's document) and their measures: six
// plans' at L instead of one.
var idOnlyLinks = map[quad.Value]bool{schema.HasPlan: true}

// patchKey keeps a View's patch index in its Memo.
type patchKey struct{}

// patchIndex lists the View's quads by document graph, so a patch finds
// the quads of the documents it replaces without a scan; and the
// positions of the values no quad has as subject or node object
// (literals, predicates, labels), so a patch that writes one again
// gives it the position it has instead of a new one: the values of a
// View patched again and again would otherwise grow with every write.
type patchIndex struct {
	byLabel *sharded[quad.Value, []int32]
	byValue *sharded[quad.Value, int32]
}

func (v *View) patchIndex() *patchIndex {
	return v.Memo(patchKey{}, func() any {
		byLabel := map[quad.Value][]int32{}
		for i := range v.quads.len() {
			l := v.Value(v.quads.at(int32(i))[3])
			byLabel[l] = append(byLabel[l], int32(i))
		}
		byValue := map[quad.Value]int32{}
		for i := range v.values.len() {
			val := v.values.at(int32(i))
			if _, ok := byValue[val]; !ok && len(v.Out(val)) == 0 && len(v.In(val)) == 0 {
				byValue[val] = int32(i)
			}
		}
		return &patchIndex{byLabel: newSharded(byLabel, hashValue), byValue: newSharded(byValue, hashValue)}
	}).(*patchIndex)
}

// LabelQuads is how many of v's quads are stored under label (a
// document's stamped graph): what a writer replacing that document
// removes from the current graph, known without reading the store.
func (v *View) LabelQuads(label quad.Value) int {
	ps, _ := v.patchIndex().byLabel.get(label)
	return len(ps)
}

// PrepareForPatch builds what the first patch of v needs (a list of its
// quads by document), so that patch does not pay for it.
func (v *View) PrepareForPatch() { v.patchIndex() }

// Patch returns the View of version whose quads are v's, but for the
// documents graphs (schema.GraphIRI), whose quads are replaced by added
// (each labelled with its document's graph IRI; none for a deleted
// document). The result is the View New would build from those quads,
// record for record. Patch returns nil, and changes nothing, when the
// change is not local enough to patch (it touches the vocabulary, or too
// many records): the caller builds the View anew.
//
// Patches of one View must not run concurrently.
func (v *View) Patch(graphs []quad.IRI, added []quad.Quad, version string) *View {
	ix := v.patchIndex()
	var removed []int32
	for _, g := range graphs {
		ps, _ := ix.byLabel.get(g)
		removed = append(removed, ps...)
	}
	for _, at := range removed {
		if vocabularyQuad(v.Quad(at)) {
			return nil
		}
	}
	for _, q := range added {
		if vocabularyQuad(q) {
			return nil
		}
	}
	p := &patcher{v: v, nv: &View{Version: version, concepts: v.concepts, places: v.places, patched: true}}
	p.swapQuads(removed, added)
	nodes := p.affected()
	if nodes == nil {
		return nil
	}
	mini, drop := p.swapRecords(nodes)
	nv := p.nv
	nv.names = patchNames(v, nv, mini, drop)
	nv.time = patchTime(v, nv, mini, drop)
	nv.change = &Change{From: v.Version, Records: drop}
	nv.change.Gone, nv.change.Placed, nv.change.Revived = p.gone, p.placed, p.revived
	nv.index = patchQueryIndex(v, nv, drop)
	nv.nodes = mendNodes(v, nv, nv.change)
	nv.memo.Store(patchKey{}, p.index)
	nv.base = weak.Make(v)
	linkDerived(v, nv, drop)
	return nv
}

// Change is what a patch changed in the View it was made from: that
// View's version, and per type the ids whose records were built again or
// removed (a record of one of these ids in the new View is new, a
// missing one is gone; every other record is the very one the old View
// holds). Whoever derives an index from a View can so mend the previous
// version's index instead of making it anew.
type Change struct {
	From    string
	Records map[schema.Type]map[string]bool
	// Gone are the positions in the old View whose quad left them
	// (removed, or moved into a hole), Placed those in the new View that
	// hold a quad added or moved there; every other position holds the
	// same quad in both, so an index by position mends just these.
	Gone, Placed []int32
	// Revived are the positions of nodes no quad of the old View held
	// that quads of the new one hold again (a plan deleted and written
	// again): what an index by value knows of them may be stale.
	Revived []int32
}

// Change is what made v from the View it was patched from; false for a
// View New built.
func (v *View) Change() (Change, bool) {
	if v.change == nil {
		return Change{}, false
	}
	return *v.change, true
}

// Base is the View v was patched from, while something else still holds
// it (v does not keep it alive: a chain of patches would keep every
// version); nil for a View New built, or once the old View is gone.
func (v *View) Base() *View { return v.base.Value() }

// vocabularyQuad reports whether q defines or describes a node of the
// vocabulary; a plan's link from its city (HasPlan) does not.
func vocabularyQuad(q quad.Quad) bool {
	if q.Predicate == schema.HasPlan {
		return false
	}
	if t, _, ok := schema.ParseIRI(q.Subject); ok && vocabularyTypes[t] {
		return true
	}
	if q.Predicate == schema.TypeOf {
		if t, ok := schema.TypeOfClass(q.Object); ok && vocabularyTypes[t] {
			return true
		}
	}
	return false
}

type patcher struct {
	v, nv *View
	index *patchIndex
	// subjects are the subjects of the quads removed, moved or added;
	// touched adds their node objects: the keys whose adjacency changed.
	subjects, touched map[quad.Value]bool
	// oldOut are the quads, as they were, of the subjects whose quads changed.
	oldOut map[quad.Value][]quad.Quad
	// context are the nodes whose quads the rebuilt records are made of.
	context map[quad.Value]bool
	// gone and placed are the quad positions the swap changed, in the old
	// View and the new (Change.Gone and Change.Placed); revived the
	// values it gave back their positions (Change.Revived).
	gone, placed, revived []int32
}

// swapQuads makes nv's quads v's without removed and with added. The new
// quads take the places of the removed ones; when fewer are added than
// removed, the last quads move into the places left, so the positions
// stay dense and every other quad keeps its place (and its entries in
// the indexes). The quads, the values and the indexes by subject, node
// object and label are v's, shared, but for the pages and shards these
// places and keys are in.
func (p *patcher) swapQuads(removed []int32, added []quad.Quad) {
	v := p.v
	ix := v.patchIndex()
	slices.Sort(removed)
	n0 := v.quads.len()
	n1 := n0 - len(removed) + len(added)
	quads, values := v.quads.clone(), v.values.clone()
	for quads.len() < n1 {
		quads.append([4]int32{})
	}

	// Values already known are found through the adjacency of the nodes
	// or the index of the others; the rest are appended, and indexed.
	// (A value may still be listed twice: a node that lost every quad
	// and comes back, say.)
	byValue := ix.byValue.clone()
	intern := func(val quad.Value) int32 {
		if n, ok := byValue.get(val); ok {
			if isNode(val) && len(v.Out(val)) == 0 && len(v.In(val)) == 0 && !slices.Contains(p.revived, n) {
				p.revived = append(p.revived, n)
			}
			return n
		}
		if ps := v.Out(val); len(ps) > 0 {
			return v.quads.at(ps[0])[0]
		}
		if ps := v.In(val); len(ps) > 0 {
			return v.quads.at(ps[0])[2]
		}
		n := int32(values.len())
		values.append(val)
		byValue.set(val, n)
		return n
	}

	// The places to fill: the holes below n1, then the positions past n0.
	var slots []int32
	isRemoved := make(map[int32]bool, len(removed))
	for _, r := range removed {
		isRemoved[r] = true
		if int(r) < n1 {
			slots = append(slots, r)
		}
	}
	for i := n0; i < n1; i++ {
		slots = append(slots, int32(i))
	}
	type placed struct {
		from int32 // its old position, or -1 for an added quad
		to   int32
	}
	var moves []placed
	next := 0
	for _, q := range added {
		at := slots[next]
		next++
		quads.set(at, [4]int32{intern(q.Subject), intern(q.Predicate), intern(q.Object), intern(q.Label)})
		moves = append(moves, placed{-1, at})
	}
	for i := n1; i < n0; i++ {
		if isRemoved[int32(i)] {
			continue
		}
		at := slots[next]
		next++
		quads.set(at, v.quads.at(int32(i)))
		moves = append(moves, placed{int32(i), at})
	}
	p.gone = slices.Clone(removed)
	for _, m := range moves {
		if m.from >= 0 {
			p.gone = append(p.gone, m.from)
		}
		p.placed = append(p.placed, m.to)
	}
	quads.truncate(n1)
	quads.freeze()
	values.freeze()
	p.nv.quads, p.nv.values = quads, values

	// Which keys of out, in and the label index change, and how: the
	// positions each loses and gains.
	out, in, byLabel := edits{}, edits{}, edits{}
	p.subjects, p.touched = map[quad.Value]bool{}, map[quad.Value]bool{}
	// The nodes of the quads removed, which may be left with none: the
	// index of values keeps their positions for when they come back.
	lost := map[quad.Value]int32{}
	note := func(r [4]int32, vals *paged[quad.Value], at int32, gone bool) {
		s, o, l := vals.at(r[0]), vals.at(r[2]), vals.at(r[3])
		if gone {
			lost[s], lost[o] = r[0], r[2]
		}
		p.subjects[s], p.touched[s] = true, true
		out.note(s, at, gone)
		if isNode(o) {
			p.touched[o] = true
			in.note(o, at, gone)
		}
		byLabel.note(l, at, gone)
	}
	for _, r := range removed {
		note(v.quads.at(r), &v.values, r, true)
	}
	for _, m := range moves {
		if m.from >= 0 {
			note(v.quads.at(m.from), &v.values, m.from, true)
		}
		note(quads.at(m.to), &values, m.to, false)
	}
	p.oldOut = map[quad.Value][]quad.Quad{}
	for s := range p.subjects {
		for _, at := range v.Out(s) {
			p.oldOut[s] = append(p.oldOut[s], v.Quad(at))
		}
	}
	p.nv.out, p.nv.in = out.apply(v.out), in.apply(v.in)
	for val, n := range lost {
		if _, ok := byValue.get(val); !ok && len(p.nv.Out(val)) == 0 && len(p.nv.In(val)) == 0 {
			byValue.set(val, n)
		}
	}
	byValue.freeze()
	p.index = &patchIndex{byLabel: byLabel.apply(ix.byLabel), byValue: byValue}
}

// edits are, per key of an index of quad positions, the positions it
// loses and those it gains.
type edits map[quad.Value]*struct{ gone, add []int32 }

func (e edits) note(k quad.Value, at int32, gone bool) {
	x := e[k]
	if x == nil {
		x = &struct{ gone, add []int32 }{}
		e[k] = x
	}
	if gone {
		x.gone = append(x.gone, at)
	} else {
		x.add = append(x.add, at)
	}
}

// apply is ix with the edits made, sharing every shard of ix no edit is in.
func (e edits) apply(ix *sharded[quad.Value, []int32]) *sharded[quad.Value, []int32] {
	out := ix.clone()
	for k, x := range e {
		// A document written again mostly puts its quads back where they
		// were, so a key loses and gains the same positions: its list (a
		// technology's or a class's, as long as the graph) stays as it is.
		if x.gone, x.add = cancelled(x.gone, x.add); len(x.gone)+len(x.add) == 0 {
			continue
		}
		old, _ := ix.get(k)
		if l := edited(old, x.gone, x.add); len(l) > 0 {
			out.set(k, l)
		} else {
			out.del(k)
		}
	}
	out.freeze()
	return out
}

// cancelled is gone and add, each sorted, without the positions both hold.
func cancelled(gone, add []int32) ([]int32, []int32) {
	slices.Sort(gone)
	slices.Sort(add)
	g, a := gone[:0], add[:0]
	i, j := 0, 0
	for i < len(gone) || j < len(add) {
		switch {
		case j == len(add) || i < len(gone) && gone[i] < add[j]:
			g, i = append(g, gone[i]), i+1
		case i == len(gone) || add[j] < gone[i]:
			a, j = append(a, add[j]), j+1
		default:
			i, j = i+1, j+1
		}
	}
	return g, a
}

// edited is list (ascending, as New makes the lists) without the
// positions in gone and with those in add, in a new array. It finds its
// places by binary search and moves the runs between them whole: a list
// of every measure's type quad is copied, not visited one by one.
func edited(list, gone, add []int32) []int32 {
	slices.Sort(gone)
	slices.Sort(add)
	out := make([]int32, 0, len(list)-len(gone)+len(add))
	prev := 0
	for _, g := range gone {
		if i, ok := slices.BinarySearch(list[prev:], g); ok {
			out = append(out, list[prev:prev+i]...)
			prev += i + 1
		}
	}
	out = append(out, list[prev:]...)
	return insertSorted(out, add, func(a, b int32) int { return int(a - b) })
}

// insertSorted merges add (sorted by cmp, none equal to an element of
// list) into list (sorted too), in place, list having room for add: from
// the last one added back, each moves the run of list after it up.
func insertSorted[E any](list, add []E, cmp func(a, b E) int) []E {
	hi := len(list)
	list = append(list, add...)
	for j := len(add) - 1; j >= 0; j-- {
		lo, _ := slices.BinarySearchFunc(list[:hi], add[j], cmp)
		copy(list[lo+j+1:hi+j+1], list[lo:hi])
		list[lo+j] = add[j]
		hi = lo
	}
	return list
}

// affected lists the nodes whose records the patch must build again, and
// the quads New needs to build them: the subjects whose quads changed,
// the children whose derived fields follow from theirs (see childLinks,
// and measures of a changed provenance node), and, for context, the
// parents each of those is resolved through and the provenance nodes of
// its links. It returns nil when too many are affected.
func (p *patcher) affected() map[quad.Value]bool {
	nv := p.nv
	rebuild := map[quad.Value]bool{}
	var queue []quad.Value
	add := func(n quad.Value) {
		if !rebuild[n] {
			rebuild[n] = true
			queue = append(queue, n)
		}
	}
	for s := range p.subjects {
		add(s)
		// A measure is built from its provenance nodes.
		for _, w := range []*View{p.v, nv} {
			for _, at := range w.In(s) {
				if q := w.Quad(at); q.Predicate == schema.HasProvenance {
					add(q.Subject)
				}
			}
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if len(rebuild) > maxPatchRecords {
			return nil
		}
		// The links of n's id-only kind that n had before and has now.
		var stood map[[2]quad.Value]bool
		for _, q := range p.oldOut[n] {
			if idOnlyLinks[q.Predicate] {
				if stood == nil {
					stood = map[[2]quad.Value]bool{}
				}
				stood[[2]quad.Value{q.Predicate, q.Object}] = false
			}
		}
		for _, at := range nv.Out(n) {
			if q := nv.Quad(at); idOnlyLinks[q.Predicate] {
				if _, ok := stood[[2]quad.Value{q.Predicate, q.Object}]; ok {
					stood[[2]quad.Value{q.Predicate, q.Object}] = true
				}
			}
		}
		for _, q := range p.oldOut[n] {
			if childLinks[q.Predicate] && !stood[[2]quad.Value{q.Predicate, q.Object}] {
				add(q.Object)
			}
		}
		for _, at := range nv.Out(n) {
			if q := nv.Quad(at); childLinks[q.Predicate] && !stood[[2]quad.Value{q.Predicate, q.Object}] {
				add(q.Object)
			}
		}
	}
	context := maps.Clone(rebuild)
	queue = slices.Collect(maps.Keys(rebuild))
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, at := range nv.In(n) {
			q := nv.Quad(at)
			if childLinks[q.Predicate] && !context[q.Subject] {
				context[q.Subject] = true
				queue = append(queue, q.Subject)
			}
		}
		if rebuild[n] {
			for _, at := range nv.Out(n) {
				if q := nv.Quad(at); q.Predicate == schema.HasProvenance {
					context[q.Object] = true
				}
			}
		}
	}
	if len(context) > maxPatchRecords {
		return nil
	}
	p.context = context
	return rebuild
}

// swapRecords builds the records of nodes again, with New over the quads
// of the patcher's context, and puts them in place of v's in copies of
// v's lists, maps and indexes.
func (p *patcher) swapRecords(nodes map[quad.Value]bool) (mini *View, drop map[schema.Type]map[string]bool) {
	v, nv := p.v, p.nv
	var qs []quad.Quad
	for n := range p.context {
		for _, at := range nv.Out(n) {
			qs = append(qs, nv.Quad(at))
		}
	}
	mini = newRecords(qs, nv.Version)
	mini.names, mini.time = nameEntries(mini), planDates(mini)

	nv.graphOf = v.graphOf.clone()
	for s := range p.subjects {
		nv.graphOf.del(s)
		if g, ok := mini.graphOf.get(s); ok {
			nv.graphOf.set(s, g)
		}
	}
	nv.graphOf.freeze()

	// Per type, the ids built again: the old records go, mini's come.
	drop = map[schema.Type]map[string]bool{}
	for n := range nodes {
		t, id, ok := schema.ParseIRI(n)
		if !ok {
			continue
		}
		if drop[t] == nil {
			drop[t] = map[string]bool{}
		}
		drop[t][id] = true
	}
	nv.entities = maps.Clone(v.entities)
	for t, ids := range drop {
		m := v.entities[t]
		if m == nil {
			m = newSharded(map[string]any{}, hashString)
		}
		m = m.clone()
		for id := range ids {
			m.del(id)
			if rec, ok := mini.entities[t].get(id); ok {
				m.set(id, rec)
			}
		}
		m.freeze()
		nv.entities[t] = m
	}
	fresh := func(t schema.Type) map[string]bool { return drop[t] }
	nv.Cities = swapped(v.Cities, mini.Cities, fresh(schema.City), func(c *City) string { return c.ID })
	nv.Provinces = swapped(v.Provinces, mini.Provinces, fresh(schema.Province), entityID)
	nv.Technologies = swapped(v.Technologies, mini.Technologies, fresh(schema.Technology), entityID)
	nv.Domains = swapped(v.Domains, mini.Domains, fresh(schema.Domain), entityID)
	nv.Organizations = swapped(v.Organizations, mini.Organizations, fresh(schema.Organization), entityID)
	nv.Sources = swapped(v.Sources, mini.Sources, fresh(schema.Source), func(s *Source) string { return s.ID })
	nv.Scopes = swapped(v.Scopes, mini.Scopes, fresh(schema.Scope), func(s *Scope) string { return s.ID })
	nv.Plans = swapped(v.Plans, mini.Plans, fresh(schema.Plan), func(p *Plan) string { return p.ID })
	nv.Measures = swapped(v.Measures, mini.Measures, fresh(schema.Measure), measureID)
	nv.Instruments = swapped(v.Instruments, mini.Instruments, fresh(schema.SupportInstrument), func(i *Instrument) string { return i.ID })
	nv.Mentions = swapped(v.Mentions, mini.Mentions, fresh(schema.MentionCount), func(m *Mention) string { return m.ID })
	nv.Targets = swapped(v.Targets, mini.Targets, fresh(schema.Target), func(t *Target) string { return t.ID })

	return mini, drop
}

func entityID(e *Entity) string { return e.ID }

func measureID(m *Measure) string { return m.ID }

// swapped is list without the records whose id is in drop, with the
// records of built whose id is, in New's order (by IRI text).
func swapped[T any](list, built []*T, drop map[string]bool, id func(*T) string) []*T {
	if len(drop) == 0 {
		return list
	}
	var add []*T
	for _, r := range built {
		if drop[id(r)] {
			add = append(add, r)
		}
	}
	return merged(list, add, drop, id)
}

// merged is list (in IRI order, the records of one type) without the
// records whose id is in drop, merged with add (in IRI order too, every
// id in drop). The records dropped and the places of those added are
// found by binary search, and the runs between them are copied whole:
// the cost is a copy of the list's pointers, not a lookup per record.
func merged[T any](list, add []*T, drop map[string]bool, id func(*T) string) []*T {
	byID := func(x *T, k string) int { return compareIDs(id(x), k) }
	var at []int
	for k := range drop {
		i, _ := slices.BinarySearchFunc(list, k, byID)
		// A measure linked twice to one key is listed twice there.
		for ; i < len(list) && id(list[i]) == k; i++ {
			at = append(at, i)
		}
	}
	slices.Sort(at)
	// The records built again, as they mostly are, are those dropped:
	// each takes its old record's place in a copy of the list.
	if len(at) == len(add) {
		same := true
		for i, j := range at {
			if id(list[j]) != id(add[i]) {
				same = false
				break
			}
		}
		if same {
			out := slices.Clone(list)
			for i, j := range at {
				out[j] = add[i]
			}
			return out
		}
	}
	out := make([]*T, 0, len(list)-len(at)+len(add))
	prev := 0
	for _, i := range at {
		out = append(out, list[prev:i]...)
		prev = i + 1
	}
	out = append(out, list[prev:]...)
	if len(out)+len(add) == 0 {
		return nil // as New lists no record
	}
	return insertSorted(out, add, func(a, b *T) int { return compareIDs(id(a), id(b)) })
}

// compareIDs orders two ids of one type as the text of their IRIs
// (prefix, id, ">") sorts them, which is the order of New's lists,
// without making those texts.
func compareIDs(a, b string) int {
	n := min(len(a), len(b))
	if c := strings.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	switch {
	case len(a) == len(b):
		return 0
	case len(a) < len(b):
		if b[n] < '>' {
			return 1
		}
		return -1
	default:
		if a[n] < '>' {
			return -1
		}
		return 1
	}
}

// nameEntries is v's name index as far as patchNames reads that of the
// View of the records built again: its entries, in one chunk, made as
// chunkedNameIndex makes them (TestMiniIndexes checks), without the maps
// by name and by pair of characters, which patchNames mends from the old
// View's. Those were most of the cost of the records' View.
func nameEntries(v *View) *nameIndex {
	var es []nameEntry
	v.forNamed(func(t schema.Type, id, label string, texts []string) {
		for _, s := range texts {
			if k := normalize(s); k != "" {
				es = append(es, nameEntry{typ: t, id: id, text: s, key: k, label: label, serial: int32(len(es))})
			}
		}
	})
	ix := &nameIndex{flat: es}
	ix.setChunks([]*nameChunk{{es: es}})
	return ix
}

// planDates is v's time index as far as patchTime reads that of the View
// of the records built again: each plan's date and its basis, the plans
// dated as newTimeIndex dates them (their Dating set). The links and
// placed counts are mended from the old View's.
func planDates(v *View) *timeIndex {
	ix := &timeIndex{date: map[string]string{}, basis: map[string]string{}}
	for _, p := range v.Plans {
		p.Dating = dating(p)
		if d, b := p.Date(); d != "" {
			ix.date[p.ID], ix.basis[p.ID] = d, b
		}
	}
	return ix
}
