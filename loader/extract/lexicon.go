// Package extract reads plan text and proposes a draft plan document: how
// often the text names each technology, and one draft measure per
// sentence that names one, with the domains around it and the sentence
// and its byte offsets as evidence. It turns text into documents as the
// loader turns YAML into documents; the result is reviewed and loaded
// like any other data file.
package extract

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coregx/ahocorasick"

	"github.com/policygraph/policygraph/schema"
)

// Term is one technology or domain and every text that names it.
type Term struct {
	Type  schema.Type
	ID    string
	Texts []string
}

// Lexicon finds terms in text: leftmost-longest, never counting one span
// twice, so 工业互联网 is industrial internet and not also 互联网.
type Lexicon struct {
	ac   *ahocorasick.Automaton
	pats []pattern
}

type pattern struct {
	typ schema.Type
	id  string
	// latin patterns must stand as whole words: "AI" does not match in "said".
	latin bool
}

// Hit is one occurrence of a term: bytes [Start, End) of the text.
type Hit struct {
	Type       schema.Type
	ID         string
	Start, End int
}

// NewLexicon builds the matcher for terms. Latin texts also match in
// lower case and with a capital first letter, except acronyms (AI, IoT,
// 5G), whose case is kept: "ai" in running text is rarely the technology.
func NewLexicon(terms []Term) (*Lexicon, error) {
	seen := map[string]int{}
	lx := &Lexicon{}
	var texts []string
	add := func(t Term, s string) error {
		if s == "" {
			return nil
		}
		if prev, dup := seen[s]; dup {
			p := lx.pats[prev]
			if p.typ != t.Type || p.id != t.ID {
				return fmt.Errorf("lexicon: %q names both %s %q and %s %q", s, p.typ, p.id, t.Type, t.ID)
			}
			return nil
		}
		seen[s] = len(lx.pats)
		lx.pats = append(lx.pats, pattern{typ: t.Type, id: t.ID, latin: isLatin(s)})
		texts = append(texts, s)
		return nil
	}
	for _, t := range terms {
		for _, s := range t.Texts {
			s = strings.TrimSpace(s)
			for _, v := range variants(s) {
				if err := add(t, v); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("lexicon: no terms")
	}
	ac, err := ahocorasick.NewBuilder().SetMatchKind(ahocorasick.LeftmostLongest).AddStrings(texts).Build()
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	lx.ac = ac
	return lx, nil
}

// variants are the spellings of s the matcher looks for.
func variants(s string) []string {
	if !isLatin(s) || isAcronym(s) {
		return []string{s}
	}
	r, n := utf8.DecodeRuneInString(s)
	out := []string{s, strings.ToLower(s), string(unicode.ToUpper(r)) + strings.ToLower(s[n:])}
	// Plurals ("data centers") would otherwise fail the word boundary.
	if last, _ := utf8.DecodeLastRuneInString(s); unicode.IsLetter(last) && last != 's' {
		for _, v := range out[:3] {
			out = append(out, v+"s")
		}
	}
	return out
}

// isLatin reports whether s is written in Latin letters (plus digits and
// punctuation) and so needs word boundaries.
func isLatin(s string) bool {
	for _, r := range s {
		if r > unicode.MaxLatin1 && !unicode.IsPunct(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// isAcronym: short and with an upper-case letter after the first, or all
// capitals and digits (AI, IoT, 5G).
func isAcronym(s string) bool {
	if len(s) > 5 || strings.ContainsRune(s, ' ') {
		return false
	}
	upper := 0
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			upper++
		}
	}
	return upper >= 2
}

// isWordByte reports whether b continues a Latin word.
func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// Find returns every term in text, in order, without overlaps.
func (lx *Lexicon) Find(text []byte) []Hit {
	// FindAll, not a loop of Find: in this version Find with leftmost-longest
	// semantics can skip the first match, FindAll does not.
	ms := lx.ac.FindAll(text, -1)
	hits := make([]Hit, 0, len(ms))
	for _, m := range ms {
		p := lx.pats[m.PatternID]
		if p.latin && (m.Start > 0 && isWordByte(text[m.Start-1]) || m.End < len(text) && isWordByte(text[m.End])) {
			continue // part of a longer word: "AI" in "said"
		}
		hits = append(hits, Hit{Type: p.typ, ID: p.id, Start: m.Start, End: m.End})
	}
	return hits
}

// Count tallies hits of type t by id.
func Count(hits []Hit, t schema.Type) map[string]int {
	out := map[string]int{}
	for _, h := range hits {
		if h.Type == t {
			out[h.ID]++
		}
	}
	return out
}

// ids lists the distinct ids of type t among hits, sorted.
func ids(hits []Hit, t schema.Type) []string {
	set := map[string]bool{}
	for _, h := range hits {
		if h.Type == t {
			set[h.ID] = true
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
