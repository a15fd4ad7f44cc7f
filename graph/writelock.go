package graph

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// ErrNotUTF8 is a document with text that is not valid UTF-8, which the
// store cannot keep.
var ErrNotUTF8 = errors.New("text is not valid UTF-8")

// writeLockKey names the advisory lock that serialises the writers of all
// processes sharing one PostgreSQL schema.
const writeLockKey = `hashtext('policygraph.writes:' || current_schema())`

// lockWrites makes the caller the only writer, and returns what ends that.
// In one process s.writes is enough; over PostgreSQL, where several
// servers share a graph, a session advisory lock held on a connection of
// its own serialises the writers of every process: two writers of one
// document can then neither both pass one If-Match nor both add a version
// stamp, and each reads the meta graph as the other left it. If the
// process dies, PostgreSQL ends the session and the lock with it.
//
// Before it returns, the leftovers of this process's earlier failed
// writes are removed (see discard).
func (s *Store) lockWrites(ctx context.Context) (unlock func(), err error) {
	s.writes.Lock()
	unlock = s.writes.Unlock
	if s.sql != nil {
		conn, err := s.sql.db.Conn(ctx)
		if err != nil {
			s.writes.Unlock()
			return nil, fmt.Errorf("take the write lock: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+writeLockKey+`)`); err != nil {
			conn.Close()
			s.writes.Unlock()
			return nil, fmt.Errorf("take the write lock: %w", err)
		}
		s.sql.locked = conn
		unlock = func() {
			s.sql.locked = nil
			// Not the request's context: it may be over, and the lock must go.
			c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err := conn.ExecContext(c, `SELECT pg_advisory_unlock(`+writeLockKey+`)`)
			cancel()
			if err != nil {
				// Closing the session is the other way to release it.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
			conn.Close()
			s.writes.Unlock()
		}
	}
	s.discardOrphans(ctx)
	return unlock, nil
}

// discard removes the quads of a write that failed after its first
// transaction stored them under label. They are invisible already; if
// they cannot be removed now (the disk still full, the database gone), the
// next write tries again, and Repair at the next start at the latest.
func (s *Store) discard(ctx context.Context, label quad.IRI) {
	if err := s.removeGraph(ctx, label); err != nil {
		s.orphans = append(s.orphans, label)
	}
}

func (s *Store) discardAll(ctx context.Context, labels []quad.IRI) {
	for _, l := range labels {
		s.discard(ctx, l)
	}
}

func (s *Store) discardOrphans(ctx context.Context) {
	left := s.orphans[:0]
	for _, l := range s.orphans {
		if err := s.removeGraph(ctx, l); err != nil {
			left = append(left, l)
		}
	}
	s.orphans = left
}

// removeGraph deletes every quad labelled label and its pending mark, in
// one transaction that only removes (safe on Cayley's key-value backends).
func (s *Store) removeGraph(ctx context.Context, label quad.IRI) error {
	tx := graph.NewTransaction()
	if err := s.leftovers(ctx, label, tx); err != nil {
		return err
	}
	return s.apply(tx)
}

// leftovers adds to tx the removal of what a write that never committed
// left under label: its quads, its text, its pending mark.
func (s *Store) leftovers(ctx context.Context, label quad.IRI, tx *graph.Transaction) error {
	refs, err := s.labelRefs(ctx, []quad.IRI{label})
	if err != nil {
		return err
	}
	return s.leftoversOf(ctx, label, refs[label], tx)
}

// leftoversOf is leftovers given the quads under label (see labelRefs).
func (s *Store) leftoversOf(ctx context.Context, label quad.IRI, refs []graph.Ref, tx *graph.Transaction) error {
	// A switch whose failure was ambiguous (the connection lost during
	// COMMIT, an fsync failing after the page was written) may have gone
	// through: a label the meta graph names is a document, not leftovers.
	if id, ok := schema.GraphID(label); ok {
		m, stored, err := s.readDocMeta(ctx, schema.GraphIRI(id))
		if err != nil {
			return err
		}
		if stored && m.label == label {
			tx.RemoveQuad(pendingQuad(label))
			return nil
		}
	}
	have, err := s.quadsOfRefs(ctx, refs)
	if err != nil {
		return fmt.Errorf("read graph %s: %w", label, err)
	}
	// A load writes a document's text into the history before it
	// commits (see Load.Put); a record without a VersionOf is such text.
	rec, err := s.subjectQuads(ctx, label)
	if err != nil {
		return err
	}
	var text []quad.Quad
	for _, q := range rec {
		if q.Label != schema.HistoryGraph {
			continue
		}
		if q.Predicate == schema.VersionOf {
			text = nil
			break
		}
		text = append(text, q)
	}
	for _, q := range append(have, text...) {
		tx.RemoveQuad(q)
	}
	tx.RemoveQuad(pendingQuad(label))
	return nil
}

// checkText refuses a document with text that is not UTF-8, before
// anything is written: Cayley's stores fail on it part way through.
func checkText(d *schema.Document) error {
	if !utf8.Valid(d.Source) {
		off := 0
		for off < len(d.Source) {
			r, n := utf8.DecodeRune(d.Source[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return fmt.Errorf("%s: %w at byte %d of its source", d.ID, ErrNotUTF8, off)
	}
	for _, q := range d.Quads {
		for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			if v != nil && !utf8.ValidString(quad.StringOf(v)) {
				return fmt.Errorf("%s: %w in %s", d.ID, ErrNotUTF8, quad.StringOf(q.Subject))
			}
		}
	}
	return nil
}

// checkClaims refuses a document that defines (gives a type to) a node
// another stored document defines. The loader checks the same against a
// View, but two writers racing each see a View without the other's
// document; this runs under the write lock against the store itself.
//
// v, when not nil, is the current View of the store's version, read
// under the write lock (see viewOfStore), and answers instead of it.
func (s *Store) checkClaims(ctx context.Context, d *schema.Document, v *view.View) error {
	owners := map[quad.IRI]docMeta{}
	for _, q := range d.Quads {
		if q.Predicate != schema.TypeOf {
			continue
		}
		owner, err := s.definers(ctx, v, q.Subject, d.ID, owners)
		if err != nil {
			return err
		}
		if len(owner) > 0 {
			return &IDConflictError{ID: nodeName(q.Subject), Owner: owner[0]}
		}
	}
	return nil
}

// checkLinks refuses a document that links to a node no current document
// defines, gone (a document being deleted, or "") not counting. The loader
// checks the same against a View, but the View may predate a delete that
// just committed, here or in another process; this runs under the write
// lock against the store itself (or v, as for checkClaims), so no write
// leaves a link dangling.
func (s *Store) checkLinks(ctx context.Context, d *schema.Document, gone string, v *view.View) error {
	own := map[quad.Value]bool{}
	for _, q := range d.Quads {
		if q.Predicate == schema.TypeOf {
			own[q.Subject] = true
		}
	}
	owners := map[quad.IRI]docMeta{}
	checked := map[quad.Value]bool{}
	for _, q := range d.Quads {
		target := q.Object
		if _, _, ours := schema.ParseIRI(target); !ours || own[target] || checked[target] {
			continue
		}
		checked[target] = true
		defined, err := s.definers(ctx, v, target, gone, owners)
		if err != nil {
			return err
		}
		if len(defined) == 0 {
			return &DanglingError{Document: d.ID, Node: nodeName(target)}
		}
	}
	return nil
}

// definers lists the current documents that give node a type, skipping
// skip (a document's own graph id, or one being deleted). A type quad
// under a label the meta graph does not name is a failed write's
// leftovers and defines nothing. owners caches meta records across calls.
// A View (v, when not nil) holds only the current documents' quads, each
// under its document's graph, so it answers without the meta records.
func (s *Store) definers(ctx context.Context, v *view.View, node quad.Value, skip string, owners map[quad.IRI]docMeta) ([]string, error) {
	if v != nil {
		var out []string
		for _, at := range v.Out(node) {
			q := v.Quad(at)
			if q.Predicate != schema.TypeOf {
				continue
			}
			if id, isDoc := schema.GraphID(q.Label); isDoc && id != skip {
				out = append(out, id)
			}
		}
		return out, nil
	}
	have, err := s.quadsWith(ctx, quad.Subject, node)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range have {
		if h.Predicate != schema.TypeOf || isBookkeeping(h.Label) {
			continue
		}
		id, isDoc := schema.GraphID(h.Label)
		if !isDoc || id == skip {
			continue
		}
		g := schema.GraphIRI(id)
		m, seen := owners[g]
		if !seen {
			if m, _, err = s.readDocMeta(ctx, g); err != nil {
				return nil, err
			}
			owners[g] = m
		}
		if m.label == h.Label || m.label == "" && h.Label == g {
			out = append(out, id)
		}
	}
	return out, nil
}

// viewOfStore is the current View when it is of the store's version, or
// nil. Under the write lock no write lands meanwhile, in this process or
// (over PostgreSQL) another, so such a View holds what the store holds,
// and a writer's checks read it in memory: on bolt, reading the type
// quads of a plan's nodes and their documents' meta records through
// Cayley took a PUT at L tens of milliseconds.
func (s *Store) viewOfStore(ctx context.Context) (*view.View, error) {
	v := s.views.current.Load()
	if v == nil {
		return nil, nil
	}
	ver, err := s.version(ctx)
	if err != nil || ver == "" || ver != v.Version {
		return nil, err
	}
	return v, nil
}
