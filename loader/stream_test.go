package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// latePlan is a plan whose file sorts after every other plan of the
// fixture and that relates to a plan no file defines: an error a
// streaming load can only find once every file is read.
var latePlan = mustRead("../testdata/late-plan.yaml")

func mustRead(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// fixtureWith copies the frozen fixture and writes files (path → text) into it.
func fixtureWith(t *testing.T, files map[string]string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS("../testdata/data")); err != nil {
		t.Fatal(err)
	}
	for rel, text := range files {
		if err := os.WriteFile(filepath.Join(dst, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestStreamHandsWhatLoadKeeps(t *testing.T) {
	ds, err := Load("../testdata/data")
	if err != nil {
		t.Fatal(err)
	}
	var got []*schema.Document
	sum, err := Stream("../testdata/data", func(d *schema.Document) error {
		got = append(got, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Graphs != nil || sum.Hash != ds.Hash || sum.Files != len(ds.Graphs) || sum.QuadCount != ds.Quads() || sum.Documents != 7 {
		t.Errorf("summary %+v, want hash %s, %d files, %d quads, 7 documents", sum, ds.Hash, len(ds.Graphs), ds.Quads())
	}
	// The vocabulary first: plans are checked against it.
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	if !strings.HasPrefix(ids[0], "vocabulary/") || !strings.HasPrefix(ids[5], "mentions/") {
		t.Errorf("handed in the order %v", ids)
	}
	byID := map[string]*schema.Document{}
	for _, d := range ds.Graphs {
		byID[d.ID] = d
	}
	for _, d := range got {
		want := byID[d.ID]
		if want == nil || want.Hash != d.Hash || len(want.Quads) != len(d.Quads) || string(want.Source) != string(d.Source) {
			t.Errorf("%s handed unlike Load's", d.ID)
		}
	}
}

func TestStreamStopsHandingAtTheFirstProblem(t *testing.T) {
	late := filepath.Join(PlansDir, "zzz-late-plan.yaml")
	for _, c := range []struct {
		name   string
		files  map[string]string
		handed int    // documents put before the problem was found, in path order
		want   string // the one error, after the file's path
	}{
		// The late plan checks on its own, so it is handed on too.
		{"a reference only the last file shows is wrong", map[string]string{late: latePlan},
			14, `zzz-late-plan.yaml:7:12: related[0].plan: unknown plan "no-such-plan"`},
		{"the first file after the vocabulary is wrong", map[string]string{
			filepath.Join(MentionsDir, "three-plan-totals.yaml"): "id: three-plan-totals\nsource: no-such-source\nmentions: []\n"},
			5, `three-plan-totals.yaml:2:9: source: unknown source "no-such-source"`},
		{"a measure id given twice, the second time in the last file", map[string]string{
			late: strings.Replace(strings.Replace(latePlan, "no-such-plan", "fuzhou-new-infrastructure-2020", 1), "zzz-late-measure", "beijing-blockchain-enterprises", 1)},
			13, `zzz-late-plan.yaml:9:9: measures[0].id: duplicate measure id "beijing-blockchain-enterprises"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := fixtureWith(t, c.files)
			var handed []string
			_, err := Stream(dir, func(d *schema.Document) error {
				handed = append(handed, d.ID)
				return nil
			})
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want) {
				t.Fatalf("error %v, want one: %s", err, c.want)
			}
			if len(handed) != c.handed {
				t.Errorf("handed %d documents (%v), want %d", len(handed), handed, c.handed)
			}
		})
	}
}

func TestStreamEndsOnPutsError(t *testing.T) {
	stop := errors.New("the store is gone")
	n := 0
	_, err := Stream("../testdata/data", func(*schema.Document) error {
		n++
		if n == 7 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 7 {
		t.Errorf("after %d puts: %v", n, err)
	}
}
