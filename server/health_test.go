package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// heldWriter is a response writer that holds its request in flight until
// release is closed.
type heldWriter struct {
	*httptest.ResponseRecorder
	release chan struct{}
}

func (w heldWriter) Write(b []byte) (int, error) {
	<-w.release
	return w.ResponseRecorder.Write(b)
}

// TestHealthSaysIndexing: after a write, health says indexing until the
// new View's text indexes are made, and questions are answered meanwhile.
// The store's worker is held here as a request in flight holds it (the
// server gives it busy, tested below).
func TestHealthSaysIndexing(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	type health struct {
		Status   string `json:"status"`
		Indexing *bool  `json:"indexing"`
	}
	indexing := func() bool {
		t.Helper()
		h := decode[health](t, get(t, s, "/v1/health"), http.StatusOK)
		if h.Status != "ok" || h.Indexing == nil {
			t.Fatalf("health %+v", h)
		}
		return *h.Indexing
	}
	waitIndexed := func(what string) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); indexing(); {
			if time.Now().After(deadline) {
				t.Fatalf("%s: still indexing after 30 s", what)
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitIndexed("the first View")

	release, asked := make(chan struct{}), make(chan struct{}, 16)
	s.store.YieldTo(func() bool {
		asked <- struct{}{}
		<-release
		return false
	})
	w := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 0)), auth(nil))
	if w.Code != http.StatusCreated {
		t.Fatalf("PUT: %d %s", w.Code, w.Body)
	}
	<-asked
	if !indexing() {
		t.Error("health says no indexing while the new View's text indexes wait")
	}
	decode[tableOf[map[string]any]](t, get(t, s, "/v1/cities?technology=blockchain&domain=finance"), http.StatusOK)
	v, err := s.store.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	close(release)
	waitIndexed("after the write")
	if !v.SearchIndexMade() {
		t.Error("health says indexing is over, and the search index was not made")
	}
}

// TestBusyWhileARequestIsInFlight: what the server tells the store's
// background work (graph.Store.YieldTo) is whether any request is being
// answered.
func TestBusyWhileARequestIsInFlight(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	if s.busy() {
		t.Fatal("busy before any request")
	}
	held := heldWriter{httptest.NewRecorder(), make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.ServeHTTP(held, httptest.NewRequest(http.MethodGet, "/v1/plans?city=fuzhou", nil))
	}()
	for !s.busy() {
		select {
		case <-done:
			t.Fatal("the held request ended")
		default:
			time.Sleep(time.Millisecond)
		}
	}
	close(held.release)
	<-done
	if s.busy() {
		t.Error("busy after the request was answered")
	}
	if held.Code != http.StatusOK {
		t.Errorf("the held request: %d", held.Code)
	}
}
