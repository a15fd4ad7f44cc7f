package loader

import (
	"errors"
	"os"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

type noIDs struct{}

func (noIDs) IDs(schema.Type) []string { return nil }

func (noIDs) Has(schema.Type, string) bool { return false }

// FuzzParsePlan: any bytes are either a document or a list of errors with
// their places; never a panic.
func FuzzParsePlan(f *testing.F) {
	for _, p := range []string{"testdata/mini/plans/plan-a.yaml", "../data/plans/beijing-new-infrastructure-2020.yaml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("id: [unclosed"))
	f.Add([]byte("{\"id\": \"x\", \"measures\": [{\"id\": 1}]}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := ParsePlan("fuzz", src, "plan-a", noIDs{})
		if err == nil {
			if doc == nil || doc.ID != "plan/plan-a" {
				t.Fatalf("no error and no document")
			}
			return
		}
		var es Errors
		if !errors.As(err, &es) || len(es) == 0 {
			t.Fatalf("error without places: %v", err)
		}
		for _, e := range es {
			if e.Line < 1 || e.Col < 1 || e.Msg == "" {
				t.Fatalf("error without a place: %+v", e)
			}
		}
	})
}
