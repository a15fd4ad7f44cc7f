package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph/graphbench"
)

// BenchmarkServeHeap is BenchmarkServeMemory's server run in process, so
// that its Go heap can be read apart from the bolt file's pages and
// profiled: `serve` over a loaded bolt store, asked a search and a
// similarity (which make the text indexes the background warm would)
// and the question mix, then its live heap after a collection and its
// heap in use, a quad. The load runs in the same process first, so the
// resident set is not the server's: BenchmarkServeMemory gives that.
// With POLICYGRAPH_HEAP_PROFILE set, the heap profile is written there
// (go tool pprof -sample_index=inuse_space -top).
//
//	POLICYGRAPH_HEAP_PROFILE=heap.pprof POLICYGRAPH_BENCH_SIZES=L go test ./cmd/policygraph -run '^$' -bench ServeHeap -benchtime 1x
func BenchmarkServeHeap(b *testing.B) {
	noEnv := func(string) string { return "" }
	for _, size := range graphbench.BenchSizes(b) {
		dir := graphbench.Corpus(b, size)
		db := filepath.Join(b.TempDir(), "pg.db")
		if err := run(context.Background(), []string{"load", "--data", dir, "--dbpath", db}, noEnv, io.Discard, os.Stderr); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("size=%s/backend=bolt", size), func(b *testing.B) {
			var ms runtime.MemStats
			var quads int64
			for b.Loop() {
				ctx, cancel := context.WithCancel(context.Background())
				base, done := serveInProcess(b, ctx, []string{"--addr", "127.0.0.1:0", "--data", dir, "--dbpath", db}, os.Stderr)
				quads = healthQuads(b, base)
				get(b, base+"/v1/search?q=blockchain")
				get(b, base+"/v1/search?q=%E5%8C%BA%E5%9D%97%E9%93%BE")
				get(b, base+"/v1/similar?measure=city-0001-plan-00-m000")
				if _, err := graphbench.Throughput(context.Background(), prefixed(base, questionMix), 32, 5*time.Second); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&ms)
				if path := os.Getenv("POLICYGRAPH_HEAP_PROFILE"); path != "" {
					f, err := os.Create(path)
					if err != nil {
						b.Fatal(err)
					}
					if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
						b.Fatal(err)
					}
					f.Close()
				}
				cancel()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(quads), "quads")
			b.ReportMetric(float64(ms.HeapAlloc>>20), "MiB-heap-live")
			b.ReportMetric(float64(ms.HeapAlloc)/float64(quads), "bytes/quad-heap-live")
			b.ReportMetric(float64(ms.HeapInuse>>20), "MiB-heap-inuse")
		})
	}
}
