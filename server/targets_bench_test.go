package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphbench"
)

// targetQuestions are the target questions of issue 14's speed goal: one
// city's targets on a concept, and every city's 5G base-station targets
// due in one year (what "which city set the highest" reads).
var targetQuestions = []struct{ name, path string }{
	{"city", "/v1/targets?city=" + graphbench.BenchCity + "&technology=information-infrastructure"},
	{"metric-year", "/v1/targets?metric=" + url.QueryEscape("5G基站") + "&year=2022"},
	{"compare", "/v1/compare?what=targets&cities=city-0000,city-0001,city-0002&technology=5g"},
}

// BenchmarkTargets is the targets figure: the p50 and p99 of a first ask
// (no answer kept: every request reads the View, filters, sorts and
// encodes) of each target question, with the goal p50 ≤ 5 ms.
//
//	POLICYGRAPH_BENCH_SIZES=L go test ./server -run '^$' -bench Targets -benchtime 10x
func BenchmarkTargets(b *testing.B) { benchReads(b, targetsFigure) }

var targetsFigure = readFigure{run: func(b *testing.B, st *graph.Store, quads int, size, backend string) {
	s := New(st, Config{AnswerCache: -1})
	for _, q := range targetQuestions {
		name := fmt.Sprintf("figure=targets/question=%s/cache=off/size=%s/backend=%s", q.name, size, backend)
		b.Run(name, func(b *testing.B) {
			firstAsk(b, s, q.path, quads)
		})
	}
}}

// TestTargetQuestionsAnswer checks the benchmark asks questions with
// answers: on the generated corpus each target question finds targets.
func TestTargetQuestionsAnswer(t *testing.T) {
	st, _ := graphbench.Loaded(t, graphbench.BenchBackends(t)[0], "S")
	s := New(st, Config{})
	for _, q := range targetQuestions {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, q.path, nil))
		if w.Code != http.StatusOK || len(w.Body.String()) < 200 {
			t.Errorf("%s: %d %s", q.path, w.Code, w.Body.String())
		}
	}
}
