package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// TestDeleteKeepsReferencesWhole: a plan other documents refer to is not
// deleted (issue 13: the companion kept listing a deleted plan), and a
// cascade stores the edited referrers in the same write.
func TestDeleteKeepsReferencesWhole(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, v := loadedCopy(t, b)
			before := export(t, st)
			// Fuzhou's companion plan refers to the measures document three
			// ways: the related entry, a measure supported by one of its
			// measures, and a mention count scoped to it. These are the three
			// errors validate reported after the delete went through.
			const measures = "plan/fuzhou-new-infrastructure-measures-2020"
			err := st.DeleteDocument(ctx, measures, "", nil)
			var re *ReferencedError
			if !errors.As(err, &re) {
				t.Fatalf("delete of a referenced plan: %v", err)
			}
			var got []string
			for _, r := range re.Referrers {
				got = append(got, fmt.Sprintf("%s %s %s %s %v", r.Document, r.Node, r.Predicate, r.Target, r.Relation))
			}
			want := []string{
				"plan/fuzhou-new-infrastructure-2020 measure/fuzhou-enterprise-support-claim " + string(schema.SupportedBy) + " measure/fuzhou-blockchain-enterprise-subsidy false",
				"plan/fuzhou-new-infrastructure-2020 mention/fuzhou-blockchain-mentions " + string(schema.ScopeDocument) + " " + measures + " false",
				"plan/fuzhou-new-infrastructure-2020 plan/fuzhou-new-infrastructure-2020 " + string(schema.CompanionOf) + " " + measures + " true",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("referrers:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if export(t, st) != before {
				t.Error("a refused delete changed the graph")
			}
			// A plan only related to another: the cascade stores it without
			// its related entry, and the other plan is gone, at once.
			src := "id: relates-to-blockchain\ncity: beijing\nissuer: beijing-government\ntitle: {en: Related}\n" +
				"related:\n  - {plan: beijing-blockchain-2020, relation: special-plan}\nsource: interchain-pulse-2020-06\n"
			if _, err := st.PutDocument(ctx, racePlanSource(t, v, "relates-to-blockchain", src), ""); err != nil {
				t.Fatal(err)
			}
			edited := strings.Replace(src, "related:\n  - {plan: beijing-blockchain-2020, relation: special-plan}\n", "", 1)
			cascade := func(refs []Referrer) ([]*schema.Document, error) {
				if len(refs) != 1 || string(refs[0].Source) != src || !refs[0].Relation {
					t.Errorf("cascade given %+v", refs)
				}
				return []*schema.Document{racePlanSource(t, v, "relates-to-blockchain", edited)}, nil
			}
			if err := st.DeleteDocument(ctx, "plan/beijing-blockchain-2020", "", cascade); err != nil {
				t.Fatal(err)
			}
			out := export(t, st)
			if strings.Contains(out, "plan/beijing-blockchain-2020>") {
				t.Error("the deleted plan is still named")
			}
			if !strings.Contains(out, "<https://policygraph.org/id/plan/relates-to-blockchain> <https://policygraph.org/ns#title>") {
				t.Error("the edited referrer is gone")
			}
			// A mention count scoped to a plan is no relation: a cascade
			// must refuse it, and the store stays as it was.
			err = st.DeleteDocument(ctx, "plan/beijing-new-infrastructure-2020", "", nil)
			if !errors.As(err, &re) {
				t.Fatalf("delete of a plan a count is scoped to: %v", err)
			}
			relations, others := 0, 0
			for _, r := range re.Referrers {
				if r.Relation {
					relations++
				} else {
					others++
				}
			}
			// Its special plan was deleted above: only the counts are left.
			if relations != 0 || others != 5 {
				t.Errorf("beijing's plan has %d relations and %d other referrers, want 0 and the 5 counts", relations, others)
			}
		})
	}
}

// TestDeletedStaysDeleted: a file's document deleted through the API is
// not brought back by the next load of the data directory (issue 13),
// until its file changes.
func TestDeletedStaysDeleted(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, _ := loadedCopy(t, b)
			const id = "plan/beijing-blockchain-2020"
			if err := st.DeleteDocument(ctx, id, "", nil); err != nil {
				t.Fatal(err)
			}
			// Another file changes, so the directory is loaded again.
			editFile(t, dir, "mentions/three-plan-totals.yaml", "count: 37", "count: 38")
			rep := apply(t, st, loadDir(t, dir))
			if len(rep.StillDeleted) != 1 || rep.StillDeleted[0] != id || len(rep.Added) != 0 {
				t.Errorf("reload after the delete: %+v", rep)
			}
			if strings.Contains(export(t, st), "beijing-blockchain-2020> <") {
				t.Error("the deleted plan came back")
			}
			// Its file changes: the file is the newer word now.
			path := filepath.Join(dir, "plans", "beijing-blockchain-2020.yaml")
			src, _ := os.ReadFile(path)
			if err := os.WriteFile(path, append(src, []byte("# edited after the delete\n")...), 0o644); err != nil {
				t.Fatal(err)
			}
			rep = apply(t, st, loadDir(t, dir))
			if len(rep.Added) != 1 || rep.Added[0] != id {
				t.Errorf("reload after the file changed: %+v", rep)
			}
			if m, ok, err := st.readDocMeta(ctx, schema.GraphIRI(id)); err != nil || !ok || m.deleted != "" {
				t.Errorf("after the file came back: %+v %v %v", m, ok, err)
			}
		})
	}
}

// TestAPIEditsOfFiles: a file's plan edited through the API is kept over
// its file until the file changes, then the file wins; edited and then
// deleted, it stays deleted until the file changes (the review found it
// came back, as its origin was the API's).
func TestAPIEditsOfFiles(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, v := loadedCopy(t, b)
			const id = "beijing-blockchain-2020"
			path := filepath.Join(dir, "plans", id+".yaml")
			src, _ := os.ReadFile(path)
			edited := string(src) + "# edited through the API\n"
			if _, err := st.PutDocument(ctx, racePlanSource(t, v, id, edited), ""); err != nil {
				t.Fatal(err)
			}
			editFile(t, dir, "mentions/three-plan-totals.yaml", "count: 37", "count: 38")
			if rep := apply(t, st, loadDir(t, dir)); len(rep.Kept) != 1 || rep.Kept[0] != "plan/"+id {
				t.Errorf("reload while the file is as it was: %+v", rep)
			}
			if err := st.DeleteDocument(ctx, "plan/"+id, "", nil); err != nil {
				t.Fatal(err)
			}
			editFile(t, dir, "mentions/three-plan-totals.yaml", "count: 38", "count: 39")
			if rep := apply(t, st, loadDir(t, dir)); len(rep.StillDeleted) != 1 || len(rep.Added) != 0 {
				t.Errorf("reload after the API edit and delete: %+v", rep)
			}
			// Recreated through the API, then its file changes: the file wins.
			if _, err := st.PutDocument(ctx, racePlanSource(t, v, id, edited), ""); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(src, []byte("# the file changed\n")...), 0o644); err != nil {
				t.Fatal(err)
			}
			rep := apply(t, st, loadDir(t, dir))
			if len(rep.Replaced) != 1 || rep.Replaced[0] != "plan/"+id {
				t.Errorf("reload after the file changed: %+v", rep)
			}
			if m := mustMeta(t, st, "plan/"+id); m.origin != schema.FromFile || m.fileVersion != "" {
				t.Errorf("after the file won: %+v", m)
			}
		})
	}
}

// TestNoLinkToADeletedPlan: a plan checked against a View from before a
// delete, as a writer in another process or a lagging View sees it, is
// refused if it links to the deleted plan (the review found it stored).
func TestNoLinkToADeletedPlan(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, before := loadedCopy(t, b)
			if err := st.DeleteDocument(ctx, "plan/beijing-blockchain-2020", "", nil); err != nil {
				t.Fatal(err)
			}
			src := "id: late-link\ncity: beijing\nissuer: beijing-government\ntitle: {en: Late}\n" +
				"related:\n  - {plan: beijing-blockchain-2020, relation: companion}\nsource: interchain-pulse-2020-06\n"
			_, err := st.PutDocument(ctx, racePlanSource(t, before, "late-link", src), "")
			var de *DanglingError
			if !errors.As(err, &de) || de.Node != "plan/beijing-blockchain-2020" || de.Document != "plan/late-link" {
				t.Errorf("a link to a deleted plan: %v", err)
			}
			if strings.Contains(export(t, st), "late-link") {
				t.Error("the plan was stored")
			}
		})
	}
}

// TestWriteChecksAgainstTheView: the checks a write makes under the write
// lock (an id another document defines, a link to a node none defines)
// refuse the same writes whether they read the store or, when the
// current View is of the store's version, that View. The documents are
// parsed against a View from before the write that makes them wrong, as
// a lagging writer's are, so only those checks can refuse them.
func TestWriteChecksAgainstTheView(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		for _, current := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/view-current=%v", b.name, current), func(t *testing.T) {
				st, _, before := loadedCopy(t, b)
				first := racePlan(t, before, "first-claim", "claimed-measure", "first")
				// Writes the View does not follow, unless refreshed after.
				duringBuild(st, func() {
					if _, err := st.PutDocument(ctx, first, ""); err != nil {
						t.Fatal(err)
					}
					if err := st.DeleteDocument(ctx, "plan/beijing-blockchain-2020", "", nil); err != nil {
						t.Fatal(err)
					}
				})
				if current {
					if _, err := st.Fresh(ctx); err != nil {
						t.Fatal(err)
					}
				}
				unlock, err := st.lockWrites(ctx)
				if err != nil {
					t.Fatal(err)
				}
				v, err := st.viewOfStore(ctx)
				unlock()
				if err != nil || (v != nil) != current {
					t.Fatalf("the View answers for the store: %v (%v), want %v", v != nil, err, current)
				}
				link := "id: late-link\ncity: beijing\nissuer: beijing-government\ntitle: {en: Late}\n" +
					"related:\n  - {plan: beijing-blockchain-2020, relation: companion}\nsource: interchain-pulse-2020-06\n"
				tests := []struct {
					name  string
					doc   *schema.Document
					check func(error) bool
				}{
					{"an id the first plan defines", racePlan(t, before, "second-claim", "claimed-measure", "second"), func(err error) bool {
						var ce *IDConflictError
						return errors.As(err, &ce) && ce.ID == "measure/claimed-measure" && ce.Owner == "plan/first-claim"
					}},
					{"a link to a deleted plan", racePlanSource(t, before, "late-link", link), func(err error) bool {
						var de *DanglingError
						return errors.As(err, &de) && de.Node == "plan/beijing-blockchain-2020" && de.Document == "plan/late-link"
					}},
					{"a plan with neither", racePlan(t, before, "third-plan", "own-measure", "third"), func(err error) bool { return err == nil }},
				}
				for _, tt := range tests {
					if _, err := st.PutDocument(ctx, tt.doc, ""); !tt.check(err) {
						t.Errorf("%s: %v", tt.name, err)
					}
				}
			})
		}
	}
}

// TestReplaceUnstampedDocument: a document stored before labels were
// stamped (its quads under its graph IRI) loses them when replaced, in
// the transaction that adds the new version's quads naming mostly the
// same nodes: on Cayley's key-value backends that is the transaction
// that loses added quads without pins. Every backend ends as memory does.
func TestReplaceUnstampedDocument(t *testing.T) {
	ctx := context.Background()
	var want string
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, v := loadedCopy(t, b)
			old := racePlan(t, v, "unstamped-plan", "unstamped-measure", "as first stored")
			tx := txOf(old.Quads)
			for _, q := range metaQuads(old, schema.GraphIRI(old.ID), "") {
				tx.AddQuad(q)
			}
			if err := st.bumpVersion(ctx, tx, nil); err != nil {
				t.Fatal(err)
			}
			if m := mustMeta(t, st, old.ID); m.label != schema.GraphIRI(old.ID) {
				t.Fatalf("stored under %s, want its graph IRI", m.label)
			}
			if _, err := st.PutDocument(ctx, racePlan(t, v, "unstamped-plan", "unstamped-measure", "replaced"), ""); err != nil {
				t.Fatal(err)
			}
			got := export(t, st)
			if strings.Contains(got, "as first stored") || !strings.Contains(got, "replaced") {
				t.Error("the export does not hold the replacement alone")
			}
			if want == "" {
				want = got
			} else if got != want {
				t.Errorf("the graph differs from the first backend's:\n%s", firstDiff(got, want))
			}
		})
	}
}
