package graph

import (
	"context"
	"fmt"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/quad"
)

// labelRefs finds the quads of each of labels, as references (their
// values unread). Cayley's key-value backends keep no index by label, so
// a read by label is a scan of every quad, and a load that replaces or
// abandons many documents would make one scan each: there one scan finds
// them all. Elsewhere (memory, and PostgreSQL with the index by label the
// store adds) each label is read by index.
func (s *Store) labelRefs(ctx context.Context, labels []quad.IRI) (map[quad.IRI][]graph.Ref, error) {
	s.rlock()
	defer s.runlock()
	out := make(map[quad.IRI][]graph.Ref, len(labels))
	byKey := map[any]quad.IRI{}
	for _, l := range labels {
		ref, err := s.qs.ValueOf(l)
		if err != nil {
			return nil, fmt.Errorf("read graph %s: %w", l, err)
		}
		if ref != nil {
			byKey[ref.Key()] = l
		}
	}
	if len(byKey) == 0 {
		return out, nil
	}
	drain := func(it iterator.Scanner, keep func(graph.Ref) (quad.IRI, bool)) error {
		defer it.Close()
		for it.Next(ctx) {
			ref := it.Result()
			if l, ok := keep(ref); ok {
				out[l] = append(out[l], ref)
			}
		}
		return it.Err()
	}
	if !s.kv || len(byKey) == 1 {
		for _, l := range labels {
			ref, _ := s.qs.ValueOf(l)
			if ref == nil {
				continue
			}
			if err := drain(s.qs.QuadIterator(quad.Label, ref).Iterate(), func(graph.Ref) (quad.IRI, bool) { return l, true }); err != nil {
				return nil, fmt.Errorf("read graph %s: %w", l, err)
			}
		}
		return out, nil
	}
	err := drain(s.qs.QuadsAllIterator().Iterate(), func(ref graph.Ref) (quad.IRI, bool) {
		l, err := s.qs.QuadDirection(ref, quad.Label)
		if err != nil || l == nil {
			return "", false
		}
		g, ok := byKey[l.Key()]
		return g, ok
	})
	if err != nil {
		return nil, fmt.Errorf("read the quads of %d graphs: %w", len(byKey), err)
	}
	return out, nil
}

// quadsOfRefs reads the quads refs name (see labelRefs).
func (s *Store) quadsOfRefs(ctx context.Context, refs []graph.Ref) ([]quad.Quad, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	s.rlock()
	defer s.runlock()
	return s.quadsOf(ctx, iterator.NewFixed(refs...))
}

// viewQuadCount is how many quads stored document g has under label,
// from the current View when it was read under that label: a stamped
// label's quads never change once written. A document stored before
// labels were stamped (label g) is not counted this way: its quads are
// removed, so they are read.
func (s *Store) viewQuadCount(g, label quad.IRI) (int, bool) {
	if label == g {
		return 0, false
	}
	v := s.views.current.Load()
	if v == nil {
		return 0, false
	}
	if b := builtFromOf(v); b == nil || b.labels[g] != label {
		return 0, false
	}
	n := v.LabelQuads(g)
	return n, n > 0
}

// droppedQuads is, for stored documents a write takes out of the current
// graph (graph → its meta record), how many quads each has, and the quads
// of those stored before labels were stamped, which go with them: from
// the current View where it can tell, else found in one pass.
func (s *Store) droppedQuads(ctx context.Context, docs map[quad.IRI]docMeta) (map[quad.IRI]int, map[quad.IRI][]quad.Quad, error) {
	counts := make(map[quad.IRI]int, len(docs))
	var need []quad.IRI
	for g, m := range docs {
		if n, ok := s.viewQuadCount(g, m.label); ok {
			counts[g] = n
		} else {
			need = append(need, m.label)
		}
	}
	refs, err := s.labelRefs(ctx, need)
	if err != nil {
		return nil, nil, err
	}
	unstamped := map[quad.IRI][]quad.Quad{}
	for g, m := range docs {
		if _, counted := counts[g]; counted {
			continue
		}
		counts[g] = len(refs[m.label])
		if m.label == g {
			if unstamped[g], err = s.quadsOfRefs(ctx, refs[m.label]); err != nil {
				return nil, nil, fmt.Errorf("read graph %s: %w", g, err)
			}
		}
	}
	return counts, unstamped, nil
}
