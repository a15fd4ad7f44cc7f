package view

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// Coverage statuses: why a jurisdiction has no rows in an answer.
const (
	// NoPlans: the graph holds no plan of the jurisdiction (or of one
	// within it), so an empty answer says nothing about its policy.
	NoPlans = "no_plans"
	// MentionsOnly: a mention count of the technology (above zero) covers
	// the jurisdiction or its documents, but no measure of the graph links
	// it there.
	MentionsOnly = "mentions_only"
)

// CoverageNote tells a reader that zero rows for a jurisdiction are a gap
// in the graph, not evidence that no such policy exists.
type CoverageNote struct {
	City   string `json:"city"`
	Status string `json:"status"`
	// Mentions are the mention counts that name the technology there.
	Mentions []string `json:"mentions,omitempty"`
	Note     string   `json:"note"`
}

// Coverage notes the jurisdictions an answer to f leaves without rows
// although the graph cannot say they have no such policy: the asked
// jurisdiction when the graph holds none of its plans, and, for a
// technology, each jurisdiction whose documents are counted naming it
// (or a concept under it) but that has no row. answered are the
// jurisdictions the answer has rows for.
func (v *View) Coverage(f MeasureFilter, answered []string) []CoverageNote {
	q := v.compile(f)
	got := map[string]bool{}
	for _, c := range answered {
		got[c] = true
	}
	if f.City != "" {
		if !slices.ContainsFunc(v.Plans, func(p *Plan) bool { return q.places[p.City] }) {
			return []CoverageNote{{City: f.City, Status: NoPlans, Note: fmt.Sprintf(
				"the graph holds no plan of %s or of a jurisdiction within it: an empty answer says nothing about its policy", v.placeName(f.City))}}
		}
	}
	if f.Technology == "" {
		return nil
	}
	// Which jurisdictions each count covers, kept to those asked about.
	counted := map[string][]string{}
	for _, m := range v.MentionsOf(f.Technology, f.City) {
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
		for c := range covered {
			if q.places == nil || q.places[c] {
				counted[c] = append(counted[c], m.ID)
			}
		}
	}
	var out []CoverageNote
	for c, ms := range counted {
		if got[c] {
			continue
		}
		sort.Strings(ms)
		what := v.conceptName(f.Technology)
		if f.Domain != "" {
			what += " applied to " + f.Domain
		}
		out = append(out, CoverageNote{City: c, Status: MentionsOnly, Mentions: ms, Note: fmt.Sprintf(
			"no measure of %s in the graph links %s, although mention counts whose scope includes it record the technology (%s): its documents may speak of it without a measure recorded here",
			v.placeName(c), what, strings.Join(ms, ", "))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].City < out[j].City })
	return out
}

func (v *View) placeName(id string) string {
	if c := v.City(id); c != nil {
		return c.Name("en")
	}
	return id
}

// conceptName is a technology's English name; a concept with narrower
// ones says so, since the answer covered them too.
func (v *View) conceptName(id string) string {
	name := id
	if e := v.Term(schema.Technology, id); e != nil {
		name = e.Name("en")
	}
	if len(v.concepts[id]) > 0 {
		name += " (or a concept under it)"
	}
	return name
}
