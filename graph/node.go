package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// Property is a literal value of a node.
type Property struct {
	Predicate string `json:"predicate"`
	Value     any    `json:"value"`
	Lang      string `json:"lang,omitempty"`
	Graph     string `json:"graph"`
}

// Edge is a link between two nodes, seen from one of them.
type Edge struct {
	Predicate string       `json:"predicate"`
	Node      string       `json:"node"` // "type/id" for policygraph nodes, else the IRI
	Type      schema.Type  `json:"type,omitempty"`
	ID        string       `json:"id,omitempty"`
	Label     string       `json:"label"`
	Basis     schema.Basis `json:"basis,omitempty"` // for technology links
	Graph     string       `json:"graph"`
}

// Node is one node with everything attached to it.
type Node struct {
	IRI        string      `json:"iri"`
	Node       string      `json:"node"`
	Type       schema.Type `json:"type"`
	ID         string      `json:"id"`
	Label      string      `json:"label"`
	Properties []Property  `json:"properties"`
	Out        []Edge      `json:"out"`
	In         []Edge      `json:"in"`
}

// shortPredicate is a predicate's local name: "usesTechnology", "type".
func shortPredicate(p quad.Value) string {
	if p == schema.TypeOf {
		return "type"
	}
	s := text(p)
	if i := strings.LastIndexAny(s, "#/"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// NodeRef is how the API names a node: "type/id" for policygraph nodes.
func NodeRef(v quad.Value) string {
	if t, id, ok := schema.ParseIRI(v); ok {
		return string(t) + "/" + id
	}
	return text(v)
}

// Label is a display label for a node: its English name or title, else its id.
func (v *View) Label(t schema.Type, id string) string {
	switch r := v.Get(t, id).(type) {
	case *City:
		return r.Name("en")
	case *Entity:
		return r.Name("en")
	case *Source:
		return r.Name("en")
	case *Scope:
		return r.Name("en")
	case *Plan:
		return planLabel(r)
	case *Measure:
		return r.Title
	case *Instrument:
		return r.Summary
	case *Mention:
		return fmt.Sprintf("%s: %d (%s)", r.Technology, r.Count, r.Qualifier)
	}
	return id
}

// Node reads node iri and its edges from the store; labels come from view.
// It returns nil when the store has no quad touching iri.
func (s *Store) Node(ctx context.Context, v *View, iri quad.IRI) (*Node, error) {
	// The view knows which stored labels are current; asking the meta
	// graph again on every request would read every document's text.
	visible := v.visible
	if visible == nil {
		var err error
		if visible, err = s.visibleLabels(ctx); err != nil {
			return nil, err
		}
	}
	s.rlock()
	defer s.runlock()
	ref, err := s.qs.ValueOf(iri)
	if err != nil {
		return nil, fmt.Errorf("read node %s: %w", iri, err)
	}
	if ref == nil {
		return nil, nil
	}
	n := &Node{IRI: string(iri), Node: NodeRef(iri), Properties: []Property{}, Out: []Edge{}, In: []Edge{}}
	n.Type, n.ID, _ = schema.ParseIRI(iri)
	n.Label = v.Label(n.Type, n.ID)
	edge := func(q quad.Quad, other quad.Value) Edge {
		e := Edge{Predicate: shortPredicate(q.Predicate), Node: NodeRef(other), Label: text(other), Graph: graphName(q.Label)}
		if t, id, ok := schema.ParseIRI(other); ok {
			e.Type, e.ID, e.Label = t, id, v.Label(t, id)
		}
		if b, ok := schema.BasisOfPredicate(q.Predicate); ok {
			e.Basis = b
		}
		return e
	}
	for _, dir := range []quad.Direction{quad.Subject, quad.Object} {
		qs, err := s.quadsOf(ctx, s.qs.QuadIterator(dir, ref))
		if err != nil {
			return nil, fmt.Errorf("read node %s: %w", iri, err)
		}
		for _, q := range qs {
			if q.Label == schema.MetaGraph || q.Label == schema.PinGraph || !visible(q.Label) {
				continue
			}
			switch {
			case dir == quad.Object:
				n.In = append(n.In, edge(q, q.Subject))
			case isNode(q.Object):
				n.Out = append(n.Out, edge(q, q.Object))
			default:
				p := Property{Predicate: shortPredicate(q.Predicate), Value: q.Object.Native(), Graph: graphName(q.Label)}
				switch o := q.Object.(type) {
				case quad.LangString:
					p.Value, p.Lang = string(o.Value), o.Lang
				case quad.TypedString:
					p.Value = string(o.Value)
				}
				n.Properties = append(n.Properties, p)
			}
		}
	}
	sort.SliceStable(n.Properties, func(i, j int) bool {
		a, b := n.Properties[i], n.Properties[j]
		if a.Predicate != b.Predicate {
			return a.Predicate < b.Predicate
		}
		return a.Lang < b.Lang
	})
	for _, es := range [][]Edge{n.Out, n.In} {
		sort.SliceStable(es, func(i, j int) bool {
			if es[i].Predicate != es[j].Predicate {
				return es[i].Predicate < es[j].Predicate
			}
			return es[i].Node < es[j].Node
		})
	}
	return n, nil
}

func isNode(v quad.Value) bool {
	switch v.(type) {
	case quad.IRI, quad.BNode:
		return true
	}
	return false
}

func graphName(label quad.Value) string {
	if id, ok := schema.GraphID(label); ok {
		return id
	}
	return quad.StringOf(label)
}
