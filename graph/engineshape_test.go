package graph

import (
	"context"
	"slices"
	"testing"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
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
