package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphbench"
)

// BenchmarkTextIndex measures building the full-text index of a View (done
// once per graph version, on the first search) and one search over it
// (goal: p50 ≤ 5 ms at size L).
//
//	POLICYGRAPH_BENCH_SIZES=L go test ./graph -run '^$' -bench TextIndex -benchtime 10x
func BenchmarkTextIndex(b *testing.B) {
	ctx := context.Background()
	for _, size := range graphbench.BenchSizes(b) {
		st, _ := graphbench.Loaded(b, graphbench.BenchBackends(b)[0], size)
		v, err := st.View(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("op=build/size=%s", size), func(b *testing.B) {
			for b.Loop() {
				graph.NewTextIndex(v)
			}
		})
		ix := graph.NewTextIndex(v)
		for _, q := range []string{"blockchain", "区块链", "government affairs", "blockchian"} {
			b.Run(fmt.Sprintf("op=search/q=%s/size=%s", q, size), func(b *testing.B) {
				for b.Loop() {
					ix.Search(q, nil, "")
					ix.Suggest(q)
				}
			})
		}
	}
}
