package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph/graphtest"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// backend opens a fresh, empty store of one kind for a test.
type backend struct {
	name string
	open func(t *testing.T) Config
}

// backends are the stores every store-level test runs against: memory and
// bolt always, PostgreSQL when POLICYGRAPH_TEST_POSTGRES holds a DSN.
func backends(t *testing.T) []backend {
	bs := []backend{
		{"memory", func(t *testing.T) Config { return Config{Backend: "memory"} }},
		{"bolt", func(t *testing.T) Config {
			return Config{Backend: "bolt", Path: filepath.Join(t.TempDir(), "pg.db")}
		}},
	}
	if dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES"); dsn != "" {
		bs = append(bs, backend{"postgres", func(t *testing.T) Config { return Config{Backend: "postgres", Path: graphtest.PostgresSchema(t, dsn)} }})
	}
	return bs
}

func openStore(t *testing.T, cfg Config) *Store {
	t.Helper()
	st, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func loadDir(t *testing.T, dir string) *loader.Dataset {
	t.Helper()
	ds, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func apply(t *testing.T, st *Store, ds *loader.Dataset) ApplyReport {
	t.Helper()
	rep, err := st.Apply(context.Background(), ds.Hash, ds.Graphs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func export(t *testing.T, st *Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := st.Export(context.Background(), &b, NQuads); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// loadedCopy opens a new store of b, loads a copy of the real data
// directory that the test may change, and returns the store, the copy and
// the store's View.
func loadedCopy(t *testing.T, b backend) (*Store, string, *view.View) {
	t.Helper()
	st := openStore(t, b.open(t))
	dir := copyTree(t, dataDir)
	apply(t, st, loadDir(t, dir))
	v, err := st.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st, dir, v
}

// copyTree copies a data directory so a test may change it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// dataDir is the frozen copy of the dataset the behaviour tests use, so
// that adding a plan to data/ breaks none of them; liveDataDir is data/
// itself, which only the golden export pins.
const (
	dataDir     = "../testdata/data"
	liveDataDir = "../data"
)

// editFile replaces old with new in file rel of the data copy dir.
func editFile(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), old) {
		t.Fatalf("%s has no %q", rel, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(src), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Run("load is idempotent", func(t *testing.T) {
				st := openStore(t, b.open(t))
				ds := loadDir(t, dataDir)
				rep := apply(t, st, ds)
				if len(rep.Added) != len(ds.Graphs) || rep.QuadsAdded != ds.Quads() {
					t.Fatalf("first load: %+v; want %d graphs, %d quads added", rep, len(ds.Graphs), ds.Quads())
				}
				first := export(t, st)
				if got := strings.Count(first, "\n"); got != ds.Quads() {
					t.Errorf("export has %d quads, dataset %d", got, ds.Quads())
				}
				rep = apply(t, st, loadDir(t, dataDir))
				if rep.Changed() || len(rep.Unchanged) != len(ds.Graphs) {
					t.Errorf("second load changed something: %+v", rep)
				}
				if second := export(t, st); second != first {
					t.Errorf("second load changed the graph")
				}
				h, err := st.DatasetHash(ctx)
				if err != nil || h != ds.Hash {
					t.Errorf("dataset hash %q, %v; want %q", h, err, ds.Hash)
				}
			})
			t.Run("changed data replaces what changed", func(t *testing.T) {
				st := openStore(t, b.open(t))
				dir := copyTree(t, dataDir)
				apply(t, st, loadDir(t, dir))
				p := filepath.Join(dir, "plans", "beijing-new-infrastructure-2020.yaml")
				src, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				changed := strings.Replace(string(src), "count: 8", "count: 9", 1)
				if changed == string(src) {
					t.Fatal("the Beijing plan has no 'count: 8' to change")
				}
				if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
					t.Fatal(err)
				}
				ds := loadDir(t, dir)
				rep := apply(t, st, ds)
				if len(rep.Replaced) != 1 || rep.Replaced[0] != "plan/beijing-new-infrastructure-2020" || len(rep.Unchanged) != len(ds.Graphs)-1 {
					t.Errorf("report %+v; want one plan replaced, the rest unchanged", rep)
				}
				out := export(t, st)
				if !strings.Contains(out, `"9"^^<http://www.w3.org/2001/XMLSchema#integer>`) || strings.Contains(out, `"8"^^<http://www.w3.org/2001/XMLSchema#integer>`) {
					t.Errorf("export does not hold exactly the new count")
				}
				fresh := openStore(t, b.open(t))
				apply(t, fresh, ds)
				if export(t, fresh) != out {
					t.Errorf("replacing in place differs from loading the changed data afresh")
				}
				// And back: a document may return to a content it had before.
				if err := os.WriteFile(p, src, 0o644); err != nil {
					t.Fatal(err)
				}
				apply(t, st, loadDir(t, dir))
				if back := export(t, st); back != export(t, func() *Store { f := openStore(t, b.open(t)); apply(t, f, loadDir(t, dir)); return f }()) {
					t.Errorf("returning to an earlier content differs from loading it afresh")
				}
				rep = apply(t, st, loadDir(t, dir))
				if rep.Changed() {
					t.Errorf("a reload of unchanged data changed %+v", rep)
				}
				if err := os.Remove(filepath.Join(dir, "mentions", "three-plan-totals.yaml")); err != nil {
					t.Fatal(err)
				}
				rep = apply(t, st, loadDir(t, dir))
				if len(rep.Removed) != 1 || rep.Removed[0] != "mentions/three-plan-totals" {
					t.Errorf("report %+v; want the totals graph removed", rep)
				}
				if strings.Contains(export(t, st), "graph/mentions/three-plan-totals") {
					t.Errorf("quads of a removed file remain")
				}
			})
			t.Run("view answers from the store", func(t *testing.T) {
				st := openStore(t, b.open(t))
				apply(t, st, loadDir(t, dataDir))
				v, err := st.View(ctx)
				if err != nil {
					t.Fatal(err)
				}
				rows := v.CitiesWith(view.MeasureFilter{Technology: "blockchain", Domain: "finance"})
				got := map[string]schema.Basis{}
				for _, r := range rows {
					got[r.City] = r.Basis
				}
				// Fuzhou's plan names finance; Shanghai's data port is the article's inference.
				if got["fuzhou"] != schema.Explicit || got["shanghai"] != schema.Inferred || len(got) != 2 {
					t.Errorf("cities applying blockchain to finance: %v", got)
				}
			})
		})
	}
}

// TestNode checks a node's neighbourhood as the View answers it: the
// real edges of the dataset, the same bytes on every backend, and the new
// content after a document is replaced.
func TestNode(t *testing.T) {
	ctx := context.Background()
	city, measure := schema.City.IRI("fuzhou"), schema.Measure.IRI("fuzhou-finance-demonstration")
	mention := schema.MentionCount.IRI("beijing-blockchain-mentions")
	var first string
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, v := loadedCopy(t, b)
			has := func(es []view.Edge, pred, node string, basis schema.Basis) bool {
				for _, e := range es {
					if e.Predicate == pred && e.Node == node && e.Basis == basis {
						return true
					}
				}
				return false
			}
			for _, c := range []struct {
				name     string
				node     *view.Node
				out      bool
				pred, to string
				basis    schema.Basis
			}{
				{"Fuzhou has its plan", v.Node(city), true, "hasPlan", "plan/fuzhou-new-infrastructure-2020", ""},
				{"a Fuzhou measure is in Fuzhou", v.Node(city), false, "inCity", "measure/fuzhou-finance-demonstration", ""},
				{"the measure names blockchain", v.Node(measure), true, "usesTechnology", "technology/blockchain", schema.Explicit},
				{"the measure applies to finance", v.Node(measure), true, "appliesTo", "domain/finance", ""},
			} {
				if c.node == nil {
					t.Fatalf("%s: no node", c.name)
				}
				es := c.node.In
				if c.out {
					es = c.node.Out
				}
				if !has(es, c.pred, c.to, c.basis) {
					t.Errorf("%s: no %s edge to %s (basis %q) in %+v", c.name, c.pred, c.to, c.basis, es)
				}
			}
			if n := v.Node(schema.City.IRI("atlantis")); n != nil {
				t.Errorf("a city not in the data has a node: %+v", n)
			}
			raw, err := json.Marshal([]*view.Node{v.Node(city), v.Node(measure)})
			if err != nil {
				t.Fatal(err)
			}
			if first == "" {
				first = string(raw)
			} else if string(raw) != first {
				t.Errorf("nodes differ from the first backend's:\n%s\n%s", raw, first)
			}
			// Replace the Beijing plan with a changed count: the node shows it.
			p := filepath.Join(dir, "plans", "beijing-new-infrastructure-2020.yaml")
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(src), "count: 8", "count: 9", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			apply(t, st, loadDir(t, dir))
			if v, err = st.Fresh(ctx); err != nil {
				t.Fatal(err)
			}
			var counts []any
			for _, pr := range v.Node(mention).Properties {
				if pr.Predicate == "count" {
					counts = append(counts, pr.Value)
				}
			}
			if len(counts) != 1 || fmt.Sprint(counts[0]) != "9" {
				t.Errorf("after the replace, the mention's counts are %v; want [9]", counts)
			}
		})
	}
}

// TestViewAfterWrite: after a write, readers keep the View they had while
// the next one is built in the background, and soon get the new one;
// Fresh waits for it.
func TestViewAfterWrite(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, before := loadedCopy(t, b)
			if err := os.Remove(filepath.Join(dir, "mentions", "three-plan-totals.yaml")); err != nil {
				t.Fatal(err)
			}
			apply(t, st, loadDir(t, dir))
			during, err := st.View(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if during != before {
				t.Errorf("the first read after a write waited for a new View")
			}
			deadline := time.Now().Add(10 * time.Second)
			for during.Version == before.Version && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
				if during, err = st.View(ctx); err != nil {
					t.Fatal(err)
				}
			}
			fresh, err := st.Fresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range []*view.View{during, fresh} {
				if v.Version == before.Version || len(v.Mentions) >= len(before.Mentions) {
					t.Errorf("View %s after removing a mentions file has %d mentions (had %d under %s)",
						v.Version, len(v.Mentions), len(before.Mentions), before.Version)
				}
			}
		})
	}
}

var update = flag.Bool("update", false, "rewrite testdata/dataset.nq from the real dataset")

// TestGolden pins the whole graph of the real dataset: a change to data/
// or to the loader shows up as a reviewable diff of testdata/dataset.nq.
// Regenerate with: go test ./graph -run Golden -update
func TestGolden(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	apply(t, st, loadDir(t, liveDataDir))
	got := export(t, st)
	const golden = "testdata/dataset.nq"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./graph -run Golden -update)", err)
	}
	if got != string(want) {
		t.Errorf("export differs from %s; review the change and run go test ./graph -run Golden -update", golden)
	}
}

// TestRoundTrip loads, exports, loads the export into every backend and
// exports again: the graph survives unchanged.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openStore(t, Config{Backend: "memory"})
	apply(t, src, loadDir(t, dataDir))
	first := export(t, src)
	want, err := src.View(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			dst := openStore(t, b.open(t))
			n, err := dst.ImportNQuads(ctx, strings.NewReader(first))
			if err != nil {
				t.Fatal(err)
			}
			if n != strings.Count(first, "\n") {
				t.Errorf("imported %d quads, exported %d", n, strings.Count(first, "\n"))
			}
			if second := export(t, dst); second != first {
				t.Errorf("export after import differs")
			}
			v, err := dst.View(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Plans) != 7 || len(v.Cities) != 14 {
				t.Errorf("view of the imported graph: %d plans, %d cities", len(v.Plans), len(v.Cities))
			}
			// Backends list quads in different orders; the records built
			// from them must not differ.
			if g, w := viewJSON(t, v), viewJSON(t, want); g != w {
				t.Errorf("view differs from the memory store's:\n%s\nwant\n%s", g, w)
			}
		})
	}
}

// TestAPIDocumentsSurviveReload: reloading data/ (as a restart with
// changed files does) keeps documents written through the API, also one
// that a file defines too.
func TestAPIDocumentsSurviveReload(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, v := loadedCopy(t, b)
			cat := viewCatalog{v, "plan/beijing-new-infrastructure-2020"}
			src, err := os.ReadFile(filepath.Join(dir, "plans", "beijing-new-infrastructure-2020.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			edited := []byte(strings.Replace(string(src), "count: 8", "count: 9", 1))
			doc, err := loader.ParsePlan("api", edited, "beijing-new-infrastructure-2020", cat)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.PutDocument(ctx, doc, ""); err != nil {
				t.Fatal(err)
			}
			// data/ changes elsewhere: the reload must not undo the API write.
			editFile(t, dir, "mentions/three-plan-totals.yaml", "count: 37", "count: 38")
			rep := apply(t, st, loadDir(t, dir))
			if len(rep.Kept) != 1 || rep.Kept[0] != "plan/beijing-new-infrastructure-2020" || len(rep.Replaced) != 1 {
				t.Errorf("reload report %+v", rep)
			}
			out := export(t, st)
			if !strings.Contains(out, `"9"^^<http://www.w3.org/2001/XMLSchema#integer>`) || !strings.Contains(out, `"38"^^<http://www.w3.org/2001/XMLSchema#integer>`) {
				t.Errorf("after reload the API write or the file change is missing")
			}
		})
	}
}

type viewCatalog struct {
	v     *view.View
	graph string
}

func (c viewCatalog) IDs(t schema.Type) []string { return c.v.IDsOutside(t, c.graph) }

func (c viewCatalog) Has(t schema.Type, id string) bool { return c.v.HasOutside(t, id, c.graph) }

func TestOpenFailsFast(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "pg.db")
	first := openStore(t, Config{Backend: "bolt", Path: dir})
	apply(t, first, loadDir(t, dataDir))
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Backend: "bolt", Path: dir}, "another process has it open"},
		{Config{Backend: "postgres", Path: "postgres://u:secret@127.0.0.1:1/db?sslmode=disable"}, "connection refused"},
		{Config{Backend: "postgres"}, "needs an address"},
		{Config{Backend: "nosuch"}, `unknown backend "nosuch"`},
	}
	for _, tt := range tests {
		start := time.Now()
		st, err := Open(ctx, tt.cfg)
		if err == nil {
			st.Close()
			t.Errorf("%+v opened", tt.cfg)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v", tt.cfg, err)
		}
		if time.Since(start) > 10*time.Second {
			t.Errorf("%+v took %s to fail", tt.cfg, time.Since(start))
		}
	}
}

func viewJSON(t *testing.T, v *view.View) string {
	t.Helper()
	b, err := json.Marshal([]any{v.Cities, v.Provinces, v.Plans, v.Measures, v.Technologies, v.Domains,
		v.Organizations, v.Sources, v.Instruments, v.Mentions, v.Scopes, v.Targets})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
