package view

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// patchTime is the time index of nv, mended from v's: the dates of the
// plans built again (copied only when one changed), the links of the
// measures built again taken out of and put into the runs of their
// technologies' lists (a measure's plan, when rebuilt, rebuilds its
// measures too), and the mention counts placed at a plan built again
// placed anew. The jurisdictions keep their numbers, unless a plan the
// patch touched names one without a record, which may number them anew.
// The records built again were dated by mini's own index; no record of
// v is written. It equals newTimeIndex(nv), which TestPatchIsNew checks.
func patchTime(v, nv, mini *View, drop map[schema.Type]map[string]bool) *timeIndex {
	old := v.time
	ix := &timeIndex{date: old.date, basis: old.basis, links: old.links, mentionsAt: old.mentionsAt,
		firstYear: old.firstYear, lastYear: old.lastYear, cities: old.cities, number: old.number}
	renumber, redated := false, false
	for id := range drop[schema.Plan] {
		d, dated := mini.time.date[id]
		dated = dated && nv.Plan(id) != nil
		if od, was := old.date[id]; was != dated || od != d || old.basis[id] != mini.time.basis[id] {
			if !redated {
				ix.date, ix.basis, redated = maps.Clone(old.date), maps.Clone(old.basis), true
			}
			delete(ix.date, id)
			delete(ix.basis, id)
			if dated {
				ix.date[id], ix.basis[id] = d, mini.time.basis[id]
			}
		}
		// A jurisdiction without a record is numbered after the cities,
		// in the order of the dated plans naming it.
		if p := v.Plan(id); p != nil && old.date[id] != "" && nv.City(p.City) == nil {
			renumber = true
		}
		if p := nv.Plan(id); p != nil && dated && nv.City(p.City) == nil {
			renumber = true
		}
	}
	if redated {
		ix.firstYear, ix.lastYear = 0, 0
		for _, d := range ix.date {
			y := yearOf(d)
			if ix.firstYear == 0 || y < ix.firstYear {
				ix.firstYear = y
			}
			ix.lastYear = max(ix.lastYear, y)
		}
	}
	if renumber {
		ix.numberJurisdictions(nv)
		renumber = !slices.Equal(ix.cities, old.cities) || !maps.Equal(ix.number, old.number)
	}

	if gone := drop[schema.Measure]; len(gone) > 0 {
		remove, add := map[string][]link{}, map[string][]link{}
		for id := range gone {
			if m := v.Measure(id); m != nil {
				if p := v.Plan(m.Plan); p != nil && old.date[p.ID] != "" {
					for _, l := range linksOf(m, p, old) {
						remove[l.tech] = append(remove[l.tech], l)
					}
				}
			}
			if m := nv.Measure(id); m != nil {
				if p := nv.Plan(m.Plan); p != nil && ix.date[p.ID] != "" {
					for _, l := range linksOf(m, p, ix) {
						add[l.tech] = append(add[l.tech], l)
					}
				}
			}
		}
		touched := map[string]bool{}
		for t := range remove {
			touched[t] = true
		}
		for t := range add {
			touched[t] = true
		}
		ix.links = maps.Clone(old.links)
		for t := range touched {
			l := old.links[t].Mend(compareLinks, remove[t], add[t])
			if l.Len() == 0 {
				delete(ix.links, t)
				continue
			}
			ix.links[t] = l
		}
	}
	if renumber {
		links := make(map[string]Sorted[link], len(ix.links))
		for t, ls := range ix.links {
			out := slices.Clone(ls.Slice())
			for i := range out {
				out[i].city = ix.number[out[i].p.City]
			}
			links[t] = SortedOf(out)
		}
		ix.links = links
	}
	ix.mentionsAt = patchMentionsAt(v, nv, ix, drop, renumber)
	return ix
}

// linksOf are m's links as the time index ix lists them, m being of
// plan p, dated.
func linksOf(m *Measure, p *Plan, ix *timeIndex) []link {
	d := ix.date[p.ID]
	out := make([]link, 0, len(m.Technologies))
	for _, t := range m.Technologies {
		out = append(out, link{m: m, p: p, tech: t.Technology, date: d, city: ix.number[p.City], year: int32(yearOf(d)), basis: t.Basis})
	}
	return out
}

// mentionAt is where count m is placed: at the first plan it counts,
// when that plan is dated.
func (ix *timeIndex) mentionAt(v *View, m *Mention) (mentionAt, bool) {
	if len(m.Documents) == 0 {
		return mentionAt{}, false
	}
	p := v.Plan(m.Documents[0])
	if p == nil || ix.date[p.ID] == "" {
		return mentionAt{}, false
	}
	return mentionAt{id: m.ID, p: p, city: ix.number[p.City], year: int32(yearOf(ix.date[p.ID])), count: int(m.Count)}, true
}

// patchMentionsAt mends the placed counts: those built again, and those
// placed at a plan built again (found by the plan's in-links), are taken
// out of their technologies' lists and put in again, in View order.
func patchMentionsAt(v, nv *View, ix *timeIndex, drop map[schema.Type]map[string]bool, renumber bool) map[string]Sorted[mentionAt] {
	old := v.time.mentionsAt
	if renumber {
		lists := map[string][]mentionAt{}
		for _, m := range nv.Mentions {
			if at, ok := ix.mentionAt(nv, m); ok {
				lists[m.Technology] = append(lists[m.Technology], at)
			}
		}
		out := make(map[string]Sorted[mentionAt], len(lists))
		for t, l := range lists {
			out[t] = SortedOf(l)
		}
		return out
	}
	again := mentionsAgain(v, nv, drop)
	if len(again) == 0 {
		return old
	}
	remove, add := map[string][]mentionAt{}, map[string][]mentionAt{}
	for id := range again {
		if m, ok := v.Get(schema.MentionCount, id).(*Mention); ok {
			if _, placed := v.time.mentionAt(v, m); placed {
				remove[m.Technology] = append(remove[m.Technology], mentionAt{id: id})
			}
		}
		if m, ok := nv.Get(schema.MentionCount, id).(*Mention); ok {
			if at, placed := ix.mentionAt(nv, m); placed {
				add[m.Technology] = append(add[m.Technology], at)
			}
		}
	}
	touched := map[string]bool{}
	for t := range remove {
		touched[t] = true
	}
	for t := range add {
		touched[t] = true
	}
	out := maps.Clone(old)
	for t := range touched {
		l := old[t].Mend(func(a, b mentionAt) int { return compareIDs(a.id, b.id) }, remove[t], add[t])
		if l.Len() == 0 {
			delete(out, t)
		} else {
			out[t] = l
		}
	}
	return out
}

// compareLinks is the order of a technology's links: date, plan,
// measure, then the basis, in the order of schema.Bases (a measure may
// link one technology by two bases).
func compareLinks(a, b link) int {
	return cmp.Or(strings.Compare(a.date, b.date), strings.Compare(a.p.ID, b.p.ID), strings.Compare(a.m.ID, b.m.ID),
		cmp.Compare(slices.Index(schema.Bases, a.basis), slices.Index(schema.Bases, b.basis)))
}
