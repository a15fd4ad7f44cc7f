package graph

import (
	"slices"
	"sort"

	"github.com/policygraph/policygraph/schema"
)

// MeasureFilter selects measures; empty fields select everything. Ids are
// resolved ids, not names.
type MeasureFilter struct {
	City, Plan, Technology, Domain string
	// Basis keeps only measures whose link to Technology (or to any
	// technology when Technology is empty) has this basis; "" is any.
	Basis schema.Basis
}

// basisRank orders bases strongest first.
func basisRank(b schema.Basis) int { return slices.Index(schema.Bases, b) }

// matchBasis is the strongest basis of m's technology links that pass f,
// and whether any does. With neither a technology nor a basis in f, a
// measure without technologies passes with basis "".
func (f MeasureFilter) matchBasis(m *Measure) (schema.Basis, bool) {
	var best schema.Basis
	found := false
	for _, t := range m.Technologies {
		if f.Technology != "" && t.Technology != f.Technology {
			continue
		}
		if f.Basis != "" && t.Basis != f.Basis {
			continue
		}
		if !found || basisRank(t.Basis) < basisRank(best) {
			best = t.Basis
		}
		found = true
	}
	if !found && f.Technology == "" && f.Basis == "" {
		return "", true
	}
	return best, found
}

// FindMeasures lists the measures that pass f, sorted by id.
func (v *View) FindMeasures(f MeasureFilter) []*Measure {
	// Start from the smallest index that applies.
	cands := v.Measures
	for _, ix := range []struct {
		key string
		m   map[string][]*Measure
	}{{f.Technology, v.byTechnology}, {f.Domain, v.byDomain}, {f.City, v.byCity}} {
		if ix.key != "" && len(ix.m[ix.key]) < len(cands) {
			cands = ix.m[ix.key]
		}
	}
	out := []*Measure{}
	seen := map[*Measure]bool{}
	for _, m := range cands {
		if seen[m] {
			continue
		}
		seen[m] = true
		if f.City != "" && m.City != f.City || f.Plan != "" && m.Plan != f.Plan {
			continue
		}
		if f.Domain != "" && !slices.Contains(m.Domains, f.Domain) {
			continue
		}
		if _, ok := f.matchBasis(m); !ok {
			continue
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CityRow is one city answering "which cities link this technology (and domain)?".
type CityRow struct {
	City     string       `json:"city"`
	Name     string       `json:"name"`
	Basis    schema.Basis `json:"basis"`
	Plans    []string     `json:"plans"`
	Measures []string     `json:"measures"`
}

// CitiesWith lists, per city, the measures that pass f; a row's basis is the
// strongest basis among them (explicit if any link is explicit).
func (v *View) CitiesWith(f MeasureFilter) []CityRow {
	rows := map[string]*CityRow{}
	for _, m := range v.FindMeasures(f) {
		b, _ := f.matchBasis(m)
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
		if m.Plan != "" && !slices.Contains(r.Plans, m.Plan) {
			r.Plans = append(r.Plans, m.Plan)
		}
		r.Measures = append(r.Measures, m.ID)
	}
	out := make([]CityRow, 0, len(rows))
	for _, r := range rows {
		sort.Strings(r.Plans)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].City < out[j].City })
	return out
}

// PlansOf lists the plans of city (all plans when city is ""), by id.
func (v *View) PlansOf(city string) []*Plan {
	out := []*Plan{}
	for _, p := range v.Plans {
		if city == "" || p.City == city {
			out = append(out, p)
		}
	}
	return out
}

// MentionsOf lists the mention counts of technology (any when "") whose
// scope covers city (any when ""): the city itself or one of its documents.
func (v *View) MentionsOf(technology, city string) []*Mention {
	out := []*Mention{}
	for _, m := range v.Mentions {
		if technology != "" && m.Technology != technology {
			continue
		}
		if city != "" && !v.mentionCovers(m, city) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func (v *View) mentionCovers(m *Mention, city string) bool {
	if slices.Contains(m.Cities, city) {
		return true
	}
	for _, d := range m.Documents {
		if p := v.Plan(d); p != nil && p.City == city {
			return true
		}
	}
	return false
}

// SupportOf lists the support instruments for technology in city ("" for any).
func (v *View) SupportOf(technology, city string) []*Instrument {
	out := []*Instrument{}
	for _, in := range v.Instruments {
		if (technology == "" || in.Technology == technology) && (city == "" || in.City == city) {
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
}

// Matrix compares cities on one technology, domain by domain.
type Matrix struct {
	Technology string   `json:"technology"`
	Cities     []string `json:"cities"`
	Domains    []string `json:"domains"`
	Cells      []Cell   `json:"cells"` // domain-major: Domains[i] × Cities[j] at i*len(Cities)+j
}

// Compare builds the domains × cities matrix for technology; domains are
// those linked in at least one of the cities, in id order.
func (v *View) Compare(cities []string, technology string, basis schema.Basis) Matrix {
	mx := Matrix{Technology: technology, Cities: cities, Domains: []string{}, Cells: []Cell{}}
	cell := map[[2]string]*Cell{}
	domains := map[string]bool{}
	for _, c := range cities {
		f := MeasureFilter{City: c, Technology: technology, Basis: basis}
		for _, m := range v.FindMeasures(f) {
			b, _ := f.matchBasis(m)
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
			}
		}
	}
	for d := range domains {
		mx.Domains = append(mx.Domains, d)
	}
	sort.Strings(mx.Domains)
	for _, d := range mx.Domains {
		for _, c := range cities {
			if x := cell[[2]string{d, c}]; x != nil {
				mx.Cells = append(mx.Cells, *x)
			} else {
				mx.Cells = append(mx.Cells, Cell{Domain: d, City: c, Measures: []string{}})
			}
		}
	}
	return mx
}
