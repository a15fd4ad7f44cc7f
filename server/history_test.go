package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseWriteTokens(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want map[string]string
		err  string
	}{
		{in: []string{"plain-secret"}, want: map[string]string{"default": "plain-secret"}},
		{in: []string{"alice=s1", "bob=s2"}, want: map[string]string{"alice": "s1", "bob": "s2"}},
		// The part before = is no name: the whole is a secret.
		{in: []string{"=x=y", "a b=c"}, want: map[string]string{"default": "=x=y"}, err: `the name "default" is given twice`},
		{in: []string{"alice=s1", "alice=s2"}, err: `the name "alice" is given twice`},
		{in: []string{"alice=same", "bob=same"}, err: `"alice" and "bob" have the same secret`},
		{in: []string{"alice="}, err: "write token 1 (alice) has an empty secret"},
	} {
		got, err := ParseWriteTokens(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			if err != nil && (strings.Contains(err.Error(), "same\"") || strings.Contains(err.Error(), "s2")) {
				t.Errorf("%q: the error shows a secret: %v", tc.in, err)
			}
			continue
		}
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("%q: %v, %v", tc.in, got, err)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%q: %s = %q, want %q", tc.in, k, got[k], v)
			}
		}
	}
}

type diffBody struct {
	From, To int
	Diff     struct {
		Measures struct{ Added, Removed []string }
		Links    struct{ Added, Removed []map[string]string }
	}
}

type historyBody struct {
	Plan     string `json:"plan"`
	Versions []struct {
		Version int     `json:"version"`
		Time    *string `json:"time"`
		Who     string  `json:"who"`
		Message string  `json:"message"`
		Action  string  `json:"action"`
		Hash    string  `json:"hash"`
		Current bool    `json:"current"`
	} `json:"versions"`
}

// TestHistoryNamesTheWriter: every write is recorded under its token's
// name with its message; history and diff answer without a token; no
// secret reaches the log or an answer.
func TestHistoryNamesTheWriter(t *testing.T) {
	var logs bytes.Buffer
	secrets := map[string]string{"alice": "alice-secret-4711", "bob": "bob-secret-0815"}
	s, _ := newTestServer(t, Config{WriteToken: token, WriteTokens: secrets, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	var answers []*httptest.ResponseRecorder
	as := func(who string, extra map[string]string) map[string]string {
		h := auth(extra)
		if who != "" {
			h["Authorization"] = "Bearer " + secrets[who]
		}
		return h
	}
	call := func(method, target, body string, h map[string]string, want int) *httptest.ResponseRecorder {
		t.Helper()
		w := do(t, s, method, target, []byte(body), h)
		if w.Code != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, target, w.Code, want, w.Body)
		}
		answers = append(answers, w)
		return w
	}
	const path = "/v1/plans/history-2021"
	call(http.MethodPut, path, planDoc("history-2021", 0), as("alice", map[string]string{"X-Change-Message": "first draft"}), http.StatusCreated)
	call(http.MethodPut, path+"?message=more+measures", planDoc("history-2021", 1), as("bob", nil), http.StatusOK)
	// A bad message is refused and writes nothing.
	call(http.MethodPut, path+"?message="+strings.Repeat("x", 501), planDoc("history-2021", 2), as("bob", nil), http.StatusBadRequest)
	call(http.MethodPut, path+"?message=a", planDoc("history-2021", 2), as("bob", map[string]string{"X-Change-Message": "b"}), http.StatusBadRequest)
	call(http.MethodPut, path, planDoc("history-2021", 2), map[string]string{"Authorization": "Bearer alice-secret-471", "Content-Type": "application/yaml"}, http.StatusUnauthorized)
	call(http.MethodDelete, path, "", as("", map[string]string{"X-Change-Message": "withdrawn"}), http.StatusOK)

	h := decode[historyBody](t, call(http.MethodGet, path+"/history", "", nil, http.StatusOK), http.StatusOK)
	var got []string
	for _, v := range h.Versions {
		got = append(got, strings.Join([]string{v.Who, v.Action, v.Message}, "|"))
		if v.Time == nil || v.Current {
			t.Errorf("version %d: time %v, current %v", v.Version, v.Time, v.Current)
		}
	}
	if want := "alice|create|first draft bob|replace|more measures default|delete|withdrawn"; strings.Join(got, " ") != want {
		t.Errorf("history %q, want %q", got, want)
	}
	if h.Versions[2].Hash != "" || h.Versions[0].Hash == "" {
		t.Errorf("hashes: %+v", h.Versions)
	}

	d := decode[diffBody](t, call(http.MethodGet, path+"/diff?from=1&to=2", "", nil, http.StatusOK), http.StatusOK)
	if d.From != 1 || d.To != 2 || len(d.Diff.Measures.Removed) != 3 || len(d.Diff.Measures.Added) != 4 ||
		d.Diff.Measures.Added[0] != "history-2021-v1-m0" || len(d.Diff.Links.Added) != 8 || len(d.Diff.Links.Removed) != 6 {
		t.Errorf("diff 1→2: %+v", d)
	}
	// By default: the last change, here the delete.
	d = decode[diffBody](t, call(http.MethodGet, path+"/diff", "", nil, http.StatusOK), http.StatusOK)
	if d.From != 2 || d.To != 3 || len(d.Diff.Measures.Removed) != 4 || len(d.Diff.Measures.Added) != 0 {
		t.Errorf("default diff: %+v", d)
	}
	for _, bad := range []struct {
		target string
		want   int
		says   string
	}{
		{"/v1/plans/never-stored-2021/history", http.StatusNotFound, `plan "never-stored-2021" has no history`},
		{path + "/diff?to=9", http.StatusNotFound, "no version 9 (to): the plan has versions 1 to 3"},
		{path + "/diff?from=first", http.StatusBadRequest, `bad from "first"`},
		{path + "/diff?form=1", http.StatusBadRequest, "form"},
		{path + "/history?as=1", http.StatusBadRequest, "as"},
	} {
		e := decode[errorBody](t, call(http.MethodGet, bad.target, "", nil, bad.want), bad.want)
		if !strings.Contains(e.Error.Message, bad.says) {
			t.Errorf("%s: %q, want it to say %q", bad.target, e.Error.Message, bad.says)
		}
	}
	for _, sec := range append([]string{token}, secrets["alice"], secrets["bob"], "alice-secret-471") {
		if strings.Contains(logs.String(), sec) {
			t.Errorf("the log shows a secret")
		}
		for _, w := range answers {
			if strings.Contains(w.Body.String(), sec) || strings.Contains(strings.Join(w.Header().Values("WWW-Authenticate"), ""), sec) {
				t.Errorf("an answer shows a secret: %s", w.Body)
			}
		}
	}
}
