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
