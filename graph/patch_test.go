package graph

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// TestPatchedViewIsRebuilt: over a series of PUTs and DELETEs, each next
// View is patched (beside the write, after it from the write in hand, or
// from the change log) and is the View a build from every quad makes; on
// PostgreSQL a second store over the same database, as a second server,
// patches too.
func TestPatchedViewIsRebuilt(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			cfg := b.open(t)
			st := openStore(t, cfg)
			dir := copyTree(t, dataDir)
			apply(t, st, loadDir(t, dir))
			var other *Store
			if b.name == "postgres" {
				other = deaf(openStore(t, cfg))
			}
			v, err := st.View(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if other != nil {
				if _, err := other.View(ctx); err != nil {
					t.Fatal(err)
				}
			}
			source := func(name string) []byte {
				src, err := os.ReadFile(filepath.Join(dir, "plans", name+".yaml"))
				if err != nil {
					t.Fatal(err)
				}
				return src
			}
			parse := func(id string, src []byte) *schema.Document {
				doc, err := loader.ParsePlan("api", src, id, viewCatalog{v, "plan/" + id})
				if err != nil {
					t.Fatalf("%s: %v", id, err)
				}
				return doc
			}
			edit := func(name, old, new string) *schema.Document {
				src := string(source(name))
				if !strings.Contains(src, old) {
					t.Fatalf("%s has no %q", name, old)
				}
				return parse(name, []byte(strings.Replace(src, old, new, 1)))
			}
			fuzhou, shanghai := "fuzhou-new-infrastructure-2020", "shanghai-new-infrastructure-2020"
			// A plan nothing refers to, deleted and written again.
			var loose string
			for _, name := range []string{"shaoxing-new-infrastructure-2020", "beijing-blockchain-2020", "fuzhou-new-infrastructure-measures-2020"} {
				refs, err := st.referrers(ctx, "plan/"+name, mustMeta(t, st, "plan/"+name))
				if err != nil {
					t.Fatal(err)
				}
				if len(refs) == 0 {
					loose = name
					break
				}
			}
			if loose == "" {
				t.Fatal("every plan is referred to")
			}
			type step struct {
				name  string
				write func() Written
			}
			put := func(d *schema.Document) func() Written {
				return func() Written {
					if _, err := st.PutDocument(ctx, d, ""); err != nil {
						t.Fatal(err)
					}
					return Written{Puts: []*schema.Document{d}}
				}
			}
			steps := []step{
				{"retitle a plan", put(edit(fuzhou, "en: Fuzhou New Infrastructure", "en: Fuzhou's New Infrastructure"))},
				{"drop a domain of a measure", put(edit(fuzhou, "domains: [finance]", "domains: []"))},
				{"another plan", put(edit(shanghai, "title:\n", "title:\n  zh-Hant: 上海修訂版\n"))},
				{"delete a plan", func() Written {
					if err := st.DeleteDocument(ctx, "plan/"+loose, "", nil); err != nil {
						t.Fatal(err)
					}
					return Written{Deletes: []string{"plan/" + loose}}
				}},
				{"write it again", func() Written { return put(parse(loose, source(loose)))() }},
				{"a new plan", put(parse("fuzhoucopy-new-infrastructure-2020",
					[]byte(strings.ReplaceAll(string(source(fuzhou)), "id: fuzhou-", "id: fuzhoucopy-"))))},
				// The store keeps one of a quad written twice; so must the
				// View patched beside the write (the seventh step).
				{"a plan naming a quad twice", func() Written {
					d := edit(shanghai, "title:\n", "title:\n  zh-Hant: 上海三版\n")
					d.Quads = append(d.Quads, d.Quads[0], d.Quads[len(d.Quads)/2])
					return put(d)()
				}},
			}
			for i, s := range steps {
				before := st.views.patched.Load()
				var err error
				// A third of the steps patch beside the write, a third after
				// it from the write in hand, a third from the change log.
				switch i % 3 {
				case 0:
					s.write()
					v = st.views.current.Load()
					if ver, err := st.version(ctx); err != nil || v.Version != ver {
						t.Fatalf("%s: the View after the write is of %s, the store's %s (%v)", s.name, v.Version, ver, err)
					}
				case 1:
					var w Written
					duringBuild(st, func() { w = s.write() })
					v, err = st.FreshAfter(ctx, w)
				case 2:
					duringBuild(st, func() { s.write() })
					v, err = st.Fresh(ctx)
				}
				if err != nil {
					t.Fatal(err)
				}
				if st.views.patched.Load() != before+1 {
					t.Fatalf("%s: the View was built, not patched", s.name)
				}
				compareRebuilt(t, s.name, st, v)
				if other != nil {
					was := other.views.patched.Load()
					ov, err := other.Fresh(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if ov.Version != v.Version || other.views.patched.Load() != was+1 {
						t.Fatalf("%s: the second store did not patch to %s (has %s)", s.name, v.Version, ov.Version)
					}
					compareRebuilt(t, s.name+" (second store)", other, ov)
				}
			}
		})
	}
}

// compareRebuilt fails unless v, as patched, is the View a build from
// every quad of st makes: its records, and answers that read its indexes.
func compareRebuilt(t *testing.T, step string, st *Store, v *view.View) {
	t.Helper()
	built, err := st.BuildView(context.Background(), v.Version)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := viewJSON(t, v), viewJSON(t, built); got != want {
		t.Fatalf("%s: the patched View's records differ from a rebuilt one's:\n%.400s\nwant\n%.400s", step, got, want)
	}
	answers := func(w *view.View) []any {
		sim, _ := w.SimilarTo("fuzhou-finance-demonstration", view.TimeFilter{})
		return []any{w.Quads(), w.FindMeasures(view.MeasureFilter{Technology: "blockchain"}), w.CitiesWith(view.MeasureFilter{Technology: "blockchain"}),
			w.Search("fuzhou", nil), w.Timeline(view.TimelineFilter{Technology: "blockchain"}), sim,
			w.Node(schema.Plan.IRI("fuzhou-new-infrastructure-2020")), w.IDsOutside(schema.Measure, "plan/fuzhou-new-infrastructure-2020")}
	}
	if got, want := jsonOf(t, answers(v)), jsonOf(t, answers(built)); got != want {
		t.Fatalf("%s: the patched View answers otherwise than a rebuilt one:\n%.400s\nwant\n%.400s", step, got, want)
	}
	// Cayley's engine over each: every node, and a path through links.
	gizmo := func(w *view.View) string {
		ctx := WithView(context.Background(), w)
		var out []any
		for _, src := range []string{`g.V().Count()`, `g.V("<https://policygraph.org/id/technology/blockchain>").In().Unique().Count()`} {
			res, _, err := st.Query(ctx, "gizmo", src, 10)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			out = append(out, res)
		}
		return jsonOf(t, out)
	}
	if got, want := gizmo(v), gizmo(built); got != want {
		t.Fatalf("%s: Gizmo over the patched View answers %s, over a rebuilt one %s", step, got, want)
	}
}

func jsonOf(t *testing.T, x any) string {
	t.Helper()
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPatchFromWriteSeesALaterWrite: a patch from the write in hand is
// not made when a later write of the same process has landed in the
// store but is not counted yet (the moment between its transaction and
// its count): the View then has both writes, as a build would.
func TestPatchFromWriteSeesALaterWrite(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		if b.name == "postgres" {
			continue // another process's writes are never taken from the hand
		}
		t.Run(b.name, func(t *testing.T) {
			st := openStore(t, b.open(t))
			dir := copyTree(t, dataDir)
			apply(t, st, loadDir(t, dir))
			v, err := st.View(ctx)
			if err != nil {
				t.Fatal(err)
			}
			edit := func(name, old, new string) *schema.Document { return replacedInPlan(t, dir, v, name, old, new) }
			first := edit("fuzhou-new-infrastructure-2020", "en: Fuzhou New Infrastructure", "en: Fuzhou's New Infrastructure")
			second := edit("shanghai-new-infrastructure-2020", "title:\n", "title:\n  zh-Hant: 上海修訂版\n")
			var writes int64
			var stamp string
			duringBuild(st, func() {
				if _, err := st.PutDocument(ctx, first, ""); err != nil {
					t.Fatal(err)
				}
				writes, stamp = st.lastWrite()
				if _, err := st.PutDocument(ctx, second, ""); err != nil {
					t.Fatal(err)
				}
			})
			// The second write's count, undone: as if it had not reached it.
			st.views.wrote.Lock()
			st.views.writes.Store(writes)
			st.views.lastStamp = stamp
			st.views.wrote.Unlock()
			got, err := st.FreshAfter(ctx, Written{Puts: []*schema.Document{first}})
			if err != nil {
				t.Fatal(err)
			}
			want, err := st.BuildView(ctx, got.Version)
			if err != nil {
				t.Fatal(err)
			}
			if viewJSON(t, got) != viewJSON(t, want) {
				t.Error("the View patched after the first write misses the second")
			}
			if p := got.Plan("shanghai-new-infrastructure-2020"); p == nil || p.Titles["zh-Hant"] != "上海修訂版" {
				t.Errorf("Shanghai's plan after both writes: %+v", p)
			}
		})
	}
}

// TestWriteAfterAnotherServersWrite: over PostgreSQL, a write of a
// server whose View is behind a second server's write is not patched
// beside it (the View would miss that write under the new version):
// after it, each server's View is the store's, with both writes.
func TestWriteAfterAnotherServersWrite(t *testing.T) {
	ctx := context.Background()
	var pg *backend
	for _, b := range backends(t) {
		if b.name == "postgres" {
			pg = &b
		}
	}
	if pg == nil {
		t.Skip("two servers share a store over PostgreSQL only: set POLICYGRAPH_TEST_POSTGRES")
	}
	cfg := pg.open(t)
	st := openStore(t, cfg)
	dir := copyTree(t, dataDir)
	apply(t, st, loadDir(t, dir))
	other := openStore(t, cfg)
	var v *view.View
	for _, s := range []*Store{st, other} {
		var err error
		if v, err = s.View(ctx); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(name, old, new string) *schema.Document { return replacedInPlan(t, dir, v, name, old, new) }
	first := edit("fuzhou-new-infrastructure-2020", "en: Fuzhou New Infrastructure", "en: Fuzhou's New Infrastructure")
	second := edit("shanghai-new-infrastructure-2020", "title:\n", "title:\n  zh-Hant: 上海修訂版\n")
	if _, err := other.PutDocument(ctx, first, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutDocument(ctx, second, ""); err != nil {
		t.Fatal(err)
	}
	ver, err := st.version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Before any refresh: a View of the store's version is the store's.
	if cur := st.views.current.Load(); cur.Version == ver {
		compareRebuilt(t, "the writer's View after its write", st, cur)
	}
	for name, s := range map[string]*Store{"the writer": st, "the other server": other} {
		got, err := s.FreshAfter(ctx, Written{Puts: []*schema.Document{second}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != ver {
			t.Fatalf("%s: a View of %s, the store's %s", name, got.Version, ver)
		}
		compareRebuilt(t, name, s, got)
		if p := got.Plan("fuzhou-new-infrastructure-2020"); p == nil || !strings.HasPrefix(p.Titles["en"], "Fuzhou's New Infrastructure") {
			t.Errorf("%s: Fuzhou's plan after both writes: %+v", name, p)
		}
		if p := got.Plan("shanghai-new-infrastructure-2020"); p == nil || p.Titles["zh-Hant"] != "上海修訂版" {
			t.Errorf("%s: Shanghai's plan after both writes: %+v", name, p)
		}
	}
}

// duringBuild runs write while a build of the next View holds st's build
// lock, as a background build does: a write then leaves its View to be
// patched after it (see patchAhead).
func duringBuild(st *Store, write func()) {
	st.views.build.Lock()
	defer st.views.build.Unlock()
	write()
}

// replacedInPlan is plan name of the corpus in dir with its first old
// replaced by new, parsed against v as the API parses a PUT.
func replacedInPlan(t testing.TB, dir string, v *view.View, name, old, new string) *schema.Document {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "plans", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loader.ParsePlan("api", []byte(strings.Replace(string(src), old, new, 1)), name, viewCatalog{v, "plan/" + name})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
