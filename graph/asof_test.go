package graph

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/policygraph/policygraph/view"
)

// TestViewAsOf: a View of a past moment holds every document at the
// version it had then, and the present one is the current graph.
func TestViewAsOf(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			beforeLoad := time.Now()
			st, _, v := loadedCopy(t, b)
			loaded := time.Now()
			put := func(src string) time.Time {
				t.Helper()
				if _, err := st.PutDocument(ctx, racePlanSource(t, v, "history-test-2021", src), ""); err != nil {
					t.Fatal(err)
				}
				return time.Now()
			}
			afterV1 := put(historyPlanV1)
			afterV2 := put(historyPlanV2)
			if err := st.DeleteDocument(ctx, "plan/history-test-2021", "", nil); err != nil {
				t.Fatal(err)
			}
			afterDelete := time.Now()

			var before *BeforeHistoryError
			if _, err := st.ViewAsOf(ctx, beforeLoad.Add(-time.Second)); !errors.As(err, &before) || !strings.Contains(err.Error(), "before the first recorded write") {
				t.Fatalf("as of before the load: %v", err)
			}
			for _, tc := range []struct {
				name     string
				at       time.Time
				measures []string
			}{
				{"after the load", loaded, nil},
				{"after version 1", afterV1, []string{"history-test-chains"}},
				{"after version 2", afterV2, []string{"history-test-chains", "history-test-ledgers"}},
				{"after the delete", afterDelete, nil},
			} {
				past, err := st.ViewAsOf(ctx, tc.at)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				p := past.Plan("history-test-2021")
				if (p == nil) != (tc.measures == nil) || p != nil && strings.Join(p.Measures, ",") != strings.Join(tc.measures, ",") {
					t.Errorf("%s: plan %+v, want measures %v", tc.name, p, tc.measures)
				}
				extra := 0 // the test plan, when it existed
				if tc.measures != nil {
					extra = 1
				}
				if len(past.Plans) != len(v.Plans)+extra {
					t.Errorf("%s: %d plans, want %d", tc.name, len(past.Plans), len(v.Plans)+extra)
				}
				srcs, err := st.SourcesAsOf(ctx, tc.at)
				if err != nil {
					t.Fatal(err)
				}
				found := ""
				for _, s := range srcs {
					if s.ID == "plan/history-test-2021" {
						found = string(s.Source)
					}
				}
				if want := map[int]string{0: "", 1: historyPlanV1, 2: historyPlanV2}[len(tc.measures)]; found != want {
					t.Errorf("%s: source as of then %q", tc.name, found)
				}
			}
			if m := mustAsOf(t, st, afterV2).Measure("history-test-chains"); m == nil || m.Title != "Build more chains" || m.Technologies[0].Basis != "inferred" {
				t.Errorf("a measure as of version 2: %+v", m)
			}
			// Now, as of now, is the current graph.
			now := mustAsOf(t, st, time.Now())
			var b strings.Builder
			for _, q := range ViewQuads(now) {
				b.WriteString(q.NQuad() + "\n")
			}
			cur, err := st.AllQuads(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var c strings.Builder
			for _, q := range cur {
				c.WriteString(q.NQuad() + "\n")
			}
			if b.String() != c.String() {
				t.Error("the graph as of now is not the current graph")
			}
		})
	}
}

func mustAsOf(t *testing.T, st *Store, at time.Time) *view.View {
	t.Helper()
	v, err := st.ViewAsOf(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
