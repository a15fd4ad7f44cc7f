package graph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// TestPatchFromChangeLog: a store that sees versions written elsewhere (on
// PostgreSQL a second store over the same database, elsewhere the writer
// itself without the write in hand) learns what changed from the change
// log when every write since its View left a record, and from every
// document's label when one did not (a write by older code, a record
// pruned); either way its View is patched to the store's version and is
// the View a build makes.
func TestPatchFromChangeLog(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			cfg := b.open(t)
			st := openStore(t, cfg)
			dir := copyTree(t, dataDir)
			apply(t, st, loadDir(t, dir))
			reader := st
			if b.name == "postgres" {
				// It learns of the writes when it is asked, not as they land.
				reader = deaf(openStore(t, cfg))
			}
			v, err := reader.View(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			// edit writes a new version of plan name through st.
			edit := func(name string) {
				t.Helper()
				n++
				src, err := os.ReadFile(filepath.Join(dir, "plans", name+".yaml"))
				if err != nil {
					t.Fatal(err)
				}
				src = []byte(strings.Replace(string(src), "\ntitle:\n", fmt.Sprintf("\ntitle:\n  zh-Hant: 修訂 %d\n", n), 1))
				d, err := loader.ParsePlan("api", src, name, viewCatalog{v, "plan/" + name})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.PutDocument(ctx, d, ""); err != nil {
					t.Fatal(err)
				}
			}
			fuzhou, shanghai, beijing := "fuzhou-new-infrastructure-2020", "shanghai-new-infrastructure-2020", "beijing-new-infrastructure-2020"
			loose := unreferencedPlan(t, st)
			steps := []struct {
				name  string
				write func()
				// fromLog: the changes are read from the log, not from
				// every document's label.
				fromLog bool
			}{
				{"two writes between checks", func() { edit(fuzhou); edit(shanghai) }, true},
				{"a plan written twice between checks", func() { edit(fuzhou); edit(beijing); edit(fuzhou) }, true},
				{"a delete", func() {
					if err := st.DeleteDocument(ctx, "plan/"+loose, "", nil); err != nil {
						t.Fatal(err)
					}
				}, true},
				{"written again, and another plan", func() { edit(loose); edit(shanghai) }, true},
				{"deleted and written again between checks", func() {
					if err := st.DeleteDocument(ctx, "plan/"+loose, "", nil); err != nil {
						t.Fatal(err)
					}
					edit(loose)
				}, true},
				{"a write by older code, which keeps no log", func() {
					edit(beijing)
					forgetChange(t, st)
				}, false},
				{"a write by older code between two of ours", func() {
					edit(fuzhou)
					edit(shanghai)
					forgetChange(t, st)
					edit(beijing)
				}, false},
				{"the log again after it", func() { edit(fuzhou) }, true},
				{"a record pruned", func() {
					st.changes.keep = 2
					edit(fuzhou)
					edit(shanghai)
					edit(beijing)
				}, false},
			}
			for _, s := range steps {
				patched, fromLog, fromLabels := reader.views.patched.Load(), reader.changes.fromLog.Load(), reader.changes.fromLabels.Load()
				// Not patched beside the writes: the reader learns of them.
				duringBuild(st, s.write)
				want, err := st.version(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if v, err = reader.Fresh(ctx); err != nil {
					t.Fatal(err)
				}
				if v.Version != want {
					t.Fatalf("%s: the View is of version %s, the store's %s", s.name, v.Version, want)
				}
				if reader.views.patched.Load() != patched+1 {
					t.Fatalf("%s: the View was built, not patched", s.name)
				}
				gotLog, gotLabels := reader.changes.fromLog.Load()-fromLog, reader.changes.fromLabels.Load()-fromLabels
				if s.fromLog && (gotLog != 1 || gotLabels != 0) || !s.fromLog && (gotLog != 0 || gotLabels != 1) {
					t.Fatalf("%s: changes read from the log %d times, from the labels %d times", s.name, gotLog, gotLabels)
				}
				compareRebuilt(t, s.name, reader, v)
			}
			// Pruned to the last two records, with nothing left of the others.
			recs, err := st.changeRecords(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 {
				t.Errorf("%d change records kept, want 2", len(recs))
			}
			all, err := st.quadsWith(ctx, quad.Label, schema.ChangeGraph)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range all {
				if rec, _ := q.Subject.(quad.IRI); q.Subject != schema.ChangeGraph && !slices.Contains(recs, rec) {
					t.Errorf("a pruned record is left: %v", q)
				}
			}
		})
	}
}

// TestUntoldChangeIsBuilt: after a write whose record does not list its
// changes (an import here), a View is built from every quad, not patched.
func TestUntoldChangeIsBuilt(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, v := loadedCopy(t, b)
			src := `<https://policygraph.org/id/city/imported> <https://policygraph.org/ns#name> "imported" <https://policygraph.org/graph/imported> .` + "\n"
			if _, err := st.ImportNQuads(ctx, strings.NewReader(src)); err != nil {
				t.Fatal(err)
			}
			ver, err := st.version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, answer, err := st.changesSince(ctx, v.Version, ver); err != nil || answer != logUntold {
				t.Fatalf("the log answers %d (%v) for an import", answer, err)
			}
			patched := st.views.patched.Load()
			got, err := st.Fresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.views.patched.Load() != patched {
				t.Error("patched after an import")
			}
			if got.Quads() != v.Quads()+1 {
				t.Errorf("the View has %d quads, %d before the import of one", got.Quads(), v.Quads())
			}
		})
	}
}

// forgetChange removes the change record of st's current version, as if
// a process that keeps no log had written it.
func forgetChange(t *testing.T, st *Store) {
	t.Helper()
	ctx := context.Background()
	ver, err := st.version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec := schema.ChangeIRI(ver)
	qs, err := st.subjectQuads(ctx, rec)
	if err != nil || len(qs) == 0 {
		t.Fatalf("no change record of %s (%v)", ver, err)
	}
	tx := graph.NewTransaction()
	for _, q := range qs {
		tx.RemoveQuad(q)
	}
	tx.RemoveQuad(changeQuad(schema.ChangeGraph, schema.ChangeRecord, rec))
	if err := st.apply(tx); err != nil {
		t.Fatal(err)
	}
}

// unreferencedPlan is a plan of the fixture no other document refers to.
func unreferencedPlan(t *testing.T, st *Store) string {
	t.Helper()
	for _, name := range []string{"shaoxing-new-infrastructure-2020", "beijing-blockchain-2020", "fuzhou-new-infrastructure-measures-2020"} {
		refs, err := st.referrers(context.Background(), "plan/"+name, mustMeta(t, st, "plan/"+name))
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) == 0 {
			return name
		}
	}
	t.Fatal("every plan is referred to")
	return ""
}
