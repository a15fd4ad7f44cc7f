package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/graph/graphbench"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// BenchmarkBuildView measures what a write costs every server before it
// answers again: reading all quads and building the View. It reports the
// heap the View keeps.
//
//	POLICYGRAPH_BENCH_SIZES=L go test ./graph -run '^$' -bench BuildView -benchtime 3x -cpuprofile cpu.pprof
func BenchmarkBuildView(b *testing.B) {
	ctx := context.Background()
	for _, backend := range graphbench.BenchBackends(b) {
		for _, size := range graphbench.BenchSizes(b) {
			st, quads := graphbench.Loaded(b, backend, size)
			b.Run(fmt.Sprintf("size=%s/backend=%s", size, backend.Name), func(b *testing.B) {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for b.Loop() {
					v, err := st.BuildView(ctx, "bench")
					if err != nil || len(v.Measures) == 0 {
						b.Fatal(err)
					}
					runtime.GC()
					runtime.ReadMemStats(&after)
					runtime.KeepAlive(v)
				}
				b.ReportMetric(float64(quads)*float64(b.N)/b.Elapsed().Seconds(), "quads/s")
				b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/(1<<20), "MiB-view")
			})
		}
	}
}

// BenchmarkBuildViewWithHistory is BuildView after every plan was
// written once more through the API: the kept versions are read by every
// build (and left out of the View), so a build's cost grows with the
// history until it is compacted.
//
//	POLICYGRAPH_BENCH_SIZES=S go test ./graph -run '^$' -bench BuildViewWithHistory -benchtime 3x
func BenchmarkBuildViewWithHistory(b *testing.B) {
	ctx := context.Background()
	for _, backend := range graphbench.BenchBackends(b) {
		for _, size := range graphbench.BenchSizes(b) {
			st, quads := graphbench.Loaded(b, backend, size)
			v, err := st.View(ctx)
			if err != nil {
				b.Fatal(err)
			}
			srcs, err := st.Sources(ctx)
			if err != nil {
				b.Fatal(err)
			}
			rewritten := 0
			for _, s := range srcs {
				id, ok := strings.CutPrefix(s.ID, "plan/")
				if !ok {
					continue
				}
				// A second version: the same plan with one more title.
				src := bytes.Replace(s.Source, []byte("\ntitle:\n"), []byte("\ntitle:\n  zh-Hant: 修訂版\n"), 1)
				doc, err := loader.ParsePlan("bench", src, id, catalog{v, s.ID})
				if err != nil || bytes.Equal(src, s.Source) {
					continue // a plan whose title is written otherwise
				}
				if _, err := st.PutDocument(ctx, doc, ""); err != nil {
					b.Fatal(err)
				}
				rewritten++
			}
			if rewritten == 0 {
				b.Fatal("no plan was rewritten")
			}
			b.Run(fmt.Sprintf("size=%s/backend=%s", size, backend.Name), func(b *testing.B) {
				for b.Loop() {
					v, err := st.BuildView(ctx, "bench")
					if err != nil || len(v.Measures) == 0 {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(quads)*float64(b.N)/b.Elapsed().Seconds(), "current-quads/s")
				b.ReportMetric(float64(rewritten), "plans-rewritten")
			})
		}
	}
}

type catalog struct {
	v     *view.View
	graph string
}

func (c catalog) IDs(t schema.Type) []string { return c.v.IDsOutside(t, c.graph) }

func (c catalog) Has(t schema.Type, id string) bool { return c.v.HasOutside(t, id, c.graph) }
