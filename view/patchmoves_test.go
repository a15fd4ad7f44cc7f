package view

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// TestQuadMovesAreTheSwap: the positions a patch's Change names are
// exactly those whose quad differs between the old View and the new; an
// index by position mended at them alone is whole.
func TestQuadMovesAreTheSwap(t *testing.T) {
	ds, err := loader.Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	var all []quad.Quad
	byDoc := map[quad.IRI][]quad.Quad{}
	for _, g := range ds.Graphs {
		all = append(all, g.Quads...)
		byDoc[schema.GraphIRI(g.ID)] = g.Quads
	}
	fuzhou := schema.GraphIRI("plan/fuzhou-new-infrastructure-2020")
	beijing := schema.GraphIRI("plan/beijing-new-infrastructure-2020")
	cases := []struct {
		name   string
		graphs []quad.IRI
		added  []quad.Quad
	}{
		{"fewer quads than removed", []quad.IRI{beijing}, nil},
		{"as many", []quad.IRI{fuzhou}, byDoc[fuzhou]},
		{"more", []quad.IRI{schema.GraphIRI("plan/copy")}, copied(byDoc[fuzhou], "plan/copy")},
		{"two documents, one shorter", []quad.IRI{fuzhou, beijing}, byDoc[fuzhou][:len(byDoc[fuzhou])/2]},
	}
	for _, c := range cases {
		v := New(all, "0")
		p := v.Patch(c.graphs, c.added, "1")
		if p == nil {
			t.Fatalf("%s: not patched", c.name)
		}
		ch, _ := p.Change()
		gone, placed := map[int32]bool{}, map[int32]bool{}
		for _, at := range ch.Gone {
			gone[at] = true
		}
		for _, at := range ch.Placed {
			placed[at] = true
		}
		for i := range max(v.Quads(), p.Quads()) {
			at := int32(i)
			inOld, inNew := i < v.Quads(), i < p.Quads()
			same := inOld && inNew && v.Quad(at) == p.Quad(at)
			if !same && (inOld && !gone[at] || inNew && !placed[at]) {
				t.Fatalf("%s: the quad at %d changed (old %v, new %v) but the change does not name it", c.name, i, inOld, inNew)
			}
		}
		// What left is what came, but for the quads removed and added.
		var left, came []string
		for _, at := range ch.Gone {
			left = append(left, v.Quad(at).String())
		}
		for _, at := range ch.Placed {
			came = append(came, p.Quad(at).String())
		}
		for _, q := range c.added {
			left = append(left, q.String())
		}
		for _, g := range c.graphs {
			for _, q := range byDoc[g] {
				came = append(came, q.String())
			}
		}
		slices.Sort(left)
		slices.Sort(came)
		if fmt.Sprint(left) != fmt.Sprint(came) {
			t.Errorf("%s: the quads gone and placed are not the swap's", c.name)
		}
	}
}
