package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// docMeta is what the meta graph records about one stored document.
type docMeta struct {
	hash, origin, path, source string
	// label is what the document's quads are stored under.
	label quad.IRI
	// deleted is the file version of a document deleted through the API
	// (see schema.Deleted); in deletedOf's records only.
	deleted string
	// fileVersion is the file version an API write replaced (see
	// schema.FileVersion).
	fileVersion string
}

// fileVersionAfter is the file version to record for d written over old:
// the file's hash when d, through the API, replaces (or, after a delete,
// recreates) a file's document, and whatever old recorded otherwise.
func fileVersionAfter(d *schema.Document, old docMeta) string {
	switch {
	case d.Origin != schema.FromAPI:
		return ""
	case old.hash != "" && old.origin == schema.FromFile:
		return old.hash
	case old.hash == "" && old.deleted != "":
		return old.deleted
	}
	return old.fileVersion
}

// tombstoneVersion is the file version a delete of m must keep the file
// from bringing back, or "" for a document no file defined.
func tombstoneVersion(m docMeta) string {
	if m.origin == schema.FromFile {
		return m.hash
	}
	return m.fileVersion
}

// deletedOf gathers the tombstones of the meta graph: per document graph
// deleted through the API, the hash of the file version it had.
func deletedOf(qs []quad.Quad) map[quad.IRI]string {
	out := map[quad.IRI]string{}
	for _, q := range qs {
		if g, ok := q.Subject.(quad.IRI); ok && q.Predicate == schema.Deleted && q.Label == schema.MetaGraph {
			out[g] = quad.ToString(q.Object)
		}
	}
	return out
}

// ApplyReport says what Apply changed.
type ApplyReport struct {
	Added, Replaced, Removed, Unchanged []string // graph ids
	QuadsAdded, QuadsRemoved            int
	// Kept lists documents a file defines but an API write changed since:
	// the API version stays (it is the newer word), until the file is
	// brought up to date (policygraph export --format yaml).
	Kept []string
	// StillDeleted lists documents a file defines that were deleted
	// through the API since that file was loaded: the deletion stands (it
	// is the newer word) until the file changes.
	StillDeleted []string
}

// Changed reports whether Apply wrote anything.
func (r ApplyReport) Changed() bool {
	return len(r.Added)+len(r.Replaced)+len(r.Removed) > 0
}

// DatasetHash is the hash of the data directory the store was last loaded
// from, or "" for a store never loaded.
func (s *Store) DatasetHash(ctx context.Context) (_ string, err error) {
	defer func() { err = classify(err) }()
	m, _, err := s.readDocMeta(ctx, schema.DatasetNode)
	return m.hash, err
}

// Apply makes the store hold exactly docs for the documents that come from
// files, as one Load: unchanged documents are left alone, changed and new
// ones written, and a file document no longer in docs is removed, all
// made visible at once. Documents written through the API are kept.
// datasetHash is recorded so a later start can tell whether data changed.
//
// progress, when not nil, is told the running count of quads written.
func (s *Store) Apply(ctx context.Context, datasetHash string, docs []*schema.Document, progress func(quads int)) (ApplyReport, error) {
	for _, d := range docs {
		if err := checkText(d); err != nil {
			return ApplyReport{}, err
		}
	}
	l, err := s.BeginLoad(ctx, progress)
	if err != nil {
		return ApplyReport{}, err
	}
	for _, d := range docs {
		if err := l.Put(d); err != nil {
			l.Abort()
			return ApplyReport{}, err
		}
	}
	return l.Commit(datasetHash)
}

// bumpVersion adds a new version stamp to tx, with the record of what
// the write changed (ch, nil when it does not tell: see changes.go), and
// applies it.
func (s *Store) bumpVersion(ctx context.Context, tx *graph.Transaction, ch changeSet) error {
	return s.bumpVersionTo(ctx, tx, ch, newStamp())
}

// bumpVersionTo is bumpVersion with the new stamp given.
func (s *Store) bumpVersionTo(ctx context.Context, tx *graph.Transaction, ch changeSet, stamp string) error {
	olds, err := s.versions(ctx)
	if err != nil {
		return err
	}
	// Every stamp goes: a store written by two processes before writes
	// were serialised across them may hold several.
	for _, old := range olds {
		tx.RemoveQuad(metaQuad(schema.DatasetNode, schema.Version, old))
	}
	prev := ""
	if len(olds) > 0 {
		prev = slices.Max(olds) // the version readers saw (see version)
	}
	tx.AddQuad(metaQuad(schema.DatasetNode, schema.Version, stamp))
	if err := s.recordChange(ctx, tx, stamp, prev, ch); err != nil {
		return err
	}
	s.views.own.Store(&stamp)
	if err := s.apply(tx); err != nil {
		// Counted all the same: the transaction may have landed before
		// what followed it failed.
		s.invalidate("")
		return err
	}
	s.invalidate(stamp)
	return nil
}

// newStamp is a version stamp unique across processes.
func newStamp() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + hex.EncodeToString(b[:])
}

// version reads the store's current version stamp ("" before the first
// load). Of several stamps (see bumpVersion) it names the greatest, so
// that every process reads the same one.
func (s *Store) version(ctx context.Context) (string, error) {
	vs, err := s.versions(ctx)
	if err != nil || len(vs) == 0 {
		return "", err
	}
	return slices.Max(vs), nil
}

// versions lists the store's version stamps: one, or none before the first load.
func (s *Store) versions(ctx context.Context) ([]string, error) {
	qs, err := s.quadsWithSubjectPredicate(ctx, schema.DatasetNode, schema.Version)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, q := range qs {
		if q.Label == schema.MetaGraph {
			out = append(out, schema.Text(q.Object))
		}
	}
	return out, nil
}

func metaQuad(s quad.Value, p schema.Predicate, o string) quad.Quad {
	return quad.Quad{Subject: s, Predicate: p, Object: quad.String(o), Label: schema.MetaGraph}
}

// metaQuads are the meta-graph quads describing document d.
func metaQuads(d *schema.Document, label quad.IRI, fileVersion string) []quad.Quad {
	g := schema.GraphIRI(d.ID)
	qs := []quad.Quad{
		metaQuad(g, schema.ContentHash, d.Hash),
		metaQuad(g, schema.Origin, d.Origin),
		metaQuad(g, schema.Path, d.Path),
	}
	if label != g {
		qs = append(qs, quad.Quad{Subject: g, Predicate: schema.StoredAs, Object: label, Label: schema.MetaGraph})
	}
	if len(d.Source) > 0 {
		qs = append(qs, metaQuad(g, schema.SourceText, string(d.Source)))
	}
	if fileVersion != "" {
		qs = append(qs, metaQuad(g, schema.FileVersion, fileVersion))
	}
	return qs
}

func oldMetaQuads(g quad.IRI, m docMeta) []quad.Quad {
	return metaQuads(&schema.Document{ID: mustGraphID(g), Hash: m.hash, Origin: m.origin, Path: m.path, Source: []byte(m.source)}, m.label, m.fileVersion)
}

// pendingQuad marks label as a write in progress (see schema.Pending).
func pendingQuad(label quad.IRI) quad.Quad {
	return quad.Quad{Subject: schema.DatasetNode, Predicate: schema.Pending, Object: label, Label: schema.MetaGraph}
}

// stamped relabels d's quads with a label no write used before.
func stamped(d *schema.Document) ([]quad.Quad, quad.IRI) {
	label := schema.StampedGraphIRI(d.ID, newStamp())
	out := make([]quad.Quad, len(d.Quads))
	for i, q := range d.Quads {
		q.Label = label
		out[i] = q
	}
	return out, label
}

func mustGraphID(g quad.IRI) string {
	id, _ := schema.GraphID(g)
	return id
}

func (s *Store) apply(tx *graph.Transaction) error {
	if len(tx.Deltas) == 0 {
		return nil
	}
	unpinned, err := s.applyLocked(tx)
	if (err != nil || !unpinned) && s.kv {
		// After the engine's locks are released: reopen waits for readers,
		// and a reader may be waiting for those locks.
		if rerr := s.reopen(); rerr != nil {
			if err == nil {
				return rerr
			}
			return fmt.Errorf("%w (and then: %w)", err, rerr)
		}
	}
	return err
}

// applyLocked applies tx, and reports whether its pins (if any) were
// removed after it: a write stands once its transaction is in, but a
// failed removal leaves the engine's caches as wrong as a failed write.
func (s *Store) applyLocked(tx *graph.Transaction) (unpinned bool, err error) {
	// Locks in the readers' order: handle, then mem.
	s.handle.RLock()
	defer s.handle.RUnlock()
	if s.mem != nil {
		s.mem.Lock()
		defer s.mem.Unlock()
	}
	if s.failApply != nil {
		if err := s.failApply(tx); err != nil {
			return true, err
		}
	}
	if s.sql != nil {
		// PostgreSQL needs no pins, and writes in fewer statements than
		// Cayley's own (see applyDeltas).
		return true, applyDeltas(s.sql.writer(), tx.Deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}, stampOf(tx))
	}
	pins := s.pins(tx)
	if err := s.qs.ApplyDeltas(tx.Deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		return true, err
	}
	if pins == nil {
		return true, nil
	}
	// The write stands once its transaction is in: pins left behind by a
	// failure here are invisible, and Repair removes them.
	return s.qs.ApplyDeltas(pins.Deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}) == nil, nil
}

// stampOf is the version stamp tx adds, or "".
func stampOf(tx *graph.Transaction) string {
	for _, d := range tx.Deltas {
		q := d.Quad
		if d.Action == graph.Add && q.Subject == schema.DatasetNode && q.Predicate == schema.Version && q.Label == schema.MetaGraph {
			return schema.Text(q.Object)
		}
	}
	return ""
}

// pins works around a bug of Cayley's key-value backends (bolt, bbolt,
// leveldb; cayleygraph/cayley#885): a transaction resolves the nodes of
// the quads it adds only among the nodes whose reference count it raises
// on balance, so in a transaction that also removes quads, an added quad
// that names a node losing as many references as it gains, or more, is
// stored with that part missing. pins adds to tx, for each such node,
// enough pin quads (in graphs of their own, outside every view and
// export) that its count rises by one, and returns the transaction that
// removes them again afterwards, which only removes and so is safe.
// Other backends need no pins.
func (s *Store) pins(tx *graph.Transaction) *graph.Transaction {
	if !s.kv {
		return nil
	}
	net := map[quad.Value]int{}
	added := map[quad.Value]bool{}
	for _, d := range tx.Deltas {
		for _, v := range []quad.Value{d.Quad.Subject, d.Quad.Predicate, d.Quad.Object, d.Quad.Label} {
			if v == nil {
				continue
			}
			if d.Action == graph.Add {
				net[v]++
				added[v] = true
			} else {
				net[v]--
			}
		}
	}
	unpin := graph.NewTransaction()
	for v, n := range net {
		if n > 0 || !added[v] {
			continue
		}
		for i := range 1 - n {
			p := quad.Quad{Subject: schema.PinGraph, Predicate: schema.Pin, Object: v, Label: pinLabel(i)}
			tx.AddQuad(p)
			unpin.RemoveQuad(p)
		}
	}
	if len(unpin.Deltas) == 0 {
		return nil
	}
	return unpin
}

// isPin reports whether q is a pin (see pins).
func isPin(q quad.Quad) bool { return q.Subject == schema.PinGraph && q.Predicate == schema.Pin }

// pinLabel is the graph of a node's i-th pin: a node losing k references
// needs k+1 pins, and quads differing only in their graph are distinct.
func pinLabel(i int) quad.IRI {
	if i == 0 {
		return schema.PinGraph
	}
	return quad.IRI(string(schema.PinGraph) + "/" + strconv.Itoa(i))
}

// replace swaps a stored document for d in one transaction: readers see
// either the old document or the new one.
func (s *Store) replace(ctx context.Context, d *schema.Document, old docMeta) (added, removed int, err error) {
	return s.commit(ctx, []*schema.Document{d}, map[string]docMeta{d.ID: old}, nil, nil, nil)
}

// remove deletes a document and its meta quads in one transaction.
func (s *Store) remove(ctx context.Context, id string, m docMeta) (int, error) {
	_, n, err := s.commit(ctx, nil, map[string]docMeta{id: m}, []string{id}, nil, nil)
	return n, err
}

// commit is one write of any number of documents, made visible at once:
// puts are stored (replacing the stored documents old names), deletes
// removed, and more, when not nil, adds its own changes.
//
// It is one transaction: the new quads go in under labels no write used
// before, the meta graph names those labels, the history records the
// versions (the old quads stay under their labels, which no reader of the
// current graph sees) and the version stamp changes, so readers see every
// document before the write or every document after it, never a mix, and
// a write that fails leaves nothing. Cayley's key-value backends lose
// quads that a transaction adds while it also removes others; the pins
// apply adds (see pins) keep them. A load, too large for one transaction,
// writes its documents first, marked pending (see Load).
//
// v, when not nil, is the current View of the store's version under the
// write lock (see viewOfStore): it is patched to the write while the
// transaction runs (see patchAhead).
func (s *Store) commit(ctx context.Context, puts []*schema.Document, old map[string]docMeta, deletes []string, more func(*graph.Transaction), v *view.View) (added, removed int, err error) {
	what := "write"
	switch {
	case len(puts) == 1 && len(deletes) == 0:
		what = "replace " + puts[0].ID
		if old[puts[0].ID].hash == "" {
			what = "add " + puts[0].ID
		}
	case len(puts) == 0 && len(deletes) == 1:
		what = "remove " + deletes[0]
	}
	size := 0
	for _, d := range puts {
		size += len(d.Quads)
	}
	tx := graph.NewTransactionN(size)
	labels := make([]quad.IRI, len(puts))
	for i, d := range puts {
		var quads []quad.Quad
		quads, labels[i] = stamped(d)
		for _, q := range quads {
			tx.AddQuad(q)
		}
		added += len(quads)
	}
	at := time.Now().UTC()
	// drop takes document id out of the current graph. Its quads stay,
	// under a label no reader of the current graph sees, as the version
	// the history records; only a document stored before labels were
	// stamped loses them, since its label would otherwise read as current.
	drop := func(id string) error {
		m, ok := old[id]
		if !ok {
			return nil
		}
		if m.deleted != "" {
			tx.RemoveQuad(metaQuad(schema.GraphIRI(id), schema.Deleted, m.deleted))
		}
		if m.hash == "" {
			return nil // not stored: at most a tombstone
		}
		for _, q := range oldMetaQuads(schema.GraphIRI(id), m) {
			tx.RemoveQuad(q)
		}
		// A stamped label's quads never change once written, so the
		// current View, when it holds them, says how many leave the
		// current graph: on bolt, reading them by label is a scan of
		// every quad (seconds at L), here only to count them.
		// A View holds a document's quads under its graph IRI and
		// records the label it read them under (builtFrom).
		if n, ok := s.viewQuadCount(schema.GraphIRI(id), m.label); ok {
			removed += n
			return nil
		}
		have, err := s.graphQuads(ctx, m.label)
		if err != nil {
			return err
		}
		if m.label == schema.GraphIRI(id) {
			for _, q := range have {
				tx.RemoveQuad(q)
			}
		}
		removed += len(have)
		return nil
	}
	record := func(id string, d *schema.Document, label quad.IRI) error {
		have, err := s.recordsOf(ctx, id)
		if err != nil {
			return err
		}
		for _, q := range nextVersions(ctx, id, have, old[id], d, label, at) {
			tx.AddQuad(q)
		}
		return nil
	}
	for i, d := range puts {
		if err := drop(d.ID); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", what, err)
		}
		if err := record(d.ID, d, labels[i]); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", what, err)
		}
		for _, q := range metaQuads(d, labels[i], fileVersionAfter(d, old[d.ID])) {
			tx.AddQuad(q)
		}
	}
	for _, id := range deletes {
		if err := drop(id); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", what, err)
		}
		if err := record(id, nil, schema.StampedGraphIRI(id, newStamp())); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", what, err)
		}
	}
	if more != nil {
		more(tx)
	}
	ch := make(changeSet, len(puts)+len(deletes))
	for i, d := range puts {
		ch[schema.GraphIRI(d.ID)] = labels[i]
	}
	for _, id := range deletes {
		ch[schema.GraphIRI(id)] = ""
	}
	stamp := newStamp()
	finish := func(bool) {}
	if v != nil {
		finish = s.patchAhead(v, stamp, puts, labels, deletes)
	}
	// finish holds the build lock until it runs: deferred, so that a panic
	// in the write (which the server's recovery turns into a 500) does not
	// leave every later build waiting for it.
	stood := false
	func() {
		defer func() { finish(stood) }()
		err = s.bumpVersionTo(ctx, tx, ch, stamp)
		stood = err == nil
	}()
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", what, err)
	}
	return added, removed, nil
}

func txOf(qs []quad.Quad) *graph.Transaction {
	tx := graph.NewTransactionN(len(qs))
	for _, q := range qs {
		tx.AddQuad(q)
	}
	return tx
}

// graphQuads lists the quads labelled g.
func (s *Store) graphQuads(ctx context.Context, g quad.Value) ([]quad.Quad, error) {
	s.rlock()
	defer s.runlock()
	ref, err := s.qs.ValueOf(g)
	if err != nil {
		return nil, fmt.Errorf("read graph %s: %w", g, err)
	}
	if ref == nil {
		return nil, nil
	}
	out, err := s.quadsOf(ctx, s.qs.QuadIterator(quad.Label, ref))
	if err != nil {
		return nil, fmt.Errorf("read graph %s: %w", g, err)
	}
	return out, nil
}

// readMeta reads the meta graph: per document graph IRI, its hash,
// origin, path, source text and stored label. It holds every document's
// source text, so per-document paths use readDocMeta instead.
func (s *Store) readMeta(ctx context.Context) (map[quad.IRI]docMeta, error) {
	meta, _, err := s.readMetaAndTombstones(ctx)
	return meta, err
}

// readMetaAndTombstones is readMeta with deletedOf's tombstones.
func (s *Store) readMetaAndTombstones(ctx context.Context) (map[quad.IRI]docMeta, map[quad.IRI]string, error) {
	qs, err := s.graphQuads(ctx, schema.MetaGraph)
	if err != nil {
		return nil, nil, err
	}
	return metaOf(qs), deletedOf(qs), nil
}

// readDocMeta reads the meta graph's record of one document graph g, and
// reports whether g is stored; a tombstone of g is in the record either way.
func (s *Store) readDocMeta(ctx context.Context, g quad.IRI) (docMeta, bool, error) {
	qs, err := s.subjectQuads(ctx, g)
	if err != nil {
		return docMeta{}, false, err
	}
	m, ok := metaOf(qs)[g]
	m.deleted = deletedOf(qs)[g]
	return m, ok, nil
}

// subjectQuads lists the quads with subject v.
func (s *Store) subjectQuads(ctx context.Context, v quad.Value) ([]quad.Quad, error) {
	return s.quadsWith(ctx, quad.Subject, v)
}

// quadsWith lists the quads with v in direction d.
func (s *Store) quadsWith(ctx context.Context, d quad.Direction, v quad.Value) ([]quad.Quad, error) {
	if s.sql != nil {
		h, ok := hashOf(s.qs, v)
		if !ok {
			return nil, nil
		}
		out, err := s.sql.quadsWhere(ctx, "q."+d.String()+"_hash = $1", h)
		if err != nil {
			return nil, fmt.Errorf("read the quads with %s %s: %w", d, v, err)
		}
		return out, nil
	}
	s.rlock()
	defer s.runlock()
	ref, err := s.qs.ValueOf(v)
	if err != nil || ref == nil {
		return nil, err
	}
	out, err := s.quadsOf(ctx, s.qs.QuadIterator(d, ref))
	if err != nil {
		return nil, fmt.Errorf("read the quads with %s %s: %w", d, v, err)
	}
	return out, nil
}

// metaOf gathers meta-graph quads into one record per document graph.
func metaOf(qs []quad.Quad) map[quad.IRI]docMeta {
	meta := map[quad.IRI]docMeta{}
	recorded := map[quad.IRI]bool{} // with more than a tombstone
	for _, q := range qs {
		g, ok := q.Subject.(quad.IRI)
		if !ok || q.Label != schema.MetaGraph {
			continue
		}
		m := meta[g]
		v := quad.ToString(q.Object)
		switch q.Predicate {
		case schema.ContentHash:
			m.hash = v
		case schema.Origin:
			m.origin = v
		case schema.Path:
			m.path = v
		case schema.SourceText:
			m.source = v
		case schema.StoredAs:
			m.label, _ = q.Object.(quad.IRI)
		case schema.Deleted:
			m.deleted = v
		case schema.FileVersion:
			m.fileVersion = v
		}
		if q.Predicate != schema.Deleted {
			recorded[g] = true
		}
		meta[g] = m
	}
	for g, m := range meta {
		if !recorded[g] {
			// Only a tombstone: not stored (see deletedOf).
			delete(meta, g)
			continue
		}
		if m.label == "" {
			m.label = g // stored before labels were stamped
			meta[g] = m
		}
	}
	return meta
}
