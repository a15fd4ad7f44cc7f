package graph

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

const historyPlanV1 = `id: history-test-2021
city: beijing
issuer: beijing-government
title: {en: History test}
published: 2021-03-01
source: interchain-pulse-2020-06
measures:
  - id: history-test-chains
    kind: action
    title: Build chains
    technologies:
      - {id: blockchain, basis: explicit}
    domains: [finance]
    evidence: {section: test, summary: A test measure.}
`

// The second version: a date, a title and a basis changed, a domain and
// a measure added.
var historyPlanV2 = strings.NewReplacer(
	"published: 2021-03-01", "published: 2021-04-02",
	"title: Build chains", "title: Build more chains",
	"basis: explicit", "basis: inferred",
	"domains: [finance]", "domains: [finance, government]",
).Replace(historyPlanV1) + `  - id: history-test-ledgers
    kind: action
    title: Keep ledgers
    domains: [finance]
    evidence: {section: test, summary: Another.}
`

// TestHistoryKeepsEveryVersion: every write records who, when, why and
// what it did, keeps the quads it replaced, and no reader of the current
// graph (View, export, Repair's sweep) sees or removes the old ones.
func TestHistoryKeepsEveryVersion(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st, _, v := loadedCopy(t, b)
			loaded, err := st.History(ctx, "plan/beijing-blockchain-2020")
			if err != nil || len(loaded) != 1 || loaded[0].Who != schema.WriterFiles || loaded[0].Action != schema.ActionCreate || loaded[0].Time.IsZero() {
				t.Fatalf("history of a loaded plan: %+v %v", loaded, err)
			}
			const id = "plan/history-test-2021"
			write := func(who, msg, src string) {
				t.Helper()
				c := WithChange(ctx, Change{Who: who, Message: msg})
				if _, err := st.PutDocument(c, racePlanSource(t, v, "history-test-2021", src), ""); err != nil {
					t.Fatal(err)
				}
			}
			write("alice", "first draft", historyPlanV1)
			write("bob", "", historyPlanV2)
			if err := st.DeleteDocument(WithChange(ctx, Change{Who: "carol", Message: "withdrawn"}), id, "", nil); err != nil {
				t.Fatal(err)
			}
			hist, err := st.History(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, h := range hist {
				got = append(got, strings.Join([]string{h.Who, h.Action, h.Message}, "|"))
				if h.Number != i+1 || h.Time.IsZero() || i > 0 && h.Time.Before(hist[i-1].Time) {
					t.Errorf("version %d: number %d at %v", i+1, h.Number, h.Time)
				}
			}
			want := []string{"alice|create|first draft", "bob|replace|", "carol|delete|withdrawn"}
			if !slices.Equal(got, want) {
				t.Fatalf("history %q, want %q", got, want)
			}

			fresh, err := st.Fresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if fresh.Plan("history-test-2021") != nil || fresh.Measure("history-test-chains") != nil {
				t.Error("the View shows a deleted plan's kept versions")
			}
			if strings.Contains(export(t, st), "history-test") {
				t.Error("the export shows kept versions")
			}
			if _, err := st.Repair(ctx); err != nil {
				t.Fatal(err)
			}
			invisible, err := st.invisibleLabels(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hist {
				if slices.Contains(invisible, h.label) {
					t.Errorf("a sweep would remove version %d", h.Number)
				}
			}
			q1, err := st.VersionQuads(ctx, id, hist[0])
			if err != nil || len(q1) == 0 {
				t.Fatalf("version 1 after Repair: %d quads, %v", len(q1), err)
			}

			d, err := st.DiffPlan(ctx, id, hist[0], hist[1])
			if err != nil {
				t.Fatal(err)
			}
			js, _ := json.Marshal(d)
			wantJS := `{"fields":[{"field":"published","from":"2021-03-01","to":"2021-04-02"}],` +
				`"measures":{"added":["history-test-ledgers"],"removed":[],"changed":[{"measure":"history-test-chains","fields":[{"field":"title","from":"Build chains","to":"Build more chains"}]}]},` +
				`"links":{"added":[{"measure":"history-test-chains","domain":"government"},{"measure":"history-test-ledgers","domain":"finance"}],"removed":[],` +
				`"changed":[{"measure":"history-test-chains","technology":"blockchain","from":"explicit","to":"inferred"}]},"counts":[]}`
			if string(js) != wantJS {
				t.Errorf("diff 1→2:\n%s\nwant\n%s", js, wantJS)
			}
			d, err = st.DiffPlan(ctx, id, hist[1], hist[2])
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Measures.Removed) != 2 || len(d.Links.Removed) != 4 || len(d.Measures.Added) != 0 {
				t.Errorf("diff to the delete: %+v", d)
			}
		})
	}
}
