package view

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// timeIndex holds what the diffusion questions (timeline, panel, similar)
// read besides the View's records: built with the View, so each question
// is a walk over the measures of one technology, not over the graph.
type timeIndex struct {
	// date and basis of each plan, as Dating.Date gives them.
	date, basis map[string]string
	// years are the first and last years any plan is dated in (0 when none).
	firstYear, lastYear int
	// links are, per technology concept, the links of measures of dated
	// plans to it, in order of date, plan and measure: a timeline is one
	// pass over them, with no lookup per measure.
	links map[string][]link
	// mentionsAt are, per technology concept, the mention counts scoped to
	// a dated plan, placed at the first plan they count.
	mentionsAt map[string][]mentionAt
}

type link struct {
	m     *Measure
	p     *Plan
	date  string
	year  int
	basis schema.Basis
}

type mentionAt struct {
	p     *Plan
	year  int
	count int
}

func newTimeIndex(v *View) *timeIndex {
	ix := &timeIndex{date: map[string]string{}, basis: map[string]string{}}
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
	ix.links, ix.mentionsAt = map[string][]link{}, map[string][]mentionAt{}
	for _, m := range v.Measures {
		p := v.Plan(m.Plan)
		if p == nil || ix.date[p.ID] == "" {
			continue
		}
		d := ix.date[p.ID]
		for _, t := range m.Technologies {
			ix.links[t.Technology] = append(ix.links[t.Technology], link{m: m, p: p, date: d, year: yearOf(d), basis: t.Basis})
		}
	}
	for _, ls := range ix.links {
		slices.SortFunc(ls, func(a, b link) int {
			if c := strings.Compare(a.date, b.date); c != 0 {
				return c
			}
			if c := strings.Compare(a.p.ID, b.p.ID); c != 0 {
				return c
			}
			return strings.Compare(a.m.ID, b.m.ID)
		})
	}
	for _, m := range v.Mentions {
		// A count scoped to several documents is placed once, at the first.
		if len(m.Documents) == 0 {
			continue
		}
		if p := v.Plan(m.Documents[0]); p != nil && ix.date[p.ID] != "" {
			ix.mentionsAt[m.Technology] = append(ix.mentionsAt[m.Technology], mentionAt{p: p, year: yearOf(ix.date[p.ID]), count: int(m.Count)})
		}
	}
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
	firsts := map[string]*Adoption{}
	v.eachLink(f, func(l link) {
		if !f.Time.Passes(l.p) {
			return
		}
		unit := unitOf(l.p.City)
		if unit == "" {
			return
		}
		a := firsts[unit]
		if a == nil || l.date < a.Date || l.date == a.Date && l.p.ID < a.Plan {
			a = &Adoption{City: unit, Plan: l.p.ID, Title: planTitle(l.p), Date: l.date, DateBasis: v.time.basis[l.p.ID], Year: l.year, Basis: l.basis, Measures: []string{}}
			if c := v.City(unit); c != nil {
				a.Name, a.Level = c.Name("en"), string(c.Level)
			}
			firsts[unit] = a
		}
		if a.Plan != l.p.ID {
			return
		}
		if basisRank(l.basis) < basisRank(a.Basis) {
			a.Basis = l.basis
		}
		if !slices.Contains(a.Measures, l.m.ID) {
			a.Measures = append(a.Measures, l.m.ID)
		}
	})
	q := v.compile(MeasureFilter{Technology: f.Technology, Basis: f.Basis})
	for _, a := range firsts {
		sort.Strings(a.Measures)
		// The concepts under the asked one that the first plan's measures link.
		for _, id := range a.Measures {
			_, matched, _ := q.match(v.Measure(id))
			for _, t := range matched {
				if !slices.Contains(a.Matched, t) {
					a.Matched = append(a.Matched, t)
				}
			}
		}
		sort.Strings(a.Matched)
	}
	return firsts
}

// eachLink calls fn with every link of a dated plan's measure to f's
// technology or a concept under it, with f's basis, whose measure applies
// to f's domain when one is asked.
func (v *View) eachLink(f TimelineFilter, fn func(link)) {
	for _, t := range v.concepts.below(f.Technology) {
		for _, l := range v.time.links[t] {
			if f.Basis != "" && l.basis != f.Basis || f.Domain != "" && !slices.Contains(l.m.Domains, f.Domain) {
				continue
			}
			fn(l)
		}
	}
}

func planTitle(p *Plan) string {
	if t := p.Titles["en"]; t != "" {
		return t
	}
	return p.Titles["zh"]
}
