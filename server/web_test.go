package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestExplorerAssets: every script and stylesheet the page names is served
// from this server, and every vendored file has its licence beside it.
func TestExplorerAssets(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	page := get(t, s, "/").Body.String()
	refs := regexp.MustCompile(`(?:src|href)="([^"#]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 4 {
		t.Fatalf("page names %d assets: %s", len(refs), page)
	}
	for _, m := range refs {
		ref := m[1]
		if ref == "data:," || ref == "/openapi.json" {
			continue
		}
		if !strings.HasPrefix(ref, "/assets/") {
			t.Errorf("page loads %s from beyond /assets", ref)
			continue
		}
		if w := get(t, s, ref); w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("%s: %d", ref, w.Code)
		}
	}
	entries, err := webFiles.ReadDir("web/vendor")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Name()] = true
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".LICENSE") || strings.HasSuffix(name, ".NOTICE") {
			continue
		}
		lib := strings.SplitN(name, ".", 2)[0]
		if strings.HasPrefix(lib, "china-") {
			lib = "echarts" // the map's geometry comes from ECharts
		}
		if !have[lib+".LICENSE"] {
			t.Errorf("vendor/%s has no %s.LICENSE beside it", name, lib)
		}
	}
}
