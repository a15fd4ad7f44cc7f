package synthetic

import (
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// TestTargetsAndInstruments: every generated plan has targets (its
// investment at least), most measures have instrument types, and the
// measures are those the corpus has without them.
func TestTargetsAndInstruments(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write("../../data", dir, Size{Cities: 3, Plans: 2, Measures: 40, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	ds, err := loader.Load(dir)
	if err != nil {
		t.Fatalf("the generated corpus does not validate: %v", err)
	}
	plans, targets, typed := map[quad.Value]int{}, 0, map[quad.Value]bool{}
	investment := 0
	for _, g := range ds.Graphs {
		for _, q := range g.Quads {
			switch {
			case q.Predicate == schema.HasTarget:
				plans[q.Subject]++
				targets++
			case q.Predicate == schema.UsesInstrument:
				typed[q.Subject] = true
			case q.Predicate == schema.Metric && q.Object == quad.String("投资"):
				investment++
			}
		}
	}
	if len(plans) != 6 || investment != 6 || targets <= 6 || len(typed) < ds.Measures/3 || len(typed) == ds.Measures || ds.Measures != 240 {
		t.Errorf("%d plans with targets, %d targets, %d investment targets, %d of %d measures typed", len(plans), targets, investment, len(typed), ds.Measures)
	}
}
