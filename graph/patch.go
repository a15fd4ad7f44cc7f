package graph

import (
	"context"
	"maps"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// A new version of the store is mostly a few documents changed: the
// next View is then patched from the current one (view.View.Patch) with
// the quads of just those documents, not built from every quad. Which
// documents changed is told by their labels: every write stores a
// document's quads under a new stamped label and names it in the meta
// graph (schema.StoredAs), so a label that differs from the one the
// current View was built from is a changed document, and a missing one a
// deleted document. Each write also lists the documents it changed in the
// change log (changes.go), which a reader reads first: a lookup per write
// since its View, where comparing the labels reads every document's.

// maxPatchDocuments bounds the documents a patch reads: a write of more
// (a load) rebuilds the View.
const maxPatchDocuments = 64

// builtFrom is what a View was made of: per document graph, the label its
// quads were read under, and the count of this process's writes
// (viewCache.writes) when the reading began.
type builtFrom struct {
	labels map[quad.IRI]quad.IRI
	// complete is false when a document's quads are not under a stamped
	// label named in the meta graph (stored before labels were stamped, or
	// imported without a record): its changes cannot be told, so every
	// next View is built anew.
	complete bool
	writes   int64
}

type builtFromKey struct{}

func builtFromOf(v *view.View) *builtFrom {
	b, _ := v.Memo(builtFromKey{}, func() any { return (*builtFrom)(nil) }).(*builtFrom)
	return b
}

// Written names what one write of this process changed, so the View
// after it can be patched from the documents in hand, without reading
// them back: what a store with no index by label (bolt) needs for a
// write to be seen at once. It must name every document the write
// changed: documents put, with their quads, and documents deleted.
type Written struct {
	Puts    []*schema.Document
	Deletes []string
}

// FreshAfter is Fresh after the write w of this process: the View is
// patched from w's documents when w is the one write since the current
// View and the meta graph agrees with it; otherwise as Fresh.
func (s *Store) FreshAfter(ctx context.Context, w Written) (*view.View, error) {
	v, err := s.buildView(ctx, &w)
	return v, classify(err)
}

// patchLocked makes the View of version ver from cur by a patch, or
// returns nil when it cannot (then the caller builds it anew). The build
// lock is held.
func (s *Store) patchLocked(ctx context.Context, cur *view.View, ver string, w *Written, writes int64) (*view.View, error) {
	from := builtFromOf(cur)
	if from == nil || !from.complete {
		return nil, nil
	}
	labels, docs, err := s.changedFromWrite(ctx, from, w, ver)
	if err != nil {
		return nil, err
	}
	if labels == nil {
		if labels, docs, err = s.changedSinceView(ctx, cur.Version, ver, from); err != nil || docs == nil {
			return nil, err
		}
	}
	graphs := make([]quad.IRI, 0, len(docs))
	var added []quad.Quad
	for g, qs := range docs {
		graphs = append(graphs, g)
		added = append(added, qs...)
	}
	next := cur.Patch(graphs, added, ver)
	if next == nil {
		return nil, nil
	}
	next.Memo(builtFromKey{}, func() any { return &builtFrom{labels: labels, complete: true, writes: writes} })
	return next, nil
}

// patchAhead starts, beside a write of this process that is about to
// stamp version stamp, the patch of v to that write: puts stored under
// labels (puts[i] under labels[i]), deletes removed. v must be the
// current View of the store's version under the write lock (see
// viewOfStore), so the write is the one change between v and stamp, and
// the patch is what FreshAfter makes after it. The write's transaction
// (Cayley's indexes, the disk's syncs) and the patch then run at once,
// where one waited for the other. finish, called once the write is
// done, waits for the patch and, when the write succeeded (ok), makes
// the patched View current; it must be called either way. When the patch
// cannot be made ahead (v not patchable, a build running), finish does
// nothing and FreshAfter patches after the write as before.
func (s *Store) patchAhead(v *view.View, stamp string, puts []*schema.Document, labels []quad.IRI, deletes []string) (finish func(ok bool)) {
	nothing := func(bool) {}
	from := builtFromOf(v)
	n := len(puts) + len(deletes)
	if v == nil || from == nil || !from.complete || n == 0 || n > maxPatchDocuments {
		return nothing
	}
	// Not waiting for a build meanwhile: the writer would wait with it.
	if !s.views.build.TryLock() {
		return nothing
	}
	if s.views.current.Load() != v {
		s.views.build.Unlock()
		return nothing
	}
	next := maps.Clone(from.labels)
	graphs := make([]quad.IRI, 0, n)
	var added []quad.Quad
	for i, d := range puts {
		g := schema.GraphIRI(d.ID)
		next[g] = labels[i]
		graphs = append(graphs, g)
		added = append(added, viewQuads(d, g)...)
	}
	for _, id := range deletes {
		g := schema.GraphIRI(id)
		delete(next, g)
		graphs = append(graphs, g)
	}
	done := make(chan *view.View, 1)
	go func() {
		var p *view.View
		defer func() {
			// Not the process's end, as an unrecovered panic here would
			// be: the writer then patches after the write (FreshAfter),
			// where a panic that recurs fails its request alone.
			if recover() != nil {
				p = nil
			}
			done <- p
		}()
		p = v.Patch(graphs, added, stamp)
		if p != nil {
			prepareEngine(p)
		}
	}()
	return func(ok bool) {
		defer s.views.build.Unlock()
		p := <-done
		// The stamp this process last wrote is the write's: it stood.
		writes, last := s.lastWrite()
		if !ok || p == nil || last != stamp {
			return
		}
		p.Memo(builtFromKey{}, func() any { return &builtFrom{labels: next, complete: true, writes: writes} })
		s.views.patched.Add(1)
		s.views.current.Store(p)
		s.warm(p)
		s.views.checked.Store(time.Now().UnixNano())
	}
}

// viewQuads is d's quads as a View built from the store holds them:
// under its graph g, and each once, since the store keeps one of quads
// written twice (a plan may list a value twice).
func viewQuads(d *schema.Document, g quad.IRI) []quad.Quad {
	out := make([]quad.Quad, 0, len(d.Quads))
	seen := make(map[quad.Quad]bool, len(d.Quads))
	for _, q := range d.Quads {
		q.Label = g
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// changedFromWrite is the stored labels and the changed documents' quads
// taken from w, when w is the only write since from was read and the meta
// graph names w's documents as w wrote them; nil labels when not.
func (s *Store) changedFromWrite(ctx context.Context, from *builtFrom, w *Written, ver string) (map[quad.IRI]quad.IRI, map[quad.IRI][]quad.Quad, error) {
	// Only where no other process can write: another's writes are not
	// counted. And only when the version read (ver) is the one w's write
	// stamped: a second write of this process may have landed in the
	// store and not yet be counted.
	writes, last := s.lastWrite()
	if w == nil || !(s.mem != nil || s.kv) || writes != from.writes+1 || last == "" || last != ver || len(w.Puts)+len(w.Deletes) == 0 || len(w.Puts)+len(w.Deletes) > maxPatchDocuments {
		return nil, nil, nil
	}
	labels := maps.Clone(from.labels)
	docs := map[quad.IRI][]quad.Quad{}
	for _, d := range w.Puts {
		g := schema.GraphIRI(d.ID)
		m, stored, err := s.readDocMeta(ctx, g)
		if err != nil {
			return nil, nil, err
		}
		// A write stamps a new label: the same label is a write that
		// changed nothing, and so not the write counted.
		if !stored || m.hash != d.Hash || m.label == from.labels[g] || m.label == g {
			return nil, nil, nil
		}
		labels[g] = m.label
		docs[g] = viewQuads(d, g)
	}
	for _, id := range w.Deletes {
		g := schema.GraphIRI(id)
		if _, stored, err := s.readDocMeta(ctx, g); err != nil || stored {
			return nil, nil, err
		}
		if _, had := from.labels[g]; !had {
			return nil, nil, nil
		}
		delete(labels, g)
		docs[g] = nil
	}
	return labels, docs, nil
}

// changedSinceView is the stored labels and the changed documents'
// quads at version ver for a View of version was read under from: from
// the change log, or from every document's label when the log cannot
// tell; nil documents when the View must be built anew.
func (s *Store) changedSinceView(ctx context.Context, was, ver string, from *builtFrom) (map[quad.IRI]quad.IRI, map[quad.IRI][]quad.Quad, error) {
	ch, answer, err := s.changesSince(ctx, was, ver)
	switch {
	case err != nil || answer == logUntold:
		return nil, nil, err
	case answer == logTold:
		s.changes.fromLog.Add(1)
		return s.readChanges(ctx, from.labels, ch)
	}
	s.changes.fromLabels.Add(1)
	labels, err := s.storedLabels(ctx)
	if err != nil {
		return nil, nil, err
	}
	docs, err := s.changedDocuments(ctx, from.labels, labels)
	return labels, docs, err
}

// storedLabels reads the label of every stored document from the meta
// graph: its StoredAs quads only, found by predicate, not its source texts.
func (s *Store) storedLabels(ctx context.Context) (map[quad.IRI]quad.IRI, error) {
	qs, err := s.quadsWith(ctx, quad.Predicate, schema.StoredAs)
	if err != nil {
		return nil, err
	}
	out := make(map[quad.IRI]quad.IRI, len(qs))
	for _, q := range qs {
		g, ok := q.Subject.(quad.IRI)
		l, isIRI := q.Object.(quad.IRI)
		if ok && isIRI && q.Label == schema.MetaGraph {
			out[g] = l
		}
	}
	return out, nil
}

// changedDocuments reads the quads of the documents whose label differs
// between was and now (none for a deleted one), or returns nil when too
// many changed.
func (s *Store) changedDocuments(ctx context.Context, was, now map[quad.IRI]quad.IRI) (map[quad.IRI][]quad.Quad, error) {
	docs := map[quad.IRI][]quad.Quad{}
	for g := range was {
		if _, ok := now[g]; !ok {
			docs[g] = nil
		}
	}
	for g, l := range now {
		if was[g] == l {
			continue
		}
		if len(docs) >= maxPatchDocuments {
			return nil, nil
		}
		qs, err := s.documentQuads(ctx, g, l)
		if err != nil {
			return nil, err
		}
		docs[g] = qs
	}
	if len(docs) > maxPatchDocuments {
		return nil, nil
	}
	return docs, nil
}

// readForView reads every quad a View is built from, as allQuads does,
// and what they were read under (see builtFrom).
func (s *Store) readForView(ctx context.Context) ([]quad.Quad, map[quad.IRI]quad.IRI, bool, error) {
	s.rlock()
	all, err := s.quadsOf(ctx, s.qs.QuadsAllIterator(), schema.SourceText)
	s.runlock()
	if err != nil {
		return nil, nil, false, err
	}
	var metaQuads []quad.Quad
	for _, q := range all {
		if q.Label == schema.MetaGraph {
			metaQuads = append(metaQuads, q)
		}
	}
	meta := metaOf(metaQuads)
	visible := visibleIn(meta)
	labels := make(map[quad.IRI]quad.IRI, len(meta))
	complete := true
	for g, m := range meta {
		if g == schema.DatasetNode {
			continue
		}
		labels[g] = m.label
		if m.label == g {
			complete = false
		}
	}
	out := all[:0]
	for _, q := range all {
		if isBookkeeping(q.Label) || isPin(q) || !visible(q.Label) {
			continue
		}
		if id, isGraph := schema.GraphID(q.Label); isGraph {
			g := schema.GraphIRI(id)
			if labels[g] != q.Label {
				complete = false // visible without a record of its own
			}
			q.Label = g
		}
		out = append(out, q)
	}
	return out, labels, complete, nil
}

// indexLabels adds to Cayley's quads table an index by label, which it
// does not make: a patch reads the quads of a changed document by their
// label, which without it is a scan of every quad (with it, 0.15-0.23 s
// for a plan at L on a loaded machine, docs/performance.md section 11).
// Made once per database, and concurrently by several servers at
// once at worst, so a failure is left alone: patches then read slower.
func (v *sqlValues) indexLabels(ctx context.Context) {
	_, _ = v.db.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS policygraph_label_index ON quads (label_hash)`)
}
