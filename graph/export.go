package graph

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/cayleygraph/quad/nquads"

	"github.com/policygraph/policygraph/schema"
)

// Export formats.
const (
	NQuads = "nquads"
	JSONLD = "jsonld"
)

// ExportFormats lists the formats Export writes.
var ExportFormats = []string{NQuads, JSONLD}

// AllQuads lists every quad of the store except the meta graph's
// bookkeeping, sorted by their N-Quads form so that output is deterministic.
func (s *Store) AllQuads(ctx context.Context) ([]quad.Quad, error) {
	qs, err := s.allQuads(ctx)
	if err != nil {
		return nil, classify(err)
	}
	sortQuads(qs)
	return qs, nil
}

// allQuads lists the visible quads in the backend's order. One pass
// reads the quads and the meta graph that says which labels are current:
// key-value backends have no label or predicate index, so a separate read
// of the meta graph would be a second scan of every quad.
func (s *Store) allQuads(ctx context.Context) ([]quad.Quad, error) {
	all, visible, err := s.scan(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, q := range all {
		if isBookkeeping(q.Label) || isPin(q) || !visible(q.Label) {
			continue
		}
		if id, isGraph := schema.GraphID(q.Label); isGraph {
			q.Label = schema.GraphIRI(id) // the document, not the write's stamp
		}
		out = append(out, q)
	}
	return out, nil
}

// scan reads every quad but the source texts (those are for export to
// files, see Sources), and says which labels readers see.
func (s *Store) scan(ctx context.Context) ([]quad.Quad, func(quad.Value) bool, error) {
	s.rlock()
	all, err := s.quadsOf(ctx, s.qs.QuadsAllIterator(), schema.SourceText)
	s.runlock()
	if err != nil {
		return nil, nil, fmt.Errorf("read quads: %w", err)
	}
	var meta []quad.Quad
	for _, q := range all {
		if q.Label == schema.MetaGraph {
			meta = append(meta, q)
		}
	}
	return all, visibleIn(metaOf(meta)), nil
}

// sortQuads puts quads in N-Quads text order, so exports are the same
// bytes for the same graph on every backend.
func sortQuads(qs []quad.Quad) {
	keys := make([]string, len(qs))
	for i, q := range qs {
		keys[i] = q.NQuad()
	}
	sort.Sort(byKey{qs, keys})
}

type byKey struct {
	q []quad.Quad
	k []string
}

func (b byKey) Len() int           { return len(b.q) }
func (b byKey) Less(i, j int) bool { return b.k[i] < b.k[j] }
func (b byKey) Swap(i, j int) {
	b.q[i], b.q[j] = b.q[j], b.q[i]
	b.k[i], b.k[j] = b.k[j], b.k[i]
}

// Export writes the whole graph (without the meta graph) to w in format.
func (s *Store) Export(ctx context.Context, w io.Writer, format string) error {
	qs, err := s.AllQuads(ctx)
	if err != nil {
		return err
	}
	return WriteQuads(w, qs, format)
}

// fullTypes spells literal types as full IRIs: the quad library prints
// integers as "8"^^<xsd:integer>, which other RDF tools do not read.
func fullTypes(q quad.Quad) quad.Quad {
	if ts, ok := q.Object.(quad.TypedStringer); ok {
		t := ts.TypedString()
		t.Type = t.Type.Full()
		q.Object = t
	}
	return q
}

// WriteQuads writes qs to w as N-Quads, one per line, or as one JSON-LD document.
func WriteQuads(w io.Writer, qs []quad.Quad, format string) error {
	for i := range qs {
		qs[i] = fullTypes(qs[i])
	}
	switch format {
	case NQuads:
		bw := bufio.NewWriter(w)
		for _, q := range qs {
			bw.WriteString(q.NQuad())
			bw.WriteByte('\n')
		}
		return bw.Flush()
	case JSONLD:
		jw := jsonld.NewWriter(w)
		if _, err := jw.WriteQuads(qs); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return jw.Close()
	}
	return fmt.Errorf("export: unknown format %q: use one of %v", format, ExportFormats)
}

// ImportNQuads adds the quads of an N-Quads stream (as Export writes it)
// through the batched writer; it returns how many it read.
func (s *Store) ImportNQuads(ctx context.Context, r io.Reader) (_ int, err error) {
	defer func() { err = classify(err) }()
	qr := nquads.NewReader(r, false)
	defer qr.Close()
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return 0, err
	}
	defer unlock()
	if s.mem != nil {
		s.mem.Lock()
	}
	w, err := s.batchWriter()
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	n, err := quad.CopyBatch(w, qr, quad.DefaultBatch)
	if err == nil {
		err = w.Close()
	}
	if s.mem != nil {
		s.mem.Unlock()
	}
	if err != nil {
		if s.kv {
			if rerr := s.reopen(); rerr != nil {
				err = fmt.Errorf("%w (and then: %w)", err, rerr)
			}
		}
		return n, fmt.Errorf("import: after %d quads: %w", n, err)
	}
	if err := s.bumpVersion(ctx, graph.NewTransaction(), nil); err != nil {
		return n, fmt.Errorf("import: %w", err)
	}
	return n, nil
}

// visibleIn says which labels hold current documents: the label the meta
// graph names for each document, and any label of a graph the meta graph
// does not know (an import). Quads under other stamped labels are a write
// in progress, or the leftovers of one cut short.
func visibleIn(meta map[quad.IRI]docMeta) func(quad.Value) bool {
	current := make(map[quad.Value]bool, len(meta))
	for _, m := range meta {
		current[m.label] = true
	}
	return func(l quad.Value) bool {
		if current[l] {
			return true
		}
		id, ok := schema.GraphID(l)
		if !ok {
			return true
		}
		_, known := meta[schema.GraphIRI(id)]
		return !known && l == schema.GraphIRI(id)
	}
}
