package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph/graphbench"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/view"
)

// buildView is the View of data directory dir as the loader turns it into
// quads, without a store: what the encoders are checked on.
func buildView(t testing.TB, dir string) *view.View {
	t.Helper()
	ds, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var qs []quad.Quad
	for _, g := range ds.Graphs {
		qs = append(qs, g.Quads...)
	}
	return view.New(qs, ds.Hash)
}

// jsonViews are the Views the encoders are held to encoding/json on: the
// fixture, and the generated corpus at S (or at the sizes
// POLICYGRAPH_BENCH_SIZES lists, to check L once by hand).
func jsonViews(t *testing.T) map[string]*view.View {
	out := map[string]*view.View{"fixture": buildView(t, testData)}
	sizes := []string{"S"}
	if os.Getenv("POLICYGRAPH_BENCH_SIZES") != "" {
		sizes = graphbench.BenchSizes(t)
	}
	for _, size := range sizes {
		out["generated-"+size] = buildView(t, graphbench.Corpus(t, size))
	}
	return out
}

// referencePage is the page as encoding/json writes it, the way the
// tables were answered before the appenders.
func referencePage[T any](t *testing.T, rows []T, total, hi int, extra gin.H) []byte {
	t.Helper()
	var next any
	if hi < total {
		next = hi
	}
	body := gin.H{"rows": rows, "count": len(rows), "total": total, "truncated": hi < total, "next_offset": next}
	for k, v := range extra {
		body[k] = v
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// samePage checks appendPage writes the bytes encoding/json writes for
// rows, whole and as a first page of at most 7 rows.
func samePage[T any](t *testing.T, what string, rows []T, extra gin.H) int {
	t.Helper()
	if rows == nil {
		rows = []T{}
	}
	pages := [][2]int{{len(rows), len(rows)}}
	if len(rows) > 7 {
		pages = append(pages, [2]int{7, len(rows)})
	}
	for _, p := range pages {
		got, err := appendPage(nil, rows[:p[0]], p[1], p[0], extra)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if want := referencePage(t, rows[:p[0]], p[1], p[0], extra); !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: differs from encoding/json at byte %d:\n got …%s\nwant …%s", what, i, excerpt(got, i), excerpt(want, i))
		}
	}
	return len(rows)
}

func excerpt(b []byte, i int) string { return string(b[max(0, i-80):min(len(b), i+80)]) }

// TestRowJSONIsEncodingJSON: timeline, panel, similar and target answers
// are the bytes encoding/json gives them, for every technology (alone and
// with each domain), both panel units, a spread of measures and every
// target, on the fixture and the generated corpus; as are tables of rows
// the appenders do not know, and extra fields.
func TestRowJSONIsEncodingJSON(t *testing.T) {
	for name, v := range jsonViews(t) {
		t.Run(name, func(t *testing.T) {
			var timelines, panels, similar, targets int
			for _, tech := range v.Technologies {
				timelines += samePage(t, "timeline "+tech.ID, v.Timeline(view.TimelineFilter{Technology: tech.ID}), nil)
				for _, unit := range view.PanelUnits {
					panels += samePage(t, "panel "+tech.ID, v.Panel(view.PanelFilter{Unit: unit, Technologies: []string{tech.ID}}), nil)
				}
				targets += samePage(t, "targets "+tech.ID, v.FindTargets(view.TargetFilter{Technology: tech.ID}), gin.H{"coverage": v.Coverage(view.MeasureFilter{Technology: tech.ID}, nil)})
				for _, d := range v.Domains {
					f := view.TimelineFilter{Technology: tech.ID, Domain: d.ID}
					timelines += samePage(t, "timeline "+tech.ID+" "+d.ID, v.Timeline(f), nil)
				}
			}
			panels += samePage(t, "panel of all", v.Panel(view.PanelFilter{Unit: view.UnitCity, Technologies: ids(v.Technologies), Domains: ids(v.Domains)[:min(3, len(v.Domains))]}), nil)
			step := max(1, len(v.Measures)/25)
			for i := 0; i < len(v.Measures); i += step {
				m := v.Measures[i]
				rows, _ := v.SimilarTo(m.ID, view.TimeFilter{})
				similar += samePage(t, "similar "+m.ID, rows, gin.H{"of": gin.H{"measure": m.ID, "title": m.Title, "city": m.City, "plan": m.Plan}})
			}
			targets += samePage(t, "every target", v.FindTargets(view.TargetFilter{}), nil)
			samePage(t, "measures", v.Measures, gin.H{"rows": "an extra of a table field's name wins", "coverage": []view.CoverageNote{{City: "x", Status: "no_plans", Note: "<&>"}}})
			samePage(t, "mentions", v.CityMentions("", "", true), nil)
			for what, n := range map[string]int{"timeline": timelines, "panel": panels, "similar": similar, "target": targets} {
				if n == 0 {
					t.Errorf("no %s rows were compared", what)
				}
			}
		})
	}
}

func ids(es []*view.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// TestTableAnswersEncodedOnce: a served answer is the page encoding/json
// writes, with gin's JSON content type.
func TestTableAnswersEncodedOnce(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	v := buildView(t, testData)
	w := get(t, s, "/v1/timeline?technology=blockchain&limit=2")
	rows := v.Timeline(view.TimelineFilter{Technology: "blockchain"})
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("%d %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	if len(rows) < 3 {
		t.Fatalf("the fixture's blockchain timeline has %d rows; the test wants a second page", len(rows))
	}
	if want := referencePage(t, rows[:2], len(rows), 2, nil); !bytes.Equal(w.Body.Bytes(), want) {
		t.Errorf("answer\n%s\nwant\n%s", w.Body, want)
	}
}

// TestPanelPages: the panel, whose rows are made only for the page, answers
// each page as encoding/json (and the CSV writer) would the page of all
// its rows.
func TestPanelPages(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	v := buildView(t, testData)
	for _, tc := range []struct {
		query  string
		f      view.PanelFilter
		lo, hi int
	}{
		{"technology=blockchain,5g&domain=finance,government&limit=7&offset=5", view.PanelFilter{Unit: view.UnitCity, Technologies: []string{"blockchain", "5g"}, Domains: []string{"finance", "government"}}, 5, 12},
		{"unit=province&technology=information-infrastructure&basis=explicit", view.PanelFilter{Unit: view.UnitProvince, Technologies: []string{"information-infrastructure"}, Basis: "explicit"}, 0, -1},
		{"technology=blockchain&offset=100000", view.PanelFilter{Unit: view.UnitCity, Technologies: []string{"blockchain"}}, 100000, -1},
	} {
		rows := v.Panel(tc.f)
		lo, hi := min(tc.lo, len(rows)), tc.hi
		if hi < 0 || hi > len(rows) {
			hi = len(rows)
		}
		w := get(t, s, "/v1/panel?"+tc.query)
		if want := referencePage(t, rows[lo:hi], len(rows), hi, nil); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("%s: %d\n%s\nwant\n%s", tc.query, w.Code, w.Body, want)
		}
		if len(rows) == 0 || w.Header().Get("X-Total-Count") != strconv.Itoa(len(rows)) {
			t.Errorf("%s: %d rows, X-Total-Count %q", tc.query, len(rows), w.Header().Get("X-Total-Count"))
		}
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		rec := []string{}
		for _, col := range panelColumns {
			rec = append(rec, col.name)
		}
		cw.Write(rec)
		for _, r := range rows[lo:hi] {
			rec = rec[:0]
			for _, col := range panelColumns {
				rec = append(rec, col.get(r))
			}
			cw.Write(rec)
		}
		cw.Flush()
		if got := get(t, s, "/v1/panel?format=csv&"+tc.query); got.Body.String() != want.String() {
			t.Errorf("%s as CSV:\n%s\nwant\n%s", tc.query, got.Body, want.String())
		}
	}
}

// FuzzJSONString: appendString escapes any string as encoding/json does.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "区块链<&>", "a\"b\\c\n\t\b\f\r\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "ok\xe2\x80", "福州 — 数字"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	})
}

// TestJSONFloat: appendFloat formats numbers as encoding/json does, at
// the edges of its fixed and exponent forms.
func TestJSONFloat(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 1e-6, 9.99e-7, 1e-7, 1.5e-10, 1e20, 1e21, 1.2345e22, 270000000000, 30000, 0.85, math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-8} {
		want, _ := json.Marshal(f)
		if got := appendFloat(nil, f); !bytes.Equal(got, want) {
			t.Errorf("%v: got %s, want %s", f, got, want)
		}
	}
	if got := string(appendFloat(nil, math.NaN())); !strings.Contains(got, "null") {
		t.Errorf("NaN: %s", got)
	}
}

// BenchmarkRowJSON splits a first ask of the largest diffusion answers
// into the question over the View and its encoding, by encoding/json and
// by the appenders, on a View built in process (no store, so L builds in
// a minute rather than loading for several):
//
//	POLICYGRAPH_BENCH_SIZES=L go test ./server -run '^$' -bench RowJSON
func BenchmarkRowJSON(b *testing.B) {
	for _, size := range graphbench.BenchSizes(b) {
		v := buildView(b, graphbench.Corpus(b, size))
		questions := []struct {
			name string
			rows func() any
		}{
			{"timeline", func() any { return v.Timeline(view.TimelineFilter{Technology: "blockchain"}) }},
			{"panel", func() any {
				return v.Panel(view.PanelFilter{Unit: view.UnitCity, Technologies: []string{"blockchain"}})
			}},
		}
		for _, q := range questions {
			b.Run("size="+size+"/question="+q.name+"/part=ask", func(b *testing.B) {
				for b.Loop() {
					q.rows()
				}
			})
			rows := q.rows()
			b.Run("size="+size+"/question="+q.name+"/part=encoding-json", func(b *testing.B) {
				for b.Loop() {
					if _, err := json.Marshal(gin.H{"rows": rows}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("size="+size+"/question="+q.name+"/part=appenders", func(b *testing.B) {
				var buf []byte
				for b.Loop() {
					switch rs := rows.(type) {
					case []view.Adoption:
						buf, _ = appendPage(buf[:0], rs, len(rs), len(rs), nil)
					case []view.PanelRow:
						buf, _ = appendPage(buf[:0], rs, len(rs), len(rs), nil)
					}
				}
				b.ReportMetric(float64(len(buf)), "bytes")
			})
		}
	}
}
