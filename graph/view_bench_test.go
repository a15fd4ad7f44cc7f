package graph_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/policygraph/policygraph/graph/graphbench"
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
