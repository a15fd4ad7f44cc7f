package server

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/view"
)

const token = "s3cret-token"

// planDoc is a new plan in the data/ format; variant changes its measures.
func planDoc(id string, variant int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `id: %s
city: fuzhou
issuer: fuzhou-government
title: {en: "Variant %d", zh: 测试方案}
published: 2021-03-01
source: interchain-pulse-2020-06
measures:
`, id, variant)
	for i := 0; i < 3+variant; i++ {
		fmt.Fprintf(&b, `  - id: %s-v%d-m%d
    kind: action
    title: Measure %d of variant %d
    technologies:
      - {id: blockchain, basis: explicit}
    domains: [finance]
    evidence: {section: test, summary: A test measure.}
`, id, variant, i, i, variant)
	}
	return b.String()
}

func auth(extra map[string]string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/yaml"}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

func TestWritesNeedTheToken(t *testing.T) {
	off, _ := newTestServer(t, Config{})
	e := decode[errorBody](t, do(t, off, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 0)), auth(nil)), http.StatusForbidden)
	if e.Error.Code != "writes_disabled" {
		t.Errorf("without a configured token: %+v", e.Error)
	}
	s, _ := newTestServer(t, Config{WriteToken: token})
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer wrong"}, {"Authorization": token}} {
		for _, m := range []string{http.MethodPut, http.MethodDelete} {
			e := decode[errorBody](t, do(t, s, m, "/v1/plans/x-2021", []byte(planDoc("x-2021", 0)), h), http.StatusUnauthorized)
			if e.Error.Code != "unauthorized" {
				t.Errorf("%s with %v: %+v", m, h, e.Error)
			}
		}
	}
	// Reads never need it.
	decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans"), http.StatusOK)
}

func TestPutAndDeletePlan(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	before := get(t, s, "/v1/export").Body.String()

	// Every problem at its line and column, and the store untouched.
	bad := strings.Replace(planDoc("x-2021", 0), "{id: blockchain,", "{id: blockchian,", 1)
	bad = strings.Replace(bad, "published: 2021-03-01", "published: 2021-02-30", 1)
	w := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(bad), auth(nil))
	e := decode[struct {
		Error struct {
			Code   string       `json:"code"`
			Errors []fieldError `json:"errors"`
		} `json:"error"`
	}](t, w, http.StatusUnprocessableEntity)
	if e.Error.Code != "invalid_document" || len(e.Error.Errors) != 2 ||
		e.Error.Errors[0] != (fieldError{Line: 5, Column: 12, Field: "published", Message: `bad date "2021-02-30": write YYYY-MM-DD with a real month and day`}) ||
		e.Error.Errors[1].Line != 12 || e.Error.Errors[1].Column != 14 || !strings.Contains(e.Error.Errors[1].Message, `did you mean "blockchain"`) {
		t.Errorf("422: %+v", e.Error)
	}
	if get(t, s, "/v1/export").Body.String() != before {
		t.Fatal("an invalid document changed the store")
	}
	e = decode[struct {
		Error struct {
			Code   string       `json:"code"`
			Errors []fieldError `json:"errors"`
		} `json:"error"`
	}](t, do(t, s, http.MethodPut, "/v1/plans/other-2021", []byte(planDoc("x-2021", 0)), auth(nil)), http.StatusUnprocessableEntity)
	if len(e.Error.Errors) != 1 || e.Error.Errors[0].Field != "id" {
		t.Errorf("id mismatch: %+v", e.Error)
	}
	// A measure id another plan already has.
	dup := strings.Replace(planDoc("x-2021", 0), "id: x-2021-v0-m0", "id: fuzhou-finance-demonstration", 1)
	e = decode[struct {
		Error struct {
			Code   string       `json:"code"`
			Errors []fieldError `json:"errors"`
		} `json:"error"`
	}](t, do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(dup), auth(nil)), http.StatusUnprocessableEntity)
	if len(e.Error.Errors) != 1 || !strings.Contains(e.Error.Errors[0].Message, `duplicate measure id "fuzhou-finance-demonstration" (already in the graph)`) {
		t.Errorf("duplicate id: %+v", e.Error)
	}

	created := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 0)), auth(nil))
	c := decode[struct {
		Version string `json:"version"`
		Created bool   `json:"created"`
	}](t, created, http.StatusCreated)
	if !c.Created || created.Header().Get("ETag") != `"`+c.Version+`"` {
		t.Errorf("create: %+v, ETag %q", c, created.Header().Get("ETag"))
	}
	ms := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures?plan=x-2021"), http.StatusOK)
	if ms.Total != 3 {
		t.Errorf("%d measures after create, want 3", ms.Total)
	}
	// JSON is accepted as well, and a stale If-Match is refused.
	js := `{"id":"x-2021","city":"fuzhou","issuer":"fuzhou-government","title":{"en":"JSON"},"source":"interchain-pulse-2020-06"}`
	e2 := decode[errorBody](t, do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(js), auth(map[string]string{"Content-Type": "application/json", "If-Match": `"0000"`})), http.StatusPreconditionFailed)
	if e2.Error.Code != "stale_version" {
		t.Errorf("stale If-Match: %+v", e2.Error)
	}
	r := decode[struct {
		Created bool `json:"created"`
	}](t, do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(js), auth(map[string]string{"Content-Type": "application/json", "If-Match": `"` + c.Version + `"`})), http.StatusOK)
	if r.Created {
		t.Errorf("a replacement reported as created")
	}
	if n := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures?plan=x-2021"), http.StatusOK).Total; n != 0 {
		t.Errorf("%d measures after replacing with a plan that has none", n)
	}
	got := get(t, s, "/v1/plans/x-2021")
	one := decode[struct {
		Title map[string]string `json:"title"`
	}](t, got, http.StatusOK)
	if one.Title["en"] != "JSON" || got.Header().Get("ETag") == `"`+c.Version+`"` {
		t.Errorf("after replace: %+v, ETag %s", one, got.Header().Get("ETag"))
	}

	decode[map[string]any](t, do(t, s, http.MethodDelete, "/v1/plans/x-2021", nil, auth(nil)), http.StatusOK)
	decode[errorBody](t, do(t, s, http.MethodDelete, "/v1/plans/x-2021", nil, auth(nil)), http.StatusNotFound)
	decode[errorBody](t, get(t, s, "/v1/plans/x-2021"), http.StatusNotFound)
	if get(t, s, "/v1/export").Body.String() != before {
		t.Error("create, replace and delete did not leave the graph as it was")
	}
}

// TestReplaceIsAtomic replaces a plan in a loop while readers check that
// every answer is one whole version: never a mix of the two.
func TestReplaceIsAtomic(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	versions := map[string]bool{}
	for v := 0; v < 2; v++ {
		var ids []string
		for i := 0; i < 3+v; i++ {
			ids = append(ids, fmt.Sprintf("x-2021-v%d-m%d", v, i))
		}
		versions[strings.Join(ids, ",")] = true
	}
	decode[map[string]any](t, do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 0)), auth(nil)), http.StatusCreated)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				w := get(t, s, "/v1/measures?plan=x-2021")
				var res tableOf[view.Measure]
				if w.Code != 200 {
					errs <- fmt.Sprintf("status %d", w.Code)
					return
				}
				if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
					errs <- err.Error()
					return
				}
				var ids []string
				for _, m := range res.Rows {
					ids = append(ids, m.ID)
				}
				sort.Strings(ids)
				if !versions[strings.Join(ids, ",")] {
					errs <- fmt.Sprintf("a mixed answer: %v", ids)
					return
				}
			}
		}()
	}
	for i := 1; i <= 40; i++ {
		w := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", i%2)), auth(nil))
		if w.Code != http.StatusOK {
			t.Errorf("replace %d: %d %s", i, w.Code, w.Body.String())
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestConcurrentWriters: two writers on one plan are both answered and
// the last write wins.
func TestConcurrentWriters(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", i%2)), auth(nil)).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK && c != http.StatusCreated {
			t.Errorf("writer %d: status %d", i, c)
		}
	}
	n := decode[tableOf[view.Measure]](t, get(t, s, "/v1/measures?plan=x-2021"), http.StatusOK).Total
	if n != 3 && n != 4 {
		t.Errorf("%d measures: not one whole version", n)
	}
}

// TestDeleteReferenced: a plan other documents refer to is a 409 that
// lists them; ?cascade=relations removes the related entries in the same
// write, and the stored documents still validate.
func TestDeleteReferenced(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	e := decode[struct {
		Error struct {
			Code      string `json:"code"`
			Referrers []struct {
				Document, Node, Predicate, Target string
				Relation                          bool
			} `json:"referrers"`
		} `json:"error"`
	}](t, do(t, s, http.MethodDelete, "/v1/plans/fuzhou-new-infrastructure-measures-2020", nil, auth(nil)), http.StatusConflict)
	if e.Error.Code != "referenced" || len(e.Error.Referrers) != 3 {
		t.Errorf("409 %+v", e.Error)
	}
	// The cascade cannot remove a measure's support or a count's scope.
	decode[errorBody](t, do(t, s, http.MethodDelete, "/v1/plans/fuzhou-new-infrastructure-measures-2020?cascade=relations", nil, auth(nil)), http.StatusConflict)
	decode[errorBody](t, do(t, s, http.MethodDelete, "/v1/plans/beijing-blockchain-2020?cascade=everything", nil, auth(nil)), http.StatusBadRequest)

	body := "id: relates-2021\ncity: beijing\nissuer: beijing-government\ntitle: {en: Related}\nrelated:\n" +
		"  - {plan: beijing-blockchain-2020, relation: special-plan}\nsource: interchain-pulse-2020-06\n"
	decode[map[string]any](t, do(t, s, http.MethodPut, "/v1/plans/relates-2021", []byte(body), auth(nil)), http.StatusCreated)
	decode[errorBody](t, do(t, s, http.MethodDelete, "/v1/plans/beijing-blockchain-2020", nil, auth(nil)), http.StatusConflict)
	decode[map[string]any](t, do(t, s, http.MethodDelete, "/v1/plans/beijing-blockchain-2020?cascade=relations", nil, auth(nil)), http.StatusOK)
	validStored(t, s)
	p := decode[struct {
		Related []any `json:"related"`
	}](t, get(t, s, "/v1/plans/relates-2021"), http.StatusOK)
	if len(p.Related) != 0 {
		t.Errorf("after the cascade the plan still relates to %v", p.Related)
	}
}

// validStored writes every stored document back as its file, as
// export --format yaml does, and checks that the directory validates.
func validStored(t *testing.T, s *Server) {
	t.Helper()
	docs, err := s.store.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range docs {
		path := filepath.Join(dir, filepath.FromSlash(d.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, d.Source, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := loader.Load(dir); err != nil {
		t.Errorf("the stored documents do not validate:\n%v", err)
	}
}

// TestWritesKeepTheGraphValid is a property test of issue 13: random
// sequences of PUT and DELETE, with and without cascade, never leave a
// reference dangling — after every step the stored documents, written
// back as files, validate.
func TestWritesKeepTheGraphValid(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			s, ds := newTestServer(t, Config{WriteToken: token})
			r := rand.New(rand.NewPCG(seed, 17))
			plans := []string{}
			for _, g := range ds.Graphs {
				if id, ok := strings.CutPrefix(g.ID, "plan/"); ok {
					plans = append(plans, id)
				}
			}
			pool := []string{"gen-a", "gen-b", "gen-c", "gen-d"}
			ok := map[int]bool{http.StatusOK: true, http.StatusCreated: true}
			for step := range 40 {
				var w *httptest.ResponseRecorder
				var what string
				switch r.IntN(3) {
				case 0, 1: // a plan of the pool, related to any plan
					id := pool[r.IntN(len(pool))]
					body := fmt.Sprintf("id: %s\ncity: fuzhou\nissuer: fuzhou-government\ntitle: {en: Step %d}\nsource: interchain-pulse-2020-06\n", id, step)
					if other := append(plans, pool...)[r.IntN(len(plans)+len(pool))]; other != id {
						body += fmt.Sprintf("related:\n  - {plan: %s, relation: companion}\n", other)
					}
					what = "PUT " + id
					w = do(t, s, http.MethodPut, "/v1/plans/"+id, []byte(body), auth(nil))
					if !ok[w.Code] && w.Code != http.StatusUnprocessableEntity {
						t.Fatalf("step %d %s: %d %s", step, what, w.Code, w.Body)
					}
				default:
					id := append(plans, pool...)[r.IntN(len(plans)+len(pool))]
					target := "/v1/plans/" + id
					if r.IntN(2) == 0 {
						target += "?cascade=relations"
					}
					what = "DELETE " + target
					w = do(t, s, http.MethodDelete, target, nil, auth(nil))
					if !ok[w.Code] && w.Code != http.StatusConflict && w.Code != http.StatusNotFound {
						t.Fatalf("step %d %s: %d %s", step, what, w.Code, w.Body)
					}
				}
				t.Logf("step %d: %s → %d", step, what, w.Code)
				validStored(t, s)
				if t.Failed() {
					t.Fatalf("after step %d (%s)", step, what)
				}
			}
		})
	}
}

// TestConditionalRequests: If-Match: * matches any stored plan,
// If-None-Match: * makes a PUT create-only, and a GET whose If-None-Match
// names the current version is a 304 (RFC 9110). The plan comes back as
// it was written for Accept: application/yaml.
func TestConditionalRequests(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	doc := []byte(planDoc("cond-2021", 0))
	decode[errorBody](t, do(t, s, http.MethodPut, "/v1/plans/cond-2021", doc, auth(map[string]string{"If-Match": "*"})), http.StatusPreconditionFailed)
	created := decode[map[string]any](t, do(t, s, http.MethodPut, "/v1/plans/cond-2021", doc, auth(map[string]string{"If-None-Match": "*"})), http.StatusCreated)
	e := decode[errorBody](t, do(t, s, http.MethodPut, "/v1/plans/cond-2021", []byte(planDoc("cond-2021", 1)), auth(map[string]string{"If-None-Match": "*"})), http.StatusPreconditionFailed)
	if e.Error.Code != "exists" {
		t.Errorf("create-only over an existing plan: %+v", e.Error)
	}
	decode[errorBody](t, do(t, s, http.MethodPut, "/v1/plans/cond-2021", doc, auth(map[string]string{"If-None-Match": `"abc"`})), http.StatusBadRequest)
	decode[map[string]any](t, do(t, s, http.MethodPut, "/v1/plans/cond-2021", []byte(planDoc("cond-2021", 1)), auth(map[string]string{"If-Match": "*"})), http.StatusOK)

	w := get(t, s, "/v1/plans/cond-2021")
	etag := w.Header().Get("ETag")
	if w.Code != http.StatusOK || etag == "" || etag == `"`+created["version"].(string)+`"` {
		t.Fatalf("GET after the replacement: %d, ETag %s", w.Code, etag)
	}
	if w := do(t, s, http.MethodGet, "/v1/plans/cond-2021", nil, map[string]string{"If-None-Match": etag}); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("GET with the current ETag: %d %q", w.Code, w.Body.String())
	}
	y := do(t, s, http.MethodGet, "/v1/plans/cond-2021", nil, map[string]string{"Accept": "application/yaml"})
	if y.Code != http.StatusOK || y.Body.String() != planDoc("cond-2021", 1) || !strings.HasPrefix(y.Header().Get("Content-Type"), "application/yaml") {
		t.Errorf("GET as YAML: %d %s\n%s", y.Code, y.Header().Get("Content-Type"), y.Body.String())
	}
}
