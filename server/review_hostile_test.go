package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const draftText = "福州市数字基础设施示范方案\n\n一、鼓励在金融等行业开展区块链应用示范。\n\n二、建设工业互联网平台和智能计算中心。"

// FuzzReviewDecisions: any body sent to the review route is applied or
// refused with a client error, and a refused one changes nothing.
func FuzzReviewDecisions(f *testing.F) {
	s, _ := newTestServer(f, Config{WriteToken: token})
	w := do(f, s, http.MethodPost, "/v1/extract?city=fuzhou&plan=fuzz-draft-2021", []byte(draftText), map[string]string{"Content-Type": "text/plain"})
	if w.Code != http.StatusOK {
		f.Fatalf("extract: %d", w.Code)
	}
	if put := do(f, s, http.MethodPut, "/v1/plans/fuzz-draft-2021", w.Body.Bytes(), auth(map[string]string{"Content-Type": "application/json"})); put.Code != http.StatusCreated {
		f.Fatalf("put: %d %s", put.Code, put.Body)
	}
	for _, seed := range []string{
		`{"decisions":[{"measure":"fuzz-draft-2021-1","technology":"blockchain","action":"accept"}]}`,
		`{"decisions":[{"measure":"fuzz-draft-2021-1","domain":"finance","action":"reject"}]}`,
		`{"decisions":[{"measure":"fuzz-draft-2021-2","technology":"industrial-internet","action":"edit","basis":"inferred"}]}`,
		`{"decisions":[{"measure":"","action":""}]}`, `{"decisions":null}`, `[]`, `{"decisions":[{}]}`, `{`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		before := do(t, s, http.MethodGet, "/v1/plans/fuzz-draft-2021", nil, nil).Header().Get("ETag")
		w := do(t, s, http.MethodPost, "/v1/plans/fuzz-draft-2021/review", []byte(body), auth(map[string]string{"Content-Type": "application/json"}))
		switch w.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusNotFound, http.StatusConflict:
			if after := do(t, s, http.MethodGet, "/v1/plans/fuzz-draft-2021", nil, nil).Header().Get("ETag"); after != before {
				t.Fatalf("%s: refused (%d) but the plan changed", body, w.Code)
			}
		default:
			t.Fatalf("%s: %d %s", body, w.Code, w.Body)
		}
	})
}

// FuzzCurationReads: any query string on the history, diff and review
// reads is an answer or a client error.
func FuzzCurationReads(f *testing.F) {
	s, _ := newTestServer(f, Config{WriteToken: token})
	if put := do(f, s, http.MethodPut, "/v1/plans/fuzz-2021?message=one", []byte(planDoc("fuzz-2021", 0)), auth(nil)); put.Code != http.StatusCreated {
		f.Fatalf("put: %d", put.Code)
	}
	do(f, s, http.MethodPut, "/v1/plans/fuzz-2021", []byte(planDoc("fuzz-2021", 1)), auth(nil))
	for _, seed := range []string{"from=1&to=2", "from=0", "to=-1", "from=99999999999999999999", "status=reviewed&plan=fuzz-2021", "plan=%E7%A6%8F", "status=", "limit=0", "as_of=2001-01-01T00:00:00Z", "as_of=x", "as_of=9999-12-31T23:59:59Z&from=1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return
		}
		for _, path := range []string{"/v1/plans/fuzz-2021/history", "/v1/plans/fuzz-2021/diff", "/v1/review", "/v1/plans/fuzz-2021", "/v1/measures"} {
			req, err := http.NewRequest(http.MethodGet, path+"?"+raw, nil)
			if err != nil {
				return
			}
			w := newRecorder()
			s.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s?%s: %d %s", path, raw, w.Code, w.Body)
			}
		}
	})
}

// TestHostileReviews: oversized, deep and malformed review requests are
// refused before they cost anything, and writes stay behind the token.
func TestHostileReviews(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	draftThroughAPI(t, s, "hostile-draft-2021", draftText)
	path := "/v1/plans/hostile-draft-2021/review"
	h := auth(map[string]string{"Content-Type": "application/json"})
	many := `{"decisions":[` + strings.Repeat(`{"measure":"m","technology":"t","action":"accept"},`, 1000) + `{"measure":"m","technology":"t","action":"accept"}]}`
	for _, tc := range []struct {
		name   string
		body   string
		header map[string]string
		status int
		says   string
	}{
		{"too many decisions", many, h, http.StatusBadRequest, "1001 decisions; the most in one request is 1000"},
		{"over 1 MiB", `{"decisions":[{"measure":"` + strings.Repeat("x", 1<<20) + `"}]}`, h, http.StatusRequestEntityTooLarge, "over 1 MiB"},
		{"deep", strings.Repeat("[", 100000) + strings.Repeat("]", 100000), h, http.StatusBadRequest, "bad JSON body"},
		{"not UTF-8", "{\"decisions\":[{\"measure\":\"\xff\"}]}", h, http.StatusBadRequest, "not valid UTF-8"},
		{"a long id", `{"decisions":[{"measure":"` + strings.Repeat("m", 500000) + `","technology":"blockchain","action":"accept"}]}`, h, http.StatusNotFound, "the plan has no measure"},
		{"YAML body", "decisions: []", auth(nil), http.StatusUnsupportedMediaType, ""},
		{"control character in the message", `{"decisions":[{"measure":"hostile-draft-2021-1","technology":"blockchain","action":"accept"}]}`,
			auth(map[string]string{"Content-Type": "application/json", "X-Change-Message": "a\x7fb"}), http.StatusBadRequest, "control character"},
		{"no token", `{"decisions":[]}`, map[string]string{"Content-Type": "application/json"}, http.StatusUnauthorized, ""},
		{"a wrong token", `{"decisions":[]}`, map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token + "x"}, http.StatusUnauthorized, ""},
		{"unknown parameter", `{"decisions":[]}`, h, http.StatusBadRequest, "unknown"},
	} {
		target := path
		if tc.name == "unknown parameter" {
			target += "?cascade=relations"
		}
		w := do(t, s, http.MethodPost, target, []byte(tc.body), tc.header)
		if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.says) {
			t.Errorf("%s: %d %.300s; want %d saying %q", tc.name, w.Code, w.Body, tc.status, tc.says)
		}
	}
	if n := len(reviewOf(t, s, "?plan=hostile-draft-2021")); n < 3 {
		t.Errorf("hostile requests changed the queue: %d pending", n)
	}
	off, _ := newTestServer(t, Config{})
	if w := do(t, off, http.MethodPost, path, []byte(`{"decisions":[]}`), h); w.Code != http.StatusForbidden {
		t.Errorf("writes off: %d", w.Code)
	}
}
