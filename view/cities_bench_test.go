package view_test

import (
	"fmt"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/graph/graphbench"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/view"
)

// BenchmarkCitiesAnswer is the cities question of BenchmarkQuestions in
// process, on the View of each size with no server and no store, step by
// step: the rows, the coverage notes, their encoding, and all three. It
// reports the answer's entries and bytes, to set each step's growth
// against the answer's.
//
//	POLICYGRAPH_BENCH_SIZES=S,L go test ./view -run '^$' -bench CitiesAnswer -benchmem
func BenchmarkCitiesAnswer(b *testing.B) {
	f := view.MeasureFilter{Technology: "blockchain", Domain: "finance"}
	for _, size := range graphbench.BenchSizes(b) {
		ds, err := loader.Load(graphbench.Corpus(b, size))
		if err != nil {
			b.Fatal(err)
		}
		var qs []quad.Quad
		for _, g := range ds.Graphs {
			qs = append(qs, g.Quads...)
		}
		v := view.New(qs, ds.Hash)
		answer := func() ([]view.CityRow, []string, []view.CoverageNote) {
			rows := v.CitiesWith(f)
			cities := make([]string, len(rows))
			for i, r := range rows {
				cities[i] = r.City
			}
			return rows, cities, v.Coverage(f, cities)
		}
		encode := func(buf []byte, rows []view.CityRow, notes []view.CoverageNote) []byte {
			for i := range rows {
				buf = rows[i].AppendJSON(buf)
			}
			for i := range notes {
				buf = notes[i].AppendJSON(buf)
			}
			return buf
		}
		rows, cities, notes := answer()
		bytes := len(encode(nil, rows, notes))
		for _, step := range []struct {
			name string
			run  func(buf []byte) []byte
		}{
			{"rows", func(buf []byte) []byte { v.CitiesWith(f); return buf }},
			{"notes", func(buf []byte) []byte { v.Coverage(f, cities); return buf }},
			{"encode", func(buf []byte) []byte { return encode(buf[:0], rows, notes) }},
			{"all", func(buf []byte) []byte { r, _, n := answer(); return encode(buf[:0], r, n) }},
		} {
			b.Run(fmt.Sprintf("size=%s/step=%s", size, step.name), func(b *testing.B) {
				var buf []byte
				for b.Loop() {
					buf = step.run(buf)
				}
				b.ReportMetric(float64(len(rows)+len(notes)), "entries")
				b.ReportMetric(float64(bytes), "bytes-answer")
			})
		}
	}
}
