package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/view"
)

func targetIDs(ts []*view.Target) string {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return strings.Join(ids, ",")
}

func TestTargets(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	tests := []struct{ query, want string }{
		// Sorted by city, metric, year: 5G基站 before 5G基站新增.
		{"", "beijing-5g-base-stations-2020,beijing-5g-new-base-stations-2020,beijing-gigabit-households-2020,beijing-industrial-internet-providers,beijing-connected-roads-2022,shanghai-investment-2022"},
		{"technology=5g", "beijing-5g-base-stations-2020,beijing-5g-new-base-stations-2020"},
		// A broader concept covers the targets of the concepts under it.
		{"technology=communication-network-infrastructure", "beijing-5g-base-stations-2020,beijing-5g-new-base-stations-2020,beijing-gigabit-households-2020,beijing-industrial-internet-providers"},
		{"technology=" + url.QueryEscape("融合基础设施"), "beijing-connected-roads-2022"},
		// A jurisdiction covers those within it.
		{"city=china&year=2022", "beijing-connected-roads-2022,shanghai-investment-2022"},
		{"city=" + url.QueryEscape("上海"), "shanghai-investment-2022"},
		{"metric=" + url.QueryEscape("投资"), "shanghai-investment-2022"},
		{"year=2020&technology=5g&metric=" + url.QueryEscape("5G基站"), "beijing-5g-base-stations-2020"},
		{"city=fuzhou", ""},
	}
	for _, tt := range tests {
		res := decode[tableOf[*view.Target]](t, get(t, s, "/v1/targets?"+tt.query), http.StatusOK)
		if got := targetIDs(res.Rows); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.query, got, tt.want)
		}
	}
	res := decode[tableOf[*view.Target]](t, get(t, s, "/v1/targets?city=shanghai"), http.StatusOK)
	if inv := res.Rows[0]; inv.Value != 270000000000 || inv.Unit != "元" || inv.Year != 2022 || inv.Bound != "about" || inv.Technology != "" ||
		inv.Plan != "shanghai-new-infrastructure-2020" || inv.Evidence.Source != "page-shanghai-plan-2020-news-people" || inv.Evidence.Offset == nil {
		t.Errorf("Shanghai's investment target: %+v", inv)
	}
	// Paging as on the other tables.
	page := decode[tableOf[*view.Target]](t, get(t, s, "/v1/targets?limit=2&offset=1"), http.StatusOK)
	if page.Total != 6 || page.Count != 2 || !page.Truncated || page.NextOffset == nil || *page.NextOffset != 3 ||
		targetIDs(page.Rows) != "beijing-5g-new-base-stations-2020,beijing-gigabit-households-2020" {
		t.Errorf("page 2 of 3: %+v", page)
	}
	recs := parseCSV(t, get(t, s, "/v1/targets?technology=5g&format=csv"))
	if len(recs) != 3 || strings.Join(recs[0], ",") != "id,city,plan,measure,technology,metric,value,value_max,unit,year,bound,baseline,baseline_year,source,summary" ||
		recs[1][0] != "beijing-5g-base-stations-2020" || recs[1][6] != "30000" || recs[1][7] != "" || recs[1][8] != "个" || recs[1][9] != "2020" || recs[1][10] != "at_least" {
		t.Errorf("targets CSV: %v", recs)
	}
	// A city of no plans in the graph: its empty answer carries the coverage note.
	if w := get(t, s, "/v1/targets?city=chongqing"); !strings.Contains(w.Header().Get("X-Coverage"), "chongqing=") {
		t.Errorf("no coverage note for a city without plans: %q", w.Header().Get("X-Coverage"))
	}
	// A target is a node like any other: its edges lead to its plan, city and measure.
	if w := get(t, s, "/v1/nodes/target/beijing-5g-base-stations-2020"); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), "technology/5g") || !strings.Contains(w.Body.String(), "plan/beijing-new-infrastructure-2020") {
		t.Errorf("target node: %d %s", w.Code, w.Body.String())
	}
	for _, bad := range []struct {
		query string
		code  int
		sugg  string
	}{
		{"metric=" + url.QueryEscape("5G基"), http.StatusNotFound, "5G基站"},
		{"year=22", http.StatusBadRequest, ""},
		{"technology=blokchain", http.StatusNotFound, "blockchain"},
		{"unit=个", http.StatusBadRequest, ""},
	} {
		e := decode[errorBody](t, get(t, s, "/v1/targets?"+bad.query), bad.code)
		if bad.sugg != "" && (len(e.Error.Suggestions) == 0 || e.Error.Suggestions[0] != bad.sugg) {
			t.Errorf("%s: suggestions %v, want %s first", bad.query, e.Error.Suggestions, bad.sugg)
		}
	}
}

func TestCompareTargets(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	mx := decode[TargetMatrix](t, get(t, s, "/v1/compare?what=targets&cities=beijing,shanghai,fuzhou&year=2020"), http.StatusOK)
	if strings.Join(mx.Metrics, ",") != "5G基站,5G基站新增,千兆用户新增" || len(mx.Cells) != 9 {
		t.Fatalf("metrics %v, %d cells", mx.Metrics, len(mx.Cells))
	}
	if c := mx.Cells[0]; c.Metric != "5G基站" || c.City != "beijing" || len(c.Targets) != 1 || c.Targets[0].Value != 30000 {
		t.Errorf("5G基站 × beijing: %+v", c)
	}
	if c := mx.Cells[1]; c.City != "shanghai" || len(c.Targets) != 0 {
		t.Errorf("5G基站 × shanghai: %+v", c)
	}
	all := decode[TargetMatrix](t, get(t, s, "/v1/compare?what=targets&technology=information-infrastructure"), http.StatusOK)
	if strings.Join(all.Metrics, ",") != "5G基站,5G基站新增,千兆用户新增,系统解决方案提供商" {
		t.Errorf("information infrastructure's metrics: %v", all.Metrics)
	}
	recs := parseCSV(t, get(t, s, "/v1/compare?what=targets&cities=shanghai&format=csv"))
	if len(recs) != 2 || recs[1][0] != "shanghai-investment-2022" || recs[1][6] != "270000000000" {
		t.Errorf("compare targets CSV: %v", recs)
	}
	for _, q := range []string{"what=targets&basis=explicit", "what=goals&technology=5g", "technology=5g&year=2020"} {
		decode[errorBody](t, get(t, s, "/v1/compare?"+q), http.StatusBadRequest)
	}
}

func TestInstrumentFilter(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	ids := func(rows []view.MeasureRow) string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.ID
		}
		return strings.Join(out, ",")
	}
	tests := []struct{ query, want string }{
		{"instrument=pilot", "fuzhou-digital-demonstration-projects,fuzhou-finance-demonstration"},
		// A group covers its types; a name in any language is accepted.
		{"instrument=demand", "fuzhou-digital-demonstration-projects,fuzhou-finance-demonstration"},
		{"instrument=" + url.QueryEscape("财政补贴"), "fuzhou-blockchain-enterprise-subsidy"},
		{"instrument=supply&city=fuzhou", "fuzhou-blockchain-enterprise-subsidy,fuzhou-blockchain-innovation"},
		{"instrument=platform,planning", "beijing-government-blockchain-platform,beijing-security-service-platform,china-14th-fyp-direction,shaoxing-top-30-goal"},
		{"instrument=environment&technology=blockchain", ""},
	}
	for _, tt := range tests {
		res := decode[tableOf[view.MeasureRow]](t, get(t, s, "/v1/measures?"+tt.query), http.StatusOK)
		if got := ids(res.Rows); got != tt.want {
			t.Errorf("measures?%s: %s, want %s", tt.query, got, tt.want)
		}
	}
	cities := decode[tableOf[view.CityRow]](t, get(t, s, "/v1/cities?instrument=supply&technology=blockchain"), http.StatusOK)
	// Shanghai's medical big-data facility is infrastructure an analyst links to blockchain.
	if got := cityBases(cities.Rows); len(got) != 3 || got["beijing"] != "explicit" || got["fuzhou"] != "explicit" || got["shanghai"] != "inferred" {
		t.Errorf("cities with a supply-side blockchain measure: %v", got)
	}
	recs := parseCSV(t, get(t, s, "/v1/measures?instrument=subsidy&format=csv"))
	col := -1
	for i, h := range recs[0] {
		if h == "instrument_types" {
			col = i
		}
	}
	if col < 0 || len(recs) != 2 || recs[1][col] != "subsidy" {
		t.Errorf("measures CSV instrument_types: %v", recs)
	}
	e := decode[errorBody](t, get(t, s, "/v1/measures?instrument=subsidey"), http.StatusNotFound)
	if len(e.Error.Suggestions) == 0 || e.Error.Suggestions[0] != "subsidy" || !strings.Contains(e.Error.Message, "subsidey") {
		t.Errorf("unknown instrument: %+v", e.Error)
	}
}
