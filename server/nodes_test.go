package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// TestNodeAnswersAsEncodingJSON: /v1/nodes answers every node of the
// fixture with the bytes and the Content-Type that encoding/json and
// gin's JSON gave before the encoder of its own.
func TestNodeAnswersAsEncodingJSON(t *testing.T) {
	s, _ := newTestServer(t, Config{AnswerCache: -1})
	v, err := s.store.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	for i := range int32(v.Values()) {
		iri, ok := v.Value(i).(quad.IRI)
		if !ok || len(v.Out(iri)) == 0 && len(v.In(iri)) == 0 {
			continue
		}
		ref := string(iri)
		if t, id, ok := schema.ParseIRI(iri); ok {
			ref = string(t) + "/" + id
		} else if !strings.HasPrefix(ref, schema.Base) {
			continue
		}
		want, err := json.Marshal(v.Node(iri))
		if err != nil {
			t.Fatal(err)
		}
		w := get(t, s, "/v1/nodes/"+ref)
		if w.Code != http.StatusOK || w.Body.String() != string(want) || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("%s: %d %q\n got %s\nwant %s", ref, w.Code, w.Header().Get("Content-Type"), w.Body, want)
		}
		asked++
	}
	if asked < 150 {
		t.Errorf("only %d nodes asked", asked)
	}
}
