package graph

import (
	"context"
	"maps"
	"slices"
	"sync/atomic"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// The change log (schema.ChangeGraph) lets a server that sees a version
// stamp it did not write learn which documents changed since its View in
// a lookup per write, by subject: without it, it reads the label of every
// document and compares (storedLabels, about a second at L on
// PostgreSQL). Each write records, in the transaction of its stamp, the
// stamp before it and the new label of each document it changed (or
// that it removed it); a reader walks the records from the store's stamp
// back to its View's. A record missing on the way (pruned, or a write by
// a process that predates the log) sends the reader back to the labels;
// a record that does not list its changes, to a full build.

// changeSet is what one write changed: per document graph, the label its
// quads are stored under now, or "" for a document it removed. A nil
// changeSet is a write that does not tell (see schema.ChangeUntold).
type changeSet map[quad.IRI]quad.IRI

// keepChanges is how many change records a store keeps: a reader further
// behind than that reads every label instead. Records are a few quads
// each, so the meta graph stays small; a reader rechecks every
// recheckEvery, so it falls that far behind only under a burst of writes.
const keepChanges = 64

// changeLog is what a Store keeps about its change log.
type changeLog struct {
	// keep, in tests only, is keepChanges when not 0.
	keep int
	// fromLog and fromLabels count the patches whose changes were
	// learned from the log and from every document's label (for tests).
	fromLog, fromLabels atomic.Int64
}

func (s *Store) keepChangeRecords() int {
	if s.changes.keep > 0 {
		return s.changes.keep
	}
	return keepChanges
}

func changeQuad(rec quad.IRI, p schema.Predicate, o quad.Value) quad.Quad {
	return quad.Quad{Subject: rec, Predicate: p, Object: o, Label: schema.ChangeGraph}
}

// recordChange adds to tx, the transaction that stamps version stamp over
// prev, the record of what it changed, and removes the oldest records
// beyond keepChanges. The write lock is held, so no other writer changes
// the list meanwhile.
func (s *Store) recordChange(ctx context.Context, tx *graph.Transaction, stamp, prev string, ch changeSet) error {
	kept, err := s.changeRecords(ctx)
	if err != nil {
		return err
	}
	// Stamps begin with the time of the write, so the oldest sort first
	// (a clock set back makes a recent record go early: its readers then
	// read the labels, no worse).
	slices.Sort(kept)
	for len(kept) >= s.keepChangeRecords() {
		qs, err := s.subjectQuads(ctx, kept[0])
		if err != nil {
			return err
		}
		for _, q := range qs {
			if q.Label == schema.ChangeGraph {
				tx.RemoveQuad(q)
			}
		}
		tx.RemoveQuad(changeQuad(schema.ChangeGraph, schema.ChangeRecord, kept[0]))
		kept = kept[1:]
	}
	rec := schema.ChangeIRI(stamp)
	tx.AddQuad(changeQuad(schema.ChangeGraph, schema.ChangeRecord, rec))
	// A reader patches at most maxPatchDocuments; more are not listed.
	if prev == "" || ch == nil || len(ch) > maxPatchDocuments {
		tx.AddQuad(changeQuad(rec, schema.ChangeUntold, quad.String("1")))
		return nil
	}
	tx.AddQuad(changeQuad(rec, schema.ChangeAfter, quad.String(prev)))
	for g, l := range ch {
		if l == "" {
			tx.AddQuad(changeQuad(rec, schema.ChangeRemoved, g))
		} else {
			tx.AddQuad(changeQuad(rec, schema.ChangeStored, l))
		}
	}
	return nil
}

// changeRecords lists the change records the store keeps.
func (s *Store) changeRecords(ctx context.Context) ([]quad.IRI, error) {
	qs, err := s.subjectQuads(ctx, schema.ChangeGraph)
	if err != nil {
		return nil, err
	}
	var out []quad.IRI
	for _, q := range qs {
		if rec, ok := q.Object.(quad.IRI); ok && q.Predicate == schema.ChangeRecord && q.Label == schema.ChangeGraph {
			out = append(out, rec)
		}
	}
	return out, nil
}

// logAnswer is what the change log says of the writes between two versions.
type logAnswer int

const (
	// logSilent: a record is missing (pruned, or never written): the
	// changes must be told from every document's label.
	logSilent logAnswer = iota
	// logTold: the changes are listed.
	logTold
	// logUntold: a write did not list its changes, or too many documents
	// changed to patch: build anew.
	logUntold
)

// changesSince reads from the change log what the writes after version
// from changed, up to version to (the store's current): per document, the
// label of its last write, or "" when that write removed it.
func (s *Store) changesSince(ctx context.Context, from, to string) (changeSet, logAnswer, error) {
	ch := changeSet{}
	stamp := to
	for step := 0; stamp != from; step++ {
		if step >= s.keepChangeRecords() || from == "" {
			return nil, logSilent, nil
		}
		qs, err := s.subjectQuads(ctx, schema.ChangeIRI(stamp))
		if err != nil {
			return nil, logSilent, err
		}
		prev, found := "", false
		for _, q := range qs {
			if q.Label != schema.ChangeGraph {
				continue
			}
			switch q.Predicate {
			case schema.ChangeUntold:
				return nil, logUntold, nil
			case schema.ChangeAfter:
				prev, found = quad.ToString(q.Object), true
			}
		}
		if !found {
			return nil, logSilent, nil
		}
		// Walking back, a later write of a document is met first and wins.
		for _, q := range qs {
			l, ok := q.Object.(quad.IRI)
			if !ok || q.Label != schema.ChangeGraph {
				continue
			}
			var g quad.IRI
			switch q.Predicate {
			case schema.ChangeStored:
				id, isDoc := schema.GraphID(l)
				if !isDoc {
					continue
				}
				g = schema.GraphIRI(id)
			case schema.ChangeRemoved:
				g, l = l, ""
			default:
				continue
			}
			if _, later := ch[g]; !later {
				ch[g] = l
			}
		}
		if len(ch) > maxPatchDocuments {
			return nil, logUntold, nil
		}
		stamp = prev
	}
	return ch, logTold, nil
}

// readChanges is, for the changes ch over a View read under labels was,
// the labels after them and the quads of each changed document (none for
// a removed one); nil when too many changed to patch.
func (s *Store) readChanges(ctx context.Context, was map[quad.IRI]quad.IRI, ch changeSet) (map[quad.IRI]quad.IRI, map[quad.IRI][]quad.Quad, error) {
	labels := maps.Clone(was)
	docs := map[quad.IRI][]quad.Quad{}
	for g, l := range ch {
		switch {
		case l == "":
			if _, had := was[g]; had {
				delete(labels, g)
				docs[g] = nil
			}
		case was[g] != l:
			if len(docs) >= maxPatchDocuments {
				return nil, nil, nil
			}
			qs, err := s.documentQuads(ctx, g, l)
			if err != nil {
				return nil, nil, err
			}
			labels[g] = l
			docs[g] = qs
		}
	}
	return labels, docs, nil
}

// documentQuads reads the quads of document g stored under label l, as a
// View holds them: under g, without pins or source texts.
func (s *Store) documentQuads(ctx context.Context, g, l quad.IRI) ([]quad.Quad, error) {
	qs, err := s.graphQuads(ctx, l)
	if err != nil {
		return nil, err
	}
	out := qs[:0]
	for _, q := range qs {
		if isPin(q) || q.Predicate == schema.SourceText {
			continue
		}
		q.Label = g
		out = append(out, q)
	}
	return out, nil
}
