package graph_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/policygraph/policygraph/graph/graphbench"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

type benchCatalog struct{ v *view.View }

func (c benchCatalog) IDs(t schema.Type) []string { return c.v.IDsOutside(t, "plan/bench-copy") }

// BenchmarkFirstQueryAfterWrite measures what Gizmo's first question
// after a write costs: "cities applying blockchain to finance" over the
// new View, including the indexes the query store makes on first use. It
// reports the heap those indexes keep beside the View.
//
//	POLICYGRAPH_BENCH_SIZES=S,M,L go test ./graph -run '^$' -bench FirstQueryAfterWrite -benchtime 3x
func BenchmarkFirstQueryAfterWrite(b *testing.B) {
	ctx := context.Background()
	q := fmt.Sprintf(`g.V("%s").In("%s").Has("%s", "%s").Out("%s").Unique().All()`,
		schema.Technology.IRI("blockchain"), schema.UsesTechnology, schema.AppliesTo, schema.Domain.IRI("finance"), schema.InCity)
	for _, backend := range graphbench.BenchBackends(b) {
		for _, size := range graphbench.BenchSizes(b) {
			st, quads := graphbench.Loaded(b, backend, size)
			b.Run(fmt.Sprintf("size=%s/backend=%s", size, backend.Name), func(b *testing.B) {
				var before, after runtime.MemStats
				i := 0
				for b.Loop() {
					b.StopTimer()
					v, err := st.Fresh(ctx)
					if err != nil {
						b.Fatal(err)
					}
					src := fmt.Sprintf("id: bench-copy\ncity: fuzhou\nissuer: fuzhou-government\ntitle: {en: Copy %d}\nsource: interchain-pulse-2020-06\n", i)
					i++
					doc, err := loader.ParsePlan("bench", []byte(src), "bench-copy", benchCatalog{v})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := st.PutDocument(ctx, doc, ""); err != nil {
						b.Fatal(err)
					}
					if _, err := st.Fresh(ctx); err != nil {
						b.Fatal(err)
					}
					runtime.GC()
					runtime.ReadMemStats(&before)
					b.StartTimer()
					rows, _, err := st.Query(ctx, "gizmo", q, 100000)
					if err != nil || len(rows) == 0 {
						b.Fatalf("%d rows, %v", len(rows), err)
					}
					b.StopTimer()
					runtime.GC()
					runtime.ReadMemStats(&after)
					b.StartTimer()
				}
				b.ReportMetric(float64(quads), "quads")
				b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/(1<<20), "MiB-index")
			})
		}
	}
}
