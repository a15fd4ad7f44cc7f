package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestCite(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	tests := []struct {
		path, contentType string
		want              []string
	}{
		{"/v1/plans/shaoxing-new-infrastructure-2020/cite", "application/x-bibtex", []string{
			"@misc{shaoxing-new-infrastructure-2020,",
			"title = {绍兴市推进新型基础设施建设三年行动计划(2020—2022年) [Shaoxing Three-Year Action Plan for Promoting New Infrastructure Construction (2020–2022)]},",
			"author = {{绍兴市人民政府办公室}},", "number = {绍政办发〔2020〕48号},", "year = {2020},", "date = {2020-12-30},",
			"url = {http://www.sx.gov.cn/art/2020/12/30/art_1229311201_1782896.html},"}},
		{"/v1/plans/shaoxing-new-infrastructure-2020/cite?format=ris", "application/x-research-info-systems", []string{
			"TY  - GOVDOC\r\n", "TI  - 绍兴市推进新型基础设施建设三年行动计划(2020—2022年)\r\n",
			"TT  - Shaoxing Three-Year Action Plan for Promoting New Infrastructure Construction (2020–2022)\r\n",
			"AU  - 绍兴市人民政府办公室\r\n", "M1  - 绍政办发〔2020〕48号\r\n", "DA  - 2020/12/30\r\n", "LA  - zh\r\n", "ER  - \r\n"}},
		// Known from a Japanese report: its title is Japanese, and only the
		// year of its period dates it, so the reference gives no day.
		{"/v1/plans/china-new-infrastructure-14th-fyp/cite?format=ris", "application/x-research-info-systems", []string{
			"TI  - 「十四五」期間の新型インフラ建設計画\r\n", "LA  - ja\r\n", "PY  - 2021\r\n", "UR  - https://nordot.app/822786745111298048\r\n"}},
	}
	for _, tt := range tests {
		w := get(t, s, tt.path)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), tt.contentType) {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Header().Get("Content-Type"))
		}
		for _, want := range tt.want {
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("%s: no %q in\n%s", tt.path, want, w.Body)
			}
		}
		if strings.Contains(tt.path, "14th") && strings.Contains(w.Body.String(), "DA  -") {
			t.Errorf("%s: a day the graph does not know:\n%s", tt.path, w.Body)
		}
	}
	w := get(t, s, "/v1/plans/shaoxing-new-infrastructure-2020/cite?format=csl-json")
	var items []struct {
		ID, Type, Title, Number, URL, Language string
		Author                                 []map[string]string
		Issued                                 struct {
			DateParts [][]int `json:"date-parts"`
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &items); err != nil || len(items) != 1 {
		t.Fatalf("CSL-JSON: %v %s", err, w.Body)
	}
	it := items[0]
	if it.Title != "绍兴市推进新型基础设施建设三年行动计划(2020—2022年)" || it.Number != "绍政办发〔2020〕48号" || it.Language != "zh-CN" ||
		it.Author[0]["literal"] != "绍兴市人民政府办公室" || len(it.Issued.DateParts) != 1 || len(it.Issued.DateParts[0]) != 3 || it.Issued.DateParts[0][2] != 30 {
		t.Errorf("CSL-JSON item %+v", it)
	}
	for _, tt := range []struct {
		path string
		code int
	}{{"/v1/plans/shaoxing-new-infrastructure-2020/cite?format=endnote", 400}, {"/v1/plans/no-such-plan/cite", 404}} {
		if w := get(t, s, tt.path); w.Code != tt.code || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Body)
		}
	}
}

func TestPermalink(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	w := do(t, s, http.MethodGet, "/id/measure/fuzhou-finance-demonstration", nil, map[string]string{"Accept": "text/html,application/xhtml+xml"})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/#/node/measure/fuzhou-finance-demonstration" {
		t.Errorf("page: %d %v", w.Code, w.Header())
	}
	w = do(t, s, http.MethodGet, "/id/measure/fuzhou-finance-demonstration", nil, map[string]string{"Accept": "application/json"})
	var n struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &n); w.Code != http.StatusOK || err != nil || n.ID != "fuzhou-finance-demonstration" || n.Type != "measure" {
		t.Errorf("JSON: %d %v %s", w.Code, err, w.Body)
	}
	// The JSON is the node /v1/nodes answers.
	if v1 := get(t, s, "/v1/nodes/measure/fuzhou-finance-demonstration"); v1.Body.String() != w.Body.String() {
		t.Errorf("permalink JSON differs from /v1/nodes")
	}
	for _, path := range []string{"/id/measure/no-such-measure", "/id/gadget/fuzhou"} {
		if w := do(t, s, http.MethodGet, path, nil, map[string]string{"Accept": "application/json"}); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
}
