package graph

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestCompact: nothing is removed unless asked; compaction keeps the
// newest versions and the current graph, and as_of before its horizon is
// refused rather than answered wrongly.
func TestCompact(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st, _, v := loadedCopy(t, b)
			const id = "plan/history-test-2021"
			var times []time.Time
			for _, src := range []string{historyPlanV1, historyPlanV2, historyPlanV1} {
				if _, err := st.PutDocument(ctx, racePlanSource(t, v, "history-test-2021", src), ""); err != nil {
					t.Fatal(err)
				}
				times = append(times, time.Now())
			}
			before := export(t, st)
			if rep, err := st.Compact(ctx, Retention{}, time.Now(), false); err != nil || rep.Versions != 0 {
				t.Fatalf("the default retention removed %+v, %v", rep, err)
			}
			dry, err := st.Compact(ctx, Retention{Versions: 2}, time.Now(), true)
			if err != nil || dry.Versions != 1 || dry.Documents != 1 {
				t.Fatalf("dry run: %+v %v", dry, err)
			}
			if h, _ := st.History(ctx, id); len(h) != 3 {
				t.Fatalf("a dry run removed versions: %d left", len(h))
			}
			rep, err := st.Compact(ctx, Retention{Versions: 2}, time.Now(), false)
			if err != nil || rep.Versions != 1 || rep.Quads == 0 || rep.Until.After(times[1]) || rep.Until.Before(times[0]) {
				t.Fatalf("compact: %+v %v", rep, err)
			}
			h, err := st.History(ctx, id)
			if err != nil || len(h) != 2 || h[0].Number != 2 || h[1].Number != 3 {
				t.Fatalf("history after compaction: %+v %v", h, err)
			}
			if export(t, st) != before {
				t.Error("compaction changed the current graph")
			}
			var bh *BeforeHistoryError
			if _, err := st.ViewAsOf(ctx, times[0]); !errors.As(err, &bh) || !bh.Compacted || !strings.Contains(err.Error(), "compacted away") {
				t.Errorf("as of a compacted time: %v", err)
			}
			if p := mustAsOf(t, st, times[1]).Plan("history-test-2021"); p == nil || len(p.Measures) != 2 {
				t.Errorf("as of version 2, after compaction: %+v", p)
			}
			// The next write goes on numbering.
			if _, err := st.PutDocument(ctx, racePlanSource(t, v, "history-test-2021", historyPlanV2), ""); err != nil {
				t.Fatal(err)
			}
			if h, _ := st.History(ctx, id); h[len(h)-1].Number != 4 {
				t.Errorf("numbering after compaction: %+v", h)
			}
		})
	}
}
