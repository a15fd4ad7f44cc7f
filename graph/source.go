package graph

import (
	"context"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// sourceOf is the text the stored document m was written as. A write
// through the API keeps it in the meta graph; a Load keeps it once, in
// the history record of the version (see Load.Put), so that making a
// load visible carries no document's text.
func (s *Store) sourceOf(ctx context.Context, m docMeta) (string, error) {
	if m.source != "" || m.label == "" {
		return m.source, nil
	}
	rec, err := s.subjectQuads(ctx, m.label)
	if err != nil {
		return "", err
	}
	for _, q := range rec {
		if q.Label == schema.HistoryGraph && q.Predicate == schema.SourceText {
			return quad.ToString(q.Object), nil
		}
	}
	return "", nil
}
