package view

import (
	"slices"
	"sort"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// MeasureFilter selects measures; empty fields select everything. Ids are
// resolved ids, not names. Technology is a concept and selects every
// concept under it (information-infrastructure selects 5g, data-center,
// …); City is a jurisdiction and selects every jurisdiction within it
// (fujian selects fuzhou).
type MeasureFilter struct {
	City, Plan, Technology, Domain string
	// Basis keeps only measures whose link to Technology (or to any
	// technology when Technology is empty) has this basis; "" is any.
	Basis schema.Basis
	// Time keeps only measures of plans that pass it.
	Time TimeFilter
	// Instruments keeps only measures of at least one of these
	// instrument types; empty is any.
	Instruments []string
}

// measureQuery is a MeasureFilter with its concept and jurisdiction expanded.
type measureQuery struct {
	MeasureFilter
	techs, places map[string]bool // nil: any
}

func (v *View) compile(f MeasureFilter) measureQuery {
	return measureQuery{MeasureFilter: f, techs: v.concepts.set(f.Technology), places: v.places.set(f.City)}
}

// basisRank orders bases strongest first.
func basisRank(b schema.Basis) int { return slices.Index(schema.Bases, b) }

// match is the strongest basis of m's technology links that pass q, the
// concepts of those links (sorted; nil when q names no technology), and
// whether any link passes. With neither a technology nor a basis in q, a
// measure without technologies passes with basis "".
func (q measureQuery) match(m *Measure) (schema.Basis, []string, bool) {
	var best schema.Basis
	var matched []string
	found := false
	for _, t := range m.Technologies {
		if q.techs != nil && !q.techs[t.Technology] {
			continue
		}
		if q.Basis != "" && t.Basis != q.Basis {
			continue
		}
		if !found || basisRank(t.Basis) < basisRank(best) {
			best = t.Basis
		}
		if q.techs != nil && !slices.Contains(matched, t.Technology) {
			matched = append(matched, t.Technology)
		}
		found = true
	}
	if !found && q.techs == nil && q.Basis == "" {
		return "", nil, true
	}
	sort.Strings(matched)
	return best, matched, found
}

// best is match's basis and verdict, without the concepts.
func (q measureQuery) best(m *Measure) (schema.Basis, bool) {
	var best schema.Basis
	found := false
	for _, t := range m.Technologies {
		if q.techs != nil && !q.techs[t.Technology] || q.Basis != "" && t.Basis != q.Basis {
			continue
		}
		if !found || basisRank(t.Basis) < basisRank(best) {
			best = t.Basis
		}
		found = true
	}
	if !found && q.techs == nil && q.Basis == "" {
		return "", true
	}
	return best, found
}

// addMatched adds to matched the concepts match would list for m that
// it does not hold yet.
func (q measureQuery) addMatched(matched []string, m *Measure) []string {
	if q.techs == nil {
		return matched
	}
	for _, t := range m.Technologies {
		if q.techs[t.Technology] && (q.Basis == "" || t.Basis == q.Basis) && !slices.Contains(matched, t.Technology) {
			matched = append(matched, t.Technology)
		}
	}
	return matched
}

// MeasureRow is a measure answering a filter, with the concepts of its
// links that the filter's technology matched.
type MeasureRow struct {
	*Measure
	// Matched are the concepts under the asked technology that the
	// measure links (["data-center"] for information-infrastructure);
	// absent when no technology was asked.
	Matched []string `json:"matched,omitempty"`
	// PlanDates are the dates of the measure's plan, which a time filter reads.
	PlanDates *Dating `json:"plan_dates,omitempty"`
}

// FindMeasures lists the measures that pass f, sorted by id.
func (v *View) FindMeasures(f MeasureFilter) []MeasureRow {
	q := v.compile(f)
	out := []MeasureRow{}
	for _, m := range v.index.candidates(q) {
		if !v.admits(q, m) {
			continue
		}
		_, matched, ok := q.match(m)
		if !ok {
			continue
		}
		row := MeasureRow{Measure: m, Matched: matched}
		if p := v.Plan(m.Plan); p != nil {
			row.PlanDates = &p.Dating
		}
		out = append(out, row)
	}
	return out
}

// admits reports whether m passes every filter of q but its technology
// and basis, which match reads.
func (v *View) admits(q measureQuery, m *Measure) bool {
	if q.places != nil && !q.places[m.City] || q.Plan != "" && m.Plan != q.Plan {
		return false
	}
	if q.Domain != "" && !slices.Contains(m.Domains, q.Domain) || !usesAny(m, q.Instruments) {
		return false
	}
	return q.Time.IsZero() || q.Time.Passes(v.Plan(m.Plan))
}

// CityRow is one city answering "which cities link this technology (and domain)?".
type CityRow struct {
	City     string       `json:"city"`
	Name     string       `json:"name"`
	Basis    schema.Basis `json:"basis"`
	Plans    []string     `json:"plans"`
	Measures []string     `json:"measures"`
	// Matched are the concepts under the asked technology that the
	// city's measures link; absent when no technology was asked.
	Matched []string `json:"matched,omitempty"`
}

// CitiesWith lists, per city, the measures that pass f; a row's basis is the
// strongest basis among them (explicit if any link is explicit).
func (v *View) CitiesWith(f MeasureFilter) []CityRow {
	q := v.compile(f)
	rows := map[string]*CityRow{}
	for _, m := range v.index.candidates(q) {
		if !v.admits(q, m) {
			continue
		}
		b, ok := q.best(m)
		if !ok {
			continue
		}
		r := rows[m.City]
		if r == nil {
			name := m.City
			if c := v.City(m.City); c != nil {
				name = c.Name("en")
			}
			r = &CityRow{City: m.City, Name: name, Basis: b, Plans: []string{}, Measures: []string{}}
			rows[m.City] = r
		}
		if b != "" && (r.Basis == "" || basisRank(b) < basisRank(r.Basis)) {
			r.Basis = b
		}
		// Measures come in id order, mostly a plan's together.
		if n := len(r.Plans); m.Plan != "" && (n == 0 || r.Plans[n-1] != m.Plan) && !slices.Contains(r.Plans, m.Plan) {
			r.Plans = append(r.Plans, m.Plan)
		}
		r.Measures = append(r.Measures, m.ID)
		r.Matched = q.addMatched(r.Matched, m)
	}
	out := make([]CityRow, 0, len(rows))
	for _, r := range rows {
		sort.Strings(r.Plans)
		sort.Strings(r.Matched)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b CityRow) int { return strings.Compare(a.City, b.City) })
	return out
}

// PlansOf lists the plans of city and of every jurisdiction within it
// (all plans when city is ""), by id.
func (v *View) PlansOf(city string) []*Plan {
	places := v.places.set(city)
	out := []*Plan{}
	for _, p := range v.Plans {
		if places == nil || places[p.City] {
			out = append(out, p)
		}
	}
	return out
}

// MentionsOf lists the mention counts of technology or a concept under it
// (any when "") whose scope covers city or a jurisdiction within it (any
// when ""): the jurisdiction itself or one of its documents. A count's
// technology field says which concept it counts.
func (v *View) MentionsOf(technology, city string) []*Mention {
	techs, places := v.concepts.set(technology), v.places.set(city)
	all := v.Mentions
	if techs != nil {
		all = v.mentionsOf(techs)
	}
	out := []*Mention{}
	for _, m := range all {
		if places != nil && !v.mentionCovers(m, places) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func (v *View) mentionCovers(m *Mention, places map[string]bool) bool {
	for _, c := range m.Cities {
		if places[c] {
			return true
		}
	}
	for _, d := range m.Documents {
		if p := v.Plan(d); p != nil && places[p.City] {
			return true
		}
	}
	return false
}

// SupportOf lists the support instruments for technology or a concept
// under it, in city or a jurisdiction within it ("" for any). An
// instrument's technology field says which concept it concerns.
func (v *View) SupportOf(technology, city string) []*Instrument {
	techs, places := v.concepts.set(technology), v.places.set(city)
	out := []*Instrument{}
	for _, in := range v.Instruments {
		if (techs == nil || techs[in.Technology]) && (places == nil || places[in.City]) {
			out = append(out, in)
		}
	}
	return out
}

// Cell is one domain × city cell of a comparison.
type Cell struct {
	Domain   string       `json:"domain"`
	City     string       `json:"city"`
	Basis    schema.Basis `json:"basis"` // "" when no measure links them
	Measures []string     `json:"measures"`
	// Matched are the concepts under the compared technology that the
	// cell's measures link.
	Matched []string `json:"matched,omitempty"`
}

// Matrix compares cities on one technology, domain by domain.
type Matrix struct {
	Technology string   `json:"technology"`
	Cities     []string `json:"cities"`
	Domains    []string `json:"domains"`
	Cells      []Cell   `json:"cells"` // domain-major: Domains[i] × Cities[j] at i*len(Cities)+j
	// Coverage notes the cities whose empty column is a gap in the graph.
	Coverage []CoverageNote `json:"coverage,omitempty"`
}

// Compare builds the domains × cities matrix for technology (and the
// concepts under it); domains are those linked in at least one of the
// cities, in id order. A city column covers the jurisdictions within it.
func (v *View) Compare(cities []string, technology string, basis schema.Basis) Matrix {
	return v.CompareAt(cities, technology, basis, TimeFilter{})
}

// CompareAt is Compare over the measures of plans that pass tf.
func (v *View) CompareAt(cities []string, technology string, basis schema.Basis, tf TimeFilter) Matrix {
	mx := Matrix{Technology: technology, Cities: cities, Domains: []string{}, Cells: []Cell{}}
	cell := map[[2]string]*Cell{}
	domains := map[string]bool{}
	for _, c := range cities {
		f := MeasureFilter{City: c, Technology: technology, Basis: basis, Time: tf}
		q := v.compile(f)
		for _, m := range v.FindMeasures(f) {
			b, _, _ := q.match(m.Measure)
			for _, d := range m.Domains {
				domains[d] = true
				k := [2]string{d, c}
				x := cell[k]
				if x == nil {
					x = &Cell{Domain: d, City: c, Basis: b, Measures: []string{}}
					cell[k] = x
				}
				if basisRank(b) < basisRank(x.Basis) {
					x.Basis = b
				}
				x.Measures = append(x.Measures, m.ID)
				for _, t := range m.Matched {
					if !slices.Contains(x.Matched, t) {
						x.Matched = append(x.Matched, t)
					}
				}
			}
		}
	}
	for _, c := range cities {
		f := MeasureFilter{City: c, Technology: technology, Basis: basis, Time: tf}
		var answered []string
		for _, m := range v.FindMeasures(f) {
			answered = append(answered, m.City)
		}
		mx.Coverage = append(mx.Coverage, v.Coverage(f, answered)...)
	}
	for d := range domains {
		mx.Domains = append(mx.Domains, d)
	}
	sort.Strings(mx.Domains)
	for _, d := range mx.Domains {
		for _, c := range cities {
			if x := cell[[2]string{d, c}]; x != nil {
				sort.Strings(x.Matched)
				mx.Cells = append(mx.Cells, *x)
			} else {
				mx.Cells = append(mx.Cells, Cell{Domain: d, City: c, Measures: []string{}})
			}
		}
	}
	return mx
}
