package server

import (
	"net/http"
	"strings"
	"testing"
)

type measureProvenanceBody struct {
	Rows []struct {
		ID           string                               `json:"id"`
		Technologies []struct{ Technology, Basis string } `json:"technologies"`
		Domains      []string                             `json:"domains"`
		Provenance   []map[string]any                     `json:"provenance"`
	} `json:"rows"`
}

type reviewQueueBody struct {
	Rows []reviewRow `json:"rows"`
}

func reviewOf(t *testing.T, s *Server, query string) []string {
	t.Helper()
	var out []string
	for _, r := range decode[reviewQueueBody](t, get(t, s, "/v1/review"+query), http.StatusOK).Rows {
		out = append(out, r.Measure+" "+r.Technology+r.Domain+" "+r.Method+" "+r.ReviewedBy)
	}
	return out
}

// draftThroughAPI writes what /v1/extract proposes for text as plan id,
// unchanged: a draft with no issuer and an empty source.
func draftThroughAPI(t *testing.T, s *Server, id, text string) {
	t.Helper()
	w := do(t, s, http.MethodPost, "/v1/extract?city=fuzhou&plan="+id, []byte(text), map[string]string{"Content-Type": "text/plain; charset=utf-8"})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"status": "draft"`) || !strings.Contains(w.Body.String(), `"source": ""`) {
		t.Fatalf("extract: %d %s", w.Code, w.Body)
	}
	if put := do(t, s, http.MethodPut, "/v1/plans/"+id, w.Body.Bytes(), auth(map[string]string{"Content-Type": "application/json"})); put.Code != http.StatusCreated {
		t.Fatalf("PUT of the draft as extracted: %d %s", put.Code, put.Body)
	}
}

// TestReviewOfExtractedLinks: a draft from extract is written as it is,
// its links wait in the queue as extracted, and a reviewer's decisions
// apply at once, attributed, and show in /v1/measures.
func TestReviewOfExtractedLinks(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteTokens: map[string]string{"alice": "alice-secret", "default": token}})
	const id = "fz-draft-2021"
	draftThroughAPI(t, s, id, "福州市数字基础设施示范方案\n\n一、鼓励在金融等行业开展区块链应用示范。\n\n二、建设工业互联网平台和智能计算中心。")
	pending := reviewOf(t, s, "?status=pending&plan="+id)
	want := []string{"fz-draft-2021-1 blockchain extracted ", "fz-draft-2021-1 finance extracted ",
		"fz-draft-2021-2 industrial-internet extracted "}
	if !strings.HasPrefix(strings.Join(pending, "\n"), strings.Join(want, "\n")) {
		t.Fatalf("queue:\n%s\nwant it to start\n%s", strings.Join(pending, "\n"), strings.Join(want, "\n"))
	}
	rows := decode[reviewQueueBody](t, get(t, s, "/v1/review?plan="+id), http.StatusOK).Rows
	if r := rows[0]; r.Confidence == nil || *r.Confidence <= 0 || r.Sentence == "" || r.Offset == nil || r.Extractor != "policygraph-extract/1" || r.Basis != "extracted" {
		t.Errorf("first row: %+v", r)
	}
	if other := reviewOf(t, s, ""); len(other) != len(pending) {
		t.Errorf("the fixture's curated plans are in the queue: %q", other)
	}

	h := auth(map[string]string{"Content-Type": "application/json"})
	h["Authorization"] = "Bearer alice-secret"
	before := decode[historyBody](t, get(t, s, "/v1/plans/"+id+"/history"), http.StatusOK)
	for _, bad := range []struct {
		body   string
		status int
		says   string
	}{
		{`{"decisions":[{"measure":"fz-draft-2021-1","technology":"blockchain","action":"accept"},{"measure":"fz-draft-2021-9","technology":"5g","action":"accept"}]}`,
			http.StatusNotFound, `decisions[1] (measure fz-draft-2021-9, technology/5g): the plan has no measure "fz-draft-2021-9"`},
		{`{"decisions":[{"measure":"fz-draft-2021-1","technology":"5g","action":"accept"}]}`, http.StatusNotFound, "the measure has no link to technology/5g"},
		{`{"decisions":[{"measure":"fz-draft-2021-1","technology":"blockchain","action":"approve"}]}`, http.StatusBadRequest, `unknown action "approve"`},
		{`{"decisions":[{"measure":"fz-draft-2021-1","domain":"finance","action":"edit","basis":"inferred"}]}`, http.StatusBadRequest, "a domain link has no basis to edit"},
		{`{"decisions":[{"measure":"fz-draft-2021-1","technology":"blockchain","domain":"finance","action":"accept"}]}`, http.StatusBadRequest, "exactly one of technology and domain"},
		{`{"decisions":[{"measure":"fz-draft-2021-1","technology":"blockchain","action":"accept"},{"measure":"fz-draft-2021-1","technology":"blockchain","action":"reject"}]}`, http.StatusBadRequest, "decided twice"},
		{`{"decisions":[]}`, http.StatusBadRequest, "no decisions"},
		{`{"decisions":[{"measure":"fz-draft-2021-1","technology":"blockchain","action":"accept","why":1}]}`, http.StatusBadRequest, "unknown field"},
	} {
		e := decode[errorBody](t, do(t, s, http.MethodPost, "/v1/plans/"+id+"/review", []byte(bad.body), h), bad.status)
		if !strings.Contains(e.Error.Message, bad.says) {
			t.Errorf("%s: %q, want it to say %q", bad.body, e.Error.Message, bad.says)
		}
	}
	// A curated link has nothing to review.
	e := decode[errorBody](t, do(t, s, http.MethodPost, "/v1/plans/fuzhou-new-infrastructure-2020/review",
		[]byte(`{"decisions":[{"measure":"fuzhou-enterprise-support-claim","technology":"blockchain","action":"accept"}]}`), h), http.StatusConflict)
	if !strings.Contains(e.Error.Message, "measure fuzhou-enterprise-support-claim, technology/blockchain") || !strings.Contains(e.Error.Message, "curated") {
		t.Errorf("curated link: %q", e.Error.Message)
	}
	if after := decode[historyBody](t, get(t, s, "/v1/plans/"+id+"/history"), http.StatusOK); len(after.Versions) != len(before.Versions) {
		t.Fatalf("refused decisions wrote a version: %+v", after)
	}
	if w := do(t, s, http.MethodPost, "/v1/plans/"+id+"/review", []byte(`{"decisions":[]}`), map[string]string{"Content-Type": "application/json"}); w.Code != http.StatusUnauthorized {
		t.Errorf("a review without a token: %d", w.Code)
	}

	body := `{"decisions":[{"measure":"fz-draft-2021-1","technology":"blockchain","action":"accept"},` +
		`{"measure":"fz-draft-2021-1","domain":"finance","action":"reject"},` +
		`{"measure":"fz-draft-2021-2","technology":"industrial-internet","action":"edit","basis":"inferred"}]}`
	w := do(t, s, http.MethodPost, "/v1/plans/"+id+"/review", []byte(body), h)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"reviewer":"alice"`) {
		t.Fatalf("review: %d %s", w.Code, w.Body)
	}
	for _, p := range reviewOf(t, s, "?plan="+id) {
		if strings.HasPrefix(p, "fz-draft-2021-1 ") || strings.HasPrefix(p, "fz-draft-2021-2 industrial-internet") {
			t.Errorf("still pending: %s", p)
		}
	}
	if got := reviewOf(t, s, "?status=reviewed&plan="+id); strings.Join(got, ",") != "fz-draft-2021-1 blockchain extracted+reviewed alice,fz-draft-2021-2 industrial-internet extracted+reviewed alice" {
		t.Errorf("reviewed: %q", got)
	}
	ms := decode[measureProvenanceBody](t, get(t, s, "/v1/measures?plan="+id), http.StatusOK)
	m1 := ms.Rows[0]
	if m1.ID != "fz-draft-2021-1" || len(m1.Technologies) != 1 || m1.Technologies[0].Basis != "explicit" || len(m1.Domains) != 0 {
		t.Fatalf("measure after review: %+v", m1)
	}
	p := m1.Provenance[0]
	if p["technology"] != "blockchain" || p["method"] != "extracted+reviewed" || p["reviewed_by"] != "alice" || p["reviewed_at"] == "" || p["confidence"] == nil {
		t.Errorf("provenance: %v", p)
	}
	if m2 := ms.Rows[1]; m2.Technologies[0].Technology != "industrial-internet" || m2.Technologies[0].Basis != "inferred" {
		t.Errorf("edited: %+v", m2)
	}
	csv := do(t, s, http.MethodGet, "/v1/measures?plan="+id+"&format=csv", nil, nil).Body.String()
	if !strings.Contains(csv, "technology/blockchain:extracted+reviewed:alice@") {
		t.Errorf("CSV provenance: %s", csv)
	}
	curated := decode[struct {
		Rows []struct {
			Provenance []map[string]any `json:"provenance"`
		} `json:"rows"`
	}](t, get(t, s, "/v1/measures?plan=fuzhou-new-infrastructure-2020"), http.StatusOK)
	if len(curated.Rows) == 0 || len(curated.Rows[0].Provenance) == 0 || curated.Rows[0].Provenance[0]["method"] != "curated" {
		t.Errorf("curated provenance: %+v", curated.Rows)
	}
	hist := decode[historyBody](t, get(t, s, "/v1/plans/"+id+"/history"), http.StatusOK)
	last := hist.Versions[len(hist.Versions)-1]
	if last.Who != "alice" || last.Message != "review: 3 decision(s)" {
		t.Errorf("history of the review: %+v", last)
	}
	// The same decision again: no longer pending.
	e = decode[errorBody](t, do(t, s, http.MethodPost, "/v1/plans/"+id+"/review", []byte(`{"decisions":[{"measure":"fz-draft-2021-1","technology":"blockchain","action":"reject"}]}`), h), http.StatusConflict)
	if !strings.Contains(e.Error.Message, "reviewed already (accept by alice") {
		t.Errorf("second decision: %q", e.Error.Message)
	}
}
