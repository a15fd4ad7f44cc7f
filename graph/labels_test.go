package graph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// TestLoadOverManyDocuments: over a store of many documents, a load that
// replaces every one of them and fails at its last file changes nothing
// (what it wrote is found in one pass and removed), and one that
// succeeds counts the quads of every replaced document and leaves the
// graph a clean store of the same directory has.
func TestLoadOverManyDocuments(t *testing.T) {
	ctx := context.Background()
	const plans = 60
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st := openStore(t, b.open(t))
			st.loadBatch = 500 // a few documents a batch
			if _, err := streamInto(ctx, st, generated(t, plans, 0, false), nil); err != nil {
				t.Fatal(err)
			}
			v, err := st.Fresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			stored := 0
			for i := range plans {
				stored += v.LabelQuads(schema.GraphIRI(fmt.Sprintf("plan/gen-%03d", i)))
			}
			before := stateOf(t, st)

			written := 0
			_, err = streamInto(ctx, st, generated(t, plans, 1, true), func(n int) { written = n })
			if err == nil || !strings.Contains(err.Error(), `unknown plan "no-such-plan"`) {
				t.Fatalf("the load with a late error: %v", err)
			}
			if written < stored/2 {
				t.Fatalf("the failed load wrote %d quads before it failed: the test shows nothing", written)
			}
			if d := before.differs(stateOf(t, st)); d != "" {
				t.Fatalf("the failed load changed %s", d)
			}
			if rep, err := st.Repair(ctx); err != nil || rep.Changed() {
				t.Fatalf("the failed load left remains: %s (%v)", rep, err)
			}

			// Without a View to count from, as the command's load.
			st.views.current.Store(nil)
			dir := generated(t, plans, 1, false)
			rep, err := streamInto(ctx, st, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Replaced) != plans || rep.QuadsRemoved != stored {
				t.Errorf("replaced %d documents and %d quads, want %d and %d", len(rep.Replaced), rep.QuadsRemoved, plans, stored)
			}
			clean := openStore(t, Config{Backend: "memory"})
			apply(t, clean, loadDir(t, dir))
			if got, want := export(t, st), export(t, clean); got != want {
				t.Errorf("the graph differs from a clean store's:\n%s", firstDiff(got, want))
			}
		})
	}
}

// TestLabelRefs: the quads of several labels, found in one pass on bolt
// and by index elsewhere, are each label's and only its.
func TestLabelRefs(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, _ := loadedCopy(t, b)
			meta, err := st.readMeta(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var labels []quad.IRI
			for g, m := range meta {
				if g != schema.DatasetNode {
					labels = append(labels, m.label)
				}
			}
			labels = append(labels, "https://policygraph.org/graph/nosuch~1")
			refs, err := st.labelRefs(ctx, labels)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range labels {
				got, err := st.quadsOfRefs(ctx, refs[l])
				if err != nil {
					t.Fatal(err)
				}
				want, err := st.graphQuads(ctx, l)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) || len(got) > 0 && jsonOf(t, got) != jsonOf(t, want) {
					t.Errorf("%s: %d quads found, %d by label", l, len(got), len(want))
				}
			}
		})
	}
}

// generated is the fixture plus n generated plans in one of two variants
// that differ in every measure, and, when late, a last plan whose error
// only the end of the load shows.
func generated(t *testing.T, n, variant int, late bool) string {
	t.Helper()
	dir := copyTree(t, dataDir)
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, "plans", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		id := fmt.Sprintf("gen-%03d", i)
		var b strings.Builder
		fmt.Fprintf(&b, "id: %s\ncity: fuzhou\nissuer: fuzhou-government\ntitle: {en: Plan %s variant %d}\nsource: interchain-pulse-2020-06\nmeasures:\n", id, id, variant)
		for m := range 10 {
			fmt.Fprintf(&b, "  - id: %s-v%d-m%d\n    kind: action\n    title: Measure %d\n    technologies: [{id: blockchain, basis: explicit}]\n    domains: [finance]\n    evidence: {section: s%d, summary: Measure %d of %s.}\n", id, variant, m, m, m, m, id)
		}
		write(id+".yaml", b.String())
	}
	if late {
		write("zzz-late-plan.yaml", latePlan)
	}
	return dir
}
