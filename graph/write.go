package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// ErrStale is a conditional write whose expected version is not the stored one.
var ErrStale = errors.New("the document changed since that version")

// ErrExists is a create-only write of a document the store holds.
var ErrExists = errors.New("the document exists")

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
// document's version ("*": any version), or nothing is written and
// ErrStale returned.
// Writers are serialised, across processes too, so concurrent writes to
// one document end with the last one, and a document that defines an id
// another document defines is refused with an IDConflictError. Nothing of
// a write that fails stays visible, and its quads are removed.
func (s *Store) PutDocument(ctx context.Context, d *schema.Document, ifMatch string) (_ PutResult, err error) {
	return s.putDocument(ctx, d, ifMatch, false)
}

// CreateDocument is PutDocument that refuses, with ErrExists, to replace a
// stored document (If-None-Match: *).
func (s *Store) CreateDocument(ctx context.Context, d *schema.Document) (PutResult, error) {
	return s.putDocument(ctx, d, "", true)
}

func (s *Store) putDocument(ctx context.Context, d *schema.Document, ifMatch string, create bool) (_ PutResult, err error) {
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
	switch {
	case create && stored:
		return PutResult{}, ErrExists
	case ifMatch == "*" && !stored, ifMatch != "" && ifMatch != "*" && (!stored || old.hash != ifMatch):
		return PutResult{}, ErrStale
	}
	v, err := s.viewOfStore(ctx)
	if err != nil {
		return PutResult{}, err
	}
	if err := s.checkClaims(ctx, d, v); err != nil {
		return PutResult{}, err
	}
	if err := s.checkLinks(ctx, d, "", v); err != nil {
		return PutResult{}, err
	}
	res := PutResult{Created: !stored, Version: d.Hash}
	if stored && old.hash == d.Hash && old.origin == d.Origin {
		return res, nil
	}
	_, _, err = s.commit(ctx, []*schema.Document{d}, map[string]docMeta{d.ID: old}, nil, nil, v)
	return res, err
}

// Referrer is a link from another current document to a node of a
// document being deleted.
type Referrer struct {
	Document  string // graph id of the referring document, e.g. "plan/beijing-…"
	Node      string // the referring node, e.g. "plan/beijing-…"
	Predicate string // the link, e.g. ns#specialPlanOf
	Target    string // the node referred to, e.g. "plan/beijing-blockchain-2020"
	// Relation marks links between plans ("related" in a plan file),
	// which ?cascade=relations may remove.
	Relation bool
	// Source and Path are the referring document as written, for a
	// cascade that edits it.
	Source []byte
	Path   string
}

// ReferencedError is a delete refused because other documents refer to
// nodes of the document.
type ReferencedError struct {
	ID        string // graph id of the document
	Referrers []Referrer
}

func (e *ReferencedError) Error() string {
	docs := []string{}
	for _, r := range e.Referrers {
		if !slices.Contains(docs, r.Document) {
			docs = append(docs, r.Document)
		}
	}
	return fmt.Sprintf("%s is referred to by %s: delete or edit those first, or delete with cascade", e.ID, strings.Join(docs, ", "))
}

// Cascade turns the referrers of a document being deleted into the
// edited versions of the referring documents (one per document), or
// refuses with an error.
type Cascade func([]Referrer) ([]*schema.Document, error)

// DeleteDocument removes the document with graph id id in one
// transaction. A document other documents refer to is not deleted: the
// error is a ReferencedError, unless cascade is not nil and returns the
// referring documents edited, which are then stored in the same
// transaction. A document that came from a file is remembered as deleted,
// so that loading the data directory again does not bring it back until
// its file changes.
func (s *Store) DeleteDocument(ctx context.Context, id, ifMatch string, cascade Cascade) (err error) {
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
	if !stored && ifMatch != "" {
		return ErrStale // RFC 9110: a precondition on a missing resource fails
	}
	if !stored {
		return ErrNoDocument
	}
	if ifMatch != "" && ifMatch != "*" && old.hash != ifMatch {
		return ErrStale
	}
	v, err := s.viewOfStore(ctx)
	if err != nil {
		return err
	}
	refs, err := s.referrers(ctx, id, old)
	if err != nil {
		return err
	}
	metas := map[string]docMeta{id: old}
	var edits []*schema.Document
	if len(refs) > 0 {
		if cascade == nil {
			return &ReferencedError{ID: id, Referrers: refs}
		}
		if edits, err = cascade(refs); err != nil {
			return err
		}
		for _, d := range edits {
			if err := checkText(d); err != nil {
				return err
			}
			m, ok, err := s.readDocMeta(ctx, schema.GraphIRI(d.ID))
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("cascade: %s is not stored", d.ID)
			}
			if err := s.checkLinks(ctx, d, id, v); err != nil {
				return err
			}
			metas[d.ID] = m
		}
	}
	tombstone := func(tx *graph.Transaction) {
		if v := tombstoneVersion(old); v != "" {
			tx.AddQuad(metaQuad(schema.GraphIRI(id), schema.Deleted, v))
		}
	}
	_, _, err = s.commit(ctx, edits, metas, []string{id}, tombstone, v)
	return err
}

// referrers lists the links from other current documents to the nodes
// document id defines.
func (s *Store) referrers(ctx context.Context, id string, m docMeta) ([]Referrer, error) {
	have, err := s.graphQuads(ctx, m.label)
	if err != nil {
		return nil, err
	}
	owners := map[quad.IRI]docMeta{}
	var out []Referrer
	for _, q := range have {
		if q.Predicate != schema.TypeOf {
			continue
		}
		in, err := s.quadsWith(ctx, quad.Object, q.Subject)
		if err != nil {
			return nil, err
		}
		for _, r := range in {
			rid, isDoc := schema.GraphID(r.Label)
			if !isDoc || rid == id || isBookkeeping(r.Label) || isPin(r) {
				continue
			}
			g := schema.GraphIRI(rid)
			om, seen := owners[g]
			if !seen {
				if om, _, err = s.readDocMeta(ctx, g); err != nil {
					return nil, err
				}
				if om.source, err = s.sourceOf(ctx, om); err != nil {
					return nil, err
				}
				owners[g] = om
			}
			if om.label != r.Label {
				continue // a failed write's leftovers
			}
			_, isRelation := schema.RelationOfPredicate(r.Predicate)
			pred, _ := r.Predicate.(quad.IRI)
			out = append(out, Referrer{Document: rid, Node: nodeName(r.Subject), Predicate: string(pred),
				Target: nodeName(q.Subject), Relation: isRelation, Source: []byte(om.source), Path: om.path})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Document != out[j].Document {
			return out[i].Document < out[j].Document
		}
		return out[i].Node+out[i].Predicate+out[i].Target < out[j].Node+out[j].Predicate+out[j].Target
	})
	return out, nil
}

// nodeName is a node's type/id, or its IRI when it is not one of ours.
func nodeName(v quad.Value) string {
	if t, id, ok := schema.ParseIRI(v); ok {
		return string(t) + "/" + id
	}
	return quad.StringOf(v)
}

// DocumentSource is document id as it was written, and whether it is stored.
func (s *Store) DocumentSource(ctx context.Context, id string) (StoredSource, bool, error) {
	m, ok, err := s.readDocMeta(ctx, schema.GraphIRI(id))
	if err != nil || !ok {
		return StoredSource{}, false, classify(err)
	}
	src, err := s.sourceOf(ctx, m)
	if err != nil {
		return StoredSource{}, false, classify(err)
	}
	return StoredSource{ID: id, Path: m.path, Origin: m.origin, Version: m.hash, Source: []byte(src)}, true, nil
}

// StoredSource is one document as it was written, for export to files.
type StoredSource struct {
	ID, Path, Origin string
	Version          string // its content hash, as PutResult.Version
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
		src, err := s.sourceOf(ctx, m)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, StoredSource{ID: mustGraphID(g), Path: m.path, Origin: m.origin, Source: []byte(src)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
