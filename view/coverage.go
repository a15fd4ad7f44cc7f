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
		if !v.index.anyPlanIn(q.places) {
			return []CoverageNote{{City: f.City, Status: NoPlans, Note: fmt.Sprintf(
				"the graph holds no plan of %s or of a jurisdiction within it: an empty answer says nothing about its policy", v.placeName(f.City))}}
		}
	}
	if f.Technology == "" {
		return nil
	}
	// Which counts cover each jurisdiction asked about, from the index:
	// the counts of the technology's concepts, never every count.
	counted := map[string][]string{}
	for t := range q.techs {
		byCity := v.index.counted[t]
		add := func(c string, ms []string) {
			if ms != nil && !got[c] {
				counted[c] = append(counted[c], ms...)
			}
		}
		if q.places != nil && len(q.places) < len(byCity) {
			for c := range q.places {
				add(c, byCity[c])
			}
			continue
		}
		for c, ms := range byCity {
			if q.places == nil || q.places[c] {
				add(c, ms)
			}
		}
	}
	if len(counted) == 0 {
		return nil
	}
	what := v.conceptName(f.Technology)
	if f.Domain != "" {
		what += " applied to " + f.Domain
	}
	out := make([]CoverageNote, 0, len(counted))
	for c, ms := range counted {
		sort.Strings(ms)
		out = append(out, CoverageNote{City: c, Status: MentionsOnly, Mentions: ms, Note: mentionsOnlyNote(v.placeName(c), what, ms)})
	}
	slices.SortFunc(out, func(a, b CoverageNote) int { return strings.Compare(a.City, b.City) })
	return out
}

// mentionsOnlyNote is the note of a jurisdiction whose counts name the
// technology without a measure answering, made with one allocation: a
// broad question at size L has hundreds.
func mentionsOnlyNote(place, what string, mentions []string) string {
	const (
		a = "no measure of "
		b = " in the graph links "
		c = ", although mention counts whose scope includes it record the technology ("
		d = "): its documents may speak of it without a measure recorded here"
	)
	n := len(a) + len(place) + len(b) + len(what) + len(c) + len(d)
	for i, m := range mentions {
		if i > 0 {
			n += 2
		}
		n += len(m)
	}
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteString(a)
	sb.WriteString(place)
	sb.WriteString(b)
	sb.WriteString(what)
	sb.WriteString(c)
	for i, m := range mentions {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(m)
	}
	sb.WriteString(d)
	return sb.String()
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
