package view

import (
	"cmp"
	"fmt"
	"slices"
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

// Quads is the number of quads the View holds: what readers see.
func (v *View) Quads() int { return v.quads.len() }

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
	s := schema.Text(p)
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
	return schema.Text(v)
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

// Node is node iri with its properties and edges, or nil when no current
// quad touches it. It answers from the View's adjacency index rather than
// the store: on PostgreSQL each of the two direction lookups is a round
// trip, and even on bolt Cayley's own lookup costs more than the answer.
func (v *View) Node(iri quad.IRI) *Node {
	outs, ins := v.Out(iri), v.In(iri)
	if len(outs) == 0 && len(ins) == 0 {
		return nil
	}
	n := &Node{IRI: string(iri), Node: NodeRef(iri), Properties: []Property{}, Out: []Edge{}, In: []Edge{}}
	n.Type, n.ID, _ = schema.ParseIRI(iri)
	n.Label = v.Label(n.Type, n.ID)
	edge := func(q quad.Quad, other quad.Value) Edge {
		e := Edge{Predicate: shortPredicate(q.Predicate), Node: NodeRef(other), Label: schema.Text(other), Graph: graphName(q.Label)}
		if t, id, ok := schema.ParseIRI(other); ok {
			e.Type, e.ID, e.Label = t, id, v.Label(t, id)
		}
		if b, ok := schema.BasisOfPredicate(q.Predicate); ok {
			e.Basis = b
		}
		return e
	}
	for _, i := range ins {
		q := v.Quad(i)
		n.In = append(n.In, edge(q, q.Subject))
	}
	for _, i := range outs {
		q := v.Quad(i)
		if isNode(q.Object) {
			n.Out = append(n.Out, edge(q, q.Object))
			continue
		}
		p := Property{Predicate: shortPredicate(q.Predicate), Value: q.Object.Native(), Graph: graphName(q.Label)}
		switch o := q.Object.(type) {
		case quad.LangString:
			p.Value, p.Lang = string(o.Value), o.Lang
		case quad.TypedString:
			p.Value = string(o.Value)
		}
		n.Properties = append(n.Properties, p)
	}
	// Backends list quads in different orders; sorting fully makes the
	// answer the same bytes on every backend.
	type keyed struct {
		p    Property
		text string // the value's text, made once for the sort
	}
	ks := make([]keyed, len(n.Properties))
	for i, p := range n.Properties {
		ks[i] = keyed{p, fmt.Sprint(p.Value)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.p.Predicate, b.p.Predicate), cmp.Compare(a.p.Lang, b.p.Lang),
			cmp.Compare(a.text, b.text), cmp.Compare(a.p.Graph, b.p.Graph))
	})
	for i, k := range ks {
		n.Properties[i] = k.p
	}
	for _, es := range [][]Edge{n.Out, n.In} {
		slices.SortFunc(es, func(a, b Edge) int {
			return cmp.Or(cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Node, b.Node), cmp.Compare(a.Graph, b.Graph))
		})
	}
	return n
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
