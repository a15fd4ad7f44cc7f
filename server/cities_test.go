package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestCitiesAnswerAsTable: the cities handler, with its own JSON
// encoders, answers what the generic table (encoding/json over gin.H)
// answers: the same status, body and headers, for pages, coverage notes,
// CSV and errors.
func TestCitiesAnswerAsTable(t *testing.T) {
	s, _ := newTestServer(t, Config{AnswerCache: -1})
	generic := withCoverage(s, cityColumns, citiesOf)
	withNotes := 0
	for _, target := range []string{
		"/v1/cities",
		"/v1/cities?technology=blockchain",
		"/v1/cities?technology=blockchain&domain=finance",
		"/v1/cities?technology=information-infrastructure",
		"/v1/cities?technology=information-infrastructure&limit=2",
		"/v1/cities?technology=information-infrastructure&limit=2&offset=1",
		"/v1/cities?technology=information-infrastructure&offset=1000",
		"/v1/cities?technology=5g&city=china",
		"/v1/cities?technology=blockchain&city=fujian",
		"/v1/cities?technology=blockchain&in_force=2020-06-05",
		"/v1/cities?technology=blockchain&basis=inferred",
		"/v1/cities?instrument=supply&technology=blockchain",
		"/v1/cities?domain=finance",
		"/v1/cities?technology=new-technology-infrastructure&format=csv",
		"/v1/cities?technology=blockchain&limit=0",
		"/v1/cities?technology=blockchain&format=xml",
		"/v1/cities?technology=blockchian",
	} {
		ask := func(h gin.HandlerFunc) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodGet, target, nil)
			h(c)
			return w
		}
		got, want := ask(s.cities()), ask(generic)
		if got.Code != want.Code || got.Body.String() != want.Body.String() {
			t.Errorf("%s: %d\n got %s\nwant %d %s", target, got.Code, got.Body, want.Code, want.Body)
		}
		for _, h := range []string{"Content-Type", "X-Total-Count", "X-Next-Offset", "X-Coverage"} {
			if got.Header().Get(h) != want.Header().Get(h) {
				t.Errorf("%s: %s %q, want %q", target, h, got.Header().Get(h), want.Header().Get(h))
			}
		}
		if want.Header().Get("X-Coverage") != "" {
			withNotes++
		}
	}
	if withNotes == 0 {
		t.Error("no answer had coverage notes")
	}
}
