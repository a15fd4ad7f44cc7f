package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph"
)

// diffusionQuestions are the time and diffusion questions of the scale
// benchmarks; city-0001-plan-00-m000 exists at every size.
var diffusionQuestions = []struct{ name, path string }{
	{"timeline", "/v1/timeline?technology=blockchain"},
	{"timeline-domain", "/v1/timeline?technology=blockchain&domain=finance"},
	{"panel", "/v1/panel?unit=city&period=year&technology=blockchain"},
	{"panel-csv", "/v1/panel?unit=city&period=year&technology=blockchain&domain=finance&format=csv"},
	{"similar", "/v1/similar?measure=city-0001-plan-00-m000&limit=20"},
	{"plans-in-force", "/v1/plans?in_force=2021-06-01"},
}

// BenchmarkDiffusion times the diffusion questions on a first ask (the
// answer cache off, so every ask is answered from the View) and reports
// p50 and p99, and as its ratio p50 over the goal of 5 ms (at most 1, as
// cmd/benchtable reads it). They read only the View, so one backend is
// enough.
//
//	POLICYGRAPH_BENCH_SIZES=S,M,L go test ./server -run '^$' -bench Diffusion -benchtime 20x
func BenchmarkDiffusion(b *testing.B) { benchReads(b, diffusionFigure) }

var diffusionFigure = readFigure{firstOnly: true, run: func(b *testing.B, st *graph.Store, quads int, size, backend string) {
	s := New(st, Config{AnswerCache: -1})
	for _, q := range diffusionQuestions {
		b.Run(fmt.Sprintf("figure=diffusion/question=%s/cache=off/size=%s/backend=%s", q.name, size, backend), func(b *testing.B) {
			firstAsk(b, s, q.path, quads)
		})
	}
}}

// firstAsk times s answering path from the View (its answer cache off),
// 20 asks per round, and reports the p50 against the 5 ms goal of the
// questions that answer from the View, with the p99, the graph's size and
// the answer's.
func firstAsk(b *testing.B, s *Server, path string, quads int) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	w := &sink{header: http.Header{}}
	var times []time.Duration
	for b.Loop() {
		for range 20 {
			w.reset()
			t0 := time.Now()
			s.ServeHTTP(w, req)
			times = append(times, time.Since(t0))
			if w.code != http.StatusOK {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
			}
		}
	}
	p50 := percentile(times, 50)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(p50.Nanoseconds())/1e3, "µs-p50")
	b.ReportMetric(float64(percentile(times, 99).Nanoseconds())/1e3, "µs-p99")
	b.ReportMetric(float64(quads), "quads")
	b.ReportMetric(float64(w.bytes), "bytes-answer")
	b.ReportMetric(float64(p50.Nanoseconds())/1e6, "ratio")
	b.ReportMetric(5, "goal-max")
}
