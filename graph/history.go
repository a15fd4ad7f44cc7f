package graph

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// Change is who makes a write and why, recorded with every version it
// writes (see WithChange).
type Change struct {
	Who     string // a write token's name
	Message string // optional
}

type changeKey struct{}

// WithChange attaches c to the writes made with ctx: their versions are
// recorded as c.Who's, with c.Message. A write without one is recorded
// with no writer (a load of the data directory: schema.WriterFiles).
func WithChange(ctx context.Context, c Change) context.Context {
	return context.WithValue(ctx, changeKey{}, c)
}

func changeOf(ctx context.Context) Change {
	c, _ := ctx.Value(changeKey{}).(Change)
	return c
}

// Version is one recorded version of a document.
type Version struct {
	Number int
	// Time is when it was written; zero for the version a document had
	// when history began to be kept (recorded at its first later write).
	Time    time.Time
	Who     string
	Message string
	Action  string // one of schema's Actions
	Hash    string // content hash; "" for a delete
	Path    string
	Origin  string
	label   quad.IRI
}

// Deleted reports whether the version is a delete.
func (v Version) Deleted() bool { return v.Action == schema.ActionDelete }

// historyQuads records version v of document id, stored under v.label.
func historyQuads(id string, v Version, source string) []quad.Quad {
	h := func(p schema.Predicate, o quad.Value) quad.Quad {
		return quad.Quad{Subject: v.label, Predicate: p, Object: o, Label: schema.HistoryGraph}
	}
	qs := []quad.Quad{
		h(schema.VersionOf, schema.GraphIRI(id)),
		h(schema.VersionNumber, quad.String(strconv.Itoa(v.Number))),
		h(schema.ChangeAction, quad.String(v.Action)),
	}
	if !v.Time.IsZero() {
		qs = append(qs, h(schema.ChangedAt, quad.String(v.Time.UTC().Format(time.RFC3339Nano))))
	}
	for p, o := range map[schema.Predicate]string{schema.ChangedBy: v.Who, schema.ChangeMessage: v.Message,
		schema.ContentHash: v.Hash, schema.Path: v.Path, schema.Origin: v.Origin, schema.SourceText: source} {
		if o != "" {
			qs = append(qs, h(p, quad.String(o)))
		}
	}
	return qs
}

// versionsOf gathers history quads into versions, per document graph id,
// each list in version order.
func versionsOf(qs []quad.Quad) map[string][]Version {
	byLabel := map[quad.IRI]*Version{}
	ids := map[quad.IRI]string{}
	for _, q := range qs {
		l, ok := q.Subject.(quad.IRI)
		if !ok || q.Label != schema.HistoryGraph {
			continue
		}
		v := byLabel[l]
		if v == nil {
			v = &Version{label: l}
			byLabel[l] = v
		}
		s := quad.ToString(q.Object)
		switch q.Predicate {
		case schema.VersionOf:
			ids[l], _ = schema.GraphID(q.Object)
		case schema.VersionNumber:
			v.Number, _ = strconv.Atoi(s)
		case schema.ChangedAt:
			v.Time, _ = time.Parse(time.RFC3339Nano, s)
		case schema.ChangedBy:
			v.Who = s
		case schema.ChangeMessage:
			v.Message = s
		case schema.ChangeAction:
			v.Action = s
		case schema.ContentHash:
			v.Hash = s
		case schema.Path:
			v.Path = s
		case schema.Origin:
			v.Origin = s
		}
	}
	out := map[string][]Version{}
	for l, v := range byLabel {
		if id, ok := ids[l]; ok {
			out[id] = append(out[id], *v)
		}
	}
	for _, vs := range out {
		sort.Slice(vs, func(i, j int) bool { return vs[i].Number < vs[j].Number })
	}
	return out
}

// recordsOf lists the recorded versions of document id, oldest first.
// Their source texts are not read: a Version does not hold one.
func (s *Store) recordsOf(ctx context.Context, id string) ([]Version, error) {
	if s.sql != nil {
		return s.sqlRecordsOf(ctx, id)
	}
	refs, err := s.quadsWith(ctx, quad.Object, schema.GraphIRI(id))
	if err != nil {
		return nil, err
	}
	var qs []quad.Quad
	for _, r := range refs {
		if r.Predicate != schema.VersionOf || r.Label != schema.HistoryGraph {
			continue
		}
		rec, err := s.recordQuads(ctx, r.Subject)
		if err != nil {
			return nil, err
		}
		qs = append(qs, rec...)
	}
	return versionsOf(qs)[id], nil
}

// recordQuads lists the quads of one version record but its source text.
func (s *Store) recordQuads(ctx context.Context, rec quad.Value) ([]quad.Quad, error) {
	s.rlock()
	defer s.runlock()
	ref, err := s.qs.ValueOf(rec)
	if err != nil || ref == nil {
		return nil, err
	}
	out, err := s.quadsOf(ctx, s.qs.QuadIterator(quad.Subject, ref), schema.SourceText)
	if err != nil {
		return nil, fmt.Errorf("read the version record %s: %w", rec, err)
	}
	return out, nil
}

// sqlRecordsOf is recordsOf on PostgreSQL: every record of id in one
// query, where reading them one by one took a write two round trips per
// version the document ever had, each with that version's text.
func (s *Store) sqlRecordsOf(ctx context.Context, id string) ([]Version, error) {
	g, ok := hashOf(s.qs, schema.GraphIRI(id))
	of, ok2 := hashOf(s.qs, schema.VersionOf)
	h, ok3 := hashOf(s.qs, schema.HistoryGraph)
	text, ok4 := hashOf(s.qs, schema.SourceText)
	if !ok || !ok2 || !ok3 || !ok4 {
		return nil, nil
	}
	qs, err := s.sql.quadsWhere(ctx, `q.label_hash = $3 AND q.predicate_hash <> $4 AND q.subject_hash IN
		(SELECT r.subject_hash FROM quads r WHERE r.object_hash = $1 AND r.predicate_hash = $2 AND r.label_hash = $3)`, g, of, h, text)
	if err != nil {
		return nil, fmt.Errorf("read the history of %s: %w", id, err)
	}
	return versionsOf(qs)[id], nil
}

// allRecords reads every version record but their source texts: one read
// of the history graph.
func (s *Store) allRecords(ctx context.Context) (map[string][]Version, error) {
	s.rlock()
	defer s.runlock()
	ref, err := s.qs.ValueOf(schema.HistoryGraph)
	if err != nil || ref == nil {
		return nil, err
	}
	qs, err := s.quadsOf(ctx, s.qs.QuadIterator(quad.Label, ref), schema.SourceText)
	if err != nil {
		return nil, fmt.Errorf("read the history: %w", err)
	}
	return versionsOf(qs), nil
}

// nextVersions is the history quads for a write that makes document id
// new (stored under label, with d's content) or deletes it (d nil):
// its next version, and, for a document stored before history was kept,
// first the version it had until now (old), so that one is kept too.
func nextVersions(ctx context.Context, id string, have []Version, old docMeta, d *schema.Document, label quad.IRI, at time.Time) []quad.Quad {
	var out []quad.Quad
	n := len(have)
	if n > 0 {
		n = have[n-1].Number
	}
	if n == 0 && old.hash != "" && old.label != schema.GraphIRI(id) {
		n = 1
		out = append(out, historyQuads(id, Version{Number: n, Action: schema.ActionCreate, Hash: old.hash,
			Path: old.path, Origin: old.origin, label: old.label}, old.source)...)
	}
	c := changeOf(ctx)
	v := Version{Number: n + 1, Time: at, Who: c.Who, Message: c.Message, label: label}
	source := ""
	switch {
	case d == nil:
		v.Action = schema.ActionDelete
	case old.hash == "":
		v.Action = schema.ActionCreate
	default:
		v.Action = schema.ActionReplace
	}
	if d != nil {
		v.Hash, v.Path, v.Origin, source = d.Hash, d.Path, d.Origin, string(d.Source)
	}
	return append(out, historyQuads(id, v, source)...)
}

// History lists the recorded versions of document id, oldest first, and
// whether there are any.
func (s *Store) History(ctx context.Context, id string) ([]Version, error) {
	vs, err := s.recordsOf(ctx, id)
	return vs, classify(err)
}

// VersionQuads are the quads of version n of document id (none for a
// delete), labelled with the document's graph IRI.
func (s *Store) VersionQuads(ctx context.Context, id string, v Version) ([]quad.Quad, error) {
	if v.Deleted() {
		return nil, nil
	}
	qs, err := s.graphQuads(ctx, v.label)
	if err != nil {
		return nil, classify(err)
	}
	out := qs[:0]
	for _, q := range qs {
		if isPin(q) {
			continue
		}
		q.Label = schema.GraphIRI(id)
		out = append(out, q)
	}
	return out, nil
}

// isBookkeeping reports whether label l holds the store's records rather
// than a document: the meta graph and the history.
func isBookkeeping(l quad.Value) bool {
	return l == schema.MetaGraph || l == schema.HistoryGraph || l == schema.ChangeGraph
}

// VersionSource is version v of document id as it was written.
func (s *Store) VersionSource(ctx context.Context, v Version) ([]byte, error) {
	rec, err := s.subjectQuads(ctx, v.label)
	if err != nil {
		return nil, classify(err)
	}
	for _, q := range rec {
		if q.Label == schema.HistoryGraph && q.Predicate == schema.SourceText {
			return []byte(quad.ToString(q.Object)), nil
		}
	}
	return nil, nil
}

// VersionAt is, of versions vs (oldest first), the one in effect at t,
// and whether there is one (a delete is one: see Version.Deleted).
func VersionAt(vs []Version, t time.Time) (Version, bool) {
	for i := len(vs) - 1; i >= 0; i-- {
		if !vs[i].Time.After(t) {
			return vs[i], true
		}
	}
	return Version{}, false
}
