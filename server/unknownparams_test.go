package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestUnknownParameter: a misspelt or unknown query parameter is a 400
// naming it and the closest known one, never an answer that looks filtered.
func TestUnknownParameter(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	cases := []struct {
		target, param, suggest string
	}{
		{"/v1/cities?technology=blockchain&domian=finance", "domian", "domain"},
		{"/v1/cities?technolgy=blockchain", "technolgy", "technology"},
		{"/v1/measures?cities=beijing", "cities", "city"},
		{"/v1/compare?city=beijing&technology=blockchain", "city", "cities"},
		{"/v1/mentions?tech=5g", "tech", "technology"},
		{"/v1/search?query=chain", "query", ""},
		{"/v1/ask?question=x", "question", ""},
		{"/v1/plans/beijing-blockchain-2020?formt=csv", "formt", ""},
		{"/v1/health?verbose=1", "verbose", ""},
	}
	for _, tc := range cases {
		w := get(t, s, tc.target)
		e := decode[errorBody](t, w, http.StatusBadRequest).Error
		if e.Code != "unknown_parameter" || !strings.Contains(e.Message, `"`+tc.param+`"`) {
			t.Errorf("%s: %+v", tc.target, e)
		}
		if tc.suggest != "" && !slices.Contains(e.Suggestions, tc.suggest) {
			t.Errorf("%s: suggestions %v, want %q", tc.target, e.Suggestions, tc.suggest)
		}
	}
}

// TestEveryDocumentedParameterIsAccepted: each query parameter openapi.json
// lists for a GET route passes the check (the document is the list, so a
// handler reading an undocumented parameter would be refused; this checks
// that the check reads the document as meant).
func TestEveryDocumentedParameterIsAccepted(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for path, names := range queryParams() {
		method, route, _ := strings.Cut(path, " ")
		if method != "GET" || strings.Contains(route, "{") || !strings.HasPrefix(route, "/v1/") {
			continue
		}
		for _, n := range names {
			w := get(t, s, route+"?"+url.Values{n: {""}}.Encode())
			if w.Code == http.StatusBadRequest && strings.Contains(w.Body.String(), "unknown_parameter") {
				t.Errorf("%s refuses its documented parameter %s: %s", route, n, w.Body.String())
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("only %d documented parameters checked", checked)
	}
	if _, ok := doc.Paths["/v1/cities"]; !ok {
		t.Fatal("openapi.json has no /v1/cities")
	}
}

// TestReadParametersAreDocumented: every query parameter a handler reads
// (c.Query, c.GetQuery, entity, intParam, boolParam with a literal name) is
// documented for some route in openapi.json; since the document is the
// list knownParams accepts, an undocumented one could never arrive.
func TestReadParametersAreDocumented(t *testing.T) {
	documented := map[string]bool{}
	for _, names := range queryParams() {
		for _, n := range names {
			documented[n] = true
		}
	}
	read := regexp.MustCompile(`(?:\.Query|\.GetQuery|\.DefaultQuery|entity\(c, v,|intParam\(c,|boolParam\(c,)\s*\(?"([a-z_]+)"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllSubmatch(src, -1) {
			found++
			if name := string(m[1]); !documented[name] {
				t.Errorf("%s reads query parameter %q, which openapi.json documents for no route", f, name)
			}
		}
	}
	if found < 10 {
		t.Errorf("found only %d parameter reads; the pattern no longer matches the handlers", found)
	}
}
