package graph

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/graph/graphtest"
)

// TestCopiedSchemaIsTheStore: a PostgreSQL store copied by
// graphtest.CopySchema (how the benchmarks take a loaded store from their
// cache) holds what the original holds, takes writes, and leaves the
// original as it was.
func TestCopiedSchemaIsTheStore(t *testing.T) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POLICYGRAPH_TEST_POSTGRES is not set: no PostgreSQL to copy a schema in")
	}
	ctx := context.Background()
	origDSN := graphtest.PostgresSchema(t, dsn)
	orig := openStore(t, Config{Backend: "postgres", Path: origDSN})
	apply(t, orig, loadDir(t, dataDir))
	before := export(t, orig)
	u, err := url.Parse(origDSN)
	if err != nil {
		t.Fatal(err)
	}
	cp := openStore(t, Config{Backend: "postgres", Path: graphtest.CopySchema(t, dsn, u.Query().Get("search_path"))})
	if got := export(t, cp); got != before {
		t.Fatalf("the copy exports %d bytes, the original %d", len(got), len(before))
	}
	v, err := cp.View(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A write takes new quad rows: the copy's own sequence numbers them.
	const id = "beijing-new-infrastructure-2020"
	src, err := os.ReadFile(filepath.Join(dataDir, "plans", id+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "goes deepest", "goes deepest (in the copy)", 1)
	if _, err := cp.PutDocument(ctx, racePlanSource(t, v, id, edited), ""); err != nil {
		t.Fatal(err)
	}
	if export(t, cp) == before {
		t.Fatal("the write to the copy changed nothing")
	}
	if export(t, orig) != before {
		t.Fatal("a write to the copy changed the original")
	}
}
