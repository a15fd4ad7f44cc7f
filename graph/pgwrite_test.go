package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
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

// TestPostgresWritesAsCayley: the store's PostgreSQL transactions
// (applyDeltas) leave Cayley's tables row for row as Cayley's own
// QuadStore.ApplyDeltas does, after each of a sequence of delta lists of
// the kinds a write sends or could, applied to both in two schemas: every
// quad, and every node with each of its value columns and its count.
// The differences are deliberate: in three kinds of list (the last steps
// below) Cayley's counts go astray, and stay so: it counts a quad it did
// not add (see addBatched), gives back the counts of a removal that
// found nothing only to nodes the list lowers on balance (see
// applyDeltas), and keeps the nodes a list inserted at no count when it
// lowers none. There a node's count here is the number of quad parts
// naming it, and the nodes no quad names are gone. Failing
// writes (a stored quad added without IgnoreDup, a missing one removed
// without IgnoreMissing) fail on both with the same error and change
// nothing on either.
func TestPostgresWritesAsCayley(t *testing.T) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POLICYGRAPH_TEST_POSTGRES is not set: no PostgreSQL to compare on")
	}
	ours := openStore(t, Config{Backend: "postgres", Path: graphtest.PostgresSchema(t, dsn)})
	theirsPath := graphtest.PostgresSchema(t, dsn)
	if err := cgraph.InitQuadStore("postgres", theirsPath, nil); err != nil {
		t.Fatal(err)
	}
	theirs, err := cgraph.NewQuadStore("postgres", theirsPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { theirs.Close() })
	theirsDB, err := sql.Open("postgres", theirsPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { theirsDB.Close() })

	l := quad.IRI("urn:test:g")
	at := time.Date(2026, 12, 2, 21, 30, 0, 0, time.UTC)
	// A quad of every kind of value Cayley keeps in a column of its own,
	// and one it keeps serialized.
	every := []quad.Quad{
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:p"), quad.IRI("urn:test:b"), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:p"), quad.BNode("n1"), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:name"), quad.String("plain"), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:name"), quad.String("with\x00nul"), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:name"), quad.LangString{Value: "上海", Lang: "zh"}, l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:date"), quad.TypedString{Value: "2020", Type: "xsd:gYear"}, l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:n"), quad.Int(42), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:ok"), quad.Bool(true), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:x"), quad.Float(2.5), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:at"), quad.Time(at), l),
		quad.Make(quad.IRI("urn:test:a"), quad.IRI("urn:test:raw"), quad.Raw("raw value"), l),
	}
	q := func(s, o string) quad.Quad {
		return quad.Make(quad.IRI("urn:test:"+s), quad.IRI("urn:test:p"), quad.String(o), l)
	}
	triple := quad.Make(quad.IRI("urn:test:t"), quad.IRI("urn:test:p"), quad.String("7"), nil)
	// A plan replaced: its quads under a new label, the old ones removed,
	// most nodes shared.
	plan := func(label string, n int) []quad.Quad {
		var out []quad.Quad
		for i := range n {
			out = append(out, quad.Make(quad.IRI(fmt.Sprintf("urn:test:m%d", i)), quad.IRI("urn:test:p"), quad.String(fmt.Sprint("measure ", i)), quad.IRI(label)))
		}
		return out
	}
	add := func(qs ...quad.Quad) []cgraph.Delta {
		var out []cgraph.Delta
		for _, q := range qs {
			out = append(out, cgraph.Delta{Quad: q, Action: cgraph.Add})
		}
		return out
	}
	del := func(qs ...quad.Quad) []cgraph.Delta {
		var out []cgraph.Delta
		for _, q := range qs {
			out = append(out, cgraph.Delta{Quad: q, Action: cgraph.Delete})
		}
		return out
	}
	cat := func(ds ...[]cgraph.Delta) []cgraph.Delta { return slices.Concat(ds...) }
	lenient := cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}
	steps := []struct {
		name   string
		deltas []cgraph.Delta
		opts   cgraph.IgnoreOpts
		err    error // both fail with it
		// astray says how Cayley's counts go wrong in this list, where
		// the store's stay the number of quad parts naming a node.
		astray string
	}{
		{"every kind of value added", add(every...), lenient, nil, ""},
		{"a triple added", add(triple), lenient, nil, ""},
		{"a plan added", add(plan("urn:test:v1", 40)...), lenient, nil, ""},
		{"the plan replaced under another label", cat(del(plan("urn:test:v1", 40)...), add(plan("urn:test:v2", 41)...)), lenient, nil, ""},
		{"one removed", del(every[2]), lenient, nil, ""},
		{"one removed twice", del(every[3], every[3]), lenient, nil, ""},
		{"one added and another removed", cat(add(q("c", "5")), del(every[4])), lenient, nil, ""},
		{"a stored quad added again, without IgnoreDup", add(q("c", "5"), q("e", "8")), cgraph.IgnoreOpts{IgnoreMissing: true}, cgraph.ErrQuadExists, ""},
		{"a missing quad removed, without IgnoreMissing", cat(add(q("e", "8")), del(q("a", "missing"))), cgraph.IgnoreOpts{IgnoreDup: true}, cgraph.ErrQuadNotExist, ""},
		{"the triple removed", del(triple), lenient, nil, ""},
		// From here on Cayley's counts may differ from the store's.
		{"one added and removed in one list, of new nodes", cat(add(q("d", "6")), del(q("d", "6"))), lenient, nil,
			"a list that lowers no count leaves the nodes it inserted at none"},
		{"a removal that finds nothing beside an addition sharing its nodes", cat(add(q("a", "3")), del(q("a", "missing"))), lenient, nil,
			"a removal that finds nothing gives back the counts of its nodes only where the list lowers them on balance"},
		{"one added twice", add(q("b", "4"), q("b", "4")), lenient, nil,
			"a quad added twice is counted twice"},
		{"a stored quad added again", add(q("b", "4"), q("e", "9")), lenient, nil,
			"a stored quad added again is counted again"},
		{"the quad added again removed", del(q("b", "4")), lenient, nil, ""},
		{"the rest removed", cat(del(every...), del(plan("urn:test:v2", 41)...), del(q("a", "3"), q("c", "5"), q("e", "9"))), lenient, nil, ""},
	}
	astray := false
	for _, step := range steps {
		errOurs := applyDeltas(ours.sql.db, step.deltas, step.opts, "")
		errTheirs := theirs.ApplyDeltas(step.deltas, step.opts)
		if step.err != nil {
			if !errors.Is(errOurs, step.err) || !errors.Is(errTheirs, step.err) {
				t.Fatalf("%s: the store's write failed with %v, Cayley's with %v; want %v from both", step.name, errOurs, errTheirs, step.err)
			}
		} else if errOurs != nil || errTheirs != nil {
			t.Fatalf("%s: the store's write failed with %v, Cayley's with %v", step.name, errOurs, errTheirs)
		}
		astray = astray || step.astray != ""
		oursQuads, oursNodes := pgRows(t, ours.sql.db)
		theirsQuads, theirsNodes := pgRows(t, theirsDB)
		if !slices.Equal(oursQuads, theirsQuads) {
			t.Fatalf("%s: quads differ\nthe store's: %q\nCayley's:    %q", step.name, oursQuads, theirsQuads)
		}
		for h, n := range theirsNodes {
			mine, kept := oursNodes[h]
			if n.named == 0 {
				// Kept by Cayley only for a count it never took back.
				if kept || !astray {
					t.Fatalf("%s: node %s, named by no quad, kept by Cayley (%d) and here (%v)", step.name, n.row, n.refs, kept)
				}
				continue
			}
			if !kept {
				t.Fatalf("%s: node %s (%d references) is not in the store's table", step.name, n.row, n.named)
			}
			if mine.row != n.row || mine.refs != n.named {
				t.Fatalf("%s: node here %s counted %d; Cayley's %s counted %d, named %d times", step.name, mine.row, mine.refs, n.row, n.refs, n.named)
			}
			if n.refs != n.named && !astray {
				t.Fatalf("%s: Cayley counts node %s %d times, named %d times, and no list before sent its counts astray", step.name, n.row, n.refs, n.named)
			}
		}
		for h, mine := range oursNodes {
			if _, ok := theirsNodes[h]; !ok {
				t.Fatalf("%s: node %s is not in Cayley's table", step.name, mine.row)
			}
		}
	}
	if q, n := pgRows(t, ours.sql.db); len(q) != 0 || len(n) != 0 {
		t.Fatalf("the store's tables hold %d quads and %d nodes after every quad was removed", len(q), len(n))
	}
}

// pgNode is a row of Cayley's nodes table: its value columns as text,
// its count of references, and how many quad parts name it.
type pgNode struct {
	row         string
	refs, named int
}

// pgRows are the quads of Cayley's quads table (their four hashes, in
// order) and its nodes by hash.
func pgRows(t *testing.T, db *sql.DB) ([]string, map[string]pgNode) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT encode(subject_hash, 'hex') || ' ' || encode(predicate_hash, 'hex') || ' ' ||
		encode(object_hash, 'hex') || ' ' || coalesce(encode(label_hash, 'hex'), 'NULL') AS q FROM quads ORDER BY q`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var quads []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		quads = append(quads, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	nrows, err := db.QueryContext(ctx, `SELECT encode(n.hash, 'hex'), (to_jsonb(n) - 'refs')::text, n.refs,
		(SELECT count(*) FROM quads WHERE subject_hash = n.hash) + (SELECT count(*) FROM quads WHERE predicate_hash = n.hash) +
		(SELECT count(*) FROM quads WHERE object_hash = n.hash) + (SELECT count(*) FROM quads WHERE label_hash = n.hash)
		FROM nodes n`)
	if err != nil {
		t.Fatal(err)
	}
	defer nrows.Close()
	nodes := map[string]pgNode{}
	for nrows.Next() {
		var h string
		var n pgNode
		if err := nrows.Scan(&h, &n.row, &n.refs, &n.named); err != nil {
			t.Fatal(err)
		}
		nodes[h] = n
	}
	if err := nrows.Err(); err != nil {
		t.Fatal(err)
	}
	return quads, nodes
}
