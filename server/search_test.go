package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/view"
)

type searchAnswer struct {
	tableOf[view.TextHit]
	Suggestions []string `json:"suggestions"`
}

// TestSearchText: search reaches texts beyond names, in Chinese as well
// as English, with the field and a marked snippet; filters narrow it.
func TestSearchText(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	cases := []struct{ q, id, field string }{
		{"目录链", "beijing-directory-blockchain", ""},
		{"接诉即办", "beijing-smart-government-complaints", ""},
		{"directory blockchain", "beijing-directory-blockchain", ""},
		{"immediate response", "beijing-smart-government-complaints", "title"},
		{"situational awareness", "beijing-security-service-platform", "evidence.summary"},
		// Latin words anywhere in one text, not only as a phrase.
		{"awareness situational", "beijing-security-service-platform", "evidence.summary"},
	}
	for _, tc := range cases {
		res := decode[searchAnswer](t, get(t, s, "/v1/search?q="+url.QueryEscape(tc.q)), http.StatusOK)
		var hit *view.TextHit
		for i := range res.Rows {
			if res.Rows[i].ID == tc.id {
				hit = &res.Rows[i]
			}
		}
		if hit == nil {
			t.Errorf("search %q: %s not among %+v", tc.q, tc.id, res.Rows)
			continue
		}
		if tc.field != "" && hit.Field != tc.field || hit.City != "beijing" || !strings.Contains(strings.ToLower(hit.Snippet), "["+strings.Fields(strings.ToLower(tc.q))[0]) {
			t.Errorf("search %q: %+v", tc.q, hit)
		}
	}
	// city= narrows; a city with none of the text answers nothing.
	none := decode[searchAnswer](t, get(t, s, "/v1/search?q="+url.QueryEscape("目录链")+"&city=shanghai"), http.StatusOK)
	if none.Total != 0 {
		t.Errorf("目录链 in Shanghai: %+v", none.Rows)
	}
	// type= narrows, with CJK commas.
	typed := decode[searchAnswer](t, get(t, s, "/v1/search?q=blockchain&type="+url.QueryEscape("technology、city")), http.StatusOK)
	for _, h := range typed.Rows {
		if h.Type != "technology" && h.Type != "city" {
			t.Errorf("type=technology、city gave %+v", h)
		}
	}
	if typed.Total == 0 {
		t.Error("type=technology、city: no hits")
	}
}

// TestSearchSuggestions: a Latin typo finds nothing but suggests the word.
func TestSearchSuggestions(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	res := decode[searchAnswer](t, get(t, s, "/v1/search?q=blockchian"), http.StatusOK)
	if len(res.Suggestions) == 0 || res.Suggestions[0] != "blockchain" {
		t.Errorf("blockchian: suggestions %v", res.Suggestions)
	}
	ok := decode[searchAnswer](t, get(t, s, "/v1/search?q=blockchain"), http.StatusOK)
	if len(ok.Suggestions) != 0 {
		t.Errorf("blockchain: suggestions %v", ok.Suggestions)
	}
}

// TestSearchKeywords: a measure's keywords, in its source's language, find
// it when its title and evidence are in English (issue 12: 临港 and
// 国際データポート found nothing).
func TestSearchKeywords(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, tc := range []struct{ q, id, city string }{
		{"临港", "shanghai-international-data-port", "shanghai"},
		{"国际数据港", "shanghai-international-data-port", "shanghai"},
		{"国際データポート", "shanghai-international-data-port", "shanghai"},
		{"補助金", "fuzhou-blockchain-enterprise-subsidy", "fuzhou"},
	} {
		res := decode[searchAnswer](t, get(t, s, "/v1/search?q="+url.QueryEscape(tc.q)), http.StatusOK)
		found := false
		for _, h := range res.Rows {
			if h.ID == tc.id && h.City == tc.city && h.Field == "keywords" {
				found = true
			}
		}
		if !found {
			t.Errorf("search %q: no keyword hit on %s among %+v", tc.q, tc.id, res.Rows)
		}
	}
}

// TestSearchByDate: in_force=, published_after= and published_before=
// keep hits of plans, and of measures of plans, that pass them; names of
// technologies, sources and counts are left out, and a date that is not
// a day is a 400 naming its parameter.
func TestSearchByDate(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	all := decode[searchAnswer](t, get(t, s, "/v1/search?q=blockchain&limit=500"), http.StatusOK)
	kinds := map[string]bool{}
	for _, h := range all.Rows {
		kinds[string(h.Type)] = true
	}
	if !kinds["technology"] || !kinds["source"] || all.Total != 40 {
		t.Fatalf("blockchain without dates: %d hits of %v, want 40 with a technology and sources", all.Total, kinds)
	}
	for _, tc := range []struct {
		query string
		want  []string // type/id of every hit, in order
	}{
		// Only fuzhou-new-infrastructure-measures-2020 is in force without
		// end; its one measure is the only hit.
		{"in_force=2024-01-01", []string{"measure/fuzhou-blockchain-enterprise-subsidy"}},
		// Fuzhou's two plans were published on 2020-06-02.
		{"published_after=2020-06-01&published_before=2020-06-05", []string{
			"measure/fuzhou-blockchain-government", "measure/fuzhou-blockchain-smart-city", "measure/fuzhou-finance-demonstration",
			"measure/fuzhou-blockchain-enterprise-subsidy", "measure/fuzhou-blockchain-innovation", "measure/fuzhou-digital-demonstration-projects",
			"measure/fuzhou-distinctive-finance", "measure/fuzhou-enterprise-support-claim", "plan/fuzhou-new-infrastructure-2020"}},
		// Beijing's blockchain plan is in force 2020–2022 by its period.
		{"in_force=2021-06-01&type=plan", []string{"plan/beijing-blockchain-2020", "plan/beijing-new-infrastructure-2020",
			"plan/fuzhou-new-infrastructure-2020", "plan/shanghai-new-infrastructure-2020"}},
		{"in_force=2019-01-01", nil},
	} {
		res := decode[searchAnswer](t, get(t, s, "/v1/search?q=blockchain&limit=500&"+tc.query), http.StatusOK)
		var got []string
		for _, h := range res.Rows {
			got = append(got, string(h.Type)+"/"+h.ID)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") || res.Total != len(tc.want) {
			t.Errorf("blockchain with %s: %d hits %v, want %v", tc.query, res.Total, got, tc.want)
		}
	}
	in2021 := decode[searchAnswer](t, get(t, s, "/v1/search?q=blockchain&in_force=2021-06-01"), http.StatusOK)
	for _, h := range in2021.Rows {
		if h.Type != "plan" && h.Type != "measure" {
			t.Errorf("in_force=2021-06-01: a %s hit %s", h.Type, h.ID)
		}
	}
	if in2021.Total != 29 {
		t.Errorf("in_force=2021-06-01: %d hits, want 29 (the 40 less the technology, sources, counts and support)", in2021.Total)
	}
	bad := get(t, s, "/v1/search?q=blockchain&in_force=2021-02-30")
	if bad.Code != http.StatusBadRequest || !strings.Contains(bad.Body.String(), "in_force") {
		t.Errorf("in_force=2021-02-30: %d %s", bad.Code, bad.Body.String())
	}
}
