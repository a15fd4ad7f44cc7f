package view

import (
	"slices"
	"strings"
)

// queryIndex holds the indexes that make a question about measures cost
// what its answer holds rather than what the corpus holds: "which cities
// apply blockchain to finance" reads the measures that link blockchain
// and apply to finance, not every measure of blockchain.
//
// A list holds measures in id order: a list is already in the order of
// an answer, and the union of the lists of several concepts (a concept
// and those under it) is a merge. Lists are Sorted, so a patch copies
// only the runs its measures fall in (patchindex.go).
type queryIndex struct {
	measures Sorted[*Measure]
	// byTechDomain lists the measures linking a technology (by any
	// basis) and applying to a domain; a key with an empty domain lists
	// every measure of the technology, one with an empty technology
	// every measure of the domain.
	byTechDomain map[techDomain]Sorted[*Measure]
	byCity       map[string]Sorted[*Measure]
	// mentions lists the counts of each technology, in View order.
	mentions map[string]Sorted[*Mention]
	// counted are, per technology, the jurisdictions that its counts
	// above zero cover (by the jurisdiction or one of its documents),
	// each with those counts' ids: what Coverage reads.
	counted map[string]map[string][]string
	// plans counts the plans of the View per jurisdiction.
	plans map[string]int
}

type techDomain struct{ technology, domain string }

// byID is the order of the index's lists. View.Measures is in IRI
// order, which is not id order when one id is another's prefix ("m1>"
// sorts after "m1-2>").
func byID(a, b *Measure) int { return strings.Compare(a.ID, b.ID) }

// keysOf calls f with each key of x's lists that m is in.
func keysOf(m *Measure, f func(k techDomain)) {
	seen := map[techDomain]bool{}
	add := func(k techDomain) {
		// A measure may link one technology by two bases.
		if !seen[k] {
			seen[k] = true
			f(k)
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
}

func newQueryIndex(v *View) *queryIndex {
	ms := slices.Clone(v.Measures)
	slices.SortFunc(ms, byID)
	byTD, byCity := map[techDomain][]*Measure{}, map[string][]*Measure{}
	for _, m := range ms {
		keysOf(m, func(k techDomain) { byTD[k] = append(byTD[k], m) })
		byCity[m.City] = append(byCity[m.City], m)
	}
	x := &queryIndex{
		measures:     SortedOf(ms),
		byTechDomain: make(map[techDomain]Sorted[*Measure], len(byTD)),
		byCity:       make(map[string]Sorted[*Measure], len(byCity)),
		mentions:     map[string]Sorted[*Mention]{},
		plans:        map[string]int{},
	}
	for k, l := range byTD {
		x.byTechDomain[k] = SortedOf(l)
	}
	for k, l := range byCity {
		x.byCity[k] = SortedOf(l)
	}
	mentions := map[string][]*Mention{}
	for _, mc := range v.Mentions {
		mentions[mc.Technology] = append(mentions[mc.Technology], mc)
	}
	x.counted = map[string]map[string][]string{}
	for t, ms := range mentions {
		x.mentions[t] = SortedOf(ms)
		if c := countedOf(v, ms); c != nil {
			x.counted[t] = c
		}
	}
	for _, p := range v.Plans {
		x.plans[p.City]++
	}
	return x
}

// anyPlanIn reports whether a plan of the View belongs to one of places.
func (x *queryIndex) anyPlanIn(places map[string]bool) bool {
	for c := range places {
		if x.plans[c] > 0 {
			return true
		}
	}
	return false
}

// countedOf are the jurisdictions the counts ms of one technology cover,
// each with those counts' ids; nil for none.
func countedOf(v *View, ms []*Mention) map[string][]string {
	var byCity map[string][]string
	for _, m := range ms {
		for c := range coveredBy(v, m) {
			if byCity == nil {
				byCity = map[string][]string{}
			}
			byCity[c] = append(byCity[c], m.ID)
		}
	}
	return byCity
}

// coveredBy are the jurisdictions count m covers: none for a count of
// none, which is the graph saying the documents do not name it.
func coveredBy(v *View, m *Mention) map[string]bool {
	if m.Count == 0 {
		return nil
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
	return covered
}

// candidates are the measures that may pass q, each once and in id
// order: the union of the lists of the smallest index that applies. The
// filters themselves are applied after.
func (x *queryIndex) candidates(q measureQuery) []*Measure {
	var best []Sorted[*Measure]
	bestLen := x.measures.Len() + 1
	consider := func(lists []Sorted[*Measure]) {
		n := 0
		for _, l := range lists {
			n += l.Len()
		}
		if n < bestLen {
			best, bestLen = lists, n
		}
	}
	switch {
	case q.techs != nil:
		lists := make([]Sorted[*Measure], 0, len(q.techs))
		for t := range q.techs {
			lists = append(lists, x.byTechDomain[techDomain{t, q.Domain}])
		}
		consider(lists)
	case q.Domain != "":
		consider([]Sorted[*Measure]{x.byTechDomain[techDomain{"", q.Domain}]})
	}
	if q.places != nil {
		lists := make([]Sorted[*Measure], 0, len(q.places))
		for c := range q.places {
			lists = append(lists, x.byCity[c])
		}
		consider(lists)
	}
	if best == nil {
		return x.measures.Slice()
	}
	return union(best, byID)
}

// union merges ascending lists into one, without repeats: in pairs, so
// each element is compared about log(lists) times.
func union[T comparable](lists []Sorted[T], order func(a, b T) int) []T {
	var flat [][]T
	for _, l := range lists {
		if l.Len() > 0 {
			flat = append(flat, l.Slice())
		}
	}
	if len(flat) == 0 {
		return nil
	}
	for len(flat) > 1 {
		var next [][]T
		for i := 0; i+1 < len(flat); i += 2 {
			next = append(next, merge(flat[i], flat[i+1], order))
		}
		if len(flat)%2 == 1 {
			next = append(next, flat[len(flat)-1])
		}
		flat = next
	}
	return flat[0]
}

func merge[T comparable](a, b []T, order func(a, b T) int) []T {
	out := make([]T, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		switch c := order(a[0], b[0]); {
		case c < 0:
			out, a = append(out, a[0]), a[1:]
		case c > 0:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// mentionOrder is View order: by IRI.
func mentionOrder(a, b *Mention) int { return compareIDs(a.ID, b.ID) }

// mentionsOf lists the mention counts of the concepts techs, in View order.
func (v *View) mentionsOf(techs map[string]bool) []*Mention {
	lists := make([]Sorted[*Mention], 0, len(techs))
	for t := range techs {
		lists = append(lists, v.index.mentions[t])
	}
	return union(lists, mentionOrder)
}
