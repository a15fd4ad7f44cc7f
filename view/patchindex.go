package view

import (
	"maps"
	"slices"

	"github.com/policygraph/policygraph/schema"
)

// patchQueryIndex is the query index of nv, mended from v's: the
// measures built again or removed leave the runs of the lists they were
// in and join those of the lists they are in now; the counts of the
// technologies whose counts were built again, or count a plan built
// again, are listed again; the plans per jurisdiction are counted again
// for the plans built again. The maps by key are copied (their keys are
// the vocabulary's, not the graph's), the lists only where they change.
// It equals newQueryIndex(nv); TestPatchIsNew checks its answers.
func patchQueryIndex(v, nv *View, drop map[schema.Type]map[string]bool) *queryIndex {
	old := v.index
	x := &queryIndex{measures: old.measures, byTechDomain: old.byTechDomain, byCity: old.byCity,
		mentions: old.mentions, counted: old.counted, plans: old.plans}

	if gone := drop[schema.Measure]; len(gone) > 0 {
		var removed, added []*Measure
		rmTD, addTD := map[techDomain][]*Measure{}, map[techDomain][]*Measure{}
		rmCity, addCity := map[string][]*Measure{}, map[string][]*Measure{}
		for id := range gone {
			if m := v.Measure(id); m != nil {
				removed = append(removed, m)
				keysOf(m, func(k techDomain) { rmTD[k] = append(rmTD[k], m) })
				rmCity[m.City] = append(rmCity[m.City], m)
			}
			if m := nv.Measure(id); m != nil {
				added = append(added, m)
				keysOf(m, func(k techDomain) { addTD[k] = append(addTD[k], m) })
				addCity[m.City] = append(addCity[m.City], m)
			}
		}
		x.measures = old.measures.Mend(byID, removed, added)
		x.byTechDomain = mendLists(old.byTechDomain, rmTD, addTD)
		x.byCity = mendLists(old.byCity, rmCity, addCity)
	}

	// The counts to list again: those built again, and those counting a
	// plan built again (whose jurisdiction may have changed).
	again := mentionsAgain(v, nv, drop)
	techs := map[string]bool{}
	for id := range again {
		for _, w := range []*View{v, nv} {
			if m, ok := w.Get(schema.MentionCount, id).(*Mention); ok {
				techs[m.Technology] = true
			}
		}
	}
	if len(again) > 0 {
		x.mentions, x.counted = maps.Clone(old.mentions), maps.Clone(old.counted)
		remove, add := map[string][]*Mention{}, map[string][]*Mention{}
		for id := range again {
			if m, ok := v.Get(schema.MentionCount, id).(*Mention); ok {
				remove[m.Technology] = append(remove[m.Technology], m)
			}
			if m, ok := nv.Get(schema.MentionCount, id).(*Mention); ok {
				add[m.Technology] = append(add[m.Technology], m)
			}
		}
		for t := range techs {
			if l := old.mentions[t].Mend(mentionOrder, slices.Clone(remove[t]), slices.Clone(add[t])); l.Len() == 0 {
				delete(x.mentions, t)
			} else {
				x.mentions[t] = l
			}
			// A count built again mostly covers what it covered: only
			// the jurisdictions it leaves or joins are written, and the
			// map (as long as the jurisdictions counted) is copied only
			// when there is one.
			type cover struct{ city, id string }
			left, joined := map[cover]bool{}, map[cover]bool{}
			for _, m := range remove[t] {
				for c := range coveredBy(v, m) {
					left[cover{c, m.ID}] = true
				}
			}
			for _, m := range add[t] {
				for c := range coveredBy(nv, m) {
					if k := (cover{c, m.ID}); left[k] {
						delete(left, k)
					} else {
						joined[k] = true
					}
				}
			}
			if len(left)+len(joined) == 0 {
				continue // x.counted[t] is old's
			}
			byCity := maps.Clone(old.counted[t])
			for k := range left {
				if l := slices.DeleteFunc(slices.Clone(byCity[k.city]), func(id string) bool { return id == k.id }); len(l) > 0 {
					byCity[k.city] = l
				} else {
					delete(byCity, k.city)
				}
			}
			for k := range joined {
				if byCity == nil {
					byCity = map[string][]string{}
				}
				byCity[k.city] = append(slices.Clip(byCity[k.city]), k.id)
			}
			if len(byCity) == 0 {
				delete(x.counted, t)
			} else {
				x.counted[t] = byCity
			}
		}
	}

	delta := map[string]int{}
	for id := range drop[schema.Plan] {
		if p := v.Plan(id); p != nil {
			delta[p.City]--
		}
		if p := nv.Plan(id); p != nil {
			delta[p.City]++
		}
	}
	cloned := false
	for c, d := range delta {
		if d == 0 {
			continue
		}
		if !cloned {
			x.plans, cloned = maps.Clone(old.plans), true
		}
		if x.plans[c] += d; x.plans[c] == 0 {
			delete(x.plans, c)
		}
	}
	return x
}

// mendLists is lists with the measures of remove taken out of, and those
// of add put into, the lists of their keys.
func mendLists[K comparable](lists map[K]Sorted[*Measure], remove, add map[K][]*Measure) map[K]Sorted[*Measure] {
	out := maps.Clone(lists)
	touched := map[K]bool{}
	for k := range remove {
		touched[k] = true
	}
	for k := range add {
		touched[k] = true
	}
	for k := range touched {
		l := lists[k].Mend(byID, remove[k], add[k])
		if l.Len() == 0 {
			delete(out, k)
			continue
		}
		out[k] = l
	}
	return out
}

// mentionsAgain are the mention counts a patch from v to nv must place
// again: those built again, and those counting a plan built again (whose
// jurisdiction or dates may have changed), as either View holds them.
func mentionsAgain(v, nv *View, drop map[schema.Type]map[string]bool) map[string]bool {
	again := map[string]bool{}
	for id := range drop[schema.MentionCount] {
		again[id] = true
	}
	for id := range drop[schema.Plan] {
		for _, w := range []*View{v, nv} {
			for _, at := range w.In(schema.Plan.IRI(id)) {
				if q := w.Quad(at); q.Predicate == schema.ScopeDocument {
					if t, mid, ok := schema.ParseIRI(q.Subject); ok && t == schema.MentionCount {
						again[mid] = true
					}
				}
			}
		}
	}
	return again
}
