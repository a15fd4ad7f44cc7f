// Package extract reads plan text and proposes a draft plan document: how
// often the text names each technology, and one draft measure per clause
// that names one, with the domains the clause applies it to and the
// passage and its byte offsets in the original file as evidence. It turns
// text into documents as the loader turns YAML into documents; the result
// is reviewed and loaded like any other data file.
package extract

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	ahocorasick "github.com/BobuSumisu/aho-corasick"

	"github.com/policygraph/policygraph/schema"
)

// Name is one text that names a term, with the language it is written in
// (en, zh, zh-Hant, ja).
type Name struct{ Text, Lang string }

// Term is one technology or domain, every text that names it, and the
// phrases that contain such a text without naming a term of its type.
type Term struct {
	Type  schema.Type
	ID    string
	Names []Name
	// Not are phrases that claim their span before any term of Type:
	// 工业和信息化厅 holds 工业 but names an agency, not the industry domain.
	Not []Name
}

// NewTerm makes the term of an entity from its names and aliases by
// language, and the phrases (by language) that do not name it.
func NewTerm(t schema.Type, id string, names map[string]string, aliases, not map[string][]string) Term {
	term := Term{Type: t, ID: id}
	for lang, n := range names {
		term.Names = append(term.Names, Name{n, lang})
	}
	for lang, as := range aliases {
		for _, a := range as {
			term.Names = append(term.Names, Name{a, lang})
		}
	}
	for lang, as := range not {
		for _, a := range as {
			term.Not = append(term.Not, Name{a, lang})
		}
	}
	// Map order is random; sorted lists keep the automaton the same every time.
	sortNames(term.Names)
	sortNames(term.Not)
	return term
}

func sortNames(ns []Name) {
	sort.Slice(ns, func(i, j int) bool {
		if ns[i].Text != ns[j].Text {
			return ns[i].Text < ns[j].Text
		}
		return ns[i].Lang < ns[j].Lang
	})
}

// Lang is a set of language groups a text may be read in. Simplified and
// Traditional Chinese are one group: plans mix them, and a Traditional
// reprint still writes 5G and 区块链 the simplified way at times.
type Lang uint8

// The language groups.
const (
	LangZh Lang = 1 << iota
	LangJa
	LangEn
	AnyLang = LangZh | LangJa | LangEn
)

// langOf is the group of a language tag.
func langOf(tag string) Lang {
	switch tag {
	case "zh", "zh-Hant", "zh-Hans":
		return LangZh
	case "ja":
		return LangJa
	case "en":
		return LangEn
	}
	return AnyLang
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
	// mass patterns end in a mass noun and so have no plural of their
	// own; "information infrastructures" still names the term in its
	// first two words.
	mass bool
	// skip marks a name that extraction does not read (see NewLexicon).
	skip bool
	// not marks a phrase that names no term of typ and claims its span.
	not bool
	// langs are the language groups whose text the pattern is read in.
	langs Lang
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
//
// A not-mention that is also a name of the same type is a name for
// resolution only: extraction reads past it (the shorter names inside
// still match). Which languages a pattern is read in: a Latin text in any; a text
// listed under zh or zh-Hant in Chinese and Japanese (Japanese reports
// quote Chinese plans in kanji); a text listed only under ja in Japanese
// alone, so that the Japanese 行政 does not match inside the Chinese 行政区.
func NewLexicon(terms []Term) (*Lexicon, error) {
	seen := map[string]int{}
	lx := &Lexicon{}
	var texts []string
	add := func(t Term, n Name, not bool) error {
		s := strings.TrimSpace(n.Text)
		if s == "" {
			return nil
		}
		langs := langOf(n.Lang)
		if langs == LangZh {
			langs |= LangJa
		}
		if isLatin(s) {
			langs = AnyLang
		}
		for _, v := range variants(s) {
			if prev, dup := seen[v]; dup {
				p := &lx.pats[prev]
				if not && !p.not && p.typ == t.Type {
					// A name that running text does not use as one: it
					// resolves in the API, and extraction reads past it.
					p.skip = true
					continue
				}
				if not && !p.not {
					// A name of another type: as the longer match it
					// claims its span already.
					continue
				}
				if p.typ != t.Type || p.id != t.ID && !(p.not && not) || p.not != not {
					what := func(p pattern) string {
						if p.not {
							return fmt.Sprintf("no %s", p.typ)
						}
						return fmt.Sprintf("%s %q", p.typ, p.id)
					}
					return fmt.Errorf("lexicon: %q names both %s and %s", v, what(*p), what(pattern{typ: t.Type, id: t.ID, not: not}))
				}
				p.langs |= langs
				continue
			}
			seen[v] = len(lx.pats)
			lx.pats = append(lx.pats, pattern{typ: t.Type, id: t.ID, latin: isLatin(v), mass: isLatin(v) && massNoun(v), not: not, langs: langs})
			texts = append(texts, v)
		}
		return nil
	}
	for _, t := range terms {
		for _, n := range t.Names {
			if err := add(t, n, false); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range terms {
		for _, n := range t.Not {
			if err := add(t, n, true); err != nil {
				return nil, err
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
	out := []string{s, strings.ToLower(s), string(unicode.ToUpper(r)) + strings.ToLower(s[n:]), titleCase(s)}
	// Plurals ("data centers") would otherwise fail the word boundary;
	// a mass noun ("infrastructure", "computing") takes none, so that
	// "innovation infrastructures" names the term in "innovation
	// infrastructure" and leaves the plural's s to the word around it.
	if last, _ := utf8.DecodeLastRuneInString(s); unicode.IsLetter(last) && last != 's' && !massNoun(s) {
		for _, v := range out[:4] {
			if strings.HasSuffix(v, "y") && len(v) > 1 && !strings.ContainsRune("aeiou", rune(v[len(v)-2])) {
				out = append(out, v[:len(v)-1]+"ies") // "industries", "economies"
				continue
			}
			out = append(out, v+"s")
		}
	}
	// The same spelling can come out twice ("Finance" capitalised as is).
	uniq := out[:0]
	for _, v := range out {
		if !contains(uniq, v) {
			uniq = append(uniq, v)
		}
	}
	return uniq
}

// massNouns are the head words of terms that take no plural.
var massNouns = []string{"infrastructure", "computing", "intelligence", "equipment", "software", "hardware", "information",
	"research", "education", "data", "energy", "finance", "healthcare", "care", "trade", "trading", "security", "governance",
	"manufacturing", "transportation", "transport", "agriculture", "logistics", "tourism", "management", "e-government", "access"}

func massNoun(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	return len(words) > 0 && contains(massNouns, words[len(words)-1])
}

// titleCase capitalises every word but the small ones: "Industrial
// Internet of Things", as headings and English reports write names.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && contains([]string{"of", "and", "the", "for", "in", "on", "to", "a", "an"}, strings.ToLower(w)) {
			words[i] = strings.ToLower(w)
			continue
		}
		if isAcronym(w) {
			continue
		}
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
// Every pattern is read, whatever its language.
func (lx *Lexicon) Find(text []byte) []Hit {
	return lx.FindLang(text, nil)
}

// FindLang is Find reading at each position only the patterns of the
// language groups langAt gives there (nil: every pattern). A not-mention
// (see Term.Not) claims its span first: no candidate of its type that
// overlaps it is kept, while candidates of other types are.
func (lx *Lexicon) FindLang(text []byte, langAt func(pos int) Lang) []Hit {
	// The trie reports every occurrence of every pattern, overlaps
	// included; whole-word checks come first so that a plural ("data
	// centers") can win over its singular that stops inside a word.
	// Candidates are kept small (offsets and pattern) until resolved.
	type cand struct{ s, e, pat int32 }
	if len(text) > math.MaxInt32 {
		panic(fmt.Sprintf("extract: a text of %d bytes is over the 2 GiB Find reads", len(text)))
	}
	cands := make([]cand, 0, len(text)/24+8)
	var nots []Hit
	lx.trie.Walk(text, func(end, n, id int64) bool {
		p := &lx.pats[id]
		if p.skip {
			return true
		}
		s, e := int(end-n+1), int(end+1)
		if p.latin && (s > 0 && isWordByte(text[s-1]) || e < len(text) && isWordByte(text[e]) && !pluralS(p, text, e)) {
			return true // part of a longer word: "AI" in "said"
		}
		if langAt != nil && p.langs&langAt(s) == 0 {
			return true
		}
		if p.not {
			nots = append(nots, Hit{Type: p.typ, ID: p.id, Start: s, End: e})
		} else {
			cands = append(cands, cand{int32(s), int32(e), int32(id)})
		}
		return true
	})
	if len(nots) > 0 {
		cl := newClaims(nots)
		kept := cands[:0]
		for _, c := range cands {
			p := &lx.pats[c.pat]
			if !cl.claimed(Hit{Type: p.typ, Start: int(c.s), End: int(c.e)}) {
				kept = append(kept, c)
			}
		}
		cands = kept
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.s != b.s {
			return int(a.s - b.s)
		}
		return int(b.e - a.e)
	})
	n := 0
	last := int32(0)
	for _, c := range cands {
		if c.s >= last {
			cands[n] = c
			n++
			last = c.e
		}
	}
	hits := make([]Hit, n)
	for i, c := range cands[:n] {
		p := &lx.pats[c.pat]
		hits[i] = Hit{Type: p.typ, ID: p.id, Start: int(c.s), End: int(c.e)}
	}
	return hits
}

// pluralS reports whether text[e] is the plural s a mass-noun pattern
// may be followed by ("infrastructures").
func pluralS(p *pattern, text []byte, e int) bool {
	return p.mass && text[e] == 's' && (e+1 == len(text) || !isWordByte(text[e+1]))
}

// claims are the spans not-mentions claim, by type: sorted by start,
// with the furthest end reached so far, so one look-up per candidate.
type claims map[schema.Type]*claimList

type claimList struct{ starts, maxEnd []int }

func newClaims(nots []Hit) claims {
	sort.Slice(nots, func(i, j int) bool { return nots[i].Start < nots[j].Start })
	cl := claims{}
	for _, n := range nots {
		l := cl[n.Type]
		if l == nil {
			l = &claimList{}
			cl[n.Type] = l
		}
		end := n.End
		if k := len(l.maxEnd); k > 0 && l.maxEnd[k-1] > end {
			end = l.maxEnd[k-1]
		}
		l.starts = append(l.starts, n.Start)
		l.maxEnd = append(l.maxEnd, end)
	}
	return cl
}

// claimed reports whether a not-mention of c's type overlaps c.
func (cl claims) claimed(c Hit) bool {
	l := cl[c.Type]
	if l == nil {
		return false
	}
	k := sort.SearchInts(l.starts, c.End) // not-mentions starting before c ends
	return k > 0 && l.maxEnd[k-1] > c.Start
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
