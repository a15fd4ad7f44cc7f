package view

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// nodeIRIs are every IRI node of v: what /v1/nodes can be asked about.
func nodeIRIs(v *View) []quad.IRI {
	seen := map[quad.IRI]bool{}
	var out []quad.IRI
	for _, m := range []*sharded[quad.Value, []int32]{v.out, v.in} {
		for val := range m.all() {
			if iri, ok := val.(quad.IRI); ok && !seen[iri] {
				seen[iri] = true
				out = append(out, iri)
			}
		}
	}
	return out
}

// checkNodeJSON: AppendNodeJSON writes for iri the bytes encoding/json
// makes of Node(iri).
func checkNodeJSON(t *testing.T, v *View, iri quad.IRI) {
	t.Helper()
	want, err := json.Marshal(v.Node(iri))
	if err != nil {
		t.Fatalf("%s: encoding/json: %v", iri, err)
	}
	got, ok := v.AppendNodeJSON([]byte("prefix"), iri)
	if !ok || !bytes.Equal(got[len("prefix"):], want) || string(got[:len("prefix")]) != "prefix" {
		t.Errorf("%s (ok %v):\n got %s\nwant %s", iri, ok, got, want)
	}
}

// TestNodeJSONIsEncodingJSON: on every node of the fixture, the encoder
// of /v1/nodes writes what encoding/json wrote.
func TestNodeJSONIsEncodingJSON(t *testing.T) {
	v := frozenView(t)
	iris := nodeIRIs(v)
	if len(iris) < 150 {
		t.Fatalf("only %d nodes in the fixture", len(iris))
	}
	for _, iri := range iris {
		checkNodeJSON(t, v, iri)
	}
	if _, ok := v.AppendNodeJSON(nil, schema.Measure.IRI("no-such-measure")); ok {
		t.Error("a node no quad touches is encoded")
	}
}

// TestNodeJSONEscapesAsEncodingJSON: strings encoding/json escapes
// (HTML, control characters, the JavaScript line separators, bytes that
// are not UTF-8) and every kind of literal come out the same.
func TestNodeJSONEscapesAsEncodingJSON(t *testing.T) {
	subject := schema.Measure.IRI(`m<&>"\`)
	g := schema.GraphIRI("plan/p&<1>")
	other := quad.IRI("https://example.org/a?b=1&c=<2>")
	var qs []quad.Quad
	add := func(s, p, o quad.Value) { qs = append(qs, quad.Quad{Subject: s, Predicate: p, Object: o, Label: g}) }
	add(subject, schema.TypeOf, schema.Measure.ClassIRI())
	for _, s := range []string{
		"plain", "", `quote " and \ backslash`, "<script>&amp;</script>", "tab\there\nnew\rline\b\f",
		"\x00\x01\x1f\x7f", "line\u2028sep\u2029para", "bad \xff\xfe utf-8", "中文标题", "emoji 😀", "\xe2\x80",
	} {
		add(subject, schema.Summary, quad.String(s))
		add(subject, schema.Title, quad.LangString{Value: quad.String(s), Lang: "en"})
		add(subject, schema.Keyword, quad.TypedString{Value: quad.String(s), Type: "http://www.w3.org/2001/XMLSchema#string"})
	}
	for _, f := range []float64{0, -0.0, 1, 0.05, 1e-7, 123456789, 1e20, 1e21, 1.5e300, -2.5e-9, math.SmallestNonzeroFloat64} {
		add(subject, schema.Rate, quad.Float(f))
	}
	for _, i := range []int64{0, -1, 42, math.MaxInt64, math.MinInt64} {
		add(subject, schema.Count, quad.Int(i))
	}
	add(subject, schema.Uncertain, quad.Bool(true))
	add(subject, schema.Uncertain, quad.Bool(false))
	add(subject, schema.Date, quad.Time(time.Date(2021, 6, 1, 12, 30, 0, 5, time.FixedZone("x", 3600))))
	add(subject, schema.UsesTechnology, schema.Technology.IRI("blockchain"))
	add(subject, schema.InferredTechnology, schema.Technology.IRI("5g"))
	add(subject, schema.AppliesTo, other)
	add(subject, schema.AppliesTo, quad.BNode("b1"))
	add(schema.Plan.IRI("p<1>"), schema.HasMeasure, subject)
	add(other, schema.Note, subject)
	add(schema.Technology.IRI("blockchain"), schema.Name, quad.LangString{Value: "Block<chain>", Lang: "en"})
	add(schema.Technology.IRI("blockchain"), schema.TypeOf, schema.Technology.ClassIRI())
	v := New(qs, "test")
	for _, iri := range nodeIRIs(v) {
		checkNodeJSON(t, v, iri)
	}
}

// TestNodeJSONRefusesWhatEncodingJSONRefuses: a NaN is no JSON number;
// the encoder says so instead of writing something else.
func TestNodeJSONRefusesWhatEncodingJSONRefuses(t *testing.T) {
	m := schema.Measure.IRI("m")
	v := New([]quad.Quad{{Subject: m, Predicate: schema.Rate, Object: quad.Float(math.NaN()), Label: schema.GraphIRI("plan/p")}}, "test")
	if _, err := json.Marshal(v.Node(m)); err == nil {
		t.Fatal("encoding/json encodes NaN")
	}
	if _, ok := v.AppendNodeJSON(nil, m); ok {
		t.Error("NaN encoded")
	}
}
