package view

import (
	"maps"
	"slices"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// patchTime is the time index of nv, patched from v's: the dates of the
// plans built again, the links of the measures built again (a measure's
// plan, when rebuilt, rebuilds its measures too), and the mention counts,
// few, placed again. The records built again were dated by mini's own
// index; no record of v is written. It equals newTimeIndex(nv), which
// TestPatchIsNew checks.
func patchTime(v, nv, mini *View, drop map[schema.Type]map[string]bool) *timeIndex {
	old := v.time
	ix := &timeIndex{date: old.date, basis: old.basis, links: old.links}
	if plans := drop[schema.Plan]; len(plans) > 0 {
		ix.date, ix.basis = maps.Clone(old.date), maps.Clone(old.basis)
		for id := range plans {
			delete(ix.date, id)
			delete(ix.basis, id)
			if d, ok := mini.time.date[id]; ok && nv.Plan(id) != nil {
				ix.date[id], ix.basis[id] = d, mini.time.basis[id]
			}
		}
	}
	for _, d := range ix.date {
		y := yearOf(d)
		if ix.firstYear == 0 || y < ix.firstYear {
			ix.firstYear = y
		}
		ix.lastYear = max(ix.lastYear, y)
	}
	// Numbered again (a pass over cities and plans); the links keep the
	// numbers they have unless a jurisdiction without a record came or went.
	ix.numberJurisdictions(nv)
	renumber := !slices.Equal(ix.cities, old.cities)

	if gone := drop[schema.Measure]; len(gone) > 0 {
		added := map[string][]link{}
		touched := map[string]bool{}
		for id := range gone {
			if m := v.Measure(id); m != nil {
				for _, t := range m.Technologies {
					touched[t.Technology] = true
				}
			}
		}
		for _, m := range nv.Measures {
			if !gone[m.ID] {
				continue
			}
			p := nv.Plan(m.Plan)
			if p == nil || ix.date[p.ID] == "" {
				continue
			}
			d := ix.date[p.ID]
			for _, t := range m.Technologies {
				touched[t.Technology] = true
				added[t.Technology] = append(added[t.Technology], link{m: m, p: p, tech: t.Technology, date: d, city: ix.number[p.City], year: int32(yearOf(d)), basis: t.Basis})
			}
		}
		ix.links = maps.Clone(old.links)
		for t := range touched {
			add := added[t]
			sortLinks(add)
			out := make([]link, 0, len(old.links[t])+len(add))
			for _, l := range old.links[t] {
				if gone[l.m.ID] {
					continue
				}
				for len(add) > 0 && compareLinks(add[0], l) < 0 {
					out, add = append(out, add[0]), add[1:]
				}
				out = append(out, l)
			}
			out = append(out, add...)
			if len(out) == 0 {
				delete(ix.links, t)
				continue
			}
			ix.links[t] = out
		}
	}

	if renumber {
		links := make(map[string][]link, len(ix.links))
		for t, ls := range ix.links {
			out := slices.Clone(ls)
			for i := range out {
				out[i].city = ix.number[out[i].p.City]
			}
			links[t] = out
		}
		ix.links = links
	}

	ix.mentionsAt = map[string][]mentionAt{}
	for _, m := range nv.Mentions {
		if len(m.Documents) == 0 {
			continue
		}
		if p := nv.Plan(m.Documents[0]); p != nil && ix.date[p.ID] != "" {
			ix.mentionsAt[m.Technology] = append(ix.mentionsAt[m.Technology], mentionAt{p: p, city: ix.number[p.City], year: int32(yearOf(ix.date[p.ID])), count: int(m.Count)})
		}
	}
	return ix
}

// compareLinks is newTimeIndex's order of links: date, plan, measure.
func compareLinks(a, b link) int {
	if c := strings.Compare(a.date, b.date); c != 0 {
		return c
	}
	if c := strings.Compare(a.p.ID, b.p.ID); c != 0 {
		return c
	}
	return strings.Compare(a.m.ID, b.m.ID)
}

func sortLinks(ls []link) {
	// Stable, so links of one measure keep the order of its technologies.
	slices.SortStableFunc(ls, compareLinks)
}
