package loader

import (
	"errors"
	"strings"
	"testing"
)

// TestLoadExtractedAndNotMentions: a draft measure's extracted list and a
// term's not_mentions are checked like the rest, and valid ones load.
func TestLoadExtractedAndNotMentions(t *testing.T) {
	const plan = "plans/plan-a.yaml"
	const vocab = "vocabulary/terms.yaml"
	extracted := "    extracted:\n" +
		"      - {type: technology, id: blockchain, text: 区块链, offset: 3, offset_end: 12, confidence: 0.95, linked: true, where: clause}\n" +
		"      - {type: domain, id: finance, text: 金融, offset: 15, offset_end: 21, confidence: 0.85, linked: true, where: clause}\n"
	good := map[string][2]string{
		plan:  {"    support:\n", extracted + "    support:\n"},
		vocab: {"    names: {en: Finance, zh: 金融, ja: 金融}\n", "    names: {en: Finance, zh: 金融, ja: 金融}\n    not_mentions: {zh: [金融办], en: [Finance Bureau]}\n"},
	}
	if _, err := Load(copyMini(t, good)); err != nil {
		t.Fatalf("valid extracted list and not_mentions: %v", err)
	}
	bad := map[string][2]string{
		plan: {"    support:\n", "    extracted:\n" +
			"      - {type: gadget, id: blockchain, text: x, offset: 0, offset_end: 1, confidence: 0.5, linked: false, where: clause}\n" +
			"      - {type: domain, id: finanse, text: x, offset: 0, offset_end: 1, confidence: 1.5, linked: false, where: page}\n" +
			"      - {type: technology, id: blockchain, text: x, offset: 9, offset_end: 2, confidence: 0.5, linked: false, where: clause}\n" +
			"    support:\n"},
		vocab: {"    names: {en: Finance, zh: 金融, ja: 金融}\n", "    names: {en: Finance, zh: 金融, ja: 金融}\n    not_mentions: {fr: [finances], zh: ['']}\n"},
	}
	dir := copyMini(t, bad)
	_, err := Load(dir)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want validation errors", err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	for _, want := range []string{
		`measures[0].extracted[0].type: unknown extracted type "gadget": use one of technology, domain`,
		`measures[0].extracted[1].id: unknown domain "finanse" (did you mean "finance"?)`,
		`measures[0].extracted[1].where: unknown extracted where "page": use one of clause, sentence, paragraph`,
		`measures[0].extracted[1].confidence: confidence 1.5 is outside [0, 1]`,
		`measures[0].extracted[2].offset_end: offsets 9..2 are not a span`,
		`domains[0].not_mentions.fr: unknown language "fr"`,
		`domains[0].not_mentions.zh[0]: must not be empty`,
	} {
		found := false
		for _, g := range got {
			found = found || strings.Contains(g, want)
		}
		if !found {
			t.Errorf("no error %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
}
