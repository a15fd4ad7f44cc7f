package view_test

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/graph/graphbench"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/view"
)

// BenchmarkTextMemory is what a serving View keeps, part by part, in
// process with no store: the View New builds (its quads excluded), its
// search index, and its similarity index, each as the live heap it adds
// (MiB, bytes a quad) and the heap in use it adds (what the resident set
// sees: live objects and the free room of the spans they sit in). It
// also times what the compact forms cost the questions: a similar ask
// for measures across the corpus, and a page of search for the words of
// BenchmarkTextIndex, by the clock and by CPU time. With POLICYGRAPH_HEAP_PROFILE set, a heap profile
// of the View with both indexes is written there.
//
//	POLICYGRAPH_BENCH_SIZES=L go test ./view -run '^$' -bench TextMemory -benchtime 1x
func BenchmarkTextMemory(b *testing.B) {
	for _, size := range graphbench.BenchSizes(b) {
		ds, err := loader.Load(graphbench.Corpus(b, size))
		if err != nil {
			b.Fatal(err)
		}
		var qs []quad.Quad
		for _, g := range ds.Graphs {
			qs = append(qs, g.Quads...)
		}
		hash := ds.Hash
		ds = nil // its documents are not what a server keeps
		heap := func() (alloc, inuse int64) {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return int64(ms.HeapAlloc), int64(ms.HeapInuse)
		}
		a0, i0 := heap()
		v := view.New(qs, hash)
		a1, i1 := heap()
		v.SearchIndex()
		a2, i2 := heap()
		v.WarmText()
		a3, i3 := heap()
		if path := os.Getenv("POLICYGRAPH_HEAP_PROFILE"); path != "" {
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
		n := float64(len(qs))
		b.Run(fmt.Sprintf("size=%s", size), func(b *testing.B) {
			var similar, search []time.Duration
			var similarCPU, searchCPU time.Duration
			for b.Loop() {
				cpu := graphbench.CPUTime()
				for i := 0; i < len(v.Measures); i += len(v.Measures)/200 + 1 {
					t := time.Now()
					if _, ok := v.SimilarTo(v.Measures[i].ID, view.TimeFilter{}); !ok {
						b.Fatal("no measure ", v.Measures[i].ID)
					}
					similar = append(similar, time.Since(t))
				}
				similarCPU += graphbench.CPUTime() - cpu
				cpu = graphbench.CPUTime()
				ix := v.SearchIndex()
				for _, q := range []string{"blockchain", "区块链", "government affairs", "blockchian", "project", "合成市"} {
					for range 20 {
						t := time.Now()
						page, _ := ix.SearchPage(q, view.SearchFilter{}, 0, 50)
						for _, h := range page {
							h.Snip()
						}
						ix.Suggest(q)
						search = append(search, time.Since(t))
					}
				}
				searchCPU += graphbench.CPUTime() - cpu
			}
			slices.Sort(similar)
			slices.Sort(search)
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(n, "quads")
			for _, part := range []struct {
				name         string
				alloc, inuse int64
			}{{"view", a1 - a0, i1 - i0}, {"search", a2 - a1, i2 - i1}, {"similar", a3 - a2, i3 - i2}} {
				b.ReportMetric(float64(part.alloc)/(1<<20), "MiB-"+part.name)
				b.ReportMetric(float64(part.alloc)/n, "B/quad-"+part.name)
				b.ReportMetric(float64(part.inuse)/(1<<20), "MiB-inuse-"+part.name)
			}
			b.ReportMetric(float64(similar[len(similar)/2].Microseconds()), "µs-similar-p50")
			b.ReportMetric(float64(similar[len(similar)*9/10].Microseconds()), "µs-similar-p90")
			b.ReportMetric(float64(search[len(search)/2].Microseconds()), "µs-search-p50")
			// The process's CPU time a question, garbage collection
			// included: on a shared machine, nearer a quiet one's figure.
			b.ReportMetric(float64(similarCPU.Microseconds())/float64(len(similar)), "µs-cpu-similar")
			b.ReportMetric(float64(searchCPU.Microseconds())/float64(len(search)), "µs-cpu-search")
		})
		runtime.KeepAlive(qs)
	}
}
