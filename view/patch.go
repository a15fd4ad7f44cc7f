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

// patchKey keeps a View's patch index in its Memo.
type patchKey struct{}

// patchIndex lists the View's quads by document graph, so a patch finds
// the quads of the documents it replaces without a scan.
type patchIndex struct {
	byLabel map[quad.Value][]int32
}

func (v *View) patchIndex() *patchIndex {
	return v.Memo(patchKey{}, func() any {
		ix := &patchIndex{byLabel: map[quad.Value][]int32{}}
		for i, r := range v.quads {
			l := v.values[r[3]]
			ix.byLabel[l] = append(ix.byLabel[l], int32(i))
		}
		return ix
	}).(*patchIndex)
}

// LabelQuads is how many of v's quads are stored under label (a
// document's stamped graph): what a writer replacing that document
// removes from the current graph, known without reading the store.
func (v *View) LabelQuads(label quad.Value) int { return len(v.patchIndex().byLabel[label]) }

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
		removed = append(removed, ix.byLabel[g]...)
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
	// Built again, not mended: they are lists over every measure and
	// node, made in one pass each.
	nv.index = newQueryIndex(nv)
	nv.nodes = newNodeIndex(nv)
	nv.memo.Store(patchKey{}, p.index)
	nv.change = &Change{From: v.Version, Records: drop}
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
}

// swapQuads makes nv's quads v's without removed and with added. The new
// quads take the places of the removed ones; when fewer are added than
// removed, the last quads move into the places left, so the positions
// stay dense and every other quad keeps its place (and its entries in
// the indexes).
func (p *patcher) swapQuads(removed []int32, added []quad.Quad) {
	v := p.v
	slices.Sort(removed)
	n0 := len(v.quads)
	n1 := n0 - len(removed) + len(added)
	quads := make([][4]int32, n1)
	copy(quads, v.quads[:min(n0, n1)])
	values := slices.Clip(v.values)

	// Values already known are found through the adjacency of the nodes;
	// the others are appended (a literal or predicate met again may so
	// appear twice among the values, which only lists them).
	fresh := map[quad.Value]int32{}
	intern := func(val quad.Value, d int) int32 {
		if n, ok := fresh[val]; ok {
			return n
		}
		if ps := v.out[val]; len(ps) > 0 {
			return v.quads[ps[0]][0]
		}
		if ps := v.in[val]; len(ps) > 0 {
			return v.quads[ps[0]][2]
		}
		if d == 3 {
			if ps := p.v.patchIndex().byLabel[val]; len(ps) > 0 {
				return v.quads[ps[0]][3]
			}
		}
		n := int32(len(values))
		values = append(values, val)
		fresh[val] = n
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
		quads[at] = [4]int32{intern(q.Subject, 0), intern(q.Predicate, 1), intern(q.Object, 2), intern(q.Label, 3)}
		moves = append(moves, placed{-1, at})
	}
	for i := n1; i < n0; i++ {
		if isRemoved[int32(i)] {
			continue
		}
		at := slots[next]
		next++
		quads[at] = v.quads[i]
		moves = append(moves, placed{int32(i), at})
	}
	p.nv.quads, p.nv.values = quads, values

	// Which keys of out, in and the label index change, and how.
	p.subjects, p.touched = map[quad.Value]bool{}, map[quad.Value]bool{}
	gone := make(map[int32]bool, len(removed)+len(moves))
	labels := map[quad.Value]bool{}
	note := func(r [4]int32, vals []quad.Value) {
		s, o := vals[r[0]], vals[r[2]]
		p.subjects[s], p.touched[s] = true, true
		if isNode(o) {
			p.touched[o] = true
		}
		labels[vals[r[3]]] = true
	}
	for _, r := range removed {
		gone[r] = true
		note(v.quads[r], v.values)
	}
	for _, m := range moves {
		if m.from >= 0 {
			gone[m.from] = true
		}
		note(quads[m.to], values)
	}
	p.oldOut = map[quad.Value][]quad.Quad{}
	for s := range p.subjects {
		for _, at := range v.out[s] {
			p.oldOut[s] = append(p.oldOut[s], v.Quad(at))
		}
	}
	keep := func(ps []int32) []int32 {
		out := make([]int32, 0, len(ps))
		for _, at := range ps {
			if !gone[at] {
				out = append(out, at)
			}
		}
		return out
	}
	out, in := maps.Clone(v.out), maps.Clone(v.in)
	byLabel := maps.Clone(p.v.patchIndex().byLabel)
	for k := range p.touched {
		out[k], in[k] = keep(v.out[k]), keep(v.in[k])
	}
	for l := range labels {
		byLabel[l] = keep(byLabel[l])
	}
	for _, m := range moves {
		r := quads[m.to]
		s, o, l := values[r[0]], values[r[2]], values[r[3]]
		out[s] = append(out[s], m.to)
		if isNode(o) {
			in[o] = append(in[o], m.to)
		}
		byLabel[l] = append(byLabel[l], m.to)
	}
	for k := range p.touched {
		tidy(out, k)
		tidy(in, k)
	}
	for l := range labels {
		tidy(byLabel, l)
	}
	p.nv.out, p.nv.in = out, in
	p.index = &patchIndex{byLabel: byLabel}
}

// tidy sorts the list at k, as New makes them, or drops an empty one.
func tidy(m map[quad.Value][]int32, k quad.Value) {
	if len(m[k]) == 0 {
		delete(m, k)
		return
	}
	slices.Sort(m[k])
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
			for _, at := range w.in[s] {
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
		for _, q := range p.oldOut[n] {
			if childLinks[q.Predicate] {
				add(q.Object)
			}
		}
		for _, at := range nv.out[n] {
			if q := nv.Quad(at); childLinks[q.Predicate] {
				add(q.Object)
			}
		}
	}
	context := maps.Clone(rebuild)
	queue = slices.Collect(maps.Keys(rebuild))
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, at := range nv.in[n] {
			q := nv.Quad(at)
			if childLinks[q.Predicate] && !context[q.Subject] {
				context[q.Subject] = true
				queue = append(queue, q.Subject)
			}
		}
		if rebuild[n] {
			for _, at := range nv.out[n] {
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
		for _, at := range nv.out[n] {
			qs = append(qs, nv.Quad(at))
		}
	}
	mini = New(qs, nv.Version)

	nv.graphOf = maps.Clone(v.graphOf)
	for s := range p.subjects {
		delete(nv.graphOf, s)
		if g, ok := mini.graphOf[s]; ok {
			nv.graphOf[s] = g
		}
	}

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
		m := maps.Clone(v.entities[t])
		for id := range ids {
			delete(m, id)
			if rec, ok := mini.entities[t][id]; ok {
				m[id] = rec
			}
		}
		nv.entities[t] = m
	}
	fresh := func(t schema.Type) map[string]bool { return drop[t] }
	nv.Cities = swapped(v.Cities, mini.Cities, fresh(schema.City), schema.City, func(c *City) string { return c.ID })
	nv.Provinces = swapped(v.Provinces, mini.Provinces, fresh(schema.Province), schema.Province, entityID)
	nv.Technologies = swapped(v.Technologies, mini.Technologies, fresh(schema.Technology), schema.Technology, entityID)
	nv.Domains = swapped(v.Domains, mini.Domains, fresh(schema.Domain), schema.Domain, entityID)
	nv.Organizations = swapped(v.Organizations, mini.Organizations, fresh(schema.Organization), schema.Organization, entityID)
	nv.Sources = swapped(v.Sources, mini.Sources, fresh(schema.Source), schema.Source, func(s *Source) string { return s.ID })
	nv.Scopes = swapped(v.Scopes, mini.Scopes, fresh(schema.Scope), schema.Scope, func(s *Scope) string { return s.ID })
	nv.Plans = swapped(v.Plans, mini.Plans, fresh(schema.Plan), schema.Plan, func(p *Plan) string { return p.ID })
	nv.Measures = swapped(v.Measures, mini.Measures, fresh(schema.Measure), schema.Measure, func(m *Measure) string { return m.ID })
	nv.Instruments = swapped(v.Instruments, mini.Instruments, fresh(schema.SupportInstrument), schema.SupportInstrument, func(i *Instrument) string { return i.ID })
	nv.Mentions = swapped(v.Mentions, mini.Mentions, fresh(schema.MentionCount), schema.MentionCount, func(m *Mention) string { return m.ID })
	nv.Targets = swapped(v.Targets, mini.Targets, fresh(schema.Target), schema.Target, func(t *Target) string { return t.ID })

	// The measure indexes: every list a dropped or rebuilt measure is in.
	var oldMs, newMs []*Measure
	for id := range drop[schema.Measure] {
		if m := v.Measure(id); m != nil {
			oldMs = append(oldMs, m)
		}
		if m := mini.Measure(id); m != nil {
			newMs = append(newMs, m)
		}
	}
	gone := drop[schema.Measure]
	nv.byTechnology = swappedIndex(v.byTechnology, oldMs, newMs, gone, func(m *Measure) []string {
		var out []string
		for _, t := range m.Technologies {
			out = append(out, t.Technology)
		}
		return out
	})
	nv.byDomain = swappedIndex(v.byDomain, oldMs, newMs, gone, func(m *Measure) []string { return m.Domains })
	nv.byCity = swappedIndex(v.byCity, oldMs, newMs, gone, func(m *Measure) []string { return []string{m.City} })
	return mini, drop
}

func entityID(e *Entity) string { return e.ID }

// swapped is list without the records whose id is in drop, with the
// records of built whose id is, in New's order (by IRI text).
func swapped[T any](list, built []*T, drop map[string]bool, t schema.Type, id func(*T) string) []*T {
	if len(drop) == 0 {
		return list
	}
	var add []*T
	for _, r := range built {
		if drop[id(r)] {
			add = append(add, r)
		}
	}
	return merged(list, add, drop, t, id)
}

// merged is list (in IRI order) without the records whose id is in drop,
// merged with add (in IRI order too).
func merged[T any](list, add []*T, drop map[string]bool, t schema.Type, id func(*T) string) []*T {
	key := func(r *T) string { return t.IRI(id(r)).String() }
	kept := make([]*T, 0, len(list)+len(add))
	for _, r := range list {
		if !drop[id(r)] {
			kept = append(kept, r)
		}
	}
	if len(add) == 0 {
		return kept
	}
	// Each added record's place among the kept ones, by binary search:
	// a few keys made per record added, not one per record kept.
	at := make([]int, len(add))
	for i, r := range add {
		k := key(r)
		at[i], _ = slices.BinarySearchFunc(kept, k, func(x *T, k string) int { return strings.Compare(key(x), k) })
	}
	out := make([]*T, 0, len(kept)+len(add))
	prev := 0
	for i, r := range add {
		out = append(out, kept[prev:at[i]]...)
		out = append(out, r)
		prev = at[i]
	}
	return append(out, kept[prev:]...)
}

// swappedIndex is a measure index (key → measures, in View order) with
// the measures in gone taken out and built put in, copying only the
// lists they are in.
func swappedIndex(ix map[string][]*Measure, old, built []*Measure, gone map[string]bool, keys func(*Measure) []string) map[string][]*Measure {
	if len(gone) == 0 {
		return ix
	}
	sortMeasures(built)
	touched := map[string][]*Measure{}
	for _, m := range old {
		for _, k := range keys(m) {
			if _, ok := touched[k]; !ok {
				touched[k] = nil
			}
		}
	}
	for _, m := range built {
		// A measure linked twice to one key is listed twice, as New lists it.
		for _, k := range keys(m) {
			touched[k] = append(touched[k], m)
		}
	}
	out := maps.Clone(ix)
	id := func(m *Measure) string { return m.ID }
	for k, add := range touched {
		l := merged(ix[k], add, gone, schema.Measure, id)
		if len(l) == 0 {
			delete(out, k)
			continue
		}
		out[k] = l
	}
	return out
}

func sortMeasures(ms []*Measure) {
	slices.SortFunc(ms, func(a, b *Measure) int {
		return strings.Compare(schema.Measure.IRI(a.ID).String(), schema.Measure.IRI(b.ID).String())
	})
}
