package view

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// nodeIndex is what AppendNodeJSON needs of the values a node's quads
// name, resolved when the View is built: encoding/json spent most of a
// node's answer reflecting over its edges and properties, and building
// each edge's label cost a lookup of the record it names.
type nodeIndex struct {
	// slot is, per value, its position in nodes when it is a node, -1
	// otherwise.
	slot  column[int32]
	nodes column[nodeText]
	// preds and graphs are per predicate and per quad label; few.
	preds  SharedMap[int32, *predText]
	graphs SharedMap[int32, *graphText]
	// plain has a bit per value set when its text needs no escaping in
	// JSON, so it is copied as it is.
	plain column[uint64]
}

// node is the value at position i as an edge names it, nil for a literal.
func (x *nodeIndex) node(i int32) *nodeText {
	if s := x.slot.at(int(i)); s >= 0 {
		return x.nodes.ref(int(s))
	}
	return nil
}

func (x *nodeIndex) pred(i int32) *predText {
	p, _ := x.preds.Get(i)
	return p
}

func (x *nodeIndex) graph(i int32) *graphText {
	g, _ := x.graphs.Get(i)
	return g
}

// nodeText is a node as an edge names it.
type nodeText struct {
	// ref is "type/id" for policygraph nodes (a tail of the IRI's own
	// text), else the node's text; typ is the length of its type.
	ref   string
	typ   int32
	plain bool // ref and label need no escaping
	label string
}

func (n *nodeText) typeID() (schema.Type, string) {
	if n.typ == 0 {
		return "", ""
	}
	return schema.Type(n.ref[:n.typ]), n.ref[n.typ+1:]
}

type graphText struct {
	name string // as Edge.Graph and Property.Graph
	json string // name as a JSON string
}

type predText struct {
	short string // the local name, as Edge.Predicate and Property.Predicate
	json  string // short as a JSON string
	basis schema.Basis
}

func newNodeIndex(v *View) *nodeIndex {
	slot, plain := make([]int32, v.Values()), make([]uint64, (v.Values()+63)/64)
	var nodes []nodeText
	for i := range slot {
		val := v.Value(int32(i))
		slot[i] = -1
		if jsonPlain(schema.Text(val)) {
			plain[i/64] |= 1 << (i % 64)
		}
		if isNode(val) {
			slot[i] = int32(len(nodes))
			nodes = append(nodes, v.nodeText(val))
		}
	}
	x := &nodeIndex{slot: columnOf(slot), nodes: columnOf(nodes), plain: columnOf(plain)}
	preds, graphs := NewSharedMap[int32, *predText](0), NewSharedMap[int32, *graphText](0)
	for i := range v.Quads() {
		addQuadTexts(v, v.QuadValues(int32(i)), preds, graphs)
	}
	x.preds, x.graphs = preds.Map(), graphs.Map()
	return x
}

// nodeText is node val as an edge names it, labelled from v's record.
func (v *View) nodeText(val quad.Value) nodeText {
	n := nodeText{ref: schema.Text(val), label: schema.Text(val)}
	if t, id, ok := schema.ParseIRI(val); ok {
		n.ref = n.ref[len(n.ref)-len(t)-1-len(id):]
		n.typ = int32(len(t))
		n.label = v.Label(t, id)
	}
	n.plain = jsonPlain(n.ref) && jsonPlain(n.label)
	return n
}

// addQuadTexts adds the texts of quad r's predicate and label, when
// they are not yet there.
func addQuadTexts(v *View, r [4]int32, preds *MapEdit[int32, *predText], graphs *MapEdit[int32, *graphText]) {
	if _, ok := preds.Get(r[1]); !ok {
		p := v.Value(r[1])
		short := shortPredicate(p)
		b, _ := schema.BasisOfPredicate(p)
		preds.Set(r[1], &predText{short: short, json: string(AppendJSONString(nil, short)), basis: b})
	}
	if _, ok := graphs.Get(r[3]); !ok {
		name := graphName(v.Value(r[3]))
		graphs.Set(r[3], &graphText{name: name, json: string(AppendJSONString(nil, name))})
	}
}

// jsonPlain reports whether encoding/json writes s as it is, in quotes.
func jsonPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < utf8.RuneSelf {
			if b < 0x20 || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' {
				return false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size - 1
	}
	return true
}

// AppendJSONString appends s as encoding/json writes a string (with its
// HTML escaping), so that answers stay the bytes they were.
func AppendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendJSONFloat appends f as encoding/json writes a float64; false
// for the infinities and NaN, which it refuses.
func AppendJSONFloat(dst []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, true
}

// nodeProp is a literal of the node being encoded, with what Node sorts
// it by.
type nodeProp struct {
	pred  *predText
	val   int32 // position in the View's values
	lang  string
	text  string // fmt.Sprint of its value, as Node sorts by
	graph *graphText
}

func comparePred(a, b *predText) int {
	if a == b {
		return 0
	}
	return strings.Compare(a.short, b.short)
}

func compareGraph(a, b *graphText) int {
	if a == b {
		return 0
	}
	return strings.Compare(a.name, b.name)
}

// nodeScratch is what AppendNodeJSON sorts a node's quads in, kept
// between answers: three slices made per answer were most of its
// allocations.
type nodeScratch struct {
	props   []nodeProp
	out, in []nodeEdge
}

var nodeScratchPool = sync.Pool{New: func() any { return new(nodeScratch) }}

// maxScratch bounds what the pool keeps: a hub node's lists are not
// worth holding for every answer after.
const maxScratch = 1 << 12

// put clears what points into the View (a pooled slice must not keep an
// old View alive) and returns sc to the pool.
func (sc *nodeScratch) put() {
	if cap(sc.props) > maxScratch || cap(sc.out) > maxScratch || cap(sc.in) > maxScratch {
		return
	}
	clear(sc.props)
	clear(sc.out)
	clear(sc.in)
	nodeScratchPool.Put(sc)
}

// nodeEdge is an edge of the node being encoded.
type nodeEdge struct {
	pred  *predText
	other *nodeText
	graph *graphText
}

// AppendNodeJSON appends to dst the JSON of v.Node(iri), byte for byte
// what encoding/json makes of it, without reflection and without
// building the Node: edges and labels come from what the View resolved
// when it was built. ok is false when no current quad touches iri, or
// when a value is one encoding/json would refuse (then Node and
// encoding/json say what is wrong).
func (v *View) AppendNodeJSON(dst []byte, iri quad.IRI) (_ []byte, ok bool) {
	outs, ins := v.Out(iri), v.In(iri)
	var self int32
	switch {
	case len(outs) > 0:
		self = v.QuadValues(outs[0])[0]
	case len(ins) > 0:
		self = v.QuadValues(ins[0])[2]
	default:
		return dst, false
	}
	x := v.nodes
	sc := nodeScratchPool.Get().(*nodeScratch)
	defer sc.put()
	props, out, in := sc.props[:0], sc.out[:0], sc.in[:0]
	defer func() { sc.props, sc.out, sc.in = props, out, in }()
	for _, i := range ins {
		r := v.QuadValues(i)
		in = append(in, nodeEdge{pred: x.pred(r[1]), other: x.node(r[0]), graph: x.graph(r[3])})
	}
	for _, i := range outs {
		r := v.QuadValues(i)
		if o := x.node(r[2]); o != nil {
			out = append(out, nodeEdge{pred: x.pred(r[1]), other: o, graph: x.graph(r[3])})
			continue
		}
		p := nodeProp{pred: x.pred(r[1]), val: r[2], graph: x.graph(r[3])}
		switch o := v.Value(r[2]).(type) {
		case quad.String:
			p.text = string(o)
		case quad.LangString:
			p.text, p.lang = string(o.Value), o.Lang
		case quad.TypedString:
			p.text = string(o.Value)
		case quad.Int:
			p.text = strconv.FormatInt(int64(o), 10)
		case quad.Bool:
			p.text = strconv.FormatBool(bool(o))
		default:
			p.text = fmt.Sprint(o.Native())
		}
		props = append(props, p)
	}
	// Predicates, nodes and graphs are interned: one record each, so equal
	// pointers need no string compare (most neighbours share them).
	slices.SortFunc(props, func(a, b nodeProp) int {
		return cmp.Or(comparePred(a.pred, b.pred), strings.Compare(a.lang, b.lang),
			strings.Compare(a.text, b.text), compareGraph(a.graph, b.graph))
	})
	for _, es := range [][]nodeEdge{out, in} {
		slices.SortFunc(es, func(a, b nodeEdge) int {
			c := comparePred(a.pred, b.pred)
			if c == 0 && a.other != b.other {
				c = strings.Compare(a.other.ref, b.other.ref)
			}
			return cmp.Or(c, compareGraph(a.graph, b.graph))
		})
	}

	n := x.node(self)
	t, id := n.typeID()
	dst = append(dst, `{"iri":`...)
	dst = AppendJSONString(dst, string(iri))
	dst = append(dst, `,"node":`...)
	dst = x.appendText(dst, n.ref, n.plain)
	dst = append(dst, `,"type":`...)
	dst = x.appendText(dst, string(t), n.plain)
	dst = append(dst, `,"id":`...)
	dst = x.appendText(dst, id, n.plain)
	dst = append(dst, `,"label":`...)
	if t == "" {
		dst = append(dst, `""`...) // Label of no type is the empty id
	} else {
		dst = x.appendText(dst, n.label, n.plain)
	}
	dst = append(dst, `,"properties":[`...)
	for i, p := range props {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"predicate":`...)
		dst = append(dst, p.pred.json...)
		dst = append(dst, `,"value":`...)
		if dst, ok = x.appendValue(dst, v.Value(p.val), p.val); !ok {
			return dst, false
		}
		if p.lang != "" {
			dst = append(dst, `,"lang":`...)
			dst = AppendJSONString(dst, p.lang)
		}
		dst = append(dst, `,"graph":`...)
		dst = append(dst, p.graph.json...)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"out":`...)
	dst = x.appendEdges(dst, out)
	dst = append(dst, `,"in":`...)
	dst = x.appendEdges(dst, in)
	return append(dst, '}'), true
}

func (x *nodeIndex) appendText(dst []byte, s string, plain bool) []byte {
	if plain {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	return AppendJSONString(dst, s)
}

// appendValue appends a literal as encoding/json writes Property.Value.
func (x *nodeIndex) appendValue(dst []byte, val quad.Value, at int32) ([]byte, bool) {
	plain := x.plain.at(int(at/64))&(1<<(at%64)) != 0
	switch o := val.(type) {
	case quad.String:
		return x.appendText(dst, string(o), plain), true
	case quad.LangString:
		return x.appendText(dst, string(o.Value), plain), true
	case quad.TypedString:
		return x.appendText(dst, string(o.Value), plain), true
	case quad.Int:
		return strconv.AppendInt(dst, int64(o), 10), true
	case quad.Bool:
		return strconv.AppendBool(dst, bool(o)), true
	case quad.Float:
		return AppendJSONFloat(dst, float64(o))
	}
	b, err := json.Marshal(val.Native())
	if err != nil {
		return dst, false
	}
	return append(dst, b...), true
}

func (x *nodeIndex) appendEdges(dst []byte, es []nodeEdge) []byte {
	dst = append(dst, '[')
	for i, e := range es {
		if i > 0 {
			dst = append(dst, ',')
		}
		o := e.other
		t, id := o.typeID()
		dst = append(dst, `{"predicate":`...)
		dst = append(dst, e.pred.json...)
		dst = append(dst, `,"node":`...)
		dst = x.appendText(dst, o.ref, o.plain)
		if t != "" {
			dst = append(dst, `,"type":`...)
			dst = x.appendText(dst, string(t), o.plain)
		}
		if id != "" {
			dst = append(dst, `,"id":`...)
			dst = x.appendText(dst, id, o.plain)
		}
		dst = append(dst, `,"label":`...)
		dst = x.appendText(dst, o.label, o.plain)
		if e.pred.basis != "" {
			dst = append(dst, `,"basis":`...)
			dst = AppendJSONString(dst, string(e.pred.basis))
		}
		dst = append(dst, `,"graph":`...)
		dst = append(dst, e.graph.json...)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}
