package view

import (
	"github.com/policygraph/policygraph/schema"
)

// Panel units: which jurisdictions are the panel's rows.
const (
	// UnitCity: every city and municipality, each with its own plans.
	UnitCity = "city"
	// UnitProvince: every province and municipality, each with the plans
	// of every jurisdiction within it.
	UnitProvince = "province"
)

// PanelUnits are the units a panel may have.
var PanelUnits = []string{UnitCity, UnitProvince}

// PanelRow is one unit × year × technology (× domain) of an adoption
// panel, in the long format event-history models read.
type PanelRow struct {
	Unit       string `json:"unit"`
	Name       string `json:"name"`
	Level      string `json:"level"`
	Period     int    `json:"period"`
	Technology string `json:"technology"`
	Domain     string `json:"domain,omitempty"`
	// Adopted is 1 from the unit's first adoption period on; Event is 1
	// only in that period (the row an event-history model ends the spell at).
	Adopted int `json:"adopted"`
	Event   int `json:"event"`
	// FirstAdoption is the period of the first adoption; 0 when none.
	FirstAdoption int `json:"first_adoption"`
	// Measures linking the technology in the unit's plans dated in the
	// period, by the basis of their strongest link; Mentions the recorded
	// mention counts of those plans for the technology.
	Measures  int `json:"measures"`
	Explicit  int `json:"explicit"`
	Inferred  int `json:"inferred"`
	Extracted int `json:"extracted"`
	Mentions  int `json:"mentions"`
}

// PanelFilter asks for a panel.
type PanelFilter struct {
	Unit         string
	Technologies []string
	Domains      []string // none: one row per unit × period × technology
	Basis        schema.Basis
}

// Panel builds the adoption panel: for every unit, every year from the
// first to the last any plan of the graph is dated in, and every asked
// technology (and domain), whether and when the unit adopted it and how
// much its plans of that year say about it.
func (v *View) Panel(f PanelFilter) []PanelRow {
	t := v.CountPanel(f)
	out := make([]PanelRow, t.Len())
	for i := range out {
		out[i] = t.Row(i)
	}
	return out
}

// PanelTable is a panel as counted, its rows made one at a time by Row:
// an answer makes the rows of its page only, and none of them on the heap.
type PanelTable struct {
	units        []*cityAt
	technologies []string
	domains      []string
	first, years int
	// adopted and counts are per technology × domain, in the order of
	// rows: the first adoption year per unit, the counts per unit × year.
	adopted [][]int32
	counts  [][]panelCount
}

// Len is the number of rows: units × years × technologies × domains.
func (t *PanelTable) Len() int {
	return len(t.units) * t.years * len(t.technologies) * len(t.domains)
}

// Row is row i, in the order of technology, domain, unit and year.
func (t *PanelTable) Row(i int) PanelRow {
	y := i % t.years
	rest := i / t.years
	u := rest % len(t.units)
	block := rest / len(t.units)
	unit, fa := t.units[u], int(t.adopted[block][u])
	r := PanelRow{Unit: unit.id, Name: unit.name, Level: unit.level, Period: t.first + y,
		Technology: t.technologies[block/len(t.domains)], Domain: t.domains[block%len(t.domains)], FirstAdoption: fa}
	if fa != 0 && r.Period >= fa {
		r.Adopted = 1
	}
	if fa == r.Period {
		r.Event = 1
	}
	c := &t.counts[block][u*t.years+y]
	r.Measures, r.Explicit, r.Inferred, r.Extracted, r.Mentions = int(c.measures), int(c.explicit), int(c.inferred), int(c.extracted), c.mentions
	return r
}

// CountPanel counts the panel f asks for (see Panel).
func (v *View) CountPanel(f PanelFilter) *PanelTable {
	ix := v.time
	// block maps a city number to its unit's block of rows; -1 for none.
	block := make([]int32, len(ix.cities))
	for i := range block {
		block[i] = -1
	}
	t := &PanelTable{technologies: f.Technologies, domains: f.Domains, first: ix.firstYear, years: max(0, ix.lastYear-ix.firstYear+1)}
	for _, c := range v.Cities {
		if f.Unit == UnitProvince && (c.Level == schema.ProvinceLevel || c.Level == schema.Municipality) ||
			f.Unit != UnitProvince && (c.Level == schema.CityLevel || c.Level == schema.Municipality) {
			n := ix.number[c.ID]
			block[n] = int32(len(t.units))
			t.units = append(t.units, &ix.cities[n])
		}
	}
	if f.Unit == UnitProvince {
		// A city's rows are its province's.
		own := block
		block = make([]int32, len(ix.cities))
		for i, c := range ix.cities {
			block[i] = -1
			if c.province >= 0 {
				block[i] = own[c.province]
			}
		}
	}
	if len(t.domains) == 0 {
		t.domains = []string{""}
	}
	if t.years == 0 || len(t.units) == 0 {
		t.years, t.units = max(t.years, 1), nil
		return t
	}
	for _, tech := range t.technologies {
		for _, dom := range t.domains {
			adopted, counts := v.panelCounts(TimelineFilter{Technology: tech, Domain: dom, Basis: f.Basis}, block, len(t.units), t.years)
			t.adopted, t.counts = append(t.adopted, adopted), append(t.counts, counts)
		}
	}
	return t
}

type panelCount struct {
	measures, explicit, inferred, extracted int32
	mentions                                int
}

// panelCounts is, per unit (block maps a city number to it), the year of
// its first adoption (0 for none) and, per unit and year, the measures
// passing f and the mentions of f's technology in the plans dated that
// year; a measure counts once, by the basis of its strongest passing link.
// The first adoption is the year of the unit's earliest passing link, as
// the timeline's first plan gives it.
func (v *View) panelCounts(f TimelineFilter, block []int32, units, years int) ([]int32, []panelCount) {
	adopted := make([]int32, units)
	out := make([]panelCount, units*years)
	cell := func(city, year int32) *panelCount {
		i := block[city]
		if i < 0 {
			return nil
		}
		return &out[int(i)*years+int(year)-v.time.firstYear]
	}
	// A measure's links to one concept are neighbours in its list; only a
	// question over several concepts needs a set to count each measure once.
	var best []*link
	var seen map[*Measure]int
	if len(v.concepts.below(f.Technology)) > 1 {
		seen = map[*Measure]int{}
	}
	v.eachLink(f, func(l *link) {
		if u := block[l.city]; u >= 0 && (adopted[u] == 0 || l.year < adopted[u]) {
			adopted[u] = l.year
		}
		i := -1
		if seen != nil {
			if j, ok := seen[l.m]; ok {
				i = j
			} else {
				seen[l.m] = len(best)
			}
		} else if n := len(best); n > 0 && best[n-1].m == l.m {
			i = n - 1
		}
		switch {
		case i < 0:
			best = append(best, l)
		case basisRank(l.basis) < basisRank(best[i].basis):
			best[i] = l
		}
	})
	for _, l := range best {
		c := cell(l.city, l.year)
		if c == nil {
			continue
		}
		c.measures++
		switch l.basis {
		case schema.Explicit:
			c.explicit++
		case schema.Inferred:
			c.inferred++
		case schema.Extracted:
			c.extracted++
		}
	}
	for _, t := range v.concepts.below(f.Technology) {
		for _, run := range v.time.mentionsAt[t].Runs() {
			for _, m := range run {
				if c := cell(m.city, m.year); c != nil {
					c.mentions += m.count
				}
			}
		}
	}
	return adopted, out
}
