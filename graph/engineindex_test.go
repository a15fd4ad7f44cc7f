package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// TestEngineOnPatchedView: the engine of a patched View mends its base's
// indexes by predicate, label and literal object, and they are the ones
// built from the patched View's quads, position for position; Gizmo
// answers on it as on a View New builds from the same quads in the same
// places, in the same order; and the engine of the View patched from
// answers as it did.
func TestEngineOnPatchedView(t *testing.T) {
	ctx := context.Background()
	ds, err := loader.Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[quad.IRI][]quad.Quad{}
	var order []quad.IRI
	var all []quad.Quad
	for _, g := range ds.Graphs {
		iri := schema.GraphIRI(g.ID)
		docs[iri], order = g.Quads, append(order, iri)
		all = append(all, g.Quads...)
	}
	doc := func(suffix string) quad.IRI {
		for _, g := range order {
			if strings.HasSuffix(string(g), suffix) {
				return g
			}
		}
		t.Fatalf("no document %s", suffix)
		return ""
	}
	fuzhou, beijing := doc("plan/fuzhou-new-infrastructure-2020"), doc("plan/beijing-new-infrastructure-2020")
	// edited is g's quads retitled, less its last measure's quads.
	edited := func(g quad.IRI, mark string) []quad.Quad {
		var victim quad.Value
		for _, q := range docs[g] {
			if q.Predicate == schema.HasMeasure {
				victim = q.Object
			}
		}
		var out []quad.Quad
		for _, q := range docs[g] {
			if q.Subject == victim || q.Object == victim {
				continue
			}
			if ls, ok := q.Object.(quad.LangString); ok && q.Predicate == schema.Title {
				ls.Value += quad.String(mark)
				q.Object = ls
			}
			out = append(out, q)
		}
		return out
	}
	tech, dom := schema.Technology.IRI("blockchain"), schema.Domain.IRI("finance")
	queries := []string{
		fmt.Sprintf(`g.V("%s").In("%s").Has("%s", "%s").Out("%s").All()`, tech, schema.UsesTechnology, schema.AppliesTo, dom, schema.InCity),
		fmt.Sprintf(`g.V().Has("%s", "%s").All()`, schema.TypeOf, schema.Measure.ClassIRI()),
		fmt.Sprintf(`g.V().Has("%s", "action").All()`, schema.Kind),
		fmt.Sprintf(`g.V("%s").Out("%s").All()`, schema.Plan.IRI("fuzhou-new-infrastructure-2020"), schema.Title),
		fmt.Sprintf(`g.V("%s").LabelContext("%s").In().All()`, tech, fuzhou),
		fmt.Sprintf(`g.V("%s").LabelContext("%s").In().All()`, tech, beijing),
		fmt.Sprintf(`g.V().Has("%s").Count()`, schema.Title),
		`g.V().Count()`,
	}
	answers := func(v *view.View) string {
		var out []string
		for _, q := range queries {
			rows, err := runOn(ctx, engineOf(v), "gizmo", q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			b, _ := json.Marshal(rows)
			out = append(out, string(b))
		}
		return strings.Join(out, "\n")
	}

	v := view.New(all, "0")
	prepareEngine(v)
	before := answers(v) // makes the indexes by label and literal too
	first := v
	steps := []map[quad.IRI][]quad.Quad{
		{fuzhou: edited(fuzhou, " (revised)")},
		{beijing: nil},
		{beijing: docs[beijing], fuzhou: edited(fuzhou, " (again)")},
		{schema.GraphIRI("plan/other"): relabelled(docs[fuzhou], "plan/other")},
	}
	for i, step := range steps {
		var graphs []quad.IRI
		var added []quad.Quad
		for g, qs := range step {
			graphs, added = append(graphs, g), append(added, qs...)
			docs[g] = qs
		}
		p := v.Patch(graphs, added, fmt.Sprint(i+1))
		if p == nil {
			t.Fatalf("step %d: not patched", i)
		}
		prepareEngine(p)
		s := engineOf(p)
		for _, pl := range []*place{&s.byPred, &s.byLabel, &s.byText} {
			if pl.made.Load() == nil {
				t.Fatalf("step %d: an index the base had was not mended", i)
			}
			position, keep := s.placeOf(pl)
			if got, want := indexText(*s.index(pl)), indexText(buildIndex(p, position, keep)); got != want {
				t.Fatalf("step %d: the index by place %d mended differs from the one built:\n%.400s\nwant\n%.400s", i, position, got, want)
			}
		}
		if got, want := answers(p), answers(view.New(inPlace(p), p.Version)); got != want {
			t.Fatalf("step %d: Gizmo on the patched View:\n%.600s\nwant\n%.600s", i, got, want)
		}
		v = p
	}
	if got := answers(first); got != before {
		t.Errorf("the first View answers differently after patches on top of it:\n%.600s\nwant\n%.600s", got, before)
	}
}

// indexText is ix as text, in key order.
func indexText(ix quadIndex) string {
	var lines []string
	ix.All(func(k quad.Value, l view.Sorted[int32]) bool {
		lines = append(lines, fmt.Sprint(k, l.Slice()))
		return true
	})
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// relabelled is a plan's quads as document id's, its plan and measures
// under new ids.
func relabelled(qs []quad.Quad, id string) []quad.Quad {
	rename := func(v quad.Value) quad.Value {
		if t, old, ok := schema.ParseIRI(v); ok && (t == schema.Plan || t == schema.Measure) {
			return t.IRI(old + "-other")
		}
		return v
	}
	out := make([]quad.Quad, len(qs))
	for i, q := range qs {
		out[i] = quad.Quad{Subject: rename(q.Subject), Predicate: q.Predicate, Object: rename(q.Object), Label: schema.GraphIRI(id)}
	}
	return out
}

// inPlace is v's quads in the order of their positions, from which New
// makes a View whose quads have the same positions.
func inPlace(v *view.View) []quad.Quad {
	out := make([]quad.Quad, v.Quads())
	for i := range out {
		out[i] = v.Quad(int32(i))
	}
	return out
}
