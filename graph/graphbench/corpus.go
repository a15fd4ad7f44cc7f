// Package graphbench sets up the corpora and stores of the scale
// benchmarks (docs/performance.md): sizes S to XL, bolt and PostgreSQL.
package graphbench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphtest"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/loader/synthetic"
)

// Sizes are the synthetic corpora of the scale benchmarks: S ≈ 10k quads,
// M ≈ 100k, L ≈ 1M, XL ≈ 10M (300 cities is every prefecture-level city;
// XL is ten times that, for headroom).
var Sizes = map[string]synthetic.Size{
	"S":  {Cities: 10, Plans: 2, Measures: 40, Seed: 1},
	"M":  {Cities: 100, Plans: 2, Measures: 40, Seed: 1},
	"L":  {Cities: 300, Plans: 6, Measures: 40, Seed: 1},
	"XL": {Cities: 3000, Plans: 6, Measures: 40, Seed: 1},
}

// BenchSizes are the sizes POLICYGRAPH_BENCH_SIZES lists (comma
// separated), S and M when it is unset: L takes minutes to load.
func BenchSizes(tb testing.TB) []string {
	tb.Helper()
	env := os.Getenv("POLICYGRAPH_BENCH_SIZES")
	if env == "" {
		return []string{"S", "M"}
	}
	var out []string
	for _, s := range strings.Split(env, ",") {
		if _, ok := Sizes[s]; !ok {
			tb.Fatalf("POLICYGRAPH_BENCH_SIZES: unknown size %q (want S, M, L or XL)", s)
		}
		out = append(out, s)
	}
	return out
}

// Backend is a store configuration the benchmarks run against.
type Backend struct {
	Name string
	// Open returns a configuration for a new, empty store.
	Open func(tb testing.TB) graph.Config
}

// BenchBackends are bolt, and PostgreSQL when POLICYGRAPH_TEST_POSTGRES
// holds a DSN.
func BenchBackends(tb testing.TB) []Backend {
	out := []Backend{{"bolt", func(tb testing.TB) graph.Config {
		return graph.Config{Backend: "bolt", Path: filepath.Join(tb.TempDir(), "pg.db")}
	}}}
	if dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES"); dsn != "" {
		out = append(out, Backend{"postgres", func(tb testing.TB) graph.Config {
			return graph.Config{Backend: "postgres", Path: graphtest.PostgresSchema(tb, dsn)}
		}})
	}
	return out
}

// Corpus writes the synthetic corpus of size into a directory that lives
// as long as tb.
func Corpus(tb testing.TB, size string) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := synthetic.Write(DataDir(tb), dir, Sizes[size]); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// Loaded opens a new store of backend and loads the corpus of size into
// it; it returns the store and the number of quads loaded.
func Loaded(tb testing.TB, b Backend, size string) (*graph.Store, int) {
	tb.Helper()
	st, _, n := LoadedConfig(tb, b, size)
	return st, n
}

// LoadedConfig is Loaded that also returns the store's configuration,
// for opening a second store over the same database.
func LoadedConfig(tb testing.TB, b Backend, size string) (*graph.Store, graph.Config, int) {
	tb.Helper()
	ctx := context.Background()
	cfg := b.Open(tb)
	if cacheOn(tb) {
		var n int
		switch cfg.Backend {
		case "bolt":
			n = cachedBolt(tb, size, cfg.Path)
		case "postgres":
			cfg.Path, n = cachedPostgres(tb, os.Getenv("POLICYGRAPH_TEST_POSTGRES"), size)
		}
		if n > 0 {
			st, err := graph.Open(ctx, cfg)
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { st.Close() })
			return st, cfg, n
		}
	}
	ds, err := loader.Load(Corpus(tb, size))
	if err != nil {
		tb.Fatal(err)
	}
	st, err := graph.Open(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Apply(ctx, ds.Hash, ds.Graphs, nil); err != nil {
		tb.Fatal(err)
	}
	return st, cfg, ds.Quads()
}

// LoadedCopy is Loaded for another process to open: the configuration
// of a new store of backend holding the corpus of size (a copy of the
// cached one), and its quads; the store is not opened here.
func LoadedCopy(tb testing.TB, b Backend, size string) (graph.Config, int) {
	tb.Helper()
	cfg := b.Open(tb)
	if cacheOn(tb) {
		switch cfg.Backend {
		case "bolt":
			return cfg, cachedBolt(tb, size, cfg.Path)
		case "postgres":
			var n int
			cfg.Path, n = cachedPostgres(tb, os.Getenv("POLICYGRAPH_TEST_POSTGRES"), size)
			return cfg, n
		}
	}
	return cfg, loadInto(tb, cfg, size)
}

// DataDir finds the repository's data/ directory from a test's working
// directory (its package directory).
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
