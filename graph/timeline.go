package graph

import (
	"slices"
	"sort"
	"strconv"

	"github.com/policygraph/policygraph/schema"
)

// timeIndex holds what the diffusion questions (timeline, panel, similar)
// read besides the View's records: built with the View, so each question
// is a walk over the measures of one technology, not over the graph.
type timeIndex struct {
	// date and basis of each plan, as Dating.Date gives them.
	date, basis map[string]string
	// mentionsOf are the mention counts scoped to each plan document.
	mentionsOf map[string][]*Mention
	// years are the first and last years any plan is dated in (0 when none).
	firstYear, lastYear int
	text                *textIndex
}

func newTimeIndex(v *View) *timeIndex {
	ix := &timeIndex{date: map[string]string{}, basis: map[string]string{}, mentionsOf: map[string][]*Mention{}}
	for _, p := range v.Plans {
		p.Dating = dating(p)
		d, b := p.Date()
		if d == "" {
			continue
		}
		ix.date[p.ID], ix.basis[p.ID] = d, b
		y := yearOf(d)
		if ix.firstYear == 0 || y < ix.firstYear {
			ix.firstYear = y
		}
		ix.lastYear = max(ix.lastYear, y)
	}
	for _, m := range v.Mentions {
		for _, d := range m.Documents {
			ix.mentionsOf[d] = append(ix.mentionsOf[d], m)
		}
	}
	ix.text = newTextIndex(v)
	return ix
}

func yearOf(date string) int {
	y, _ := strconv.Atoi(date[:4])
	return y
}

// Adoption is one jurisdiction's first plan that names a technology.
type Adoption struct {
	// Rank is the jurisdiction's place in the order of adoption (1 first;
	// jurisdictions adopting on the same day share a rank).
	Rank  int    `json:"rank"`
	City  string `json:"city"`
	Name  string `json:"name"`
	Level string `json:"level"`
	Plan  string `json:"plan"`
	Title string `json:"title"`
	// Date is the plan's date and DateBasis which of its dates it is
	// (published, signed, adopted, reviewed; period_start when only its
	// period is known).
	Date      string       `json:"date"`
	DateBasis string       `json:"date_basis"`
	Year      int          `json:"year"`
	Basis     schema.Basis `json:"basis"`
	Measures  []string     `json:"measures"`
	Matched   []string     `json:"matched,omitempty"`
	// Adopters is how many jurisdictions had adopted by Date, this one included.
	Adopters int `json:"adopters"`
}

// TimelineFilter asks for the adoption of a technology (and the concepts
// under it), optionally applied to a domain and with a basis.
type TimelineFilter struct {
	Technology, Domain string
	Basis              schema.Basis
	Time               TimeFilter
}

// Timeline lists, per jurisdiction, the first plan with a measure linking
// the technology (applying it to the domain, when one is asked), in order
// of date: the adoption curve. Plans without any date cannot be placed
// and are left out.
func (v *View) Timeline(f TimelineFilter) []Adoption {
	firsts := v.firstAdoptions(f, func(city string) string { return city })
	out := make([]Adoption, 0, len(firsts))
	for _, a := range firsts {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].City < out[j].City
	})
	for i := range out {
		if i > 0 && out[i].Date == out[i-1].Date {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	// Adopters by a day count everyone who adopted that day.
	for i := len(out) - 1; i >= 0; i-- {
		if i+1 < len(out) && out[i+1].Date == out[i].Date {
			out[i].Adopters = out[i+1].Adopters
		} else {
			out[i].Adopters = i + 1
		}
	}
	return out
}

// firstAdoptions is, per unit (unitOf of a plan's jurisdiction; "" to
// skip it), its earliest dated plan with a measure passing f.
func (v *View) firstAdoptions(f TimelineFilter, unitOf func(city string) string) map[string]*Adoption {
	q := v.compile(MeasureFilter{Technology: f.Technology, Domain: f.Domain, Basis: f.Basis})
	firsts := map[string]*Adoption{}
	for _, m := range v.candidates(q) {
		date := v.time.date[m.Plan]
		if date == "" || f.Domain != "" && !slices.Contains(m.Domains, f.Domain) {
			continue
		}
		b, matched, ok := q.match(m)
		if !ok {
			continue
		}
		p := v.Plan(m.Plan)
		if !f.Time.Passes(p) {
			continue
		}
		unit := unitOf(p.City)
		if unit == "" {
			continue
		}
		a := firsts[unit]
		if a == nil || date < a.Date || date == a.Date && m.Plan < a.Plan {
			a = &Adoption{City: unit, Plan: m.Plan, Title: planTitle(p), Date: date, DateBasis: v.time.basis[m.Plan], Year: yearOf(date), Basis: b, Measures: []string{}}
			if c := v.City(unit); c != nil {
				a.Name, a.Level = c.Name("en"), string(c.Level)
			}
			firsts[unit] = a
		}
		if a.Plan != m.Plan {
			continue
		}
		if basisRank(b) < basisRank(a.Basis) {
			a.Basis = b
		}
		if !slices.Contains(a.Measures, m.ID) {
			a.Measures = append(a.Measures, m.ID)
		}
		for _, t := range matched {
			if !slices.Contains(a.Matched, t) {
				a.Matched = append(a.Matched, t)
			}
		}
	}
	for _, a := range firsts {
		sort.Strings(a.Measures)
		sort.Strings(a.Matched)
	}
	return firsts
}

func planTitle(p *Plan) string {
	if t := p.Titles["en"]; t != "" {
		return t
	}
	return p.Titles["zh"]
}
