package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAsOf: every read answers from the graph as it was at as_of.
func TestAsOf(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	loaded := time.Now().UTC().Format(time.RFC3339Nano)
	if w := do(t, s, http.MethodPut, "/v1/plans/asof-2021", []byte(planDoc("asof-2021", 0)), auth(nil)); w.Code != http.StatusCreated {
		t.Fatal(w.Body)
	}
	v1 := time.Now().UTC().Format(time.RFC3339Nano)
	if w := do(t, s, http.MethodPut, "/v1/plans/asof-2021", []byte(planDoc("asof-2021", 2)), auth(nil)); w.Code != http.StatusOK {
		t.Fatal(w.Body)
	}
	q := func(at string) string { return "as_of=" + url.QueryEscape(at) }
	measures := func(at string) int {
		t.Helper()
		w := get(t, s, "/v1/measures?plan=asof-2021&"+q(at))
		if w.Code == http.StatusNotFound && strings.Contains(w.Body.String(), `unknown plan \"asof-2021\"`) {
			return -1 // no such plan then
		}
		return decode[tableOf[map[string]any]](t, w, http.StatusOK).Total
	}
	if a, b, now := measures(loaded), measures(v1), decode[tableOf[map[string]any]](t, get(t, s, "/v1/measures?plan=asof-2021"), http.StatusOK).Total; a != -1 || b != 3 || now != 5 {
		t.Errorf("measures as of the load, version 1 and now: %d %d %d; want -1 (no plan) 3 5", a, b, now)
	}
	// The plan as of version 1, as JSON and as written.
	pw := get(t, s, "/v1/plans/asof-2021?"+q(v1))
	p := decode[struct {
		Measures []struct {
			ID string `json:"id"`
		} `json:"measures"`
	}](t, pw, http.StatusOK)
	if len(p.Measures) != 3 || p.Measures[0].ID != "asof-2021-v0-m0" || pw.Header().Get("X-Version") == "" {
		t.Errorf("plan as of version 1: %+v", p)
	}
	w := do(t, s, http.MethodGet, "/v1/plans/asof-2021?"+q(v1), nil, map[string]string{"Accept": "application/yaml"})
	if w.Body.String() != planDoc("asof-2021", 0) || w.Header().Get("ETag") != "" {
		t.Errorf("YAML as of version 1: %q, ETag %q", w.Body, w.Header().Get("ETag"))
	}
	if e := decode[errorBody](t, get(t, s, "/v1/plans/asof-2021?"+q(loaded)), http.StatusNotFound); !strings.Contains(e.Error.Message, "did not exist as of") {
		t.Errorf("plan before it existed: %+v", e.Error)
	}
	if h := decode[historyBody](t, get(t, s, "/v1/plans/asof-2021/history?"+q(v1)), http.StatusOK); len(h.Versions) != 1 {
		t.Errorf("history as of version 1: %+v", h)
	}
	// Export, health and Gizmo read the same past graph.
	past := get(t, s, "/v1/export?"+q(v1)).Body.String()
	if !strings.Contains(past, "asof-2021-v0-m0") || strings.Contains(past, "asof-2021-v2-m0") {
		t.Error("export as of version 1 is not version 1")
	}
	hNow := decode[struct{ Quads int }](t, get(t, s, "/v1/health"), http.StatusOK)
	hPast := decode[struct{ Quads int }](t, get(t, s, "/v1/health?"+q(v1)), http.StatusOK)
	if hNow.Quads <= hPast.Quads {
		t.Errorf("quads now %d, as of version 1 %d", hNow.Quads, hPast.Quads)
	}
	gizmo := `{"query":"g.V(\"<https://policygraph.org/id/plan/asof-2021>\").Out(\"<https://policygraph.org/ns#hasMeasure>\").All()"}`
	res := decode[struct{ Count int }](t, do(t, s, http.MethodPost, "/v1/query?"+q(v1), []byte(gizmo), jsonBody), http.StatusOK)
	if res.Count != 3 {
		t.Errorf("Gizmo as of version 1: %d measures", res.Count)
	}
	for _, bad := range []struct {
		method, target string
		status         int
		says           string
	}{
		{http.MethodGet, "/v1/cities?as_of=yesterday", http.StatusBadRequest, `bad as_of "yesterday"`},
		{http.MethodGet, "/v1/cities?as_of=2001-01-01T00:00:00Z", http.StatusNotFound, "before the first recorded write"},
		{http.MethodPut, "/v1/plans/asof-2021?as_of=2001-01-01T00:00:00Z", http.StatusBadRequest, "as_of"},
	} {
		e := decode[errorBody](t, do(t, s, bad.method, bad.target, []byte(planDoc("asof-2021", 1)), auth(nil)), bad.status)
		if !strings.Contains(e.Error.Message, bad.says) {
			t.Errorf("%s %s: %q", bad.method, bad.target, e.Error.Message)
		}
	}
}
