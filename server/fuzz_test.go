package server

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzQueryParameters: any query string on the tabular endpoints is an
// answer or a client error, never a 500.
func FuzzQueryParameters(f *testing.F) {
	s, _ := newTestServer(f, Config{})
	for _, seed := range []string{"technology=blockchain&domain=finance", "basis=maybe", "limit=-1&offset=x", "city=%E7%A6%8F%E5%B7%9E", "format=csv&limit=1", "technology=&domain=&&&", "cities=,,,&technology=ai"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return // not a query string a client could send
		}
		for _, path := range []string{"/v1/cities", "/v1/measures", "/v1/compare", "/v1/search", "/v1/mentions"} {
			req, err := http.NewRequest(http.MethodGet, path+"?"+raw, nil)
			if err != nil {
				return
			}
			w := newRecorder()
			s.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s?%s: %d %s", path, raw, w.Code, w.Body.String())
			}
		}
	})
}

// FuzzAsk: any question is answered, or refused with 404 or 422.
func FuzzAsk(f *testing.F) {
	s, _ := newTestServer(f, Config{})
	for _, q := range []string{"which cities apply blockchain to finance?", "哪些城市将区块链应用于金融", "how often is  mentioned", "what does  do with ", "哪些城市将应用于", "？？？"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		w := newRecorder()
		req, _ := http.NewRequest(http.MethodGet, "/v1/ask?q="+url.QueryEscape(q), nil)
		s.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("%q: %d %s", q, w.Code, w.Body.String())
		}
	})
}
