package graphbench

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphtest"
	"github.com/policygraph/policygraph/loader"
)

// Loading L takes minutes on bolt and tens of minutes on PostgreSQL, and
// make bench runs a dozen benchmarks that each want a loaded store. A
// benchmark (never a test) so takes a copy of a store loaded once and
// kept between runs: a bolt directory under the cache directory, or a
// PostgreSQL schema in the benchmarks' database. The cache is keyed by a
// hash of everything that decides what a load stores (the generator's
// size, data/, the sources of graph, loader and schema, go.sum), so a
// change of any of them loads again. POLICYGRAPH_BENCH_CACHE names the
// directory, or "off" to load every time.

// cacheFormat is in the key in place of this package's own sources (and
// graphtest's), which a change to a benchmark should not make stale:
// change it when loadInto stores something else.
const cacheFormat = 1

// cacheOn reports whether tb may use the cache: only benchmarks do, so
// tests never write outside their temporary directories.
func cacheOn(tb testing.TB) bool {
	_, isBench := tb.(*testing.B)
	return isBench && os.Getenv("POLICYGRAPH_BENCH_CACHE") != "off"
}

func cacheDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("POLICYGRAPH_BENCH_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		dir = filepath.Join(base, "policygraph-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// cacheKey hashes what a loaded store of size is made from.
func cacheKey(tb testing.TB, size string) string {
	tb.Helper()
	root := filepath.Dir(DataDir(tb))
	h := sha256.New()
	fmt.Fprintf(h, "%s %+v %d\n", size, Sizes[size], cacheFormat)
	add := func(path string) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s\n", rel)
		_, err = io.Copy(h, f)
		return err
	}
	if err := add(filepath.Join(root, "go.sum")); err != nil {
		tb.Fatal(err)
	}
	for _, dir := range []string{"data", "graph", "loader", "schema"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				// The benchmarks' and tests' helpers store nothing a load
				// does (the sizes are hashed above): a change to them
				// keeps the stores loaded.
				if rel, _ := filepath.Rel(root, path); rel == filepath.Join("graph", "graphbench") || rel == filepath.Join("graph", "graphtest") {
					return fs.SkipDir
				}
				return nil
			}
			if dir != "data" && (!strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go")) {
				return nil
			}
			return add(path)
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// loadInto loads the corpus of size into a new store of cfg and closes it.
func loadInto(tb testing.TB, cfg graph.Config, size string) int {
	tb.Helper()
	ds, err := loader.Load(Corpus(tb, size))
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	st, err := graph.Open(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Apply(ctx, ds.Hash, ds.Graphs, nil); err != nil {
		tb.Fatal(err)
	}
	return ds.Quads()
}

// cachedBolt copies a bolt store of size, loaded once, to path (which
// must not exist) and returns its quads.
func cachedBolt(tb testing.TB, size, path string) int {
	tb.Helper()
	dir := cacheDir(tb)
	key := cacheKey(tb, size)
	stored := filepath.Join(dir, size+"-"+key)
	count := stored + ".quads"
	n, err := readCount(count)
	if err != nil {
		start := time.Now()
		tmp, err := os.MkdirTemp(dir, ".loading-")
		if err != nil {
			tb.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		n = loadInto(tb, graph.Config{Backend: "bolt", Path: filepath.Join(tmp, "db")}, size)
		_ = os.RemoveAll(stored)
		if err := os.Rename(filepath.Join(tmp, "db"), stored); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(count, []byte(strconv.Itoa(n)), 0o644); err != nil {
			tb.Fatal(err)
		}
		// What older sources loaded is of no more use.
		old, _ := filepath.Glob(filepath.Join(dir, size+"-*"))
		for _, o := range old {
			if o != stored && o != count {
				_ = os.RemoveAll(o)
			}
		}
		tb.Logf("loaded %s into the benchmark cache (%s) in %s", size, stored, time.Since(start).Round(time.Second))
	}
	start := time.Now()
	if err := os.CopyFS(path, os.DirFS(stored)); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("copied the cached %s store (bolt) in %s", size, time.Since(start).Round(time.Millisecond))
	return n
}

func readCount(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// cachedPostgres returns the DSN of a new schema (dropped with tb)
// holding a copy of a PostgreSQL store of size loaded once into a schema
// of its own, kept in dsn's database, and the store's quads.
func cachedPostgres(tb testing.TB, dsn, size string) (string, int) {
	tb.Helper()
	schema := "pgbench_" + strings.ToLower(size) + "_" + cacheKey(tb, size)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var n int
	// The count is written last: a schema without it was not loaded whole.
	err = db.QueryRow(`SELECT quads FROM ` + schema + `.pgbench_loaded`).Scan(&n)
	if err != nil {
		start := time.Now()
		if _, err := db.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
			tb.Fatal(err)
		}
		n = loadInto(tb, graph.Config{Backend: "postgres", Path: graphtest.WithSearchPath(tb, dsn, schema)}, size)
		if _, err := db.Exec(`CREATE TABLE ` + schema + `.pgbench_loaded (quads int); INSERT INTO ` + schema + `.pgbench_loaded VALUES (` + strconv.Itoa(n) + `)`); err != nil {
			tb.Fatal(err)
		}
		rows, err := db.Query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 AND nspname <> $2`, "pgbench_"+strings.ToLower(size)+"_%", schema)
		if err != nil {
			tb.Fatal(err)
		}
		var old []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				tb.Fatal(err)
			}
			old = append(old, s)
		}
		rows.Close()
		for _, s := range old {
			_, _ = db.Exec(`DROP SCHEMA ` + s + ` CASCADE`)
		}
		tb.Logf("loaded %s into the benchmark schema %s in %s", size, schema, time.Since(start).Round(time.Second))
	}
	start := time.Now()
	copied := graphtest.CopySchema(tb, dsn, schema, "pgbench_loaded")
	tb.Logf("copied the cached %s store (postgres) in %s", size, time.Since(start).Round(time.Millisecond))
	return copied, n
}
