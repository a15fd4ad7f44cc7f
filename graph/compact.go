package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// Retention says which versions of a document compaction keeps. The zero
// Retention keeps everything, which is what a store does unless told
// otherwise: versions are only ever removed by Compact.
type Retention struct {
	// Versions, when positive, keeps that many newest versions of each
	// document.
	Versions int
	// Age, when positive, keeps the versions that were current at some
	// time within Age before now.
	Age time.Duration
}

// KeepsAll reports whether r removes nothing.
func (r Retention) KeepsAll() bool { return r.Versions <= 0 && r.Age <= 0 }

func (r Retention) String() string {
	switch {
	case r.KeepsAll():
		return "every version"
	case r.Age <= 0:
		return fmt.Sprintf("the newest %d versions of each document", r.Versions)
	case r.Versions <= 0:
		return fmt.Sprintf("the versions current within %s", r.Age)
	}
	return fmt.Sprintf("the newest %d versions of each document, and those current within %s", r.Versions, r.Age)
}

// CompactReport says what Compact removed.
type CompactReport struct {
	Documents, Versions, Quads int
	// Until is the time before which the graph can no longer be told
	// (as of an earlier time is refused); zero when nothing was removed.
	Until time.Time
}

// Compact removes the versions of documents that r does not keep: their
// quads and their history records. The newest version of every document
// (its current one, or its delete) is always kept, and so is every
// version a kept moment needs: a version goes only once a later one
// replaced it before the horizon. With dryRun it only reports.
func (s *Store) Compact(ctx context.Context, r Retention, now time.Time, dryRun bool) (rep CompactReport, err error) {
	defer func() { err = classify(err) }()
	if r.KeepsAll() {
		return rep, nil
	}
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return rep, err
	}
	defer unlock()
	records, err := s.allRecords(ctx)
	if err != nil {
		return rep, err
	}
	meta, err := s.readMeta(ctx)
	if err != nil {
		return rep, err
	}
	current := map[quad.Value]bool{}
	for _, m := range meta {
		current[m.label] = true
	}
	var drop []Version
	for _, vs := range records {
		n := 0
		for i, v := range vs[:max(len(vs)-1, 0)] {
			next := vs[i+1].Time // when v stopped being current
			byCount := len(vs)-i > r.Versions
			byAge := !next.IsZero() && next.Before(now.Add(-r.Age))
			old := (r.Versions <= 0 || byCount) && (r.Age <= 0 || byAge)
			if !old || current[v.label] {
				continue
			}
			drop = append(drop, v)
			n++
			if next.After(rep.Until) {
				rep.Until = next
			}
		}
		if n > 0 {
			rep.Documents++
		}
	}
	for _, v := range drop {
		have, err := s.graphQuads(ctx, v.label)
		if err != nil {
			return rep, err
		}
		rec, err := s.subjectQuads(ctx, v.label)
		if err != nil {
			return rep, err
		}
		rep.Versions++
		rep.Quads += len(have)
		if dryRun {
			continue
		}
		// Only removals: safe in one transaction on every backend.
		tx := graph.NewTransactionN(len(have) + len(rec))
		for _, q := range have {
			tx.RemoveQuad(q)
		}
		for _, q := range rec {
			if q.Label == schema.HistoryGraph {
				tx.RemoveQuad(q)
			}
		}
		if err := s.apply(tx); err != nil {
			return rep, fmt.Errorf("compact %s: %w", v.label, err)
		}
	}
	if dryRun || rep.Versions == 0 {
		return rep, nil
	}
	prev, err := s.compactedUntil(ctx)
	if err != nil {
		return rep, err
	}
	if prev.After(rep.Until) {
		rep.Until = prev
	}
	tx := graph.NewTransaction()
	if !prev.IsZero() {
		tx.RemoveQuad(metaQuad(schema.DatasetNode, schema.CompactedUntil, prev.UTC().Format(time.RFC3339Nano)))
	}
	tx.AddQuad(metaQuad(schema.DatasetNode, schema.CompactedUntil, rep.Until.UTC().Format(time.RFC3339Nano)))
	if err := s.bumpVersion(ctx, tx, nil); err != nil {
		return rep, fmt.Errorf("compact: %w", err)
	}
	s.asOf.clear()
	return rep, nil
}

// compactedUntil is the horizon of the last compaction (zero: none).
func (s *Store) compactedUntil(ctx context.Context) (time.Time, error) {
	qs, err := s.subjectQuads(ctx, schema.DatasetNode)
	if err != nil {
		return time.Time{}, err
	}
	for _, q := range qs {
		if q.Predicate == schema.CompactedUntil && q.Label == schema.MetaGraph {
			t, _ := time.Parse(time.RFC3339Nano, quad.ToString(q.Object))
			return t, nil
		}
	}
	return time.Time{}, nil
}

func (c *asOfViews) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.views, c.keys = nil, nil
}
