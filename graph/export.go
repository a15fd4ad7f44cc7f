package graph

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"

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
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	var out []quad.Quad
	for it.Next(ctx) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return nil, fmt.Errorf("read quads: %w", err)
		}
		if q.Label == schema.MetaGraph {
			continue
		}
		out = append(out, q)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read quads: %w", err)
	}
	keys := make([]string, len(out))
	for i, q := range out {
		keys[i] = q.NQuad()
	}
	sort.Sort(byKey{out, keys})
	return out, nil
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

// WriteQuads writes qs to w as N-Quads, one per line, or as one JSON-LD document.
func WriteQuads(w io.Writer, qs []quad.Quad, format string) error {
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
