package view

import (
	"slices"
	"sort"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// Target is a quantitative goal of a plan: Value Unit of Metric by Year.
type Target struct {
	ID         string  `json:"id"`
	City       string  `json:"city"`
	Plan       string  `json:"plan"`
	Measure    string  `json:"measure,omitempty"`
	Technology string  `json:"technology,omitempty"`
	Metric     string  `json:"metric"`
	Value      float64 `json:"value"`
	// ValueMax is the upper end of a range (2 to 3 parks), when the plan sets one.
	ValueMax *float64 `json:"value_max,omitempty"`
	Unit     string   `json:"unit"`
	Year     int64    `json:"year,omitempty"`
	Bound    string   `json:"bound,omitempty"`
	Baseline *float64 `json:"baseline,omitempty"`
	// BaselineYear is the year of Baseline, when the plan gives one.
	BaselineYear int64    `json:"baseline_year,omitempty"`
	Evidence     Evidence `json:"evidence"`
}

func (p props) float(pr schema.Predicate) (float64, bool) {
	if vs := p[pr]; len(vs) > 0 {
		switch f := vs[0].(type) {
		case quad.Float:
			return float64(f), true
		case quad.Int:
			return float64(f), true
		}
	}
	return 0, false
}

func (p props) target(id string) *Target {
	t := &Target{ID: id, City: p.id(schema.InCity), Measure: p.id(schema.TargetMeasure), Technology: p.id(schema.TechnologyOf),
		Metric: p.str(schema.Metric), Unit: p.str(schema.Unit), Bound: p.str(schema.Bound), Evidence: p.evidence()}
	t.Value, _ = p.float(schema.TargetValue)
	t.Year, _ = p.int(schema.DueYear)
	if m, ok := p.float(schema.TargetValueMax); ok {
		t.ValueMax = &m
	}
	if b, ok := p.float(schema.Baseline); ok {
		t.Baseline = &b
	}
	t.BaselineYear, _ = p.int(schema.BaselineYear)
	return t
}

// instrumentTypes are a measure's instrument types in typology order.
func (p props) instrumentTypes() []string {
	var out []string
	for _, v := range p[schema.UsesInstrument] {
		if id, ok := schema.InstrumentTypeOfIRI(v); ok {
			out = append(out, id)
		}
	}
	order := schema.InstrumentTypeIDs()
	sort.SliceStable(out, func(i, j int) bool { return slices.Index(order, out[i]) < slices.Index(order, out[j]) })
	return out
}

// linkTargets gives each target its plan: the plan that holds it.
func (v *View) linkTargets() {
	for _, s := range v.Plans {
		for _, q := range v.Out(schema.Plan.IRI(s.ID)) {
			r := v.QuadValues(q)
			if v.Value(r[1]) != schema.HasTarget {
				continue
			}
			if _, id, ok := schema.ParseIRI(v.Value(r[2])); ok {
				if t, ok := v.Get(schema.Target, id).(*Target); ok {
					t.Plan = s.ID
				}
			}
		}
	}
}

// TargetFilter selects targets; empty fields select everything.
// Technology covers every concept under it and City every jurisdiction
// within it, as in MeasureFilter; Metric is matched as written.
type TargetFilter struct {
	Technology, City, Metric string
	// Year is the due year; 0 is any.
	Year int64
}

// FindTargets lists the targets that pass f, by city, metric, year and id.
func (v *View) FindTargets(f TargetFilter) []*Target {
	techs, places := v.concepts.set(f.Technology), v.places.set(f.City)
	out := []*Target{}
	for _, t := range v.Targets {
		if techs != nil && !techs[t.Technology] || places != nil && !places[t.City] {
			continue
		}
		if f.Metric != "" && t.Metric != f.Metric || f.Year != 0 && t.Year != f.Year {
			continue
		}
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.City != b.City {
			return a.City < b.City
		}
		if a.Metric != b.Metric {
			return a.Metric < b.Metric
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.ID < b.ID
	})
	return out
}

// Metrics are the metrics of every target, sorted: what metric= accepts.
func (v *View) Metrics() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range v.Targets {
		if !seen[t.Metric] {
			seen[t.Metric] = true
			out = append(out, t.Metric)
		}
	}
	sort.Strings(out)
	return out
}

// usesAny reports whether m has one of the instrument types (true for none asked).
func usesAny(m *Measure, types []string) bool {
	if len(types) == 0 {
		return true
	}
	for _, t := range m.InstrumentTypes {
		if slices.Contains(types, t) {
			return true
		}
	}
	return false
}
