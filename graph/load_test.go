package graph

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/loader"
)

// latePlan sorts after every plan of the fixture and relates to a plan no
// file defines: a streaming load finds that only once it has written
// every other document.
var latePlan = func() string {
	b, err := os.ReadFile("../testdata/late-plan.yaml")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// storeState is everything a failed load must leave as it was: the graph
// readers see, every quad the backend holds (visible or not), the
// version stamp, the recorded dataset and one document's history.
type storeState struct {
	export, version, dataset string
	raw, versions            int
}

func stateOf(t *testing.T, st *Store) storeState {
	t.Helper()
	ctx := context.Background()
	version, err := st.version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dataset, err := st.DatasetHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.History(ctx, "plan/beijing-new-infrastructure-2020")
	if err != nil {
		t.Fatal(err)
	}
	return storeState{export: export(t, st), version: version, dataset: dataset, raw: rawQuads(t, st), versions: len(h)}
}

func (a storeState) differs(b storeState) string {
	switch {
	case a.export != b.export:
		return "the graph readers see:\n" + firstDiff(a.export, b.export)
	case a.raw != b.raw:
		return "the quads stored, visible or not"
	case a.version != b.version:
		return "the version stamp"
	case a.dataset != b.dataset:
		return "the recorded dataset"
	case a.versions != b.versions:
		return "the history"
	}
	return ""
}

// changedData is a copy of the fixture where one plan is edited, one is
// gone and one is new: a load of it replaces, removes and adds.
func changedData(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := copyTree(t, dataDir)
	editFile(t, dir, "plans/beijing-new-infrastructure-2020.yaml", "Beijing", "Beijing (streamed)")
	if err := os.Remove(filepath.Join(dir, "plans", "shaoxing-new-infrastructure-2020.yaml")); err != nil {
		t.Fatal(err)
	}
	extra["plans/zzz-new-plan.yaml"] = strings.NewReplacer("zzz-late-plan", "zzz-new-plan", "zzz-late-measure", "zzz-new-measure",
		"  - {plan: no-such-plan, relation: companion}", "  - {plan: beijing-new-infrastructure-2020, relation: companion}").Replace(latePlan)
	for rel, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// streamInto loads dir into st as policygraph load does: each document
// written as it is checked, all made visible by Commit.
func streamInto(ctx context.Context, st *Store, dir string, progress func(int)) (ApplyReport, error) {
	l, err := st.BeginLoad(ctx, progress)
	if err != nil {
		return ApplyReport{}, err
	}
	defer l.Abort()
	ds, err := loader.Stream(dir, l.Put)
	if err != nil {
		return ApplyReport{}, err
	}
	return l.Commit(ds.Hash)
}

// TestFailedLoadChangesNothing: a load that fails after it has written
// documents — at a reference only its last file shows to be wrong, or when
// its switch fails, or cut short without a commit — leaves the store
// exactly as it was, and a good load after it is stored whole.
func TestFailedLoadChangesNothing(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, _ := loadedCopy(t, b)
			st.loadBatch = 100 // every document a batch of its own
			before := stateOf(t, st)
			failures := []struct {
				name string
				load func() error
			}{
				{"a reference only the last file shows is wrong", func() error {
					dir := changedData(t, map[string]string{"plans/zzz-late-plan.yaml": latePlan})
					written := 0
					_, err := streamInto(ctx, st, dir, func(n int) { written = n })
					if written == 0 {
						t.Error("the load wrote nothing before it failed: the test shows nothing")
					}
					var verrs loader.Errors
					if !errors.As(err, &verrs) || len(verrs) != 1 || !strings.Contains(verrs[0].Error(), `unknown plan "no-such-plan"`) {
						t.Errorf("error %v, want the late plan's reference", err)
					}
					return err
				}},
				{"the switch fails", func() error {
					st.failApply = failSwitch
					defer func() { st.failApply = nil }()
					_, err := streamInto(ctx, st, changedData(t, map[string]string{}), nil)
					if !errors.Is(err, errInjected) {
						t.Errorf("error %v, want the injected one", err)
					}
					return err
				}},
				{"the context ends before the commit", func() error {
					cut, cancel := context.WithCancel(ctx)
					l, err := st.BeginLoad(cut, nil)
					if err != nil {
						t.Fatal(err)
					}
					defer l.Abort()
					ds, err := loader.Stream(changedData(t, map[string]string{}), l.Put)
					if err != nil {
						t.Fatal(err)
					}
					cancel()
					_, err = l.Commit(ds.Hash)
					return err
				}},
			}
			for _, f := range failures {
				if err := f.load(); err == nil {
					t.Fatalf("%s: the load succeeded", f.name)
				}
				if d := before.differs(stateOf(t, st)); d != "" {
					t.Errorf("%s: the failed load changed %s", f.name, d)
				}
			}
			if b.name != "memory" {
				// Killed mid-load: written, never committed nor aborted.
				l, err := st.BeginLoad(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := loader.Stream(changedData(t, map[string]string{}), l.Put); err != nil {
					t.Fatal(err)
				}
				cfg := Config{Backend: st.backend, Path: st.path}
				// What a killed process's end does: its PostgreSQL session,
				// and the write lock with it, goes.
				l.unlock()
				st.Close()
				st = openStore(t, cfg)
				st.loadBatch = 100
				if d := before.differs(stateOf(t, st)); d == "" || !strings.HasPrefix(d, "the quads stored") {
					t.Fatalf("a load cut short: want only invisible quads left, got a change of %q", d)
				}
				rep, err := st.Repair(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Writes) != 1 {
					t.Errorf("Repair removed %d writes (%s), want the one batch the load wrote (the changed plan; the new one was still in memory)", len(rep.Writes), rep)
				}
				before.version = "" // Repair writes a new stamp
				after := stateOf(t, st)
				after.version = ""
				if d := before.differs(after); d != "" {
					t.Errorf("after Repair of a load cut short, the store differs in %s", d)
				}
			}
			// A good load after the failures: stored whole, as on a store that never failed.
			dir := changedData(t, map[string]string{})
			rep, err := streamInto(ctx, st, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Replaced) != 1 || len(rep.Added) != 1 || len(rep.Removed) != 1 || len(rep.Unchanged) != 11 {
				t.Errorf("report %+v, want one replaced, added and removed, 11 unchanged", rep)
			}
			clean := openStore(t, Config{Backend: "memory"})
			apply(t, clean, loadDir(t, dir))
			if got, want := export(t, st), export(t, clean); got != want {
				t.Errorf("after failed loads the graph differs from a clean store's:\n%s", firstDiff(got, want))
			}
			src, ok, err := st.DocumentSource(ctx, "plan/zzz-new-plan")
			if err != nil || !ok || !strings.Contains(string(src.Source), "id: zzz-new-plan") {
				t.Errorf("source of the new plan: %v %v %q", ok, err, src.Source)
			}
			h, err := st.History(ctx, "plan/beijing-new-infrastructure-2020")
			if err != nil || len(h) != before.versions+1 {
				t.Errorf("history of the replaced plan: %d versions (%v), want %d", len(h), err, before.versions+1)
			}
		})
	}
}
