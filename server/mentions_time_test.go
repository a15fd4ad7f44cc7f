package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/view"
)

// TestMentionsInForce: with date parameters a mention count is kept only
// when every document it counts is a plan passing them. In the fixture
// Beijing's plan is published on 2020-06-09, Fuzhou's two documents and
// Shanghai's plan before; Fuzhou's plan and Shanghai's end with 2022,
// Fuzhou's measures document has no end. A count over documents of which
// only some pass is left out whole and named in a time_split note.
func TestMentionsInForce(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	type answer struct {
		tableOf[view.ScopedMention]
		Coverage []coverageNote `json:"coverage"`
	}
	threePlans := []string{"three-plans-5g", "three-plans-ai", "three-plans-data-center", "three-plans-industrial-internet", "three-plans-iot"}
	for _, tc := range []struct {
		query   string
		rows    []string // ids, in order
		split   []string // the time_split note's counts; nil for no note
		noteFor string   // the city the notes name
	}{
		// Every plan counted is in force in mid-2021: nothing is left out.
		{"in_force=2021-06-01", append([]string{"beijing-blockchain-mentions", "fuzhou-blockchain-mentions", "shanghai-blockchain-mentions"}, threePlans...), nil, ""},
		// Beijing's plan is not yet published: its own count drops out,
		// and the three-plan totals, which count it, are split.
		{"in_force=2020-06-05", []string{"fuzhou-blockchain-mentions", "shanghai-blockchain-mentions"}, threePlans, ""},
		// After 2022 only Fuzhou's measures document is in force, which
		// splits Fuzhou's count over both documents.
		{"in_force=2023-06-01", nil, []string{"fuzhou-blockchain-mentions"}, ""},
		{"published_before=2020-06-05", []string{"fuzhou-blockchain-mentions", "shanghai-blockchain-mentions"}, threePlans, ""},
		{"published_after=2020-06-05", []string{"beijing-blockchain-mentions"}, threePlans, ""},
		{"published_after=2020-06-01&published_before=2020-06-05&technology=blockchain", []string{"fuzhou-blockchain-mentions"}, nil, ""},
		// A city's answer: the split total is noted for it, and not also
		// offered as a shared count.
		{"city=beijing&technology=5g&in_force=2020-06-05", nil, []string{"three-plans-5g"}, "beijing"},
		{"city=fuzhou&include_shared=true&in_force=2020-06-05", []string{"fuzhou-blockchain-mentions"}, threePlans, "fuzhou"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			w := get(t, s, "/v1/mentions?"+tc.query)
			a := decode[answer](t, w, http.StatusOK)
			var ids []string
			for _, r := range a.Rows {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tc.rows) {
				t.Errorf("rows %v, want %v", ids, tc.rows)
			}
			var split *coverageNote
			for i, n := range a.Coverage {
				if n.Status == timeSplit {
					split = &a.Coverage[i]
				} else if n.Status == sharedOnly {
					t.Errorf("shared_only note for counts the dates left out: %+v", n)
				}
			}
			switch {
			case tc.split == nil && split != nil:
				t.Errorf("unexpected time_split note: %+v", split)
			case tc.split != nil && split == nil:
				t.Errorf("no time_split note for %v: %+v", tc.split, a.Coverage)
			case split != nil:
				if !slices.Equal(split.Mentions, tc.split) || split.City != tc.noteFor || !strings.Contains(split.Note, "cannot be divided") {
					t.Errorf("time_split note %+v, want counts %v for %q", split, tc.split, tc.noteFor)
				}
				if !strings.Contains(w.Header().Get("X-Coverage"), "time_split") {
					t.Errorf("X-Coverage %q", w.Header().Get("X-Coverage"))
				}
			}
		})
	}
	// CSV holds the same rows.
	w := get(t, s, "/v1/mentions?in_force=2020-06-05&format=csv")
	if lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n"); w.Code != http.StatusOK || len(lines) != 3 || !strings.HasPrefix(lines[1], "fuzhou-blockchain-mentions,") {
		t.Errorf("CSV: %d %s", w.Code, w.Body)
	}
	for _, bad := range []string{"in_force=2021-13-01", "published_after=June", "published_before=2021-02-30"} {
		b := decode[errorBody](t, get(t, s, "/v1/mentions?"+bad), http.StatusBadRequest)
		if name, _, _ := strings.Cut(bad, "="); !strings.Contains(b.Error.Message, name) {
			t.Errorf("%s: %+v", bad, b.Error)
		}
	}
}
