package graph

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/policygraph/policygraph/graph/graphtest"
	"github.com/policygraph/policygraph/loader"
)

// BenchmarkVersionCheck is what a reader pays, at most once per
// recheckEvery, to learn whether the store changed: reading its version
// stamp (the quads of one subject, by index), which does not grow with
// the store.
//
//	POLICYGRAPH_TEST_POSTGRES=postgres://... go test ./graph -run '^$' -bench VersionCheck
func BenchmarkVersionCheck(b *testing.B) {
	ctx := context.Background()
	configs := map[string]func() Config{
		"memory": func() Config { return Config{Backend: "memory"} },
		"bolt":   func() Config { return Config{Backend: "bolt", Path: filepath.Join(b.TempDir(), "pg.db")} },
	}
	if dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES"); dsn != "" {
		configs["postgres"] = func() Config { return Config{Backend: "postgres", Path: graphtest.PostgresSchema(b, dsn)} }
	}
	ds, err := loader.Load(dataDir)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"memory", "bolt", "postgres"} {
		cfg, ok := configs[name]
		if !ok {
			continue
		}
		b.Run("backend="+name, func(b *testing.B) {
			st, err := Open(ctx, cfg())
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if _, err := st.Apply(ctx, ds.Hash, ds.Graphs, nil); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if v, err := st.version(ctx); err != nil || v == "" {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/check")
		})
	}
}
