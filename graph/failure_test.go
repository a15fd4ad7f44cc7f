package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/cayley/graph"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// racePlan is a small plan document of its own id that defines measure.
func racePlan(t testing.TB, v *view.View, id, measure, title string) *schema.Document {
	t.Helper()
	src := fmt.Sprintf(`id: %s
city: fuzhou
issuer: fuzhou-government
title: {zh: 测试计划, en: %q}
source: interchain-pulse-2020-06
evidence: {section: fuzhou, summary: A plan written by a test.}
measures:
  - id: %s
    kind: action
    title: %q
    technologies:
      - {id: blockchain, basis: explicit}
    evidence: {section: fuzhou, summary: A measure written by a test.}
`, id, title, measure, title)
	return racePlanSource(t, v, id, src)
}

// editedPlan is the shipped plan id with its first "count: 8" made n.
func editedPlan(t testing.TB, dir string, v *view.View, id string, n int) *schema.Document {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "plans", id+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loader.ParsePlan("test", []byte(strings.Replace(string(src), "Beijing", fmt.Sprintf("Beijing (edit %d)", n), 1)), id, viewCatalog{v, "plan/" + id})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// rawQuads counts every quad the backend lists whose parts resolve but
// the change log's, visible or not.
func rawQuads(t *testing.T, st *Store) int {
	t.Helper()
	st.rlock()
	defer st.runlock()
	qs, err := st.quadsOf(context.Background(), st.qs.QuadsAllIterator())
	if err != nil {
		t.Fatal(err)
	}
	// Not the change log: every version stamp comes with a record of its
	// own, in the same transaction, so a write that failed left none, and
	// one that went through (a Repair's) adds one.
	n := 0
	for _, q := range qs {
		if q.Label != schema.ChangeGraph {
			n++
		}
	}
	return n
}

var errInjected = errors.New("injected failure")

// failSwitch fails the last transaction of a write: the one that changes
// the version stamp.
func failSwitch(tx *graph.Transaction) error {
	for _, d := range tx.Deltas {
		if d.Quad.Predicate == schema.Version {
			return errInjected
		}
	}
	return nil
}

// TestFailedWriteThenWrite is the failed-write-then-write sequence of
// issue 17: a write that fails part way leaves nothing behind, and every
// write after it is stored whole — the graph ends exactly as a store that
// never saw the failures. On bolt a failed write used to leave Cayley's
// node-id cache pointing at rolled-back nodes, and the next writes were
// stored pointing at the wrong ones.
func TestFailedWriteThenWrite(t *testing.T) {
	ctx := context.Background()
	const id = "beijing-new-infrastructure-2020"
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, v := loadedCopy(t, b)
			clean, _, _ := loadedCopy(t, backend{"memory", func(*testing.T) Config { return Config{Backend: "memory"} }})
			before, raw := export(t, st), rawQuads(t, st)

			failures := []struct {
				name  string
				write func() error
			}{
				{"the switch of a replacement fails", func() error {
					st.failApply = failSwitch
					defer func() { st.failApply = nil }()
					_, err := st.PutDocument(ctx, editedPlan(t, dir, v, id, 1), "")
					return err
				}},
				{"the switch of a replacement panics", func() (err error) {
					// As a bug in a backend would: the server's recovery
					// answers 500, and the store must serve the writes after.
					st.failApply = func(tx *graph.Transaction) error {
						if failSwitch(tx) != nil {
							panic("injected")
						}
						return nil
					}
					defer func() {
						st.failApply = nil
						if r := recover(); r != nil {
							err = fmt.Errorf("panic: %v", r)
						}
						if !st.views.build.TryLock() {
							t.Fatal("the build lock is still held after the write panicked")
						}
						st.views.build.Unlock()
					}()
					_, err = st.PutDocument(ctx, editedPlan(t, dir, v, id, 1), "")
					return err
				}},
				{"the switch of a new document fails", func() error {
					st.failApply = failSwitch
					defer func() { st.failApply = nil }()
					_, err := st.PutDocument(ctx, racePlan(t, v, "failed-new-plan", "failed-new-measure", "never stored"), "")
					return err
				}},
				{"the backend refuses a value part way through", func() error {
					// Past checkText, as a backend failure of any kind would be:
					// memory keeps such text, bolt and PostgreSQL fail on it.
					d := editedPlan(t, dir, v, id, 2)
					d.Source = append([]byte("# \xb1\xb1\xbe\xa9\n"), d.Source...)
					old, _, err := st.readDocMeta(ctx, schema.GraphIRI(d.ID))
					if err != nil {
						t.Fatal(err)
					}
					unlock, err := st.lockWrites(ctx)
					if err != nil {
						t.Fatal(err)
					}
					defer unlock()
					_, _, err = st.replace(ctx, d, old)
					if err == nil && b.name == "memory" {
						// Nothing failed: undo it the ordinary way.
						_, _, err = st.replace(ctx, editedPlan(t, dir, v, id, 0), mustMeta(t, st, d.ID))
						if err != nil {
							t.Fatal(err)
						}
						return errInjected
					}
					return err
				}},
			}
			for _, f := range failures {
				// Of the store's version, so a write patches it beside its
				// transaction (see patchAhead) and must then drop the patch.
				current, err := st.viewOfStore(ctx)
				if err != nil || current == nil {
					t.Fatalf("%s: no View of the store's version before it (%v)", f.name, err)
				}
				if err := f.write(); err == nil {
					t.Fatalf("%s: the write succeeded", f.name)
				}
				if b.name == "memory" && f.name == "the backend refuses a value part way through" {
					continue // a real replacement and its undoing ran instead
				}
				if got := export(t, st); got != before {
					t.Errorf("%s: the graph changed", f.name)
				}
				if st.views.current.Load() != current {
					t.Errorf("%s: the View changed", f.name)
				}
				if got := rawQuads(t, st); got != raw {
					t.Errorf("%s: %d quads in the store, %d before: the failed write left some behind", f.name, got, raw)
				}
			}
			// The writes after the failures, on this store and on a clean one.
			for i, w := range []func(*Store) error{
				func(s *Store) error { _, err := s.PutDocument(ctx, editedPlan(t, dir, v, id, 3), ""); return err },
				func(s *Store) error {
					_, err := s.PutDocument(ctx, editedPlan(t, dir, v, "shanghai-new-infrastructure-2020", 4), "")
					return err
				},
				func(s *Store) error {
					_, err := s.PutDocument(ctx, racePlan(t, v, "after-failure-plan", "after-failure-measure", "stored whole"), "")
					return err
				},
				func(s *Store) error { return s.DeleteDocument(ctx, "plan/after-failure-plan", "", nil) },
			} {
				if err := w(st); err != nil {
					t.Fatalf("write %d after the failures: %v", i, err)
				}
				if err := w(clean); err != nil {
					t.Fatalf("write %d on the clean store: %v", i, err)
				}
			}
			if got, want := export(t, st), export(t, clean); got != want {
				t.Errorf("after failed writes the graph differs from a store that never failed:\n%s", firstDiff(got, want))
			}
			// And so it stays once the store is opened again.
			if b.name != "memory" {
				cfg := Config{Backend: st.backend, Path: st.path}
				st.Close()
				again := openStore(t, cfg)
				if got, want := export(t, again), export(t, clean); got != want {
					t.Errorf("after reopening the graph differs:\n%s", firstDiff(got, want))
				}
			}
		})
	}
}

func mustMeta(t *testing.T, st *Store, id string) docMeta {
	t.Helper()
	m, ok, err := st.readDocMeta(context.Background(), schema.GraphIRI(id))
	if err != nil || !ok {
		t.Fatalf("meta of %s: %v %v", id, ok, err)
	}
	return m
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(al), len(bl))
}

// TestNotUTF8IsRefused: text the store cannot keep is refused before
// anything is written.
func TestNotUTF8IsRefused(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, v := loadedCopy(t, b)
			before := export(t, st)
			d := editedPlan(t, dir, v, "beijing-new-infrastructure-2020", 1)
			d.Source = append([]byte("# \xb1\xb1\n"), d.Source...)
			if _, err := st.PutDocument(ctx, d, ""); !errors.Is(err, ErrNotUTF8) || !strings.Contains(err.Error(), "byte 2") {
				t.Errorf("PutDocument: %v, want ErrNotUTF8 at byte 2", err)
			}
			if export(t, st) != before {
				t.Error("the graph changed")
			}
		})
	}
}

// TestIDsAreUniqueUnderRace: of plans racing to define one measure id,
// exactly one is stored; the others get an IDConflictError. Over
// PostgreSQL the writers are two stores on one schema, as two servers are.
func TestIDsAreUniqueUnderRace(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, v := loadedCopy(t, b)
			stores := []*Store{st}
			if b.name == "postgres" {
				stores = append(stores, openStore(t, Config{Backend: st.backend, Path: st.path}))
			}
			for round := range 5 {
				const writers = 6
				var wg sync.WaitGroup
				errs := make([]error, writers)
				for w := range writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						d := racePlan(t, v, fmt.Sprintf("race-%d-%d", round, w), fmt.Sprintf("contested-%d", round), "racer")
						_, errs[w] = stores[w%len(stores)].PutDocument(ctx, d, "")
					}()
				}
				wg.Wait()
				won := 0
				for _, err := range errs {
					var ce *IDConflictError
					switch {
					case err == nil:
						won++
					case errors.As(err, &ce):
						if ce.ID != fmt.Sprintf("measure/contested-%d", round) {
							t.Errorf("conflict on %q", ce.ID)
						}
					default:
						t.Errorf("round %d: %v", round, err)
					}
				}
				if won != 1 {
					t.Errorf("round %d: %d writers stored measure contested-%d, want 1", round, won, round)
				}
			}
		})
	}
}

// racePlanSource is plan id parsed from src against v.
func racePlanSource(t testing.TB, v *view.View, id, src string) *schema.Document {
	t.Helper()
	doc, err := loader.ParsePlan("test", []byte(src), id, viewCatalog{v, "plan/" + id})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
