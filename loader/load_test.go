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
			name:  "not UTF-8 (a GBK comment)",
			edits: map[string][2]string{plan: {"city: fuzhou", "city: fuzhou # \xb8\xa3\xd6\xdd"}},
			want:  []string{"plans/plan-a.yaml:2:16: not valid UTF-8 at byte 26 (0xb8): save the file as UTF-8 (GBK, GB18030 or Big5 text must be converted first)"},
		},
		{
			name:  "an empty required text",
			edits: map[string][2]string{plan: {"issuer: city-government", `issuer: ""`}},
			want:  []string{"plans/plan-a.yaml:3:9: issuer: must not be empty: leave the key out when the value is unknown"},
		},
		{
			name:  "a missing evidence section, said once",
			edits: map[string][2]string{plan: {"evidence: {section: fuzhou, summary: The plan", "evidence: {summary: The plan"}},
			want:  []string{`plans/plan-a.yaml:15:16: measures[0].evidence: missing required key "section"`},
		},
		{
			name:  "a technology written as its name suggests its id",
			edits: map[string][2]string{plan: {"{id: blockchain, basis: explicit}", "{id: 区块链, basis: explicit}"}},
			want:  []string{`plans/plan-a.yaml:13:14: measures[0].technologies[0].id: unknown technology "区块链" (did you mean "blockchain"?)`},
		},
		{
			name:  "a domain written in capitals suggests its id",
			edits: map[string][2]string{plan: {"domains: [finance]", "domains: [Finance]"}},
			want:  []string{`plans/plan-a.yaml:14:15: measures[0].domains[0]: unknown domain "Finance" (did you mean "finance"?)`},
		},
		{
			name:  "unknown key with suggestion",
			edits: map[string][2]string{plan: {"published:", "publshed:"}},
			want:  []string{`plans/plan-a.yaml:5:1: publshed: unknown key "publshed" (did you mean "published"?)`},
		},
		{
			name:  "missing required key",
			edits: map[string][2]string{plan: {"city: fuzhou\n", ""}},
			want:  []string{`plans/plan-a.yaml:1:1: missing required key "city"`},
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
			name:  "a count written with no value",
			edits: map[string][2]string{"mentions/totals.yaml": {"count: 70", "count: ~"}},
			want:  []string{`mentions/totals.yaml:6:12: mentions[0].count: expected a number, found nothing`},
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
			want:  []string{`vocabulary/terms.yaml:36:26: domains[1].names.zh: "金融" is already a name of domain "finance"`},
		},
		{
			name:  "unknown broader concept",
			edits: map[string][2]string{vocab: {"  - id: blockchain\n", "  - id: blockchain\n    broader: new-tech\n"}},
			want:  []string{`vocabulary/terms.yaml:30:14: technologies[0].broader: unknown technology "new-tech"`},
		},
		{
			name:  "cycle of broader concepts",
			edits: map[string][2]string{vocab: {"  - id: blockchain\n", "  - id: ledger\n    broader: blockchain\n    names: {en: Ledger, zh: 账本, ja: 台帳}\n  - id: blockchain\n    broader: ledger\n"}},
			want:  []string{`vocabulary/terms.yaml:33:14: technologies[1].broader: broader concepts form a cycle: blockchain → ledger → blockchain`},
		},
		{
			name:  "a domain with a broader concept",
			edits: map[string][2]string{vocab: {"  - id: finance\n", "  - id: finance\n    broader: blockchain\n"}},
			want:  []string{`vocabulary/terms.yaml:34:14: domains[0].broader: domains have no hierarchy: only technologies take a broader concept`},
		},
		{
			name:  "a source address that is no web address",
			edits: map[string][2]string{vocab: {"    names: {en: An article}\n", "    names: {en: An article}\n    address: ftp://example.org/a\n"}},
			want:  []string{`vocabulary/terms.yaml:5:14: sources[0].address: bad address "ftp://example.org/a": write the page's http or https address`},
		},
		{
			name:  "bad signing date",
			edits: map[string][2]string{plan: {"published: 2020-06-02", "signed: 2020-02-30\npublished: 2020-06-02"}},
			want:  []string{`plans/plan-a.yaml:5:9: signed: bad date "2020-02-30": write YYYY-MM-DD with a real month and day`},
		},
		{
			name:  "unknown level",
			edits: map[string][2]string{vocab: {"    level: city\n", "    level: town\n"}},
			want:  []string{`vocabulary/terms.yaml:23:12: cities[2].level: unknown level "town": use one of nation, province, municipality, city`},
		},
		{
			name:  "empty level",
			edits: map[string][2]string{vocab: {"    level: city\n", "    level: \"\"\n"}},
			want:  []string{`vocabulary/terms.yaml:23:12: cities[2].level: must not be empty: leave the key out when the value is unknown`},
		},
		{
			name:  "a city without a parent",
			edits: map[string][2]string{vocab: {"    parent: fujian\n", ""}},
			want:  []string{`vocabulary/terms.yaml:22:5: cities[2].parent: a jurisdiction of level "city" needs a parent`},
		},
		{
			name:  "a parent of the wrong level",
			edits: map[string][2]string{vocab: {"    parent: fujian\n", "    parent: china\n"}},
			want:  []string{`vocabulary/terms.yaml:26:13: cities[2].parent: a jurisdiction of level city lies within one of level province, but "china" is of level nation`},
		},
		{
			name:  "a code outside the parent's",
			edits: map[string][2]string{vocab: {`code: "350100"`, `code: "440300"`}},
			want:  []string{`vocabulary/terms.yaml:24:11: cities[2].code: code 440300 does not lie in the code 350000 of its parent "fujian"`},
		},
		{
			name:  "the nation with a parent",
			edits: map[string][2]string{vocab: {"    level: nation\n", "    level: nation\n    parent: fujian\n"}},
			want:  []string{`vocabulary/terms.yaml:21:13: cities[1].parent: the nation has no parent`},
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

// TestTechnologyShorthand: `technologies: [blockchain]` is a technology
// the plan names, as `{id: blockchain, basis: explicit}` is.
func TestTechnologyShorthand(t *testing.T) {
	long, err := Load(copyMini(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	short, err := Load(copyMini(t, map[string][2]string{"plans/plan-a.yaml": {"technologies:\n      - {id: blockchain, basis: explicit}", "technologies: [blockchain]"}}))
	if err != nil {
		t.Fatal(err)
	}
	quadsOf := func(ds *Dataset) map[string]bool {
		out := map[string]bool{}
		for _, g := range ds.Graphs {
			if g.ID == "plan/plan-a" {
				for _, q := range g.Quads {
					out[q.NQuad()] = true
				}
			}
		}
		return out
	}
	a, b := quadsOf(long), quadsOf(short)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d quads written out, %d in shorthand", len(a), len(b))
	}
	for q := range a {
		if !b[q] {
			t.Errorf("the shorthand lacks %s", q)
		}
	}
	if _, err := Load(copyMini(t, map[string][2]string{"plans/plan-a.yaml": {"technologies:\n      - {id: blockchain, basis: explicit}", "technologies: [blockchian]"}})); err == nil ||
		!strings.Contains(err.Error(), `unknown technology "blockchian" (did you mean "blockchain"?)`) {
		t.Errorf("a misspelt shorthand: %v", err)
	}
}

// TestParsePlanIDMismatch: a document sent to another plan's address is
// one error, not also a clash with every id it defines.
func TestParsePlanIDMismatch(t *testing.T) {
	dir := copyMini(t, nil)
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "plans", "plan-a.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParsePlan("body", src, "plan-b", ds)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Error(), `the document's id "plan-a" is not "plan-b"`) {
		t.Errorf("errors: %v", err)
	}
}
