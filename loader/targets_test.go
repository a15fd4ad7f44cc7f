package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// miniTargets adds instrument types to the mini plan's measure and one
// target of each shape: within a measure, and of no technology.
var miniTargets = map[string][2]string{"plans/plan-a.yaml": {"mentions:\n", `    instruments: [pilot, subsidy]
targets:
  - id: plan-a-chain-firms
    measure: finance-demo
    technology: blockchain
    metric: 区块链企业
    value: 30000
    unit: 家
    year: 2022
    baseline: {value: 12000, year: 2020}
    evidence: {section: fuzhou, summary: Thirty thousand firms by 2022.}
  - id: plan-a-investment
    metric: 投资
    value: 27e+10
    unit: 元
    bound: about
    evidence: {section: fuzhou, summary: About 270 billion yuan.}
mentions:
`}}

func TestLoadTargets(t *testing.T) {
	ds, err := Load(copyMini(t, miniTargets))
	if err != nil {
		t.Fatal(err)
	}
	got := map[quad.Quad]bool{}
	for _, g := range ds.Graphs {
		for _, q := range g.Quads {
			q.Label = nil
			got[q] = true
		}
	}
	target, inv := schema.Target.IRI("plan-a-chain-firms"), schema.Target.IRI("plan-a-investment")
	for _, q := range []quad.Quad{
		{Subject: schema.Plan.IRI("plan-a"), Predicate: schema.HasTarget, Object: target},
		{Subject: target, Predicate: schema.TargetMeasure, Object: schema.Measure.IRI("finance-demo")},
		{Subject: target, Predicate: schema.TechnologyOf, Object: schema.Technology.IRI("blockchain")},
		{Subject: target, Predicate: schema.InCity, Object: schema.City.IRI("fuzhou")},
		{Subject: target, Predicate: schema.TargetValue, Object: quad.Float(30000)},
		{Subject: target, Predicate: schema.DueYear, Object: quad.Int(2022)},
		{Subject: target, Predicate: schema.Baseline, Object: quad.Float(12000)},
		{Subject: target, Predicate: schema.BaselineYear, Object: quad.Int(2020)},
		{Subject: inv, Predicate: schema.TargetValue, Object: quad.Float(270000000000)},
		{Subject: inv, Predicate: schema.Bound, Object: quad.String("about")},
		{Subject: schema.Measure.IRI("finance-demo"), Predicate: schema.UsesInstrument, Object: schema.InstrumentTypeIRI("pilot")},
		{Subject: schema.Measure.IRI("finance-demo"), Predicate: schema.UsesInstrument, Object: schema.InstrumentTypeIRI("subsidy")},
	} {
		if !got[q] {
			t.Errorf("no quad %v", q)
		}
	}
	for q := range got {
		if q.Subject == inv && (q.Predicate == schema.DueYear || q.Predicate == schema.TechnologyOf) {
			t.Errorf("a target of no year and no technology has %v", q)
		}
	}
}

func TestTargetErrors(t *testing.T) {
	base := miniTargets["plans/plan-a.yaml"][1]
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"unknown instrument type with suggestion", "[pilot, subsidy]", "[pilot, subsidey]",
			[]string{`plans/plan-a.yaml:25:26: measures[0].instruments[1]: unknown instrument type "subsidey": use one of subsidy, fund, talent, platform, research, infrastructure, pilot, procurement, application, tax-relief, finance, standard, regulation, planning (did you mean "subsidy"?)`}},
		{"an instrument type by its Chinese name", "[pilot, subsidy]", "[pilot, 财政补贴]",
			[]string{`plans/plan-a.yaml:25:26: measures[0].instruments[1]: unknown instrument type "财政补贴": use one of subsidy, fund, talent, platform, research, infrastructure, pilot, procurement, application, tax-relief, finance, standard, regulation, planning (did you mean "subsidy"?)`}},
		{"a group is not a type", "[pilot, subsidy]", "[demand]",
			[]string{`plans/plan-a.yaml:25:19: measures[0].instruments[0]: "demand" is a group of instrument types, not one: list its types (pilot, procurement, application)`}},
		{"an instrument type twice", "[pilot, subsidy]", "[pilot, pilot]",
			[]string{`plans/plan-a.yaml:25:26: measures[0].instruments[1]: instrument type "pilot" listed twice`}},
		{"a measure of no such id", "measure: finance-demo", "measure: finance-dem",
			[]string{`plans/plan-a.yaml:28:14: targets[0].measure: unknown measure "finance-dem": a target names a measure of its own plan (did you mean "finance-demo"?)`}},
		{"a technology by name", "technology: blockchain\n    metric", "technology: 区块链\n    metric",
			[]string{`plans/plan-a.yaml:29:17: targets[0].technology: unknown technology "区块链" (did you mean "blockchain"?)`}},
		{"a value that is not a number", "value: 30000", "value: 3万",
			[]string{`plans/plan-a.yaml:31:12: targets[0].value: expected a number, found "3万"`}},
		{"a value quoted", "value: 30000", `value: "3e+04"`,
			[]string{`plans/plan-a.yaml:31:12: targets[0].value: expected a number, found "3e+04"`}},
		{"a value left empty", "value: 30000", "value: ~",
			[]string{`plans/plan-a.yaml:31:12: targets[0].value: expected a number, found nothing`}},
		{"a percentage over 100", "value: 30000\n    unit: 家", "value: 120\n    unit: '%'",
			[]string{`plans/plan-a.yaml:31:12: targets[0].value: value 120% is more than 100%: write a percentage as 90 for 90%`}},
		{"a year that is not one", "year: 2022", "year: 22",
			[]string{`plans/plan-a.yaml:33:11: targets[0].year: year 22 is not a year a plan is due in (1949 to 2100)`}},
		{"a baseline after the year due", "year: 2020}", "year: 2023}",
			[]string{`plans/plan-a.yaml:34:36: targets[0].baseline.year: baseline year 2023 is after the year 2022 the target is due`}},
		{"an unknown bound", "bound: about", "bound: roughly",
			[]string{`plans/plan-a.yaml:40:12: targets[1].bound: unknown bound "roughly": use one of at_least, about`}},
		{"a missing metric", "    metric: 投资\n", "",
			[]string{`plans/plan-a.yaml:36:5: targets[1]: missing required key "metric"`}},
		{"a range that does not rise", "bound: about", "value_max: 1e+11",
			[]string{`plans/plan-a.yaml:40:16: targets[1].value_max: value_max 1e+11 is not above value 2.7e+11: a range runs from value up to value_max`}},
		{"a range with a bound", "unit: 元\n", "value_max: 3e+11\n    unit: 元\n",
			[]string{`plans/plan-a.yaml:41:12: targets[1].bound: a range (value to value_max) takes no bound`}},
		{"a duplicate target id", "id: plan-a-investment", "id: plan-a-chain-firms",
			[]string{`plans/plan-a.yaml:36:9: targets[1].id: duplicate target id "plan-a-chain-firms" (first defined at DIR/plans/plan-a.yaml:27:9)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("%q not in the targets", tt.old)
			}
			dir := copyMini(t, map[string][2]string{"plans/plan-a.yaml": {"mentions:\n", strings.Replace(base, tt.old, tt.new, 1)}})
			ds, err := Load(dir)
			var errs Errors
			if ds != nil || !errors.As(err, &errs) {
				t.Fatalf("got %v, %v; want validation errors", ds, err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, strings.ReplaceAll(strings.TrimPrefix(e.Error(), dir+"/"), dir+"/", "DIR/"))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
