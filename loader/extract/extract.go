package extract

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// Options name what the draft is about; empty ids are left for the
// researcher to fill in before the draft validates.
type Options struct {
	City, Plan, Source string
	// Lang is zh, ja, en or auto (detect from the text).
	Lang string
	// File is the name the evidence refers to.
	File string
}

// Draft is a proposed plan document and what extraction saw.
type Draft struct {
	Plan *loader.PlanFile
	Lang string
}

// LexiconOf builds the extraction lexicon from the dataset's vocabulary:
// the same names and aliases that name resolution and search use.
func LexiconOf(ds *loader.Dataset) (*Lexicon, error) {
	var terms []Term
	add := func(t schema.Type, defs []loader.TermDef) {
		for _, d := range defs {
			terms = append(terms, NewTerm(t, d.ID, d.Names, d.Aliases))
		}
	}
	add(schema.Technology, ds.Technologies)
	add(schema.Domain, ds.Domains)
	return NewLexicon(terms)
}

// DetectLang guesses the language of text from its scripts: any kana
// makes it Japanese, otherwise Han characters make it Chinese.
func DetectLang(text []byte) string {
	han, kana, latin := 0, 0, 0
	for _, r := range string(text) {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case r < 128 && unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case kana > 0 && kana*20 >= han:
		return "ja"
	case han > 0 && han*4 >= latin:
		return "zh"
	}
	return "en"
}

// Extract reads text (already stripped of markup) and proposes a draft
// plan: a mention count per technology, and one draft measure per
// sentence naming a technology, with the domains of that sentence or,
// failing that, of its paragraph. offset maps a position in text to the
// byte offset in the original file (nil when they are the same).
func Extract(lx *Lexicon, text []byte, offset func(int) int, opt Options) *Draft {
	if offset == nil {
		offset = func(i int) int { return i }
	}
	lang := opt.Lang
	if lang == "" || lang == "auto" {
		lang = DetectLang(text)
	}
	hits := lx.Find(text)
	plan := &loader.PlanFile{ID: opt.Plan, City: opt.City, Source: opt.Source, Title: loader.Names{lang: firstLine(text)}}
	prefix := opt.Plan
	if prefix == "" {
		prefix = "draft"
	}

	counts := Count(hits, schema.Technology)
	for _, tech := range sortedKeys(counts) {
		n := counts[tech]
		m := loader.MentionDef{
			ID: prefix + "-" + tech + "-mentions", Technology: tech, Count: &n, Qualifier: string(schema.Exact),
			Scope:    loader.MentionScope{Documents: []string{opt.Plan}},
			Evidence: loader.Evidence{Section: "full text", Summary: fmt.Sprintf("%d mentions of %s found by extraction in %s", n, tech, opt.File)},
		}
		if opt.City != "" {
			m.Scope.Cities = []string{opt.City}
		}
		plan.Mentions = append(plan.Mentions, m)
	}

	paras := Paragraphs(text)
	h, p := 0, 0
	for _, s := range Sentences(text) {
		for h < len(hits) && hits[h].Start < s.Start {
			h++
		}
		var in []Hit
		for k := h; k < len(hits) && hits[k].End <= s.End; k++ {
			in = append(in, hits[k])
		}
		techs := ids(in, schema.Technology)
		if len(techs) == 0 {
			continue
		}
		for p < len(paras) && paras[p].End < s.Start {
			p++
		}
		domains := ids(in, schema.Domain)
		if len(domains) == 0 && p < len(paras) {
			domains = ids(within(hits, paras[p]), schema.Domain)
		}
		sentence := string(text[s.Start:s.End])
		start, end := offset(s.Start), offset(s.End)
		m := loader.MeasureDef{
			ID:    fmt.Sprintf("%s-%d", prefix, len(plan.Measures)+1),
			Kind:  string(schema.Draft),
			Title: shorten(sentence, 60),
			Evidence: loader.Evidence{
				Section: fmt.Sprintf("paragraph %d", p+1),
				Summary: shorten(sentence, 200),
				Quote:   sentence,
				Offset:  &start, OffsetEnd: &end,
			},
			Domains: domains,
		}
		for _, t := range techs {
			m.Technologies = append(m.Technologies, loader.TechLink{ID: t, Basis: string(schema.Extracted)})
		}
		plan.Measures = append(plan.Measures, m)
	}
	return &Draft{Plan: plan, Lang: lang}
}

func within(hits []Hit, s Span) []Hit {
	i := sort.Search(len(hits), func(i int) bool { return hits[i].Start >= s.Start })
	j := i
	for j < len(hits) && hits[j].End <= s.End {
		j++
	}
	return hits[i:j]
}

func firstLine(text []byte) string {
	for _, line := range strings.Split(string(text), "\n") {
		if l := strings.TrimSpace(line); l != "" {
			return shorten(l, 120)
		}
	}
	return ""
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
