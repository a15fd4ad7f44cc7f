package view_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/graph/graphbench"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// BenchmarkPatch is View.Patch alone, in process with no store: one plan
// of each size's corpus retitled again and again, each patch made from
// the last (as a server's current View is). It reports the heap New's
// View takes (the quads it is built from excluded) and its bytes a quad,
// so that what makes patching cheap is seen not to make serving dearer.
// The patch should cost what the plan holds: the same at M and L.
//
//	POLICYGRAPH_BENCH_SIZES=M,L go test ./view -run '^$' -bench Patch -benchtime 20x
func BenchmarkPatch(b *testing.B) {
	for _, size := range graphbench.BenchSizes(b) {
		ds, err := loader.Load(graphbench.Corpus(b, size))
		if err != nil {
			b.Fatal(err)
		}
		var qs []quad.Quad
		var plan *schema.Document
		for _, g := range ds.Graphs {
			qs = append(qs, g.Quads...)
			if plan == nil && strings.HasPrefix(g.ID, "plan/") {
				plan = g
			}
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		v := view.New(qs, ds.Hash)
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap := float64(after.HeapAlloc - before.HeapAlloc)
		// Two variants of the plan, its titles changed, so that every
		// patch replaces what the last one wrote.
		var variants [2][]quad.Quad
		for i := range variants {
			for _, q := range plan.Quads {
				if ls, ok := q.Object.(quad.LangString); ok && q.Predicate == schema.Title {
					ls.Value += quad.String(fmt.Sprintf(" (revision %d)", i))
					q.Object = ls
				}
				q.Label = schema.GraphIRI(plan.ID)
				variants[i] = append(variants[i], q)
			}
		}
		// As the store does when it makes a View (graph/fresh.go): the
		// first patch does not pay for the list of quads by document.
		v.PrepareForPatch()
		b.Run(fmt.Sprintf("size=%s", size), func(b *testing.B) {
			cur := v
			i := 0
			cpu0 := graphbench.CPUTime()
			for b.Loop() {
				i++
				next := cur.Patch([]quad.IRI{schema.GraphIRI(plan.ID)}, variants[i%2], fmt.Sprint(i))
				if next == nil {
					b.Fatal("not patched")
				}
				cur = next
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/patch")
			// The process's CPU time, garbage collection included: on a
			// shared machine, nearer what a quiet one takes than the clock.
			b.ReportMetric((graphbench.CPUTime()-cpu0).Seconds()*1000/float64(b.N), "ms-cpu/patch")
			b.ReportMetric(float64(len(qs)), "quads")
			b.ReportMetric(float64(len(plan.Quads)), "quads-changed")
			b.ReportMetric(heap/(1<<20), "MiB-view")
			b.ReportMetric(heap/float64(len(qs)), "B/quad")
		})
		runtime.KeepAlive(qs)
	}
}

// BenchmarkLookups is what a question pays per read of the View's maps:
// the quads out of and into a measure's node, and its record, for every
// measure, on a View New built and on one patched from it.
//
//	POLICYGRAPH_BENCH_SIZES=M,L go test ./view -run '^$' -bench Lookups
func BenchmarkLookups(b *testing.B) {
	for _, size := range graphbench.BenchSizes(b) {
		ds, err := loader.Load(graphbench.Corpus(b, size))
		if err != nil {
			b.Fatal(err)
		}
		var qs []quad.Quad
		var plan *schema.Document
		for _, g := range ds.Graphs {
			qs = append(qs, g.Quads...)
			if plan == nil && strings.HasPrefix(g.ID, "plan/") {
				plan = g
			}
		}
		built := view.New(qs, ds.Hash)
		patched := built.Patch([]quad.IRI{schema.GraphIRI(plan.ID)}, plan.Quads, "patched")
		if patched == nil {
			b.Fatal("not patched")
		}
		for _, tc := range []struct {
			name string
			v    *view.View
		}{{"new", built}, {"patched", patched}} {
			ids := make([]string, len(tc.v.Measures))
			iris := make([]quad.Value, len(tc.v.Measures))
			for i, m := range tc.v.Measures {
				ids[i], iris[i] = m.ID, schema.Measure.IRI(m.ID)
			}
			b.Run(fmt.Sprintf("view=%s/size=%s", tc.name, size), func(b *testing.B) {
				n := 0
				cpu0 := graphbench.CPUTime()
				for b.Loop() {
					for i, iri := range iris {
						n += len(tc.v.Out(iri)) + len(tc.v.In(iri))
						if tc.v.Measure(ids[i]) == nil {
							b.Fatal("no measure ", ids[i])
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(iris)*3), "ns/lookup")
				b.ReportMetric(float64((graphbench.CPUTime()-cpu0).Nanoseconds())/float64(b.N*len(iris)*3), "ns-cpu/lookup")
			})
		}
	}
}
