package view

import (
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/policygraph/policygraph/loader"
)

// dataDir is the frozen fixture the behaviour tests read.
const dataDir = "../testdata/data"

// loadView builds the View of data directory dir as the loader turns it
// into quads: the quads a store would hold after loading it, without the
// store's bookkeeping.
func loadView(t testing.TB, dir string) *View {
	t.Helper()
	ds, err := loader.Load(dir)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	var qs []quad.Quad
	for _, g := range ds.Graphs {
		qs = append(qs, g.Quads...)
	}
	return New(qs, ds.Hash)
}
