package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestPlanDocumentRoundTrip: GET gives back the document PUT, as YAML as
// it was written and as JSON in its canonical form, and the same plan
// sent as YAML or JSON (or with the technology shorthand) is one version.
func TestPlanDocumentRoundTrip(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	const path = "/v1/plans/doc-2021"
	yamlDoc := planDoc("doc-2021", 0) + "# a comment, kept in the YAML\n"
	put := do(t, s, http.MethodPut, path, []byte(yamlDoc), auth(nil))
	if put.Code != http.StatusCreated {
		t.Fatal(put.Body)
	}
	etag := put.Header().Get("ETag")
	asYAML := do(t, s, http.MethodGet, path, nil, map[string]string{"Accept": "application/yaml"})
	if asYAML.Body.String() != yamlDoc || asYAML.Header().Get("ETag") != etag {
		t.Errorf("YAML back: %q, ETag %s", asYAML.Body, asYAML.Header().Get("ETag"))
	}
	asJSON := get(t, s, path)
	var doc map[string]any
	if err := json.Unmarshal(asJSON.Body.Bytes(), &doc); err != nil || asJSON.Header().Get("ETag") != etag || !strings.HasPrefix(asJSON.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("JSON back: %v %s", err, asJSON.Body)
	}
	if doc["id"] != "doc-2021" || doc["issuer"] != "fuzhou-government" || doc["published"] != "2021-03-01" ||
		len(doc["measures"].([]any)) != 3 || doc["measures"].([]any)[0].(map[string]any)["technologies"].([]any)[0].(map[string]any)["basis"] != "explicit" {
		t.Errorf("JSON document: %s", asJSON.Body)
	}
	// The JSON sent back is the same version: nothing is written.
	again := do(t, s, http.MethodPut, path, asJSON.Body.Bytes(), auth(map[string]string{"Content-Type": "application/json", "If-Match": etag}))
	if again.Code != http.StatusOK || again.Header().Get("ETag") != etag {
		t.Errorf("PUT of the JSON got: %d, ETag %s, want %s", again.Code, again.Header().Get("ETag"), etag)
	}
	// So is the YAML with other spacing, key order and the shorthand.
	shorthand := strings.ReplaceAll(strings.Replace(yamlDoc, "city: fuzhou\nissuer: fuzhou-government\n", "issuer:   fuzhou-government\ncity: fuzhou\n", 1),
		"    technologies:\n      - {id: blockchain, basis: explicit}\n", "    technologies: [blockchain]\n")
	if w := do(t, s, http.MethodPut, path, []byte(shorthand), auth(nil)); w.Header().Get("ETag") != etag {
		t.Errorf("the same plan written otherwise: ETag %s, want %s", w.Header().Get("ETag"), etag)
	}
	if h := decode[historyBody](t, get(t, s, path+"/history"), http.StatusOK); len(h.Versions) != 1 {
		t.Errorf("one document sent three ways made %d versions", len(h.Versions))
	}
	// A changed document is a new version, and GET follows it.
	changed := strings.Replace(yamlDoc, "Variant 0", "Variant zero", 1)
	w := do(t, s, http.MethodPut, path, []byte(changed), auth(nil))
	if w.Header().Get("ETag") == etag || !strings.Contains(get(t, s, path).Body.String(), `"Variant zero"`) {
		t.Errorf("a changed document: ETag %s", w.Header().Get("ETag"))
	}
}
