package graph

import (
	"context"
	"fmt"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// RepairReport says what Repair found and removed.
type RepairReport struct {
	// Writes are the labels of writes cut short (killed, or failed with
	// their quads not removable at the time), Quads how many quads they
	// had left in the store.
	Writes []string
	Quads  int
	// Pins are pin quads a finished write could not remove.
	Pins int
	// Stamps are version stamps beyond the one a store should hold.
	Stamps int
	// Swept says the whole store was searched for leftovers, as happens
	// once for a store written before writes marked themselves pending.
	Swept bool
}

// Changed reports whether Repair removed anything.
func (r RepairReport) Changed() bool {
	return len(r.Writes) > 0 || r.Pins > 0 || r.Stamps > 0
}

func (r RepairReport) String() string {
	return fmt.Sprintf("removed %d quads left by %d writes that never committed, %d pins, %d surplus version stamps",
		r.Quads, len(r.Writes), r.Pins, r.Stamps)
}

// Repair removes what writes that never committed left in the store:
// their quads (invisible to every reader, but taking space and, before
// this, seen by Cayley's own query languages), pins, and surplus version
// stamps. It runs under the write lock, so over PostgreSQL it never takes
// a write in progress in another process for a leftover. Normally it
// reads a handful of meta quads; a store that predates the pending marks
// is searched quad by quad, once.
func (s *Store) Repair(ctx context.Context) (rep RepairReport, err error) {
	defer func() { err = classify(err) }()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return rep, err
	}
	defer unlock()
	ds, err := s.subjectQuads(ctx, schema.DatasetNode)
	if err != nil {
		return rep, err
	}
	var pending []quad.IRI
	swept, loaded := false, false
	for _, q := range ds {
		switch {
		case q.Label != schema.MetaGraph:
		case q.Predicate == schema.Pending:
			if l, ok := q.Object.(quad.IRI); ok {
				pending = append(pending, l)
			}
		case q.Predicate == schema.Swept:
			swept = true
		case q.Predicate == schema.Version:
			loaded = true
		}
	}
	if !loaded {
		return rep, nil // an empty store
	}
	if !swept {
		if pending, err = s.invisibleLabels(ctx); err != nil {
			return rep, err
		}
		rep.Swept = true
	}
	// Found all at once: a load cut short leaves a label a document, and
	// on bolt each read by label is a scan of every quad.
	refs, err := s.labelRefs(ctx, pending)
	if err != nil {
		return rep, err
	}
	for _, l := range pending {
		tx := graph.NewTransaction()
		err := s.leftoversOf(ctx, l, refs[l], tx)
		if err == nil {
			err = s.apply(tx)
		}
		if err != nil {
			return rep, fmt.Errorf("remove the leftovers of %s: %w", l, err)
		}
		rep.Writes = append(rep.Writes, string(l))
		rep.Quads += len(refs[l])
		delete(refs, l)
	}
	pins, err := s.subjectQuads(ctx, schema.PinGraph)
	if err != nil {
		return rep, err
	}
	tx := graph.NewTransaction()
	for _, q := range pins {
		if isPin(q) {
			tx.RemoveQuad(q)
			rep.Pins++
		}
	}
	if err := s.apply(tx); err != nil {
		return rep, fmt.Errorf("remove pins: %w", err)
	}
	versions, err := s.versions(ctx)
	if err != nil {
		return rep, err
	}
	rep.Stamps = len(versions) - 1
	if rep.Changed() || !swept {
		tx := graph.NewTransaction()
		if !swept {
			tx.AddQuad(metaQuad(schema.DatasetNode, schema.Swept, "1"))
		}
		if err := s.bumpVersion(ctx, tx, nil); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// invisibleLabels searches every quad for document labels no reader sees.
func (s *Store) invisibleLabels(ctx context.Context) ([]quad.IRI, error) {
	all, visible, err := s.scan(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[quad.Value]bool{}
	for _, q := range all {
		if q.Label == schema.HistoryGraph {
			seen[q.Subject] = true // an earlier version, kept on purpose
		}
	}
	var out []quad.IRI
	for _, q := range all {
		l, ok := q.Label.(quad.IRI)
		if !ok || seen[l] || isBookkeeping(l) || isPin(q) {
			continue
		}
		seen[l] = true
		if _, isDoc := schema.GraphID(l); isDoc && !visible(l) {
			out = append(out, l)
		}
	}
	return out, nil
}
