package synthetic

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/policygraph/policygraph/loader"
)

func TestWriteValidates(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	size := Size{Cities: 4, Plans: 2, Measures: 30, Seed: 1}
	if _, err := Write("../../data", a, size); err != nil {
		t.Fatal(err)
	}
	ds, err := loader.Load(a)
	if err != nil {
		t.Fatalf("the generated corpus does not validate: %v", err)
	}
	if ds.Documents != 8 || ds.Measures != 240 {
		t.Errorf("%d documents, %d measures; want 8 and 240", ds.Documents, ds.Measures)
	}
	if _, err := Write("../../data", b, size); err != nil {
		t.Fatal(err)
	}
	same, _ := os.ReadFile(filepath.Join(a, "plans", "city-0001-plan-01.yaml"))
	again, _ := os.ReadFile(filepath.Join(b, "plans", "city-0001-plan-01.yaml"))
	if string(same) != string(again) {
		t.Error("the same seed wrote different files")
	}
	size.Seed = 2
	if _, err := Write("../../data", c, size); err != nil {
		t.Fatal(err)
	}
	other, _ := os.ReadFile(filepath.Join(c, "plans", "city-0001-plan-01.yaml"))
	if string(other) == string(same) {
		t.Error("another seed wrote the same files")
	}
}
