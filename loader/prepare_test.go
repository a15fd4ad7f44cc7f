package loader

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// TestPrepareFindsWhatNeedsNoOtherFile: the problems of the listing and
// of the vocabulary are known before any plan is read, and Stream then
// lists them with every other problem, as Load does, handing nothing on.
func TestPrepareFindsWhatNeedsNoOtherFile(t *testing.T) {
	late := filepath.Join(PlansDir, "zzz-late-plan.yaml")
	for _, c := range []struct {
		name  string
		files map[string]string
		// early are the problems Prepare finds, all the problems Stream
		// then lists (after each file's path).
		early, all []string
	}{
		{"a good directory", nil, nil, nil},
		{"a file outside the folders", map[string]string{"notes.yaml": "id: notes\n"},
			[]string{"notes.yaml:1:1: data file outside"}, []string{"notes.yaml:1:1: data file outside"}},
		{"a broken vocabulary and a late problem", map[string]string{
			filepath.Join(VocabularyDir, "domains.yaml"): "domains: [\n", late: latePlan},
			[]string{"domains.yaml:"}, []string{"domains.yaml:", "zzz-late-plan.yaml:"}},
		{"only a late problem", map[string]string{late: latePlan}, nil, []string{`zzz-late-plan.yaml:7:12: related[0].plan: unknown plan "no-such-plan"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := fixtureWith(t, c.files)
			p, err := Prepare(dir)
			if err != nil {
				t.Fatal(err)
			}
			contains := func(err error, wants []string) bool {
				var errs Errors
				if len(wants) == 0 {
					return err == nil
				}
				if !errors.As(err, &errs) {
					return false
				}
				for _, w := range wants {
					if !strings.Contains(errs.Error(), w) {
						return false
					}
				}
				return true
			}
			if !contains(p.Err(), c.early) {
				t.Errorf("Prepare found %v, want %q", p.Err(), c.early)
			}
			handed := 0
			ds, err := p.Stream(func(*schema.Document) error { handed++; return nil })
			if !contains(err, c.all) {
				t.Errorf("Stream found %v, want %q", err, c.all)
			}
			want, werr := Load(dir)
			if (werr == nil) != (err == nil) || werr != nil && werr.Error() != err.Error() {
				t.Errorf("Stream after Prepare: %v; Load: %v", err, werr)
			}
			if c.early != nil && handed > 0 {
				t.Errorf("%d documents handed on after Prepare found a problem", handed)
			}
			if err == nil && (ds.Hash != want.Hash || ds.Quads() != want.Quads()) {
				t.Errorf("Stream after Prepare: %s, %d quads; Load: %s, %d", ds.Hash, ds.Quads(), want.Hash, want.Quads())
			}
			if _, err := p.Stream(func(*schema.Document) error { return nil }); err == nil {
				t.Error("a second Stream ran")
			}
		})
	}
}
