package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// Load is a load of a data directory under way: Put writes each document
// as it comes, under a label no reader sees; Commit makes every one
// visible at once, with the documents no longer in the directory removed,
// in one transaction of the meta graph; Abort removes what Put wrote. It
// holds the store's write lock from BeginLoad to Commit or Abort, so the
// store's meta graph cannot change under it. A Load is for one goroutine.
//
// A load written this way holds only a batch in memory, however large the
// directory, and readers (of this process or any other) see the store
// as it was until Commit: a load that fails, or a process killed mid-way,
// changes nothing they see. The quads of a load cut short are marked
// pending; Repair removes them.
type Load struct {
	s        *Store
	ctx      context.Context
	unlock   func()
	progress func(quads int)
	meta     map[quad.IRI]docMeta
	tombs    map[quad.IRI]string
	// seen are the documents of the directory Put was given.
	seen   map[quad.IRI]bool
	staged []stagedDoc
	// batch is the transaction the next documents go into.
	batch  *graph.Transaction
	size   int // of a batch, in deltas
	rep    ApplyReport
	err    error // the first failure; nothing more is written after it
	closed bool
}

// stagedDoc is a document Put wrote, as much of it as Commit needs: its
// quads and source are in the store already.
type stagedDoc struct {
	doc   schema.Document // without quads or source
	label quad.IRI
}

// BeginLoad starts a load of a data directory into s. progress, when not
// nil, is told the running count of quads written.
func (s *Store) BeginLoad(ctx context.Context, progress func(quads int)) (_ *Load, err error) {
	defer func() { err = classify(err) }()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return nil, err
	}
	if changeOf(ctx).Who == "" {
		ctx = WithChange(ctx, Change{Who: schema.WriterFiles, Message: changeOf(ctx).Message})
	}
	if progress == nil {
		progress = func(int) {}
	}
	meta, tombs, err := s.readMetaAndTombstones(ctx)
	if err != nil {
		unlock()
		return nil, err
	}
	size := quad.DefaultBatch
	if s.loadBatch > 0 {
		size = s.loadBatch
	}
	return &Load{s: s, ctx: ctx, unlock: unlock, progress: progress, meta: meta, tombs: tombs,
		seen: map[quad.IRI]bool{}, batch: graph.NewTransactionN(size), size: size}, nil
}

// Put adds d, one document of the directory, to the load. A document
// stored with the same hash is left alone, and so is one an API write
// changed or deleted since its file was loaded (see ApplyReport.Kept and
// StillDeleted); any other is written, invisible until Commit. Documents
// go to the store in batches of about Cayley's default batch size, each
// one transaction of whole documents with their pending marks and source
// texts. Put keeps nothing of d once it returns.
func (l *Load) Put(d *schema.Document) error {
	if l.err != nil {
		return l.err
	}
	if l.closed {
		return errors.New("load: put after the load ended")
	}
	if err := l.ctx.Err(); err != nil {
		return l.fail(err)
	}
	if err := checkText(d); err != nil {
		return l.fail(err)
	}
	g := schema.GraphIRI(d.ID)
	if l.seen[g] {
		return l.fail(fmt.Errorf("load: %s given twice", d.ID))
	}
	l.seen[g] = true
	old, stored := l.meta[g]
	switch {
	case stored && old.hash == d.Hash:
		l.rep.Unchanged = append(l.rep.Unchanged, d.ID)
		return nil
	case stored && old.origin == schema.FromAPI && (old.fileVersion == "" || old.fileVersion == d.Hash):
		l.rep.Kept = append(l.rep.Kept, d.ID)
		return nil
	case !stored && l.tombs[g] != "" && l.tombs[g] == d.Hash:
		l.rep.StillDeleted = append(l.rep.StillDeleted, d.ID)
		return nil
	}
	label := schema.StampedGraphIRI(d.ID, newStamp())
	for _, q := range d.Quads {
		q.Label = label
		l.batch.AddQuad(q)
	}
	l.batch.AddQuad(pendingQuad(label))
	if len(d.Source) > 0 {
		// The text goes where the history keeps it, under the version's
		// label (see historyQuads), now: the switch then carries no
		// document's text, only its record. Without a VersionOf the record
		// is no version yet (see versionsOf).
		l.batch.AddQuad(quad.Quad{Subject: label, Predicate: schema.SourceText, Object: quad.String(d.Source), Label: schema.HistoryGraph})
	}
	l.staged = append(l.staged, stagedDoc{doc: schema.Document{ID: d.ID, Hash: d.Hash, Path: d.Path, Origin: d.Origin}, label: label})
	l.rep.QuadsAdded += len(d.Quads)
	if len(l.batch.Deltas) >= l.size {
		return l.flush()
	}
	return nil
}

// flush writes the batch.
func (l *Load) flush() error {
	if err := l.s.apply(l.batch); err != nil {
		return l.fail(fmt.Errorf("load: %w", classify(err)))
	}
	l.batch = graph.NewTransactionN(l.size)
	l.progress(l.rep.QuadsAdded)
	return nil
}

func (l *Load) fail(err error) error {
	if l.err == nil {
		l.err = err
	}
	return l.err
}

// Commit makes the load visible: in one transaction the meta graph names
// every document Put wrote, the history records their versions, the
// documents from files that datasetHash's directory no longer has are
// removed, datasetHash is recorded and the version stamp changes. On
// failure the load is aborted.
func (l *Load) Commit(datasetHash string) (_ ApplyReport, err error) {
	defer func() { err = classify(err) }()
	if l.closed {
		return l.rep, errors.New("load: commit after the load ended")
	}
	if l.err == nil && len(l.batch.Deltas) > 0 {
		l.flush()
	}
	if l.err == nil {
		l.err = l.ctx.Err()
	}
	if l.err != nil {
		err := l.err
		l.Abort()
		return l.rep, err
	}
	if err := l.commit(datasetHash); err != nil {
		l.Abort()
		return l.rep, err
	}
	l.staged = nil
	l.close()
	return l.rep, nil
}

func (l *Load) commit(datasetHash string) error {
	s, ctx := l.s, l.ctx
	var gone []quad.IRI
	for g, m := range l.meta {
		if g != schema.DatasetNode && !l.seen[g] && m.origin == schema.FromFile {
			gone = append(gone, g)
		}
	}
	old := l.meta[schema.DatasetNode]
	if len(l.staged) == 0 && len(gone) == 0 && old.hash == datasetHash {
		return nil
	}
	var history map[string][]Version
	if len(l.meta) > 0 || len(l.tombs) > 0 {
		// Documents stored or deleted before: their numbering goes on.
		var err error
		if history, err = s.allRecords(ctx); err != nil {
			return err
		}
	}
	dropped := make(map[quad.IRI]docMeta, len(gone))
	for _, st := range l.staged {
		g := schema.GraphIRI(st.doc.ID)
		if m, stored := l.meta[g]; stored {
			dropped[g] = m
		}
	}
	for _, g := range gone {
		dropped[g] = l.meta[g]
	}
	counts, unstamped, err := s.droppedQuads(ctx, dropped)
	if err != nil {
		return err
	}
	tx := graph.NewTransactionN(16 * (len(l.staged) + len(gone)))
	// drop takes stored document g out of the current graph. Its quads
	// stay under their label as the version the history records; only a
	// document stored before labels were stamped loses them, since its
	// label would otherwise read as current.
	drop := func(g quad.IRI) int {
		for _, q := range unstamped[g] {
			tx.RemoveQuad(q)
		}
		for _, q := range oldMetaQuads(g, dropped[g]) {
			tx.RemoveQuad(q)
		}
		return counts[g]
	}
	at := time.Now().UTC()
	for _, st := range l.staged {
		d := &st.doc
		g := schema.GraphIRI(d.ID)
		m, stored := l.meta[g]
		if stored {
			l.rep.Replaced = append(l.rep.Replaced, d.ID)
			l.rep.QuadsRemoved += drop(g)
		} else {
			l.rep.Added = append(l.rep.Added, d.ID)
			if t := l.tombs[g]; t != "" {
				tx.RemoveQuad(metaQuad(g, schema.Deleted, t)) // its file changed since
			}
		}
		for _, q := range nextVersions(ctx, d.ID, history[d.ID], m, d, st.label, at) {
			tx.AddQuad(q)
		}
		for _, q := range metaQuads(d, st.label, fileVersionAfter(d, m)) {
			tx.AddQuad(q)
		}
		tx.RemoveQuad(pendingQuad(st.label))
	}
	for _, g := range gone {
		id := mustGraphID(g)
		n := drop(g)
		for _, q := range nextVersions(ctx, id, history[id], l.meta[g], nil, schema.StampedGraphIRI(id, newStamp()), at) {
			tx.AddQuad(q)
		}
		l.rep.Removed = append(l.rep.Removed, id)
		l.rep.QuadsRemoved += n
	}
	if old.hash != "" {
		tx.RemoveQuad(metaQuad(schema.DatasetNode, schema.ContentHash, old.hash))
	}
	tx.AddQuad(metaQuad(schema.DatasetNode, schema.ContentHash, datasetHash))
	if len(l.meta) == 0 {
		// A new store: no write before pending marks to sweep for.
		tx.AddQuad(metaQuad(schema.DatasetNode, schema.Swept, "1"))
	}
	ch := make(changeSet, len(l.staged)+len(gone))
	for _, st := range l.staged {
		ch[schema.GraphIRI(st.doc.ID)] = st.label
	}
	for _, g := range gone {
		ch[g] = ""
	}
	if err := s.bumpVersion(ctx, tx, ch); err != nil {
		return fmt.Errorf("load: make the documents visible: %w", err)
	}
	return nil
}

// Abort ends the load without making anything visible, and removes what
// it wrote; what cannot be removed now is removed by the next write or by
// Repair. Aborting an ended load does nothing.
func (l *Load) Abort() {
	if l.closed {
		return
	}
	// Not the load's context: it may be what ended the load.
	ctx := context.WithoutCancel(l.ctx)
	// Removed in batches, as they were written: one transaction a
	// document would make a failed load of a large directory as slow to
	// undo as to write, and slower.
	var labels []quad.IRI
	tx := graph.NewTransactionN(l.size)
	flush := func() {
		if len(labels) == 0 {
			return
		}
		if err := l.s.apply(tx); err != nil {
			l.s.discardAll(ctx, labels) // one by one, or later
		}
		labels, tx = labels[:0], graph.NewTransactionN(l.size)
	}
	// Found all at once (one scan on bolt), then read a batch at a time.
	all := make([]quad.IRI, len(l.staged))
	for i, st := range l.staged {
		all[i] = st.label
	}
	refs, err := l.s.labelRefs(ctx, all)
	if err != nil {
		l.s.orphans = append(l.s.orphans, all...)
		l.staged = nil
		l.close()
		return
	}
	for _, st := range l.staged {
		err := l.s.leftoversOf(ctx, st.label, refs[st.label], tx)
		delete(refs, st.label)
		if err != nil {
			l.s.orphans = append(l.s.orphans, st.label)
			continue
		}
		labels = append(labels, st.label)
		if len(tx.Deltas) >= l.size {
			flush()
		}
	}
	flush()
	l.staged = nil
	l.close()
}

func (l *Load) close() {
	l.closed = true
	l.batch = nil
	l.unlock()
}
