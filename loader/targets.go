package loader

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// TargetDef is a quantitative goal of a plan: what will exist or be spent
// by a year ("5G base stations: 30000 by 2022"), with the evidence.
type TargetDef struct {
	ID string `yaml:"id" pg:"required"`
	// Measure is the plan's measure that sets the target, if one does.
	Measure string `yaml:"measure,omitempty"`
	// Technology is what the target is about; absent for a goal of no
	// one technology (total investment).
	Technology string `yaml:"technology,omitempty"`
	// Metric is what is counted, in the source's language (5G基站, 投资).
	Metric string `yaml:"metric" pg:"required"`
	// Value is the number with its multiplier applied (3万个 → 30000).
	Value *float64 `yaml:"value" pg:"required"`
	// ValueMax is the upper end when the plan sets a range (2个至3个).
	ValueMax *float64 `yaml:"value_max,omitempty"`
	Unit     string   `yaml:"unit" pg:"required"`
	// Year is the year the target is due; absent when the source gives none.
	Year int `yaml:"year,omitempty"`
	// Bound is at_least or about when the plan does not say an exact number.
	Bound    string    `yaml:"bound,omitempty"`
	Baseline *Baseline `yaml:"baseline,omitempty"`
	Evidence Evidence  `yaml:"evidence" pg:"required"`
}

// Baseline is where a target starts from.
type Baseline struct {
	Value *float64 `yaml:"value" pg:"required"`
	Year  int      `yaml:"year,omitempty"`
}

// Years a due year or baseline may name: plans of the People's Republic
// up to far beyond any plan's horizon.
const minTargetYear, maxTargetYear = 1949, 2100

func (c *checker) checkTargets(f *file, p *PlanFile) {
	measures := make([]string, len(p.Measures))
	for i, m := range p.Measures {
		measures[i] = m.ID
	}
	for i := range p.Targets {
		t := &p.Targets[i]
		fi := fmt.Sprintf("targets[%d]", i)
		if t.Measure != "" && !slices.Contains(measures, t.Measure) {
			c.errorf(f, &t.Measure, fi+".measure", "unknown measure %q: a target names a measure of its own plan%s", t.Measure, didYouMean(schema.Suggest(t.Measure, measures, 1)))
		}
		if t.Technology != "" {
			c.ref(f, schema.Technology, &t.Technology, fi+".technology")
		}
		c.present(f, &t.Value, fi+".value")
		if t.Value != nil && *t.Value < 0 {
			c.errorf(f, t.Value, fi+".value", "value %g is negative", *t.Value)
		}
		if t.Value != nil && t.Unit == "%" && *t.Value > 100 {
			c.errorf(f, t.Value, fi+".value", "value %g%% is more than 100%%: write a percentage as 90 for 90%%", *t.Value)
		}
		if _, written := f.dec.at[&t.Year]; written && (t.Year < minTargetYear || t.Year > maxTargetYear) {
			c.errorf(f, &t.Year, fi+".year", "year %d is not a year a plan is due in (%d to %d)", t.Year, minTargetYear, maxTargetYear)
		}
		c.oneOf(f, &t.Bound, fi+".bound", "bound", strs(schema.TargetBounds))
		c.present(f, &t.ValueMax, fi+".value_max")
		if t.ValueMax != nil && t.Value != nil && *t.ValueMax <= *t.Value {
			c.errorf(f, t.ValueMax, fi+".value_max", "value_max %g is not above value %g: a range runs from value up to value_max", *t.ValueMax, *t.Value)
		}
		if t.ValueMax != nil && t.Bound != "" {
			c.errorf(f, &t.Bound, fi+".bound", "a range (value to value_max) takes no bound")
		}
		if b := t.Baseline; b != nil {
			c.present(f, &b.Value, fi+".baseline.value")
			if b.Value != nil && *b.Value < 0 {
				c.errorf(f, b.Value, fi+".baseline.value", "baseline %g is negative", *b.Value)
			}
			if b.Year != 0 && t.Year >= minTargetYear && t.Year <= maxTargetYear && b.Year > t.Year {
				c.errorf(f, &b.Year, fi+".baseline.year", "baseline year %d is after the year %d the target is due", b.Year, t.Year)
			}
		}
		c.evidence(f, &t.Evidence, fi+".evidence", p.Source)
	}
}

// present refuses a number key written with no value (value: ~), which
// the decoder leaves unset; a key left out is the decoder's error.
func (c *checker) present(f *file, v **float64, field string) { presentNumber(c, f, v, field) }

func presentNumber[T any](c *checker, f *file, v **T, field string) {
	if _, written := f.dec.at[v]; written && *v == nil {
		c.errorf(f, v, field, "expected a number, found nothing")
	}
}

// checkInstrumentTypes checks a measure's instrument types against the
// typology, suggesting the id a name or a misspelling means.
func (c *checker) checkInstrumentTypes(f *file, ids []string, field string) {
	known := schema.InstrumentTypeIDs()
	seen := map[string]bool{}
	for i := range ids {
		fi := fmt.Sprintf("%s[%d]", field, i)
		id := ids[i]
		if seen[id] {
			c.errorf(f, &ids[i], fi, "instrument type %q listed twice", id)
		}
		seen[id] = true
		if slices.Contains(known, id) {
			continue
		}
		suggest := schema.Suggest(id, known, 1)
		if meant, _ := schema.ResolveInstrument(id); len(meant) == 1 {
			suggest = meant
		} else if len(meant) > 1 {
			c.errorf(f, &ids[i], fi, "%q is a group of instrument types, not one: list its types (%s)", id, strings.Join(meant, ", "))
			continue
		}
		c.errorf(f, &ids[i], fi, "unknown instrument type %q: use one of %s%s", id, strings.Join(known, ", "), didYouMean(suggest))
	}
}

func (e *emitter) targets(plan, city quad.IRI, p *PlanFile) {
	for _, t := range p.Targets {
		n := e.node(schema.Target, t.ID)
		e.add(plan, schema.HasTarget, n)
		e.add(n, schema.InCity, city)
		if t.Measure != "" {
			e.add(n, schema.TargetMeasure, schema.Measure.IRI(t.Measure))
		}
		if t.Technology != "" {
			e.add(n, schema.TechnologyOf, schema.Technology.IRI(t.Technology))
		}
		e.str(n, schema.Metric, t.Metric)
		e.add(n, schema.TargetValue, quad.Float(*t.Value))
		if t.ValueMax != nil {
			e.add(n, schema.TargetValueMax, quad.Float(*t.ValueMax))
		}
		e.str(n, schema.Unit, t.Unit)
		if t.Year != 0 {
			e.add(n, schema.DueYear, quad.Int(t.Year))
		}
		e.str(n, schema.Bound, t.Bound)
		if b := t.Baseline; b != nil {
			e.add(n, schema.Baseline, quad.Float(*b.Value))
			if b.Year != 0 {
				e.add(n, schema.BaselineYear, quad.Int(b.Year))
			}
		}
		e.evidence(n, t.Evidence, p.Source)
	}
}
