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

	ahocorasick "github.com/BobuSumisu/aho-corasick"

	"github.com/policygraph/policygraph/schema"
)

// Term is one technology or domain and every text that names it.
type Term struct {
	Type  schema.Type
	ID    string
	Texts []string
}

// NewTerm makes the term of an entity from its names and aliases by language.
func NewTerm(t schema.Type, id string, names map[string]string, aliases map[string][]string) Term {
	texts := []string{}
	for _, n := range names {
		texts = append(texts, n)
	}
	for _, as := range aliases {
		texts = append(texts, as...)
	}
	// Map order is random; a sorted list keeps the automaton the same every time.
	sort.Strings(texts)
	return Term{Type: t, ID: id, Texts: texts}
}

// Lexicon finds terms in text: leftmost-longest, never counting one span
// twice, so 工业互联网 is industrial internet and not also 互联网.
type Lexicon struct {
	trie *ahocorasick.Trie
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
	lx.trie = ahocorasick.NewTrieBuilder().AddStrings(texts).Build()
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

// Find returns every term in text, in order, without overlaps: of
// overlapping candidates the leftmost wins, and of those the longest.
func (lx *Lexicon) Find(text []byte) []Hit {
	// The trie reports every occurrence of every pattern, overlaps
	// included; whole-word checks come first so that a plural ("data
	// centers") can win over its singular that stops inside a word.
	var cands []Hit
	lx.trie.Walk(text, func(end, n, id int64) bool {
		p := lx.pats[id]
		s, e := int(end-n+1), int(end+1)
		if p.latin && (s > 0 && isWordByte(text[s-1]) || e < len(text) && isWordByte(text[e])) {
			return true // part of a longer word: "AI" in "said"
		}
		cands = append(cands, Hit{Type: p.typ, ID: p.id, Start: s, End: e})
		return true
	})
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Start != cands[j].Start {
			return cands[i].Start < cands[j].Start
		}
		return cands[i].End > cands[j].End
	})
	hits := cands[:0]
	last := 0
	for _, c := range cands {
		if c.Start >= last {
			hits = append(hits, c)
			last = c.End
		}
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
