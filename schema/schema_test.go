package schema

import (
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

func TestIRIRoundTrip(t *testing.T) {
	for _, typ := range Types {
		iri := typ.IRI("some-id")
		got, id, ok := ParseIRI(iri)
		if !ok || got != typ || id != "some-id" {
			t.Errorf("ParseIRI(%s) = %s, %s, %v", iri, got, id, ok)
		}
		if back, ok := TypeOfClass(typ.ClassIRI()); !ok || back != typ {
			t.Errorf("TypeOfClass(%s) = %s, %v", typ.ClassIRI(), back, ok)
		}
	}
	for _, bad := range []quad.Value{quad.IRI(Base + "id/nonsense/x"), quad.IRI("https://example.org/id/city/x"), quad.String(Base + "id/city/x"), quad.IRI(Base + "id/city/")} {
		if _, _, ok := ParseIRI(bad); ok {
			t.Errorf("ParseIRI(%v) accepted", bad)
		}
	}
	for i, b := range Bases {
		if got, ok := BasisOfPredicate(TechnologyPredicate(b)); !ok || got != b || TechnologyPredicates[i] != TechnologyPredicate(b) {
			t.Errorf("basis %s does not round-trip through its predicate", b)
		}
	}
	if id, ok := GraphID(GraphIRI("plan/x")); !ok || id != "plan/x" {
		t.Errorf("GraphID: %q %v", id, ok)
	}
}

func TestSuggest(t *testing.T) {
	ids := []string{"blockchain", "cloud-computing", "data-center", "5g", "ai", "iot"}
	tests := []struct{ word, want string }{
		{"blockchian", "blockchain"},
		{"Blokchain", "blockchain"},
		{"datacenter", "data-center"},
		{"cloud", "cloud-computing"},
		{"5h", "5g"},
		{"quantum", ""},
	}
	for _, tt := range tests {
		got := Suggest(tt.word, ids, 3)
		if (tt.want == "") != (len(got) == 0) || tt.want != "" && got[0] != tt.want {
			t.Errorf("Suggest(%q) = %v, want %q first", tt.word, got, tt.want)
		}
	}
	if got := Suggest("blockchain", ids, 3); len(got) != 0 {
		t.Errorf("an exact word gets suggestions: %v", strings.Join(got, ","))
	}
}
