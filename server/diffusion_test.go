package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// csvRows parses a CSV answer into maps by column name.
func csvRows(t *testing.T, body string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV: %v\n%s", err, body)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, col := range recs[0] {
			m[col] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestTimeParameters(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	bad := []struct{ path, param string }{
		{"/v1/plans?in_force=2021-06-31", "in_force"},
		{"/v1/measures?published_after=2020/06/01", "published_after"},
		{"/v1/cities?technology=blockchain&published_before=yesterday", "published_before"},
		{"/v1/compare?technology=blockchain&in_force=2021-6-1", "in_force"},
		{"/v1/timeline?technology=blockchain&in_force=20210601", "in_force"},
		{"/v1/similar?measure=fuzhou-finance-demonstration&published_after=2020-02-30", "published_after"},
	}
	for _, tt := range bad {
		w := get(t, s, tt.path)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "bad "+tt.param+" ") {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Body)
		}
	}
	ids := func(path string) []string {
		var out []string
		for _, r := range csvRows(t, get(t, s, path).Body.String()) {
			out = append(out, r["id"]+"@"+r["in_force_from_basis"])
		}
		return out
	}
	// Mid-2021: the 2020–2022 plans and the nation's 14th five-year plan,
	// which only its period dates.
	if got := ids("/v1/plans?in_force=2021-06-01&city=china&format=csv"); len(got) != 7 || got[2] != "china-new-infrastructure-14th-fyp@period_start" {
		t.Errorf("in force on 2021-06-01: %v", got)
	}
	if got := ids("/v1/plans?published_after=2020-06-01&published_before=2020-06-05&format=csv"); !slices.Equal(got, []string{"fuzhou-new-infrastructure-2020@published", "fuzhou-new-infrastructure-measures-2020@published"}) {
		t.Errorf("published 2020-06-01 to 05: %v", got)
	}
	// Before Beijing published its plan only Fuzhou and Shanghai had
	// blockchain measures in force.
	var cities struct {
		Rows []struct{ City string }
	}
	if err := json.Unmarshal(get(t, s, "/v1/cities?technology=blockchain&in_force=2020-06-05").Body.Bytes(), &cities); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range cities.Rows {
		got = append(got, r.City)
	}
	if !slices.Equal(got, []string{"fuzhou", "shanghai"}) {
		t.Errorf("cities with blockchain in force on 2020-06-05: %v", got)
	}
	var mx struct {
		Cells []struct {
			City     string
			Measures []string
		}
	}
	if err := json.Unmarshal(get(t, s, "/v1/compare?technology=blockchain&cities=beijing,fuzhou&published_before=2020-06-05").Body.Bytes(), &mx); err != nil {
		t.Fatal(err)
	}
	for _, c := range mx.Cells {
		if c.City == "beijing" && len(c.Measures) > 0 {
			t.Errorf("a Beijing measure published before 2020-06-05: %v", c)
		}
	}
}

func TestTimelineEndpoint(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	rows := csvRows(t, get(t, s, "/v1/timeline?technology=区块链&basis=explicit&format=csv").Body.String())
	var got []string
	for _, r := range rows {
		got = append(got, r["city"]+" "+r["date"]+" "+r["date_basis"]+" "+r["adopters"])
	}
	if want := []string{"fuzhou 2020-06-02 published 1", "beijing 2020-06-09 published 2"}; !slices.Equal(got, want) {
		t.Errorf("timeline: %v, want %v", got, want)
	}
	w := get(t, s, "/v1/timeline?technology=blockchain&domain=金融&basis=explicit")
	var page struct {
		Rows []struct {
			City     string
			Measures []string
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Rows) != 1 || page.Rows[0].City != "fuzhou" ||
		!slices.Equal(page.Rows[0].Measures, []string{"fuzhou-distinctive-finance", "fuzhou-finance-demonstration"}) {
		t.Errorf("timeline in finance: %v %s", err, w.Body)
	}
	for _, tt := range []struct {
		path string
		code int
	}{{"/v1/timeline", 400}, {"/v1/timeline?technology=blockchian", 404}, {"/v1/timeline?technology=blockchain&basis=maybe", 400}} {
		if w := get(t, s, tt.path); w.Code != tt.code {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Body)
		}
	}
}

func TestPanelEndpoint(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	w := get(t, s, "/v1/panel?unit=city&period=year&technology=blockchain,5g&format=csv")
	rows := csvRows(t, w.Body.String())
	// 8 cities and municipalities × 2 years × 2 technologies.
	if len(rows) != 32 {
		t.Fatalf("%d rows", len(rows))
	}
	want := map[string]string{"unit": "fuzhou", "period": "2020", "technology": "blockchain", "domain": "", "adopted": "1", "event": "1",
		"first_adoption": "2020", "measures": "8", "explicit": "6", "inferred": "2", "extracted": "0", "mentions": "10"}
	found := false
	for _, r := range rows {
		if r["unit"] == "fuzhou" && r["period"] == "2020" && r["technology"] == "blockchain" {
			found = true
			for k, v := range want {
				if r[k] != v {
					t.Errorf("fuzhou 2020 %s = %q, want %q", k, r[k], v)
				}
			}
		}
		if r["unit"] == "shaoxing" && (r["adopted"] != "0" || r["first_adoption"] != "") {
			t.Errorf("shaoxing: %v", r)
		}
	}
	if !found {
		t.Errorf("no fuzhou 2020 row")
	}
	for _, tt := range []struct {
		path string
		code int
	}{{"/v1/panel", 400}, {"/v1/panel?technology=blockchain&unit=town", 400}, {"/v1/panel?technology=blockchain&period=month", 400},
		{"/v1/panel?technology=blockchain&domain=finanse", 404}} {
		if w := get(t, s, tt.path); w.Code != tt.code {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Body)
		}
	}
}

func TestSimilarEndpoint(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	w := get(t, s, "/v1/similar?measure=shanghai-blockchain-government&limit=2")
	var page struct {
		Of   map[string]string
		Rows []struct {
			Measure, City, Order string
			Score, Text          float64
			SharedDomains        []string `json:"shared_domains"`
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Rows) != 2 {
		t.Fatalf("%v %s", err, w.Body)
	}
	// Shanghai published first, so both of the others' government
	// measures come after it.
	for _, r := range page.Rows {
		if !strings.HasSuffix(r.Measure, "-blockchain-government") || r.Order != "after" || !slices.Equal(r.SharedDomains, []string{"government"}) || r.Score <= r.Text*0.55 {
			t.Errorf("row %+v", r)
		}
	}
	if page.Of["date"] != "2020-05-07" || page.Of["city"] != "shanghai" {
		t.Errorf("of: %v", page.Of)
	}
	for _, tt := range []struct {
		path string
		code int
	}{{"/v1/similar", 400}, {"/v1/similar?measure=no-such-measure", 404}} {
		if w := get(t, s, tt.path); w.Code != tt.code {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Body)
		}
	}
}

func TestSupportInForce(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, tt := range []struct {
		path string
		rows int
	}{
		// Fuzhou's subsidy is in its measures document, published 2020-06-02.
		{"/v1/support?technology=blockchain&in_force=2020-06-02&format=csv", 1},
		{"/v1/support?technology=blockchain&published_before=2020-06-01&format=csv", 0},
	} {
		if got := len(csvRows(t, get(t, s, tt.path).Body.String())); got != tt.rows {
			t.Errorf("%s: %d rows, want %d", tt.path, got, tt.rows)
		}
	}
	if w := get(t, s, "/v1/support?in_force=soon"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "in_force") {
		t.Errorf("bad date: %d %s", w.Code, w.Body)
	}
}
