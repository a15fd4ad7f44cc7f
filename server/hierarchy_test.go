package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/view"
)

type coveredTable[T any] struct {
	tableOf[T]
	Coverage []view.CoverageNote `json:"coverage"`
}

// TestBroaderConcepts: every endpoint that takes a technology takes a
// broader concept, by id or name, and answers its narrower matches,
// each row saying which concept matched.
func TestBroaderConcepts(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	tests := []struct {
		query   string
		cities  []string
		matched map[string][]string // city → matched, where checked
	}{
		{"technology=information-infrastructure", []string{"beijing", "fuzhou", "shanghai"},
			map[string][]string{"fuzhou": {"blockchain"}, "shanghai": {"blockchain", "data-center", "industrial-internet"}}},
		{"technology=" + url.QueryEscape("算力"), []string{"shanghai"}, map[string][]string{"shanghai": {"data-center"}}},
		{"technology=" + url.QueryEscape("信息基础设施") + "&domain=finance", []string{"fuzhou", "shanghai"}, map[string][]string{"fuzhou": {"blockchain"}}},
		{"technology=" + url.QueryEscape("情報インフラ") + "&city=" + url.QueryEscape("福建"), []string{"fuzhou"}, nil},
		{"technology=Computing+infrastructure&basis=inferred", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := decode[tableOf[view.CityRow]](t, get(t, s, "/v1/cities?"+tt.query), http.StatusOK)
			var cities []string
			for _, r := range res.Rows {
				cities = append(cities, r.City)
				if len(r.Matched) == 0 {
					t.Errorf("row %s names no matched concept", r.City)
				}
				if want, ok := tt.matched[r.City]; ok && !slices.Equal(r.Matched, want) {
					t.Errorf("%s matched %v, want %v", r.City, r.Matched, want)
				}
			}
			if !slices.Equal(cities, tt.cities) {
				t.Errorf("cities %v, want %v", cities, tt.cities)
			}
		})
	}
	ms := decode[tableOf[view.MeasureRow]](t, get(t, s, "/v1/measures?technology=computing-infrastructure"), http.StatusOK)
	if ms.Total != 1 || !slices.Equal(ms.Rows[0].Matched, []string{"data-center"}) || ms.Rows[0].City != "shanghai" {
		t.Errorf("measures under computing-infrastructure: %+v", ms.Rows)
	}
	plain := decode[tableOf[map[string]any]](t, get(t, s, "/v1/measures?city=fuzhou"), http.StatusOK)
	for _, r := range plain.Rows {
		if _, ok := r["matched"]; ok {
			t.Errorf("matched without a technology asked: %v", r)
		}
	}
	w := get(t, s, "/v1/cities?technology=new-technology-infrastructure&format=csv")
	recs := parseCSV(t, w)
	if recs[0][len(recs[0])-1] != "matched" || len(recs) != 4 || recs[1][len(recs[1])-1] != "blockchain" {
		t.Errorf("CSV: %v", recs)
	}
	// Counts and support of the concepts under the one asked.
	mentions := decode[tableOf[view.Mention]](t, get(t, s, "/v1/mentions?technology=new-technology-infrastructure"), http.StatusOK)
	techs := map[string]bool{}
	for _, m := range mentions.Rows {
		techs[m.Technology] = true
	}
	if !techs["blockchain"] || !techs["ai"] || techs["5g"] {
		t.Errorf("mentions under new-technology-infrastructure: %v", techs)
	}
	support := decode[tableOf[view.Instrument]](t, get(t, s, "/v1/support?technology=information-infrastructure&city=fujian"), http.StatusOK)
	if support.Total == 0 || support.Rows[0].City != "fuzhou" {
		t.Errorf("support in fujian: %+v", support.Rows)
	}
	mx := decode[view.Matrix](t, get(t, s, "/v1/compare?cities=beijing,fuzhou&technology=information-infrastructure"), http.StatusOK)
	for _, c := range mx.Cells {
		if len(c.Measures) > 0 && len(c.Matched) == 0 {
			t.Errorf("cell %+v names no matched concept", c)
		}
	}
}

// TestHierarchyInGizmo: the concept hierarchy is quads a Gizmo query can walk.
func TestHierarchyInGizmo(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	q := `g.V("<https://policygraph.org/id/technology/data-center>").Out("<http://www.w3.org/2004/02/skos/core#broader>").Out("<http://www.w3.org/2004/02/skos/core#broader>").All()`
	body, _ := json.Marshal(map[string]string{"language": "gizmo", "query": q})
	res := decode[struct {
		Result []map[string]map[string]string `json:"result"`
	}](t, do(t, s, http.MethodPost, "/v1/query", body, map[string]string{"Content-Type": "application/json"}), http.StatusOK)
	if len(res.Result) != 1 || res.Result[0]["id"]["@id"] != "https://policygraph.org/id/technology/information-infrastructure" {
		t.Errorf("data-center's broader's broader: %v", res.Result)
	}
}

// TestJurisdictionParams: every parameter that takes a city takes any
// jurisdiction and covers the jurisdictions within it.
func TestJurisdictionParams(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, city := range []string{"fujian", url.QueryEscape("福建省"), "china", url.QueryEscape("全国")} {
		plans := decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans?city="+city), http.StatusOK)
		if plans.Total == 0 {
			t.Errorf("plans of %s: none", city)
		}
		for _, p := range plans.Rows {
			if strings.HasPrefix(city, "fujian") && p.City != "fuzhou" {
				t.Errorf("plan of fujian in %s", p.City)
			}
		}
	}
	node := decode[map[string]any](t, get(t, s, "/v1/nodes/city/fuzhou"), http.StatusOK)
	if !strings.Contains(mustJSON(t, node), `"node":"city/fujian","predicate":"within"`) {
		t.Errorf("fuzhou's node lacks its parent: %v", node)
	}
	// /v1/cities keeps its shape: one row per jurisdiction with measures.
	rows := decode[tableOf[map[string]any]](t, get(t, s, "/v1/cities?technology=blockchain&city=china"), http.StatusOK)
	if rows.Total != 3 {
		t.Errorf("china: %d rows", rows.Total)
	}
	for _, r := range rows.Rows {
		for k := range r {
			if !slices.Contains([]string{"city", "name", "basis", "plans", "measures", "matched"}, k) {
				t.Errorf("row field %q", k)
			}
		}
	}
}

// TestCoverageNotes: zero rows carry a note when the graph holds no plan
// of the jurisdiction, or counts a technology's mentions without a measure.
func TestCoverageNotes(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	none := decode[coveredTable[view.Plan]](t, get(t, s, "/v1/plans?city=shandong"), http.StatusOK)
	if none.Total != 0 || len(none.Coverage) != 1 || none.Coverage[0].Status != view.NoPlans {
		t.Errorf("plans of shandong: %+v", none)
	}
	fiveG := decode[coveredTable[view.CityRow]](t, get(t, s, "/v1/cities?technology=5g"), http.StatusOK)
	if fiveG.Total != 0 || len(fiveG.Coverage) != 3 {
		t.Errorf("cities with 5G: %+v", fiveG)
	}
	for _, n := range fiveG.Coverage {
		if n.Status != view.MentionsOnly || len(n.Mentions) == 0 || n.Note == "" {
			t.Errorf("note %+v", n)
		}
	}
	one := decode[coveredTable[view.MeasureRow]](t, get(t, s, "/v1/measures?technology=5g&city=beijing"), http.StatusOK)
	if one.Total != 0 || len(one.Coverage) != 1 || one.Coverage[0].City != "beijing" {
		t.Errorf("beijing's 5G measures: %+v", one)
	}
	w := get(t, s, "/v1/measures?technology=5g&city=shandong&format=csv")
	if got := w.Header().Get("X-Coverage"); got != "shandong=no_plans" {
		t.Errorf("X-Coverage %q", got)
	}
	// Where rows answer, no note is added.
	full := decode[map[string]any](t, get(t, s, "/v1/cities?technology=blockchain"), http.StatusOK)
	if _, ok := full["coverage"]; ok {
		t.Errorf("coverage beside a full answer: %v", full["coverage"])
	}
	mx := decode[view.Matrix](t, get(t, s, "/v1/compare?cities=beijing,shandong&technology=5g"), http.StatusOK)
	if len(mx.Coverage) != 2 {
		t.Errorf("compare coverage: %+v", mx.Coverage)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPlanFacts: the facts a real plan's page states reach the API: its
// number, signing and publication dates and the address of its source;
// an issuer the source does not name stays empty.
func TestPlanFacts(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	res := decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans?city="+url.QueryEscape("浙江省")), http.StatusOK)
	if res.Total != 1 {
		t.Fatalf("plans in zhejiang: %+v", res.Rows)
	}
	p := res.Rows[0]
	if p.ID != "shaoxing-new-infrastructure-2020" || p.City != "shaoxing" || p.Number != "绍政办发〔2020〕48号" || p.Signed != "2020-12-25" || p.Published != "2020-12-30" || p.Issuer != "shaoxing-government-office" {
		t.Errorf("shaoxing's plan: %+v", p)
	}
	if p.Evidence.Offset == nil || p.Evidence.OffsetEnd == nil || *p.Evidence.OffsetEnd <= *p.Evidence.Offset {
		t.Errorf("evidence without a passage: %+v", p.Evidence)
	}
	nation := decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans?city=china"), http.StatusOK)
	var national *view.Plan
	for i, r := range nation.Rows {
		if r.City == "china" {
			national = &nation.Rows[i]
		}
	}
	if national == nil || national.Issuer != "" || national.PeriodStart != 2021 || national.PeriodEnd != 2025 {
		t.Errorf("the national plan: %+v", national)
	}
	w := get(t, s, "/v1/plans?city=shaoxing&format=csv")
	recs := parseCSV(t, w)
	if num, signed := slices.Index(recs[0], "document_number"), slices.Index(recs[0], "signed"); num < 0 || signed < 0 || recs[1][num] != "绍政办发〔2020〕48号" || recs[1][signed] != "2020-12-25" {
		t.Errorf("plans CSV: %v", recs)
	}
	node := mustJSON(t, decode[map[string]any](t, get(t, s, "/v1/nodes/source/"+p.Evidence.Source), http.StatusOK))
	if !strings.Contains(node, "http://www.sx.gov.cn/") {
		t.Errorf("the source's node has no address: %s", node)
	}
}

// TestCompareDefaultColumns: without cities, compare has one column per
// jurisdiction with plans of its own, not one per level above them.
func TestCompareDefaultColumns(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	mx := decode[view.Matrix](t, get(t, s, "/v1/compare?technology=blockchain"), http.StatusOK)
	if !slices.Equal(mx.Cities, []string{"beijing", "china", "fuzhou", "shanghai", "shaoxing"}) {
		t.Errorf("columns %v", mx.Cities)
	}
}
