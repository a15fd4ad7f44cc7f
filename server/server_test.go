package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/view"
)

// testData is the frozen copy of the dataset the tests answer from: adding
// a plan to data/ must not break them.
const testData = "../testdata/data"

// newTestServer serves the frozen dataset from a memory store.
func newTestServer(t testing.TB, cfg Config) (*Server, *loader.Dataset) {
	t.Helper()
	ctx := context.Background()
	st, err := graph.Open(ctx, graph.Config{Backend: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ds, err := loader.Load(testData)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(ctx, ds.Hash, ds.Graphs, nil); err != nil {
		t.Fatal(err)
	}
	return New(st, cfg), ds
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func do(t testing.TB, s *Server, method, target string, body []byte, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// jsonBody is the header of a JSON request body.
var jsonBody = map[string]string{"Content-Type": "application/json"}

func get(t *testing.T, s *Server, target string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, s, http.MethodGet, target, nil, nil)
}

// decode parses a JSON answer, failing the test on a status other than want.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder, want int) T {
	t.Helper()
	var v T
	if w.Code != want {
		t.Fatalf("status %d, want %d: %s", w.Code, want, w.Body.String())
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("bad JSON %q: %v", w.Body.String(), err)
	}
	return v
}

type tableOf[T any] struct {
	Rows       []T  `json:"rows"`
	Count      int  `json:"count"`
	Total      int  `json:"total"`
	Truncated  bool `json:"truncated"`
	NextOffset *int `json:"next_offset"`
}

type errorBody struct {
	Error struct {
		Code        string   `json:"code"`
		Message     string   `json:"message"`
		Suggestions []string `json:"suggestions"`
		Forms       []string `json:"forms"`
	} `json:"error"`
}

// cityBases maps city → basis of a /v1/cities answer.
func cityBases(rows []view.CityRow) map[string]string {
	m := map[string]string{}
	for _, r := range rows {
		m[r.City] = string(r.Basis)
	}
	return m
}

func TestCities(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	tests := []struct {
		query string
		want  map[string]string
	}{
		// Fuzhou's plan names finance; Shanghai's international data port is the article's inference.
		{"technology=blockchain&domain=finance", map[string]string{"fuzhou": "explicit", "shanghai": "inferred"}},
		{"technology=blockchain&domain=finance&basis=explicit", map[string]string{"fuzhou": "explicit"}},
		{"technology=blockchain&domain=finance&basis=inferred", map[string]string{"shanghai": "inferred"}},
		// All three apply blockchain to government affairs; only Beijing's plan says so itself.
		{"technology=blockchain&domain=government", map[string]string{"beijing": "explicit", "fuzhou": "inferred", "shanghai": "inferred"}},
		{"technology=blockchain&domain=smart-city", map[string]string{"beijing": "inferred", "fuzhou": "inferred", "shanghai": "inferred"}},
		// Shanghai's distinctive domain is medical, by inference only.
		{"technology=blockchain&domain=medical", map[string]string{"shanghai": "inferred"}},
		{"technology=blockchain&domain=data-trading", map[string]string{"beijing": "explicit"}},
		{"technology=data-center", map[string]string{"shanghai": "explicit"}},
		// Names and aliases in every language resolve to the same entities.
		{"technology=" + url.QueryEscape("区块链") + "&domain=" + url.QueryEscape("金融"), map[string]string{"fuzhou": "explicit", "shanghai": "inferred"}},
		{"technology=" + url.QueryEscape("ブロックチェーン") + "&domain=Finance", map[string]string{"fuzhou": "explicit", "shanghai": "inferred"}},
		{"technology=BLOCKCHAIN&domain=finance", map[string]string{"fuzhou": "explicit", "shanghai": "inferred"}},
		{"technology=" + url.QueryEscape("區塊鏈") + "&domain=finance", map[string]string{"fuzhou": "explicit", "shanghai": "inferred"}},
		{"technology=block+chain&domain=finance", map[string]string{"fuzhou": "explicit", "shanghai": "inferred"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := decode[tableOf[view.CityRow]](t, get(t, s, "/v1/cities?"+tt.query), http.StatusOK)
			got := cityBases(res.Rows)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for c, b := range tt.want {
				if got[c] != b {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			}
			if res.Count != len(res.Rows) || res.Total != len(res.Rows) || res.Truncated || res.NextOffset != nil {
				t.Errorf("envelope count %d total %d truncated %v next %v", res.Count, res.Total, res.Truncated, res.NextOffset)
			}
			for _, r := range res.Rows {
				if len(r.Measures) == 0 || len(r.Plans) == 0 || r.Name == "" {
					t.Errorf("row without evidence: %+v", r)
				}
			}
		})
	}
}

func TestMeasures(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	res := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures?city=fuzhou&technology=blockchain&basis=explicit"), http.StatusOK)
	plans := map[string]bool{}
	finance := false
	for _, m := range res.Rows {
		plans[m.Plan] = true
		if m.City != "fuzhou" || m.Evidence.Source == "" || m.Evidence.Section == "" || m.Evidence.Summary == "" {
			t.Errorf("measure %s lacks its city or evidence: %+v", m.ID, m)
		}
		for _, d := range m.Domains {
			finance = finance || d == "finance"
		}
	}
	// The article describes three action items in the plan and the subsidy in the measures document.
	if !plans["fuzhou-new-infrastructure-2020"] || !plans["fuzhou-new-infrastructure-measures-2020"] || !finance {
		t.Errorf("Fuzhou's explicit blockchain measures: plans %v, finance %v", plans, finance)
	}
	// Every blockchain link of Shanghai's plan is inferred: none is explicit.
	none := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures?city=shanghai&technology=blockchain&basis=explicit"), http.StatusOK)
	if none.Total != 0 {
		t.Errorf("Shanghai has %d explicit blockchain measures, want 0", none.Total)
	}
	all := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures"), http.StatusOK)
	page := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures?limit=2&offset=1"), http.StatusOK)
	if page.Count != 2 || page.Total != all.Total || !page.Truncated || page.NextOffset == nil || *page.NextOffset != 3 {
		t.Errorf("page: count %d total %d truncated %v next %v", page.Count, page.Total, page.Truncated, page.NextOffset)
	}
	if page.Rows[0].ID != all.Rows[1].ID {
		t.Errorf("offset 1 starts at %s, want %s", page.Rows[0].ID, all.Rows[1].ID)
	}
	last := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures?offset=1000000"), http.StatusOK)
	if last.Count != 0 || last.Truncated || last.Rows == nil {
		t.Errorf("past the end: %+v", last)
	}
}

func TestPlans(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	res := decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans?city="+url.QueryEscape("福州")), http.StatusOK)
	if res.Total != 2 {
		t.Fatalf("Fuzhou has %d plans, want 2", res.Total)
	}
	for _, p := range res.Rows {
		if p.Published != "2020-06-02" || p.City != "fuzhou" || p.Titles["zh"] == "" || p.Titles["en"] == "" || p.Issuer != "fuzhou-government" {
			t.Errorf("plan %+v", p)
		}
		if len(p.Related) != 1 || p.Related[0].Relation != "companion" {
			t.Errorf("plan %s related %v, want its companion", p.ID, p.Related)
		}
	}
	sh := decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans?city=shanghai"), http.StatusOK)
	if sh.Total != 1 || sh.Rows[0].Adopted != "2020-04-27" || sh.Rows[0].Published != "2020-05-07" || sh.Rows[0].PeriodStart != 2020 || sh.Rows[0].PeriodEnd != 2022 {
		t.Errorf("Shanghai's plan: %+v", sh.Rows)
	}
	all := decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans"), http.StatusOK)
	if all.Total != 7 {
		t.Errorf("%d plans, want 7", all.Total)
	}
}

func TestMentions(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	res := decode[tableOf[view.Mention]](t, get(t, s, "/v1/mentions?technology=blockchain"), http.StatusOK)
	byCity := map[string]int64{}
	for _, m := range res.Rows {
		if len(m.Cities) == 1 && m.Qualifier == "exact" {
			byCity[m.Cities[0]] = m.Count
		}
	}
	if byCity["fuzhou"] != 10 || byCity["beijing"] != 8 || byCity["shanghai"] != 0 || len(byCity) != 3 {
		t.Errorf("blockchain mentions by city: %v", byCity)
	}
	g5 := decode[tableOf[view.Mention]](t, get(t, s, "/v1/mentions?technology=5G"), http.StatusOK)
	if g5.Total != 1 || g5.Rows[0].Count != 70 || g5.Rows[0].Qualifier != "more_than" || len(g5.Rows[0].Cities) != 3 {
		t.Errorf("5G: %+v", g5.Rows)
	}
	iot := decode[tableOf[view.Mention]](t, get(t, s, "/v1/mentions?technology=iot"), http.StatusOK)
	if iot.Total != 1 || iot.Rows[0].Count != 20 || !iot.Rows[0].Uncertain {
		t.Errorf("IoT: %+v", iot.Rows)
	}
	fz := decode[tableOf[view.ScopedMention]](t, get(t, s, "/v1/mentions?city=fuzhou&technology=ai&include_shared=true"), http.StatusOK)
	if fz.Total != 1 || fz.Rows[0].Count != 37 || !fz.Rows[0].Shared {
		t.Errorf("AI mentions covering Fuzhou: %+v", fz.Rows)
	}
}

func TestSupport(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	res := decode[tableOf[view.Instrument]](t, get(t, s, "/v1/support?technology=blockchain&city=fuzhou"), http.StatusOK)
	if res.Total != 1 {
		t.Fatalf("Fuzhou has %d blockchain instruments, want 1", res.Total)
	}
	in := res.Rows[0]
	if in.Rate == nil || *in.Rate != 0.1 || in.CapAmount == nil || *in.CapAmount != 5000000 || in.CapCurrency != "CNY" ||
		in.Schedule != "4:3:3" || in.ScheduleYears != 3 || in.Plan != "fuzhou-new-infrastructure-measures-2020" || in.Measure == "" || in.Eligibility == "" {
		t.Errorf("Fuzhou's subsidy: %+v", in)
	}
	bj := decode[tableOf[view.Instrument]](t, get(t, s, "/v1/support?city=beijing"), http.StatusOK)
	if bj.Total != 1 || bj.Rows[0].Rate != nil || bj.Rows[0].CapAmount != nil {
		t.Errorf("Beijing's enterprise cultivation (no money): %+v", bj.Rows)
	}
	sh := decode[tableOf[view.Instrument]](t, get(t, s, "/v1/support?city=shanghai"), http.StatusOK)
	if sh.Total != 0 {
		t.Errorf("Shanghai offers %d instruments, want none", sh.Total)
	}
}

func TestCompare(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	mx := decode[view.Matrix](t, get(t, s, "/v1/compare?cities=beijing,shanghai,fuzhou&technology=blockchain"), http.StatusOK)
	if len(mx.Cells) != len(mx.Domains)*3 {
		t.Fatalf("%d cells for %d domains × 3 cities", len(mx.Cells), len(mx.Domains))
	}
	cell := map[[2]string]string{}
	for _, c := range mx.Cells {
		cell[[2]string{c.Domain, c.City}] = string(c.Basis)
		if (c.Basis == "") != (len(c.Measures) == 0) {
			t.Errorf("cell %+v: basis and measures disagree", c)
		}
	}
	want := map[[2]string]string{
		{"government", "beijing"}: "explicit", {"government", "shanghai"}: "inferred", {"government", "fuzhou"}: "inferred",
		{"finance", "fuzhou"}: "explicit", {"finance", "beijing"}: "", {"medical", "shanghai"}: "inferred", {"medical", "fuzhou"}: "",
		{"security", "beijing"}: "explicit", {"data-trading", "beijing"}: "explicit",
	}
	for k, b := range want {
		if got, ok := cell[k]; !ok || got != b {
			t.Errorf("cell %v = %q (present %v), want %q", k, got, ok, b)
		}
	}
	// Lists as Chinese and Japanese are written, by name, give the same matrix.
	cjk := decode[view.Matrix](t, get(t, s, "/v1/compare?technology=blockchain&cities="+url.QueryEscape("北京、上海，福州")), http.StatusOK)
	if fmt.Sprint(cjk.Cities) != fmt.Sprint(mx.Cities) || len(cjk.Cells) != len(mx.Cells) {
		t.Errorf("cities=北京、上海，福州: cities %v, %d cells; want %v, %d", cjk.Cities, len(cjk.Cells), mx.Cities, len(mx.Cells))
	}
	w := do(t, s, http.MethodGet, "/v1/compare?cities=beijing,shanghai,fuzhou&technology=blockchain", nil, map[string]string{"Accept": "text/csv"})
	recs := parseCSV(t, w)
	if len(recs) != len(mx.Cells)+1 || strings.Join(recs[0], ",") != "domain,city,basis,measures,matched" {
		t.Errorf("compare CSV: %d records, header %v", len(recs), recs[0])
	}
}

func parseCSV(t *testing.T, w *httptest.ResponseRecorder) [][]string {
	t.Helper()
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	recs, err := csv.NewReader(w.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestCSV(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, path := range []string{"/v1/cities", "/v1/measures", "/v1/plans", "/v1/mentions", "/v1/support", "/v1/search?q=chain"} {
		t.Run(path, func(t *testing.T) {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			js := decode[tableOf[map[string]any]](t, get(t, s, path), http.StatusOK)
			recs := parseCSV(t, get(t, s, path+sep+"format=csv"))
			if len(recs)-1 != js.Count {
				t.Errorf("CSV has %d rows, JSON %d", len(recs)-1, js.Count)
			}
			idCol := -1
			for i, h := range recs[0] {
				if h == "id" || h == "city" && idCol < 0 {
					idCol = i
				}
			}
			for i, row := range js.Rows {
				want, ok := row[recs[0][idCol]].(string)
				if !ok || recs[i+1][idCol] != want {
					t.Errorf("row %d: CSV %s %q, JSON %v", i, recs[0][idCol], recs[i+1][idCol], row[recs[0][idCol]])
				}
			}
		})
	}
	recs := parseCSV(t, get(t, s, "/v1/measures?format=csv&city=fuzhou&technology=blockchain&domain=finance&basis=explicit"))
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if len(recs) < 2 || recs[1][col["city"]] != "fuzhou" || !strings.Contains(recs[1][col["technologies"]], "blockchain:explicit") || recs[1][col["summary"]] == "" {
		t.Errorf("Fuzhou's finance measure as CSV: %v", recs)
	}
	w := get(t, s, "/v1/measures?format=csv&limit=1")
	if w.Header().Get("X-Next-Offset") != "1" || w.Header().Get("X-Total-Count") == "" {
		t.Errorf("CSV page headers: %v", w.Header())
	}
}

func TestNodesSearchAsk(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	n := decode[view.Node](t, get(t, s, "/v1/nodes/"+url.PathEscape("福州")), http.StatusOK)
	plans := map[string]bool{}
	for _, e := range n.Out {
		if e.Predicate == "hasPlan" {
			plans[e.ID] = true
		}
	}
	if n.Type != "city" || n.ID != "fuzhou" || !plans["fuzhou-new-infrastructure-2020"] || !plans["fuzhou-new-infrastructure-measures-2020"] {
		t.Errorf("node Fuzhou: type %s id %s plans %v", n.Type, n.ID, plans)
	}
	code := ""
	for _, p := range n.Properties {
		if p.Predicate == "code" {
			code, _ = p.Value.(string)
		}
	}
	if code != "350100" {
		t.Errorf("Fuzhou's code %q, want 350100", code)
	}
	prov := decode[view.Node](t, get(t, s, "/v1/nodes/province/beijing"), http.StatusOK)
	if prov.Type != "province" {
		t.Errorf("province/beijing is a %s", prov.Type)
	}
	// Technology links carry their basis for the explorer.
	tech := decode[view.Node](t, get(t, s, "/v1/nodes/technology/blockchain"), http.StatusOK)
	bases := map[string]bool{}
	for _, e := range tech.In {
		bases[string(e.Basis)] = true
	}
	if !bases["explicit"] || !bases["inferred"] {
		t.Errorf("blockchain's incoming links have bases %v", bases)
	}

	for _, q := range []string{"区块链", "ブロックチェーン", "blockchain", "Block Chain"} {
		res := decode[tableOf[view.SearchHit]](t, get(t, s, "/v1/search?q="+url.QueryEscape(q)), http.StatusOK)
		if len(res.Rows) == 0 || res.Rows[0].Type != "technology" || res.Rows[0].ID != "blockchain" || res.Rows[0].Match != "exact" {
			t.Errorf("search %q: %+v", q, res.Rows)
		}
	}

	asks := []struct {
		q, endpoint string
		params      map[string]string
	}{
		{"which cities apply blockchain to finance?", "/v1/cities", map[string]string{"technology": "blockchain", "domain": "finance"}},
		{"哪些城市将区块链应用于金融？", "/v1/cities", map[string]string{"technology": "blockchain", "domain": "finance"}},
		{"Which cities use data centers?", "/v1/cities", map[string]string{"technology": "data-center"}},
		{"what does Beijing do with blockchain?", "/v1/measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
		{"北京在区块链方面做了什么", "/v1/measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
		{"how often is 5G mentioned?", "/v1/mentions", map[string]string{"technology": "5g"}},
		{"5G被提及多少次？", "/v1/mentions", map[string]string{"technology": "5g"}},
		{"which plans did Fuzhou publish?", "/v1/plans", map[string]string{"city": "fuzhou"}},
		{"福州发布了哪些方案？", "/v1/plans", map[string]string{"city": "fuzhou"}},
		{"what does Fuzhou pay blockchain firms?", "/v1/support", map[string]string{"city": "fuzhou", "technology": "blockchain"}},
	}
	for _, a := range asks {
		res := decode[struct {
			tableOf[map[string]any]
			Interpretation interpretation `json:"interpretation"`
		}](t, get(t, s, "/v1/ask?q="+url.QueryEscape(a.q)), http.StatusOK)
		if res.Interpretation.Endpoint != a.endpoint || len(res.Interpretation.Params) != len(a.params) || res.Total == 0 {
			t.Errorf("ask %q: %+v, %d rows", a.q, res.Interpretation, res.Total)
		}
		for k, v := range a.params {
			if res.Interpretation.Params[k] != v {
				t.Errorf("ask %q: param %s = %q, want %q", a.q, k, res.Interpretation.Params[k], v)
			}
		}
	}
	cities := decode[tableOf[view.CityRow]](t, get(t, s, "/v1/ask?q="+url.QueryEscape("哪些城市将区块链应用于金融")), http.StatusOK)
	if got := cityBases(cities.Rows); len(got) != 2 || got["fuzhou"] != "explicit" || got["shanghai"] != "inferred" {
		t.Errorf("asked in Chinese: %v", got)
	}
}

func TestQuery(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	body := `{"language":"gizmo","query":"g.V(\"<https://policygraph.org/id/technology/blockchain>\").In(\"<https://policygraph.org/ns#usesTechnology>\").Out(\"<https://policygraph.org/ns#inCity>\").Unique().All()"}`
	res := decode[struct {
		Result    []map[string]map[string]string `json:"result"`
		Truncated bool                           `json:"truncated"`
	}](t, do(t, s, http.MethodPost, "/v1/query", []byte(body), jsonBody), http.StatusOK)
	var cities []string
	for _, r := range res.Result {
		cities = append(cities, r["id"]["@id"])
	}
	sort.Strings(cities)
	// Cities with an explicit blockchain link: Shanghai's are all inferred.
	if strings.Join(cities, " ") != "https://policygraph.org/id/city/beijing https://policygraph.org/id/city/fuzhou" || res.Truncated {
		t.Errorf("gizmo: %v (truncated %v)", cities, res.Truncated)
	}
	lim := decode[struct {
		Count     int  `json:"count"`
		Truncated bool `json:"truncated"`
	}](t, do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"g.V().All()","limit":5}`), jsonBody), http.StatusOK)
	if lim.Count != 5 || !lim.Truncated {
		t.Errorf("limit 5: %+v", lim)
	}
	gql := do(t, s, http.MethodPost, "/v1/query", []byte(`{"language":"graphql","query":"{ nodes(id: \"<https://policygraph.org/id/city/fuzhou>\") { id } }"}`), jsonBody)
	if gql.Code != http.StatusOK || !strings.Contains(gql.Body.String(), "fuzhou") {
		t.Errorf("graphql: %d %s", gql.Code, gql.Body.String())
	}
}

func TestExportHealth(t *testing.T) {
	s, ds := newTestServer(t, Config{})
	h := decode[struct {
		Status  string `json:"status"`
		Backend string `json:"backend"`
		Quads   int    `json:"quads"`
	}](t, get(t, s, "/v1/health"), http.StatusOK)
	if h.Status != "ok" || h.Backend != "memstore" || h.Quads < ds.Quads() {
		t.Errorf("health %+v; dataset has %d quads", h, ds.Quads())
	}
	w := get(t, s, "/v1/export")
	if w.Code != http.StatusOK || strings.Count(w.Body.String(), "\n") != ds.Quads() {
		t.Errorf("export: status %d, %d lines, want %d", w.Code, strings.Count(w.Body.String(), "\n"), ds.Quads())
	}
	w = get(t, s, "/v1/export?format=jsonld")
	var doc any
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &doc) != nil {
		t.Errorf("JSON-LD export: status %d", w.Code)
	}
}

func TestErrors(t *testing.T) {
	s, _ := newTestServer(t, Config{QueryTimeout: 2 * time.Second})
	s.engine.GET("/v1/test-panic", func(c *gin.Context) { panic("secret internals") })
	huge := append([]byte(`{"query":"`), bytes.Repeat([]byte("a"), MaxBodyBytes+10)...)
	huge = append(huge, []byte(`"}`)...)
	tests := []struct {
		name, method, target string
		body                 []byte
		status               int
		code                 string
		suggestion           string
	}{
		{"bad basis", "GET", "/v1/cities?technology=blockchain&basis=maybe", nil, 400, "bad_request", ""},
		{"negative limit", "GET", "/v1/measures?limit=-1", nil, 400, "bad_request", ""},
		{"bad format", "GET", "/v1/measures?format=xml", nil, 400, "bad_request", ""},
		{"compare without technology", "GET", "/v1/compare", nil, 400, "bad_request", ""},
		{"unknown technology", "GET", "/v1/cities?technology=blockchian", nil, 404, "not_found", "blockchain"},
		{"unknown city", "GET", "/v1/plans?city=fuzhuo", nil, 404, "not_found", "fuzhou"},
		{"unknown node", "GET", "/v1/nodes/nowhere-at-all", nil, 404, "not_found", ""},
		{"unknown route", "GET", "/v2/cities", nil, 404, "not_found", ""},
		{"wrong method", "POST", "/v1/cities", nil, 405, "method_not_allowed", ""},
		{"body too large", "POST", "/v1/query", huge, 413, "too_large", ""},
		{"bad JSON", "POST", "/v1/query", []byte(`{"query":`), 400, "bad_request", ""},
		{"query syntax", "POST", "/v1/query", []byte(`{"query":"g.V(("}`), 400, "query_error", ""},
		{"unknown language", "POST", "/v1/query", []byte(`{"language":"sparql","query":"x"}`), 400, "bad_request", ""},
		{"limit over maximum", "POST", "/v1/query", []byte(`{"query":"g.V().All()","limit":100001}`), 400, "bad_request", ""},
		{"unreadable question", "GET", "/v1/ask?q=" + url.QueryEscape("tell me a joke"), nil, 422, "unreadable_question", ""},
		{"never-ending query", "POST", "/v1/query", []byte(`{"query":"while(true){}","timeout":0.5}`), 504, "timeout", ""},
		{"timeout cannot extend", "POST", "/v1/query", []byte(`{"query":"while(true){}","timeout":"1h"}`), 504, "timeout", ""},
		{"panic", "GET", "/v1/test-panic", nil, 500, "internal", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			var h map[string]string
			if tt.method == http.MethodPost {
				h = jsonBody
			}
			w := do(t, s, tt.method, tt.target, tt.body, h)
			e := decode[errorBody](t, w, tt.status)
			if e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("error %+v, want code %s", e.Error, tt.code)
			}
			if tt.suggestion != "" && (len(e.Error.Suggestions) == 0 || e.Error.Suggestions[0] != tt.suggestion) {
				t.Errorf("suggestions %v, want %s first", e.Error.Suggestions, tt.suggestion)
			}
			if strings.Contains(w.Body.String(), "secret internals") || strings.Contains(w.Body.String(), ".go:") {
				t.Errorf("internals leak: %s", w.Body.String())
			}
			if tt.code == "unreadable_question" && len(e.Error.Forms) < 5 {
				t.Errorf("422 lists %d forms", len(e.Error.Forms))
			}
			if tt.code == "timeout" && time.Since(start) > 30*time.Second {
				t.Errorf("timeout took %s", time.Since(start))
			}
		})
	}
}

func TestCORS(t *testing.T) {
	s, _ := newTestServer(t, Config{CORSOrigin: "http://localhost:8888"})
	w := do(t, s, http.MethodGet, "/v1/health", nil, map[string]string{"Origin": "http://localhost:8888"})
	if w.Header().Get("Access-Control-Allow-Origin") != "http://localhost:8888" {
		t.Errorf("allowed origin: headers %v", w.Header())
	}
	w = do(t, s, http.MethodGet, "/v1/health", nil, map[string]string{"Origin": "http://evil.example"})
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin allowed")
	}
	off, _ := newTestServer(t, Config{})
	w = do(t, off, http.MethodGet, "/v1/health", nil, map[string]string{"Origin": "http://localhost:8888"})
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS on by default")
	}
}

func TestExtract(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	text := "一、鼓励在金融等行业开展区块链应用示范。\n\n二、建设工业互联网平台和智能计算中心。"
	w := do(t, s, http.MethodPost, "/v1/extract?city=fuzhou&plan=fz-draft", []byte(text), map[string]string{"Content-Type": "text/plain; charset=utf-8"})
	d := decode[struct {
		City     string `json:"city"`
		Measures []struct {
			Technologies []struct{ ID, Basis string } `json:"technologies"`
			Domains      []string                     `json:"domains"`
			Evidence     struct {
				Quote     string `json:"quote"`
				Offset    int    `json:"offset"`
				OffsetEnd int    `json:"offset_end"`
			} `json:"evidence"`
		} `json:"measures"`
		Mentions []struct {
			Technology string `json:"technology"`
			Count      int    `json:"count"`
		} `json:"mentions"`
	}](t, w, http.StatusOK)
	if d.City != "fuzhou" || len(d.Measures) != 2 || len(d.Mentions) != 3 {
		t.Fatalf("draft: %+v", d)
	}
	m := d.Measures[0]
	if m.Technologies[0].ID != "blockchain" || m.Technologies[0].Basis != "extracted" || strings.Join(m.Domains, ",") != "finance" ||
		text[m.Evidence.Offset:m.Evidence.OffsetEnd] != m.Evidence.Quote {
		t.Errorf("first measure: %+v", m)
	}
	// The vocabulary's not-mentions reach the server's lexicon through the
	// graph: an agency's name is no domain, as in the extract command.
	w = do(t, s, http.MethodPost, "/v1/extract?plan=p", []byte("省工业和信息化厅推进区块链在工业领域的应用。"), map[string]string{"Content-Type": "text/plain"})
	agency := decode[struct {
		Measures []struct {
			Domains   []string `json:"domains"`
			Extracted []struct {
				ID     string `json:"id"`
				Offset int    `json:"offset"`
			} `json:"extracted"`
		} `json:"measures"`
	}](t, w, http.StatusOK)
	if len(agency.Measures) != 1 || strings.Join(agency.Measures[0].Domains, ",") != "industry" {
		t.Fatalf("agency draft: %+v", agency)
	}
	for _, x := range agency.Measures[0].Extracted {
		if x.ID == "industry" && x.Offset < len("省工业和信息化厅") {
			t.Errorf("工业 inside the agency's name read as a domain: %+v", x)
		}
	}
	for _, bad := range []struct {
		body   []byte
		status int
	}{{nil, 400}, {[]byte{0xff, 0xfe}, 400}, {bytes.Repeat([]byte("区"), MaxBodyBytes), 413}} {
		if w := do(t, s, http.MethodPost, "/v1/extract", bad.body, nil); w.Code != bad.status {
			t.Errorf("body %.10q: status %d, want %d", bad.body, w.Code, bad.status)
		}
	}
}

func TestExplorerIsServed(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	w := get(t, s, "/")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "/assets/vendor/cytoscape.min.js") {
		t.Fatalf("GET /: %d", w.Code)
	}
	for _, asset := range []string{"/assets/app.js", "/assets/app.css", "/assets/vendor/cytoscape.min.js", "/assets/vendor/cytoscape.LICENSE"} {
		if w := get(t, s, asset); w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("%s: %d", asset, w.Code)
		}
	}
	// Nothing in the page reaches beyond this server.
	for _, f := range []string{"/", "/assets/app.js"} {
		if body := get(t, s, f).Body.String(); strings.Contains(body, "//cdn") || strings.Contains(body, "https://unpkg") {
			t.Errorf("%s loads from a CDN", f)
		}
	}
}
