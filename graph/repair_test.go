package graph

import (
	"context"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// TestRepair: what a load cut short between its transactions leaves
// (as SIGKILL does), stray pins and a surplus version stamp are found
// and removed at the next start, and the graph readers see is unchanged.
func TestRepair(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, dir, v := loadedCopy(t, b)
			if rep, err := st.Repair(ctx); err != nil || rep.Changed() || rep.Swept {
				t.Fatalf("Repair of a whole new store: %+v, %v", rep, err)
			}
			before, raw := export(t, st), rawQuads(t, st)

			// A load killed after its first batch, which held a replacement.
			d := editedPlan(t, dir, v, "beijing-new-infrastructure-2020", 1)
			quads, label := stamped(d)
			if err := st.addPending(quads, label); err != nil {
				t.Fatal(err)
			}
			// A pin a write could not remove, and a second version stamp.
			tx := graph.NewTransaction()
			tx.AddQuad(quad.Quad{Subject: schema.PinGraph, Predicate: schema.Pin, Object: quad.String("x"), Label: schema.PinGraph})
			tx.AddQuad(metaQuad(schema.DatasetNode, schema.Version, "0-surplus"))
			if _, err := st.applyLocked(tx); err != nil {
				t.Fatal(err)
			}
			if export(t, st) != before {
				t.Fatal("the leftovers are visible")
			}
			rep, err := st.Repair(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Writes) != 1 || rep.Writes[0] != string(label) || rep.Quads != len(quads) || rep.Pins != 1 || rep.Stamps != 1 || rep.Swept {
				t.Errorf("Repair: %+v, want the write %s of %d quads, 1 pin, 1 stamp", rep, label, len(quads))
			}
			if got := rawQuads(t, st); got != raw {
				t.Errorf("%d quads in the store after Repair, %d before the leftovers", got, raw)
			}
			if vs, _ := st.versions(ctx); len(vs) != 1 {
				t.Errorf("version stamps after Repair: %v", vs)
			}
			if export(t, st) != before {
				t.Error("Repair changed the graph")
			}

			// A store written before pending marks: its leftovers carry no
			// mark, and one sweep finds them.
			quads, label = stamped(editedPlan(t, dir, v, "shanghai-new-infrastructure-2020", 2))
			tx = graph.NewTransaction()
			for _, q := range quads {
				tx.AddQuad(q)
			}
			tx.RemoveQuad(metaQuad(schema.DatasetNode, schema.Swept, "1"))
			if err := st.apply(tx); err != nil {
				t.Fatal(err)
			}
			if rep, err = st.Repair(ctx); err != nil {
				t.Fatal(err)
			}
			if !rep.Swept || len(rep.Writes) != 1 || rep.Writes[0] != string(label) || rep.Quads != len(quads) {
				t.Errorf("Repair of an old store: %+v, want a sweep finding %s", rep, label)
			}
			if got := rawQuads(t, st); got != raw {
				t.Errorf("%d quads in the store after the sweep, %d before", got, raw)
			}
			if rep, err = st.Repair(ctx); err != nil || rep.Swept || rep.Changed() {
				t.Errorf("a second Repair: %+v, %v; want nothing to do", rep, err)
			}
			if export(t, st) != before {
				t.Error("Repair changed the graph")
			}
		})
	}
}

// addPending does what a load's first batch does, and stops: a write cut
// short, as SIGKILL leaves it. (A PUT or a delete is one transaction.)
func (s *Store) addPending(quads []quad.Quad, label quad.IRI) error {
	return s.apply(txOf(append(quads, pendingQuad(label))))
}
