package view

import (
	"cmp"
	"slices"
)

// queryIndex holds the indexes that make a question about measures cost
// what its answer holds rather than what the corpus holds: "which cities
// apply blockchain to finance" reads the measures that link blockchain
// and apply to finance, not every measure of blockchain.
//
// A list holds positions in measures, which is in id order, ascending:
// a list is already in the order of an answer, and the union of the
// lists of several concepts (a concept and those under it) is a merge of
// integers.
type queryIndex struct {
	measures []*Measure
	// byTechDomain lists the measures linking a technology (by any
	// basis) and applying to a domain; a key with an empty domain lists
	// every measure of the technology, one with an empty technology
	// every measure of the domain.
	byTechDomain map[techDomain][]int32
	byCity       map[string][]int32
	// mentions lists the positions in View.Mentions of the counts of
	// each technology, ascending.
	mentions map[string][]int32
	// counted are, per technology, the jurisdictions that its counts
	// above zero cover (by the jurisdiction or one of its documents),
	// each with those counts' ids: what Coverage reads.
	counted map[string]map[string][]string
	// planned are the jurisdictions that plans of the View belong to.
	planned map[string]bool
}

type techDomain struct{ technology, domain string }

func newQueryIndex(v *View) *queryIndex {
	x := &queryIndex{
		measures:     slices.Clone(v.Measures),
		byTechDomain: map[techDomain][]int32{},
		byCity:       map[string][]int32{},
		mentions:     map[string][]int32{},
	}
	// View.Measures is in IRI order, which is not id order when one id
	// is another's prefix ("m1>" sorts after "m1-2>").
	slices.SortFunc(x.measures, func(a, b *Measure) int { return cmp.Compare(a.ID, b.ID) })
	for i, m := range x.measures {
		at := int32(i)
		add := func(k techDomain) {
			// A measure may link one technology by two bases.
			if l := x.byTechDomain[k]; len(l) == 0 || l[len(l)-1] != at {
				x.byTechDomain[k] = append(l, at)
			}
		}
		for _, t := range m.Technologies {
			add(techDomain{t.Technology, ""})
			for _, d := range m.Domains {
				add(techDomain{t.Technology, d})
			}
		}
		for _, d := range m.Domains {
			add(techDomain{"", d})
		}
		x.byCity[m.City] = append(x.byCity[m.City], at)
	}
	for i, mc := range v.Mentions {
		x.mentions[mc.Technology] = append(x.mentions[mc.Technology], int32(i))
	}
	x.counted = countedBy(v)
	x.planned = map[string]bool{}
	for _, p := range v.Plans {
		x.planned[p.City] = true
	}
	return x
}

// anyPlanIn reports whether a plan of the View belongs to one of places.
func (x *queryIndex) anyPlanIn(places map[string]bool) bool {
	for c := range places {
		if x.planned[c] {
			return true
		}
	}
	return false
}

func countedBy(v *View) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, m := range v.Mentions {
		if m.Count == 0 {
			continue // a count of none is the graph saying the documents do not name it
		}
		covered := map[string]bool{}
		for _, c := range m.Cities {
			covered[c] = true
		}
		for _, d := range m.Documents {
			if p := v.Plan(d); p != nil && p.City != "" {
				covered[p.City] = true
			}
		}
		byCity := out[m.Technology]
		if byCity == nil {
			byCity = map[string][]string{}
			out[m.Technology] = byCity
		}
		for c := range covered {
			byCity[c] = append(byCity[c], m.ID)
		}
	}
	return out
}

// candidates are the measures that may pass q, each once and in id
// order: the union of the lists of the smallest index that applies. The
// filters themselves are applied after.
func (x *queryIndex) candidates(q measureQuery) []*Measure {
	var best [][]int32
	bestLen := len(x.measures) + 1
	consider := func(lists [][]int32) {
		n := 0
		for _, l := range lists {
			n += len(l)
		}
		if n < bestLen {
			best, bestLen = lists, n
		}
	}
	switch {
	case q.techs != nil:
		lists := make([][]int32, 0, len(q.techs))
		for t := range q.techs {
			lists = append(lists, x.byTechDomain[techDomain{t, q.Domain}])
		}
		consider(lists)
	case q.Domain != "":
		consider([][]int32{x.byTechDomain[techDomain{"", q.Domain}]})
	}
	if q.places != nil {
		lists := make([][]int32, 0, len(q.places))
		for c := range q.places {
			lists = append(lists, x.byCity[c])
		}
		consider(lists)
	}
	if best == nil {
		return x.measures
	}
	at := union(best)
	out := make([]*Measure, len(at))
	for i, p := range at {
		out[i] = x.measures[p]
	}
	return out
}

// union merges ascending lists into one, without repeats.
func union(lists [][]int32) []int32 {
	lists = slices.DeleteFunc(lists, func(l []int32) bool { return len(l) == 0 })
	switch len(lists) {
	case 0:
		return nil
	case 1:
		return lists[0]
	}
	var out []int32
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// mentionsOf lists the mention counts of the concepts techs, in View order.
func (v *View) mentionsOf(techs map[string]bool) []*Mention {
	lists := make([][]int32, 0, len(techs))
	for t := range techs {
		lists = append(lists, v.index.mentions[t])
	}
	at := union(lists)
	out := make([]*Mention, len(at))
	for i, p := range at {
		out[i] = v.Mentions[p]
	}
	return out
}
