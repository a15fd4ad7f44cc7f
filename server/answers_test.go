package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestAnswerCache: a repeated question is answered from the kept answer,
// a write retires it, and what depends on the caller (CORS) or is too
// big is never kept.
func TestAnswerCache(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token, CORSOrigin: "http://notebook.example"})
	const q = "/v1/measures?city=fuzhou&technology=blockchain"
	first := get(t, s, q)
	if first.Code != http.StatusOK || s.answers.Len() != 1 {
		t.Fatalf("first answer %d, %d kept", first.Code, s.answers.Len())
	}
	again := get(t, s, q)
	if again.Body.String() != first.Body.String() || again.Header().Get("X-Total-Count") != first.Header().Get("X-Total-Count") {
		t.Errorf("kept answer differs: %q vs %q", again.Body, first.Body)
	}
	csv := do(t, s, http.MethodGet, q, nil, map[string]string{"Accept": "text/csv"})
	if !strings.HasPrefix(csv.Header().Get("Content-Type"), "text/csv") || s.answers.Len() != 2 {
		t.Errorf("CSV answer: %q, %d kept", csv.Header().Get("Content-Type"), s.answers.Len())
	}

	// A write changes the version: the next answer lists the new measures.
	if w := do(t, s, http.MethodPut, "/v1/plans/cache-test", []byte(planDoc("cache-test", 0)), auth(nil)); w.Code != http.StatusCreated {
		t.Fatalf("PUT: %d %s", w.Code, w.Body)
	}
	after := get(t, s, q)
	if !strings.Contains(after.Body.String(), "cache-test-v0-m0") {
		t.Errorf("answer after the write does not list the new plan's measures: %s", after.Body)
	}

	// CORS headers follow the caller, not the kept answer.
	allowed := do(t, s, http.MethodGet, "/v1/cities?technology=5g", nil, map[string]string{"Origin": "http://notebook.example"})
	other := do(t, s, http.MethodGet, "/v1/cities?technology=5g", nil, map[string]string{"Origin": "http://elsewhere.example"})
	if allowed.Header().Get("Access-Control-Allow-Origin") == "" || other.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS: allowed origin got %q, other origin got %q",
			allowed.Header().Get("Access-Control-Allow-Origin"), other.Header().Get("Access-Control-Allow-Origin"))
	}

	// Errors are not kept.
	n := s.answers.Len()
	if w := get(t, s, "/v1/measures?technology=no-such-technology"); w.Code == http.StatusOK || s.answers.Len() != n {
		t.Errorf("unknown technology: %d, kept %d answers (had %d)", w.Code, s.answers.Len(), n)
	}

	// Off: nothing is kept.
	off, _ := newTestServer(t, Config{AnswerCache: -1})
	if w := get(t, off, q); w.Code != http.StatusOK || off.answers != nil {
		t.Errorf("cache off: %d", w.Code)
	}
}

// TestAnswerBudget: kept answers stay within their byte budget, dropping
// the least recently used first, and replacing an answer counts only the
// new body.
func TestAnswerBudget(t *testing.T) {
	a := newAnswers(100, 1000)
	body := func(n int) *answer { return &answer{body: make([]byte, n)} }
	a.Add(answerKey{uri: "a"}, body(400))
	a.Add(answerKey{uri: "b"}, body(400))
	if _, ok := a.Get(answerKey{uri: "a"}); !ok { // a is now the most recently used
		t.Fatal("a was not kept")
	}
	a.Add(answerKey{uri: "c"}, body(400)) // 1200 > 1000: b, the least recent, goes
	if _, ok := a.Get(answerKey{uri: "b"}); ok || a.Len() != 2 || a.Bytes() != 800 {
		t.Errorf("after c: b kept %v, %d answers, %d bytes; want b dropped, 2, 800", ok, a.Len(), a.Bytes())
	}
	a.Add(answerKey{uri: "c"}, body(100))
	if a.Len() != 2 || a.Bytes() != 500 {
		t.Errorf("after replacing c: %d answers, %d bytes; want 2, 500", a.Len(), a.Bytes())
	}
	a.Add(answerKey{uri: "huge"}, body(5000))
	if a.Len() != 0 || a.Bytes() != 0 {
		t.Errorf("an answer over the whole budget: %d answers, %d bytes kept; want none", a.Len(), a.Bytes())
	}
}

// TestAnswerGzip: a kept answer goes out gzipped to clients that accept
// it, as the same bytes once unpacked, and plain to the others.
func TestAnswerGzip(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	const q = "/v1/measures?technology=blockchain"
	plain := get(t, s, q)
	if plain.Code != http.StatusOK || plain.Body.Len() < gzipAbove {
		t.Fatalf("%s: %d, %d bytes; want a 200 worth compressing", q, plain.Code, plain.Body.Len())
	}
	zipped := do(t, s, http.MethodGet, q, nil, map[string]string{"Accept-Encoding": "gzip, deflate"})
	if zipped.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("kept answer to a gzip client: Content-Encoding %q, Vary %q", zipped.Header().Get("Content-Encoding"), zipped.Header().Get("Vary"))
	}
	size := zipped.Body.Len()
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	unpacked, err := io.ReadAll(zr)
	if err != nil || string(unpacked) != plain.Body.String() {
		t.Errorf("unpacked answer (%v) differs from the plain one", err)
	}
	if size >= plain.Body.Len() || zipped.Header().Get("Content-Length") != strconv.Itoa(size) {
		t.Errorf("gzipped %d bytes (Content-Length %s), plain %d", size, zipped.Header().Get("Content-Length"), plain.Body.Len())
	}
	refused := do(t, s, http.MethodGet, q, nil, map[string]string{"Accept-Encoding": "gzip;q=0, identity"})
	if refused.Header().Get("Content-Encoding") != "" || refused.Body.String() != plain.Body.String() {
		t.Errorf("gzip;q=0 got Content-Encoding %q", refused.Header().Get("Content-Encoding"))
	}
	for header, want := range map[string]bool{
		"gzip": true, "deflate, gzip": true, "br;q=1.0, gzip;q=0.8": true, "*": true,
		"": false, "identity": false, "gzip;q=0": false, "deflate": false, "x-gzip-not": false,
		"GZIP": true, "gzip;Q=0": false, "*, gzip;q=0": false, "*;q=0, gzip": true, "gzip; q=0.000": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
