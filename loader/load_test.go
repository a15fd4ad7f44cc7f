package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// copyMini copies testdata/mini into a temporary directory, applying edits:
// file → (old → new) replacements, or a whole new content when old is "".
func copyMini(t *testing.T, edits map[string][2]string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir("testdata/mini", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("testdata/mini", p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel, e := range edits {
		p := filepath.Join(dst, rel)
		if e[0] == "" {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(e[1]), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), e[0]) {
			t.Fatalf("edit of %s: %q not found", rel, e[0])
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), e[0], e[1], 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestLoadValid(t *testing.T) {
	ds, err := Load("testdata/mini")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Documents != 1 || ds.Measures != 1 || len(ds.Graphs) != 3 {
		t.Fatalf("got %d documents, %d measures, %d graphs; want 1, 1, 3", ds.Documents, ds.Measures, len(ds.Graphs))
	}
	want := quad.Quad{
		Subject:   schema.Measure.IRI("finance-demo"),
		Predicate: schema.UsesTechnology,
		Object:    schema.Technology.IRI("blockchain"),
		Label:     schema.GraphIRI("plan/plan-a"),
	}
	found := false
	for _, g := range ds.Graphs {
		for _, q := range g.Quads {
			if q == want {
				found = true
			}
			if q.Label != schema.GraphIRI(g.ID) {
				t.Errorf("quad %v in graph %s has label %v", q, g.ID, q.Label)
			}
		}
	}
	if !found {
		t.Errorf("no quad %v", want)
	}
	again, err := Load("testdata/mini")
	if err != nil || again.Hash != ds.Hash {
		t.Errorf("second load: hash %s, err %v; want %s", again.Hash, err, ds.Hash)
	}
}

// TestLoadBroader checks that a technology's broader concept becomes one
// quad of the vocabulary's graph.
func TestLoadBroader(t *testing.T) {
	dir := copyMini(t, map[string][2]string{"vocabulary/terms.yaml": {"  - id: blockchain\n",
		"  - id: new-technology-infrastructure\n    names: {en: New technology infrastructure, zh: 新技术基础设施, ja: 新技術インフラ}\n  - id: blockchain\n    broader: new-technology-infrastructure\n"}})
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := quad.Quad{Subject: schema.Technology.IRI("blockchain"), Predicate: schema.Broader,
		Object: schema.Technology.IRI("new-technology-infrastructure"), Label: schema.GraphIRI("vocabulary/terms")}
	n := 0
	for _, g := range ds.Graphs {
		for _, q := range g.Quads {
			if q.Predicate == schema.Broader {
				n++
				if q != want {
					t.Errorf("got %v, want %v", q, want)
				}
			}
		}
	}
	if n != 1 {
		t.Errorf("%d broader quads, want 1", n)
	}
}

func TestLoadErrors(t *testing.T) {
	const plan = "plans/plan-a.yaml"
	const vocab = "vocabulary/terms.yaml"
	tests := []struct {
		name  string
		edits map[string][2]string
		want  []string // every error, relative to the data directory
	}{
		{
			name:  "malformed YAML",
			edits: map[string][2]string{plan: {"city: fuzhou", "city: [fuzhou"}},
			want:  []string{"plans/plan-a.yaml:3:1: malformed YAML: ',' or ']' must be specified"},
		},
		{
			name:  "unknown key with suggestion",
			edits: map[string][2]string{plan: {"published:", "publshed:"}},
			want:  []string{`plans/plan-a.yaml:5:1: publshed: unknown key "publshed" (did you mean "published"?)`},
		},
		{
			name:  "missing required key",
			edits: map[string][2]string{plan: {"issuer: city-government\n", ""}},
			want:  []string{`plans/plan-a.yaml:1:1: missing required key "issuer"`},
		},
		{
			name:  "unknown technology with suggestion",
			edits: map[string][2]string{plan: {"{id: blockchain, basis: explicit}", "{id: blockchian, basis: explicit}"}},
			want:  []string{`plans/plan-a.yaml:13:14: measures[0].technologies[0].id: unknown technology "blockchian" (did you mean "blockchain"?)`},
		},
		{
			name:  "unknown basis",
			edits: map[string][2]string{plan: {"basis: explicit", "basis: maybe"}},
			want:  []string{`plans/plan-a.yaml:13:33: measures[0].technologies[0].basis: unknown basis "maybe": use one of explicit, inferred, extracted`},
		},
		{
			name:  "duplicate id across files",
			edits: map[string][2]string{"mentions/totals.yaml": {"id: totals-blockchain", "id: plan-a-blockchain"}},
			want:  []string{`plans/plan-a.yaml:26:9: mentions[0].id: duplicate mention id "plan-a-blockchain" (first defined at DIR/mentions/totals.yaml:4:9)`},
		},
		{
			name:  "bad date",
			edits: map[string][2]string{plan: {"published: 2020-06-02", "published: 2020-13-02"}},
			want:  []string{`plans/plan-a.yaml:5:12: published: bad date "2020-13-02": write YYYY-MM-DD with a real month and day`},
		},
		{
			name:  "period ends before it starts",
			edits: map[string][2]string{plan: {"end: 2022", "end: 2019"}},
			want:  []string{`plans/plan-a.yaml:6:28: period.end: period ends (2019) before it starts (2020)`},
		},
		{
			name:  "negative count",
			edits: map[string][2]string{"mentions/totals.yaml": {"count: 70", "count: -3"}},
			want:  []string{`mentions/totals.yaml:6:12: mentions[0].count: count -3 is negative`},
		},
		{
			name:  "wrong type",
			edits: map[string][2]string{"mentions/totals.yaml": {"count: 70", "count: seventy"}},
			want:  []string{`mentions/totals.yaml:6:12: mentions[0].count: expected a whole number, found "seventy"`},
		},
		{
			name:  "plan file name",
			edits: map[string][2]string{plan: {"id: plan-a", "id: plan-b"}, "mentions/totals.yaml": {"fuzhou]", "fuzhou]"}},
			want: []string{
				`plans/plan-a.yaml:1:5: id: plan id "plan-b" does not match the file name: name the file plan-b.yaml`,
				`plans/plan-a.yaml:30:43: mentions[0].scope.documents[0]: unknown plan "plan-a" (did you mean "plan-b"?)`,
			},
		},
		{
			name:  "alias taken by another entity",
			edits: map[string][2]string{vocab: {"names: {en: Finance, zh: 金融, ja: 金融}", "names: {en: Finance, zh: 金融, ja: 金融}\n  - id: banking\n    names: {en: Banking, zh: 金融, ja: 銀行}"}},
			want:  []string{`vocabulary/terms.yaml:25:26: domains[1].names.zh: "金融" is already a name of domain "finance"`},
		},
		{
			name:  "unknown broader concept",
			edits: map[string][2]string{vocab: {"  - id: blockchain\n", "  - id: blockchain\n    broader: new-tech\n"}},
			want:  []string{`vocabulary/terms.yaml:19:14: technologies[0].broader: unknown technology "new-tech"`},
		},
		{
			name:  "cycle of broader concepts",
			edits: map[string][2]string{vocab: {"  - id: blockchain\n", "  - id: ledger\n    broader: blockchain\n    names: {en: Ledger, zh: 账本, ja: 台帳}\n  - id: blockchain\n    broader: ledger\n"}},
			want:  []string{`vocabulary/terms.yaml:22:14: technologies[1].broader: broader concepts form a cycle: blockchain → ledger → blockchain`},
		},
		{
			name:  "a domain with a broader concept",
			edits: map[string][2]string{vocab: {"  - id: finance\n", "  - id: finance\n    broader: blockchain\n"}},
			want:  []string{`vocabulary/terms.yaml:23:14: domains[0].broader: domains have no hierarchy: only technologies take a broader concept`},
		},
		{
			name: "several errors at once",
			edits: map[string][2]string{
				plan:                   {"domains: [finance]", "domains: [finanse]"},
				"mentions/totals.yaml": {"qualifier: more_than", "qualifier: about"},
			},
			want: []string{
				`mentions/totals.yaml:7:16: mentions[0].qualifier: unknown qualifier "about": use one of exact, more_than`,
				`plans/plan-a.yaml:14:15: measures[0].domains[0]: unknown domain "finanse" (did you mean "finance"?)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyMini(t, tt.edits)
			ds, err := Load(dir)
			if ds != nil {
				t.Errorf("got a dataset despite errors")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v, want validation errors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, strings.ReplaceAll(strings.TrimPrefix(e.Error(), dir+"/"), dir+"/", "DIR/"))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
