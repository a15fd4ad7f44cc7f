package view

import (
	"slices"
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
	// cities are the jurisdictions by number: the View's cities, then any
	// jurisdiction a plan names without a record. A question counts per
	// number in a slice, where a map per question would cost a lookup
	// per link.
	cities []cityAt
	number map[string]int32
	// links are, per technology concept, the links of measures of dated
	// plans to it, in order of date, plan, measure and basis (see
	// compareLinks): a timeline is one pass over them, with no lookup per
	// measure, and a patch copies only the runs its measures are in.
	links map[string]Sorted[link]
	// mentionsAt are, per technology concept, the mention counts scoped to
	// a dated plan, placed at the first plan they count.
	mentionsAt map[string]Sorted[mentionAt]
}

// cityAt is a jurisdiction as the diffusion answers name it.
type cityAt struct {
	id, name, level string
	// province is the number of the province or municipality it lies
	// within (itself for one), -1 for none: the unit of a province panel.
	province int32
}

type link struct {
	m *Measure
	p *Plan
	// tech is the concept linked, city the number of the plan's jurisdiction.
	tech  string
	date  string
	city  int32
	year  int32
	basis schema.Basis
}

type mentionAt struct {
	id    string // the count's
	p     *Plan
	city  int32
	year  int32
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
	ix.numberJurisdictions(v)
	links := map[string][]link{}
	mentionsAt := map[string][]mentionAt{}
	for _, m := range v.Measures {
		p := v.Plan(m.Plan)
		if p == nil || ix.date[p.ID] == "" {
			continue
		}
		d := ix.date[p.ID]
		for _, t := range m.Technologies {
			links[t.Technology] = append(links[t.Technology], link{m: m, p: p, tech: t.Technology, date: d, city: ix.number[p.City], year: int32(yearOf(d)), basis: t.Basis})
		}
	}
	ix.links = make(map[string]Sorted[link], len(links))
	for t, ls := range links {
		slices.SortFunc(ls, compareLinks)
		ix.links[t] = SortedOf(ls)
	}
	for _, m := range v.Mentions {
		// A count scoped to several documents is placed once, at the first.
		if at, ok := ix.mentionAt(v, m); ok {
			mentionsAt[m.Technology] = append(mentionsAt[m.Technology], at)
		}
	}
	ix.mentionsAt = make(map[string]Sorted[mentionAt], len(mentionsAt))
	for t, l := range mentionsAt {
		ix.mentionsAt[t] = SortedOf(l)
	}
	return ix
}

// numberJurisdictions numbers the View's cities, then the jurisdictions
// of dated plans that have no record, in the order of the plans.
func (ix *timeIndex) numberJurisdictions(v *View) {
	ix.cities, ix.number = nil, map[string]int32{}
	for _, c := range v.Cities {
		ix.cityNumber(c.ID, c)
	}
	for i := range ix.cities {
		ix.cities[i].province = v.provinceNumber(ix, ix.cities[i].id)
	}
	for _, p := range v.Plans {
		if ix.date[p.ID] != "" {
			ix.cityNumber(p.City, nil)
		}
	}
}

// cityNumber numbers jurisdiction id (c its record, nil for none) once.
func (ix *timeIndex) cityNumber(id string, c *City) int32 {
	if n, ok := ix.number[id]; ok {
		return n
	}
	n := int32(len(ix.cities))
	ix.number[id] = n
	at := cityAt{id: id, province: -1}
	if c != nil {
		at.name, at.level = c.Name("en"), string(c.Level)
	}
	ix.cities = append(ix.cities, at)
	return n
}

// provinceNumber is the number of the province or municipality city lies
// within (itself for one); -1 for none.
func (v *View) provinceNumber(ix *timeIndex, city string) int32 {
	for seen := 0; city != "" && seen < 16; seen++ {
		c := v.City(city)
		if c == nil {
			return -1
		}
		if c.Level == schema.ProvinceLevel || c.Level == schema.Municipality {
			return ix.number[c.ID]
		}
		city = c.Parent
	}
	return -1
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
	firsts := v.firstAdoptions(f, nil)
	// Sorted before the rows are made, which are too big to move about.
	order := make([]*firstPlan, 0, len(firsts))
	for i := range firsts {
		if firsts[i].p != nil {
			order = append(order, &firsts[i])
		}
	}
	slices.SortFunc(order, func(a, b *firstPlan) int {
		if c := strings.Compare(a.date, b.date); c != 0 {
			return c
		}
		return strings.Compare(v.time.cities[a.unit].id, v.time.cities[b.unit].id)
	})
	out := make([]Adoption, len(order))
	for i, a := range order {
		out[i] = v.adoption(a)
	}
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

// firstPlan is a unit's first adoption as a walk finds it: its earliest dated
// plan with a passing link, the strongest basis and the measures and
// concepts of that plan's passing links. Measures and concepts are those
// of one plan, so short lists; a walk that finds an earlier plan starts
// them again.
type firstPlan struct {
	unit     int32
	p        *Plan
	date     string
	year     int32
	basis    schema.Basis
	measures []string
	matched  []string
}

// firstAdoptions is, per unit number (unit maps a city number to it, -1
// to skip the city; nil for each city its own unit), its earliest dated
// plan with a measure passing f; p is nil for a unit without one.
func (v *View) firstAdoptions(f TimelineFilter, unit []int32) []firstPlan {
	n := len(v.time.cities)
	firsts := make([]firstPlan, n)
	timed := !f.Time.IsZero()
	v.eachLink(f, func(l *link) {
		if timed && !f.Time.Passes(l.p) {
			return
		}
		u := l.city
		if unit != nil {
			if u = unit[u]; u < 0 {
				return
			}
		}
		a := &firsts[u]
		if a.p != l.p {
			if a.p != nil && (l.date > a.date || l.date == a.date && l.p.ID > a.p.ID) {
				return
			}
			*a = firstPlan{unit: u, p: l.p, date: l.date, year: l.year, basis: l.basis, measures: a.measures[:0], matched: a.matched[:0]}
		}
		if basisRank(l.basis) < basisRank(a.basis) {
			a.basis = l.basis
		}
		// Within one concept's links a measure's are neighbours.
		if k := len(a.measures); k == 0 || a.measures[k-1] != l.m.ID && !slices.Contains(a.measures, l.m.ID) {
			a.measures = append(a.measures, l.m.ID)
		}
		if !slices.Contains(a.matched, l.tech) {
			a.matched = append(a.matched, l.tech)
		}
	})
	return firsts
}

// adoption is the row of a unit's first adoption.
func (v *View) adoption(a *firstPlan) Adoption {
	c := &v.time.cities[a.unit]
	slices.Sort(a.measures)
	slices.Sort(a.matched)
	return Adoption{City: c.id, Name: c.name, Level: c.level, Plan: a.p.ID, Title: planTitle(a.p), Date: a.date, DateBasis: v.time.basis[a.p.ID],
		Year: int(a.year), Basis: a.basis, Measures: a.measures, Matched: a.matched}
}

// eachLink calls fn with every link of a dated plan's measure to f's
// technology or a concept under it, with f's basis, whose measure applies
// to f's domain when one is asked.
func (v *View) eachLink(f TimelineFilter, fn func(*link)) {
	for _, t := range v.concepts.below(f.Technology) {
		for _, ls := range v.time.links[t].Runs() {
			for i := range ls {
				l := &ls[i]
				if f.Basis != "" && l.basis != f.Basis || f.Domain != "" && !slices.Contains(l.m.Domains, f.Domain) {
					continue
				}
				fn(l)
			}
		}
	}
}

func planTitle(p *Plan) string {
	if t := p.Titles["en"]; t != "" {
		return t
	}
	return p.Titles["zh"]
}
