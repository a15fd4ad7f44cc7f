package graph

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/graph/graphtest"
	"github.com/policygraph/policygraph/view"
)

// TestBatchedPostgresWrites: one transaction of more rows than a
// statement may bind (so split over several statements) is written whole,
// read back quad for quad, and removed again without a node left behind.
func TestBatchedPostgresWrites(t *testing.T) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POLICYGRAPH_TEST_POSTGRES is not set: no PostgreSQL to write to")
	}
	ctx := context.Background()
	st := openStore(t, Config{Backend: "postgres", Path: graphtest.PostgresSchema(t, dsn)})
	// Statements of at most 100 quads: a write of 1,000 takes ten, and
	// its nodes as many.
	was := maxParams
	maxParams = 400
	t.Cleanup(func() { maxParams = was })
	label := quad.IRI("urn:test:batch")
	var qs []quad.Quad
	for i := range 1000 {
		qs = append(qs, quad.Make(quad.IRI(fmt.Sprintf("urn:test:s%d", i)), quad.IRI("urn:test:p"), quad.String(fmt.Sprint("value ", i)), label))
	}
	if err := st.apply(txOf(qs)); err != nil {
		t.Fatal(err)
	}
	got, err := st.graphQuads(ctx, label)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(qs) {
		t.Fatalf("read back %d quads of the %d written", len(got), len(qs))
	}
	want := map[quad.Quad]bool{}
	for _, q := range qs {
		want[q] = true
	}
	for _, q := range got {
		if !want[q] {
			t.Fatalf("read back %v, never written", q)
		}
	}
	// Written again, as a redone load writes: nothing is added twice.
	if err := st.apply(txOf(qs[:10])); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.graphQuads(ctx, label); len(got) != len(qs) {
		t.Fatalf("%d quads after writing ten again, want %d", len(got), len(qs))
	}
	del := txOf(nil)
	for _, q := range qs {
		del.RemoveQuad(q)
	}
	if err := st.apply(del); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := st.sql.db.QueryRowContext(ctx, `SELECT count(*) FROM nodes WHERE value_string LIKE 'value %'`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("%d literal nodes left after every quad naming them was removed", left)
	}
}

// TestPostgresNodeCounts: every node's count of references is the number
// of quad parts naming it after each write, and no node is left that no
// quad names, for the writes whose counts are easy to get wrong: a
// removal that finds no quad beside an addition sharing its nodes, a quad
// removed twice in one transaction, one added twice, one added and
// removed in the same transaction, a stored quad added again, a triple
// (no label).
func TestPostgresNodeCounts(t *testing.T) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POLICYGRAPH_TEST_POSTGRES is not set: no PostgreSQL to write to")
	}
	ctx := context.Background()
	st := openStore(t, Config{Backend: "postgres", Path: graphtest.PostgresSchema(t, dsn)})
	l := quad.IRI("urn:test:g")
	q := func(s, o string) quad.Quad {
		return quad.Make(quad.IRI("urn:test:"+s), quad.IRI("urn:test:p"), quad.String(o), l)
	}
	triple := quad.Make(quad.IRI("urn:test:t"), quad.IRI("urn:test:p"), quad.String("7"), nil)
	type change struct {
		add bool
		q   quad.Quad
	}
	steps := []struct {
		name    string
		changes []change
		left    int // quads under l after it
	}{
		{"two added", []change{{true, q("a", "1")}, {true, q("a", "2")}}, 2},
		{"one removed", []change{{false, q("a", "1")}}, 1},
		{"a removal that finds nothing, beside an addition of its subject, predicate and label",
			[]change{{true, q("a", "3")}, {false, q("a", "missing")}}, 2},
		{"one removed twice", []change{{false, q("a", "2")}, {false, q("a", "2")}}, 1},
		{"one added twice", []change{{true, q("b", "4")}, {true, q("b", "4")}}, 2},
		{"one added and another removed", []change{{true, q("c", "5")}, {false, q("a", "3")}}, 2},
		{"one added and removed in one transaction, of new nodes", []change{{true, q("d", "6")}, {false, q("d", "6")}}, 2},
		{"a stored quad added again", []change{{true, q("b", "4")}}, 2},
		{"a triple added", []change{{true, triple}}, 2},
		{"the triple removed", []change{{false, triple}}, 2},
		{"the rest removed", []change{{false, q("b", "4")}, {false, q("c", "5")}}, 0},
	}
	for _, step := range steps {
		// The deltas as they come, not through AddQuad and RemoveQuad,
		// which drop a repeated delta and cancel an addition by a removal.
		tx := txOf(nil)
		for _, c := range step.changes {
			a := cgraph.Delete
			if c.add {
				a = cgraph.Add
			}
			tx.Deltas = append(tx.Deltas, cgraph.Delta{Quad: c.q, Action: a})
		}
		if err := st.apply(tx); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got, err := st.graphQuads(ctx, l); err != nil || len(got) != step.left {
			t.Fatalf("%s: %d quads left (%v), want %d", step.name, len(got), err, step.left)
		}
		var wrong, unnamed int
		if err := st.sql.db.QueryRowContext(ctx, `SELECT
			count(*) FILTER (WHERE n.refs <> c.n), count(*) FILTER (WHERE c.n = 0)
			FROM nodes n, LATERAL (SELECT
				(SELECT count(*) FROM quads WHERE subject_hash = n.hash) + (SELECT count(*) FROM quads WHERE predicate_hash = n.hash) +
				(SELECT count(*) FROM quads WHERE object_hash = n.hash) + (SELECT count(*) FROM quads WHERE label_hash = n.hash) AS n) c`).Scan(&wrong, &unnamed); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 || unnamed != 0 {
			t.Fatalf("%s: %d nodes counted wrong, %d named by no quad", step.name, wrong, unnamed)
		}
	}
}

// TestAnotherStoreHearsWrite: a second store over the same PostgreSQL
// schema patches its View to a write of the first as it commits, with no
// request of its own to make a version check (see listenVersions), and
// the View it patched is the store's.
func TestAnotherStoreHearsWrite(t *testing.T) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POLICYGRAPH_TEST_POSTGRES is not set: two stores share a schema over PostgreSQL only")
	}
	ctx := context.Background()
	cfg := Config{Backend: "postgres", Path: graphtest.PostgresSchema(t, dsn)}
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
	for i, title := range []string{"上海修訂版", "上海再修訂版"} {
		doc := replacedInPlan(t, dir, v, "shanghai-new-infrastructure-2020", "title:\n", "title:\n  zh-Hant: "+title+"\n")
		if _, err := st.PutDocument(ctx, doc, ""); err != nil {
			t.Fatal(err)
		}
		ver, err := st.version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Not a bound on the time: without the listener no View of the
		// second store would ever change here.
		deadline := time.Now().Add(30 * time.Second)
		cur := other.CurrentView()
		for cur.Version != ver && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
			cur = other.CurrentView()
		}
		if cur.Version != ver {
			t.Fatalf("write %d: the second store's View is of %s, the store's %s", i, cur.Version, ver)
		}
		compareRebuilt(t, fmt.Sprintf("the second store after write %d", i), other, cur)
		if p := cur.Plan("shanghai-new-infrastructure-2020"); p == nil || p.Titles["zh-Hant"] != title {
			t.Fatalf("write %d: Shanghai's plan on the second store: %+v", i, p)
		}
		if v, err = st.View(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
