package view

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/loader/synthetic"
	"github.com/policygraph/policygraph/schema"
)

// scanMeasures is FindMeasures as it was before the index: every measure
// of the View read and filtered, then sorted by id.
func scanMeasures(v *View, f MeasureFilter) []MeasureRow {
	q := v.compile(f)
	out := []MeasureRow{}
	for _, m := range v.Measures {
		if q.places != nil && !q.places[m.City] || f.Plan != "" && m.Plan != f.Plan {
			continue
		}
		if f.Domain != "" && !slices.Contains(m.Domains, f.Domain) || !usesAny(m, f.Instruments) {
			continue
		}
		_, matched, ok := q.match(m)
		if !ok {
			continue
		}
		p := v.Plan(m.Plan)
		if !f.Time.Passes(p) {
			continue
		}
		row := MeasureRow{Measure: m, Matched: matched}
		if p != nil {
			row.PlanDates = &p.Dating
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// scanCities is CitiesWith as it was before the index, over scanMeasures.
func scanCities(v *View, f MeasureFilter) []CityRow {
	q := v.compile(f)
	rows := map[string]*CityRow{}
	for _, m := range scanMeasures(v, f) {
		b, _, _ := q.match(m.Measure)
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
		for _, t := range m.Matched {
			if !slices.Contains(r.Matched, t) {
				r.Matched = append(r.Matched, t)
			}
		}
	}
	out := make([]CityRow, 0, len(rows))
	for _, r := range rows {
		sort.Strings(r.Plans)
		sort.Strings(r.Matched)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].City < out[j].City })
	return out
}

// scanMentions is MentionsOf as it was before the index.
func scanMentions(v *View, technology, city string) []*Mention {
	techs, places := v.concepts.set(technology), v.places.set(city)
	out := []*Mention{}
	for _, m := range v.Mentions {
		if techs != nil && !techs[m.Technology] || places != nil && !v.mentionCovers(m, places) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// scanCoverage is Coverage as it was before the index.
func scanCoverage(v *View, f MeasureFilter, answered []string) []CoverageNote {
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
	counted := map[string][]string{}
	for _, m := range scanMentions(v, f.Technology, f.City) {
		if m.Count == 0 {
			continue
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

// TestIndexAnswersAsScan: on the generated corpus and on the fixture,
// measures, cities and mention counts found through the indexes are
// those a scan of every record finds, for every technology (categories,
// whose answers gather the concepts under them, included) and domain,
// with the other filters — jurisdiction (a province, a city, the
// nation), plan, basis, time, instrument type — in turn.
func TestIndexAnswersAsScan(t *testing.T) {
	dir := t.TempDir()
	if _, err := synthetic.Write("../data", dir, synthetic.Size{Cities: 12, Plans: 3, Measures: 25, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]*View{"generated": loadView(t, dir), "fixture": frozenView(t)} {
		techs := []string{""}
		for _, e := range v.Technologies {
			techs = append(techs, e.ID)
		}
		domains := []string{""}
		for _, e := range v.Domains {
			domains = append(domains, e.ID)
		}
		cities := []string{"", "china", v.Cities[len(v.Cities)/2].ID}
		for _, c := range v.Cities {
			if c.Level == schema.ProvinceLevel && len(v.Under(c.ID)) > 1 {
				cities = append(cities, c.ID)
				break
			}
		}
		// Plans, and dates, that leave measures to filter.
		var withMeasures []*Plan
		for _, p := range v.Plans {
			if len(p.Measures) > 0 && p.Issued != "" && p.InForceFrom != "" {
				withMeasures = append(withMeasures, p)
			}
		}
		first, last := withMeasures[0], withMeasures[len(withMeasures)-1]
		plans := []string{first.ID, last.ID}
		others := []func(*MeasureFilter){
			func(*MeasureFilter) {},
			func(f *MeasureFilter) { f.Basis = schema.Bases[0] },
			func(f *MeasureFilter) { f.Basis = schema.Bases[1] },
			func(f *MeasureFilter) { f.Time = TimeFilter{InForce: last.InForceFrom} },
			func(f *MeasureFilter) {
				f.Time = TimeFilter{PublishedAfter: first.Issued, PublishedBefore: first.Issued}
			},
			func(f *MeasureFilter) { f.Instruments = schema.InstrumentTypeIDs()[:2] },
			func(f *MeasureFilter) { f.Plan = plans[0] },
			func(f *MeasureFilter) { f.Plan = plans[1] },
		}
		answered := make([]int, len(others)) // questions with rows, per other filter
		notes := 0
		for i, tech := range techs {
			for j, domain := range domains {
				for k, city := range cities {
					for l, other := range others {
						// Every technology, domain and jurisdiction meets every other
						// filter, without asking every combination of all four.
						if (i+j+k+l)%2 == 1 {
							continue
						}
						f := MeasureFilter{Technology: tech, Domain: domain, City: city}
						other(&f)
						got, want := v.FindMeasures(f), scanMeasures(v, f)
						if !reflect.DeepEqual(got, want) {
							t.Errorf("%s: FindMeasures(%+v): %d rows, the scan %d", name, f, len(got), len(want))
						}
						if len(want) > 0 {
							answered[l]++
						}
						rows := v.CitiesWith(f)
						if want := scanCities(v, f); !reflect.DeepEqual(rows, want) {
							t.Errorf("%s: CitiesWith(%+v):\n got %+v\nwant %+v", name, f, rows, want)
						}
						// What the cities answer leaves out, and half of it.
						rowCities := make([]string, len(rows))
						for i, r := range rows {
							rowCities[i] = r.City
						}
						for _, a := range [][]string{rowCities, rowCities[:len(rowCities)/2]} {
							got, want := v.Coverage(f, a), scanCoverage(v, f, a)
							if !reflect.DeepEqual(got, want) {
								t.Errorf("%s: Coverage(%+v, %d answered):\n got %+v\nwant %+v", name, f, len(a), got, want)
							}
							if len(want) > 0 {
								notes++
							}
						}
					}
				}
				if j == 0 {
					for _, city := range cities {
						if got, want := v.MentionsOf(tech, city), scanMentions(v, tech, city); !reflect.DeepEqual(got, want) {
							t.Errorf("%s: MentionsOf(%q, %q): %d, the scan %d", name, tech, city, len(got), len(want))
						}
					}
				}
			}
		}
		if notes == 0 {
			t.Errorf("%s: no coverage notes", name)
		}
		// Each filter must leave answers for the comparison to mean anything.
		for l, n := range answered {
			if n == 0 {
				t.Errorf("%s: no question with filter %d has rows", name, l)
			}
		}
	}
}

// TestUnionMergesWithoutRepeats: the union of a concept's lists keeps
// id order and lists a measure linking two of the concepts once.
func TestUnionMergesWithoutRepeats(t *testing.T) {
	for _, c := range []struct {
		lists [][]int32
		want  []int32
	}{
		{nil, nil},
		{[][]int32{{}, nil}, nil},
		{[][]int32{{1, 4, 9}}, []int32{1, 4, 9}},
		{[][]int32{{1, 4, 9}, {}}, []int32{1, 4, 9}},
		{[][]int32{{1, 4, 9}, {2, 4, 10}, {0, 9}}, []int32{0, 1, 2, 4, 9, 10}},
	} {
		var lists []Sorted[int32]
		for _, l := range c.lists {
			lists = append(lists, SortedOf(l))
		}
		if got := union(lists, cmp.Compare[int32]); !slices.Equal(got, c.want) {
			t.Errorf("union(%v) = %v, want %v", c.lists, got, c.want)
		}
	}
}
