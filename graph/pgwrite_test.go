package graph

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/graph/graphtest"
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
