package server

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// TestLexiconsMended: through patches that retitle, delete, copy and
// restore plans, the question lexicon mended from the previous View's is
// the one made anew, list for list, and reads every question alike; the
// extraction lexicon, which names only the vocabulary, is the previous
// View's own.
func TestLexiconsMended(t *testing.T) {
	ds, err := loader.Load(testData)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[quad.IRI][]quad.Quad{}
	var order []quad.IRI
	var plans []quad.IRI
	for _, g := range ds.Graphs {
		iri := schema.GraphIRI(g.ID)
		docs[iri] = g.Quads
		order = append(order, iri)
		if strings.HasPrefix(g.ID, "plan/") {
			plans = append(plans, iri)
		}
	}
	a, b := plans[0], plans[len(plans)-1]
	orig := map[quad.IRI][]quad.Quad{a: docs[a], b: docs[b]}
	retitled := func(g quad.IRI) []quad.Quad {
		var out []quad.Quad
		for _, q := range orig[g] {
			if ls, ok := q.Object.(quad.LangString); ok && q.Predicate == schema.Title {
				ls.Value = "Wombat Harbour " + ls.Value
				q.Object = ls
			}
			out = append(out, q)
		}
		return out
	}
	renamed := func(g quad.IRI, id string) []quad.Quad {
		ren := func(v quad.Value) quad.Value {
			if t, old, ok := schema.ParseIRI(v); ok && (t == schema.Plan || t == schema.Measure) {
				return t.IRI(old + "-copy")
			}
			return v
		}
		var out []quad.Quad
		for _, q := range orig[g] {
			out = append(out, quad.Quad{Subject: ren(q.Subject), Predicate: q.Predicate, Object: ren(q.Object), Label: schema.GraphIRI(id)})
		}
		return out
	}
	steps := []map[quad.IRI][]quad.Quad{
		{a: retitled(a)},
		{b: nil},
		{schema.GraphIRI("plan/copy"): renamed(a, "plan/copy")},
		{a: orig[a], b: orig[b]},
	}
	all := func() []quad.Quad {
		var qs []quad.Quad
		for _, g := range order {
			qs = append(qs, docs[g]...)
		}
		return qs
	}
	v := view.New(all(), "0")
	questions := []string{"which cities use blockchain in finance", "wombat harbour", "北京 区块链", "Wombat Harbour plans of beijing", "what did fuzhou do with 5g"}
	for i, changes := range steps {
		lx := questionLexiconOf(v)
		ex, err := lexicons{}.of(v)
		if err != nil {
			t.Fatal(err)
		}
		var graphs []quad.IRI
		var added []quad.Quad
		for g, qs := range changes {
			graphs, added = append(graphs, g), append(added, qs...)
			if qs == nil {
				delete(docs, g)
				continue
			}
			if _, ok := docs[g]; !ok {
				order = append(order, g)
			}
			docs[g] = qs
		}
		next := v.Patch(graphs, added, fmt.Sprint(i+1))
		if next == nil {
			t.Fatalf("step %d: not patched", i)
		}
		built := view.New(all(), next.Version)
		got, want := questionLexiconOf(next), newQuestionLexicon(built)
		if got == lx {
			t.Fatalf("step %d: the question lexicon was not mended", i)
		}
		if !reflect.DeepEqual(lexKeys(got.byFirst), lexKeys(want.byFirst)) || !reflect.DeepEqual(lexKeys(got.latin), lexKeys(want.latin)) {
			t.Fatalf("step %d: the mended question lexicon differs from a new one", i)
		}
		for _, q := range questions {
			if g, w := parseQuestion(got, q), parseQuestion(want, q); !reflect.DeepEqual(g, w) {
				t.Errorf("step %d: %q read as %+v, want %+v", i, q, g, w)
			}
		}
		if nex, err := (lexicons{}).of(next); err != nil || nex != ex {
			t.Errorf("step %d: the extraction lexicon was made again (%v)", i, err)
		}
		v = next
	}
}

// lexKeys are a lexicon's lists as the entries they hold, in order.
func lexKeys[K comparable](m map[K][]lexName) map[K][]view.LexiconEntry {
	out := map[K][]view.LexiconEntry{}
	for k, l := range m {
		for _, n := range l {
			out[k] = append(out[k], n.e)
		}
	}
	return out
}
