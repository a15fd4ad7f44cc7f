package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/cayleygraph/cayley/graph"

	"github.com/policygraph/policygraph/schema"
)

// ErrStale is a conditional write whose expected version is not the stored one.
var ErrStale = errors.New("the document changed since that version")

// ErrNoDocument is a write or delete of a document the store does not hold.
var ErrNoDocument = errors.New("no such document")

// PutResult says what PutDocument did.
type PutResult struct {
	Created bool
	Version string // the stored document's content hash
}

// PutDocument stores d, replacing any document with its id, in one
// transaction with the new version stamp: readers see the old document or
// the new one, never a mix. ifMatch, when not empty, must be the stored
// document's version, or nothing is written and ErrStale returned.
// Writers are serialised, across processes too, so concurrent writes to
// one document end with the last one, and a document that defines an id
// another document defines is refused with an IDConflictError. Nothing of
// a write that fails stays visible, and its quads are removed.
func (s *Store) PutDocument(ctx context.Context, d *schema.Document, ifMatch string) (_ PutResult, err error) {
	defer func() { err = classify(err) }()
	if err := checkText(d); err != nil {
		return PutResult{}, err
	}
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return PutResult{}, err
	}
	defer unlock()
	old, stored, err := s.readDocMeta(ctx, schema.GraphIRI(d.ID))
	if err != nil {
		return PutResult{}, err
	}
	if ifMatch != "" && (!stored || old.hash != ifMatch) {
		return PutResult{}, ErrStale
	}
	if err := s.checkClaims(ctx, d); err != nil {
		return PutResult{}, err
	}
	res := PutResult{Created: !stored, Version: d.Hash}
	if stored && old.hash == d.Hash && old.origin == d.Origin {
		return res, nil
	}
	if stored {
		_, _, err = s.replace(ctx, d, old)
		return res, err
	}
	// A new document: its quads first, invisible until the meta graph names
	// their label; then meta and version in one transaction.
	quads, label := stamped(d)
	if err := s.addPending(quads, label); err != nil {
		return PutResult{}, fmt.Errorf("add %s: %w", d.ID, err)
	}
	tx := graph.NewTransaction()
	for _, q := range metaQuads(d, label) {
		tx.AddQuad(q)
	}
	tx.RemoveQuad(pendingQuad(label))
	if err := s.bumpVersion(ctx, tx); err != nil {
		s.discard(ctx, label)
		return PutResult{}, fmt.Errorf("add %s: %w", d.ID, err)
	}
	return res, nil
}

// DeleteDocument removes the document with graph id id in one transaction.
func (s *Store) DeleteDocument(ctx context.Context, id, ifMatch string) (err error) {
	defer func() { err = classify(err) }()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	old, stored, err := s.readDocMeta(ctx, schema.GraphIRI(id))
	if err != nil {
		return err
	}
	if !stored {
		return ErrNoDocument
	}
	if ifMatch != "" && old.hash != ifMatch {
		return ErrStale
	}
	_, err = s.remove(ctx, id, old)
	return err
}

// DocumentVersion is the stored version (content hash) of document id, or "".
func (s *Store) DocumentVersion(ctx context.Context, id string) (string, error) {
	m, _, err := s.readDocMeta(ctx, schema.GraphIRI(id))
	return m.hash, classify(err)
}

// StoredSource is one document as it was written, for export to files.
type StoredSource struct {
	ID, Path, Origin string
	Source           []byte
}

// Sources lists every stored document with the text it was written as.
func (s *Store) Sources(ctx context.Context) ([]StoredSource, error) {
	meta, err := s.readMeta(ctx)
	if err != nil {
		return nil, classify(err)
	}
	var out []StoredSource
	for g, m := range meta {
		if g == schema.DatasetNode {
			continue
		}
		out = append(out, StoredSource{ID: mustGraphID(g), Path: m.path, Origin: m.origin, Source: []byte(m.source)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
