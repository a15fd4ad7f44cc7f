package graph

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// TestOptimizeShapeListsMatchingQuads: Cayley's optimizer hands the
// View's engine the fixed constraints of In/Has, and the list it makes of
// them is exactly the quads a scan of every quad finds.
func TestOptimizeShapeListsMatchingQuads(t *testing.T) {
	ctx := context.Background()
	_, _, v := loadedCopy(t, backend{"memory", func(*testing.T) Config { return Config{Backend: "memory"} }})
	s := engineOf(v)
	tech, dom := quad.IRI(schema.Technology.IRI("blockchain")), quad.IRI(schema.Domain.IRI("finance"))
	uses, inferred := quad.IRI(schema.UsesTechnology), quad.IRI(schema.InferredTechnology)
	label := quad.IRI(schema.GraphIRI("plan/fuzhou-new-infrastructure-2020"))
	cases := []struct {
		name string
		p    *path.Path
		want func(q quad.Quad) bool
	}{
		{"in one predicate", path.StartPath(s, tech).In(uses),
			func(q quad.Quad) bool { return q.Object == tech && q.Predicate == uses }},
		{"in two predicates", path.StartPath(s, tech).In(uses, inferred),
			func(q quad.Quad) bool { return q.Object == tech && (q.Predicate == uses || q.Predicate == inferred) }},
		{"has", path.StartPath(s).Has(quad.IRI(schema.AppliesTo), dom),
			func(q quad.Quad) bool { return q.Object == dom && q.Predicate == quad.IRI(schema.AppliesTo) }},
		{"in a graph", path.StartPath(s, tech).LabelContext(label).In(uses),
			func(q quad.Quad) bool { return q.Object == tech && q.Predicate == uses && q.Label == label }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt, _ := shape.Optimize(ctx, c.p.Shape(), s)
			var lists []*viewQuadList
			shape.Walk(opt, func(sh shape.Shape) bool {
				if l, ok := sh.(*viewQuadList); ok {
					lists = append(lists, l)
				}
				return true
			})
			if len(lists) != 1 {
				t.Fatalf("%d lists of the View's in %#v", len(lists), opt)
			}
			var want []int32
			in := quadListIterator{lists[0]}.Lookup()
			for i := range v.Quads() {
				w := c.want(v.Quad(int32(i)))
				if w {
					want = append(want, int32(i))
				}
				if got := in.Contains(ctx, quadRef(i)); got != w {
					t.Errorf("Contains(quad %d %v) = %v", i, v.Quad(int32(i)), got)
				}
			}
			if len(want) == 0 {
				t.Fatal("no quad to compare")
			}
			if !slices.Equal(lists[0].quads().Slice(), want) {
				t.Errorf("list %v, want %v", lists[0].quads().Slice(), want)
			}
		})
	}
}

// TestViewNodesGivesAPathPerQuad: a node with several quads matching a
// Has (the same fact in two graphs) is as many paths on the View as on
// Cayley's memstore, asked as a check (And) and as a walk.
func TestViewNodesGivesAPathPerQuad(t *testing.T) {
	ctx := context.Background()
	_, _, base := loadedCopy(t, backend{"memory", func(*testing.T) Config { return Config{Backend: "memory"} }})
	quads := ViewQuads(base)
	tech, uses := quad.IRI(schema.Technology.IRI("blockchain")), quad.IRI(schema.UsesTechnology)
	var twice quad.Quad
	for _, q := range quads {
		if q.Object == tech && q.Predicate == uses {
			twice = q
			break
		}
	}
	if twice.Subject == nil {
		t.Fatal("no measure uses blockchain in the fixture")
	}
	again := twice
	again.Label = quad.IRI(schema.GraphIRI("plan/another-copy"))
	quads = append(quads, again)
	v := view.New(quads, "twice")
	ref := memstore.New(quads...)
	for _, src := range []string{
		fmt.Sprintf(`g.V().Has("%s", "%s").Count()`, uses, tech),
		fmt.Sprintf(`g.V("%s").Has("%s", "%s").All()`, twice.Subject, uses, tech),
		fmt.Sprintf(`g.V("%s").In("%s").Has("%s", "%s").All()`, tech, uses, uses, tech),
		fmt.Sprintf(`g.V("%s").In("%s").Count()`, tech, uses),
		fmt.Sprintf(`g.V("%s").In("%s").Out("%s").Count()`, tech, uses, schema.InCity),
	} {
		got, err := runOn(ctx, engineOf(v), "gizmo", src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		want, err := runOn(ctx, ref, "gizmo", src)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := sortedJSON(got), sortedJSON(want); g != w || len(want) == 0 {
			t.Errorf("%s\n got  %s\n want %s", src, g, w)
		}
	}
}
