package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/policygraph/policygraph/graph/graphbench"
)

// BenchmarkParseQuestion measures reading one question against the lexicon
// of a generated corpus (built once per graph version, not measured here).
//
//	POLICYGRAPH_BENCH_SIZES=S,M go test ./server -run '^$' -bench ParseQuestion -benchtime 20x
func BenchmarkParseQuestion(b *testing.B) {
	ctx := context.Background()
	for _, size := range graphbench.BenchSizes(b) {
		st, _ := graphbench.Loaded(b, graphbench.BenchBackends(b)[0], size)
		v, err := st.View(ctx)
		if err != nil {
			b.Fatal(err)
		}
		lx := newQuestionLexicon(v)
		for _, q := range []string{"which cities apply blockchian to finance?", "哪些城市在金融领域应用区块链？"} {
			b.Run(fmt.Sprintf("q=%s/size=%s", q, size), func(b *testing.B) {
				for b.Loop() {
					parseQuestion(lx, q)
				}
			})
		}
	}
}
