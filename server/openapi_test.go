package server

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// ginParam matches gin's path parameters, :name and *name.
var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// TestOpenAPICoversEveryRoute fails when a route is missing from
// openapi.json, or the document names a route that does not exist.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	w := get(t, s, "/openapi.json")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &doc) != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("GET /openapi.json: %d, openapi %q", w.Code, doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range s.engine.Routes() {
		if r.Method == http.MethodHead {
			continue // gin adds HEAD for static files
		}
		routed[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	var missing, stale []string
	for r := range routed {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routed[d] {
			stale = append(stale, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 || len(stale) > 0 {
		t.Errorf("routes not in openapi.json: %v; documented routes that do not exist: %v", missing, stale)
	}
}

// TestOpenAPIMeasureKinds: the kinds a measure may have, as the document
// lists them, are the vocabulary's.
func TestOpenAPIMeasureKinds(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []any `json:"enum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	var want []any
	for _, k := range schema.MeasureKinds {
		want = append(want, string(k))
	}
	if got := doc.Components.Schemas["Measure"].Properties["kind"].Enum; !slices.Equal(got, want) {
		t.Errorf("Measure.kind enum %v, want %v", got, want)
	}
}
