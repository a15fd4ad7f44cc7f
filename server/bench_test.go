package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/loader/synthetic"
)

// benchServer serves a generated corpus of the given size from bolt.
func benchServer(b *testing.B, size synthetic.Size) (*Server, int) {
	b.Helper()
	dir := b.TempDir()
	if _, err := synthetic.Write("../data", dir, size); err != nil {
		b.Fatal(err)
	}
	ds, err := loader.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	st, err := graph.Open(ctx, graph.Config{Backend: "bolt", Path: filepath.Join(b.TempDir(), "pg.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Apply(ctx, ds.Hash, ds.Graphs, nil); err != nil {
		b.Fatal(err)
	}
	return New(st, Config{}), ds.Quads()
}

const (
	ns          = "https://policygraph.org/ns#"
	gizmoCities = `g.V("<https://policygraph.org/id/technology/blockchain>")` +
		`.In(["<` + ns + `usesTechnology>", "<` + ns + `inferredTechnology>", "<` + ns + `extractedTechnology>"])` +
		`.Has("<` + ns + `appliesTo>", "<https://policygraph.org/id/domain/finance>")` +
		`.Out("<` + ns + `inCity>").Unique().All()`
)

// BenchmarkCitiesVsGizmo compares "which cities apply blockchain to
// finance" answered by /v1/cities with the same question run by Cayley's
// own Gizmo engine on the same bolt store, in one process:
//
//	go test ./server -run '^$' -bench CitiesVsGizmo -benchtime 2s
func BenchmarkCitiesVsGizmo(b *testing.B) {
	for _, size := range []struct {
		name string
		synthetic.Size
	}{
		{"S", synthetic.Size{Cities: 10, Plans: 2, Measures: 40, Seed: 1}},
		{"M", synthetic.Size{Cities: 100, Plans: 2, Measures: 40, Seed: 1}},
	} {
		s, quads := benchServer(b, size.Size)
		b.Run(fmt.Sprintf("%s-%dquads/policygraph", size.name, quads), func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/v1/cities?technology=blockchain&domain=finance", nil)
			for range b.N {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
		})
		b.Run(fmt.Sprintf("%s-%dquads/gizmo", size.name, quads), func(b *testing.B) {
			for range b.N {
				res, _, err := s.store.Query(context.Background(), "gizmo", gizmoCities, 100000)
				if err != nil || len(res) == 0 {
					b.Fatal(err, len(res))
				}
			}
		})
	}
}
