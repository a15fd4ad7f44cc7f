package view

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/policygraph/policygraph/schema"
)

// TextIndex is a full-text index over every text a View holds beyond names
// (measure titles and contexts, evidence quotes and summaries, notes,
// instrument summaries): Latin words and CJK character bigrams, so that
// Chinese and Japanese, which have no spaces, are searched by substring.
// It is built from one View and never changes; build a new one with the
// next View. A first step before a full-text library (bleve with a CJK
// analyzer): no stemming, no ranking beyond field weight.
type TextIndex struct {
	docs     []textDoc
	postings map[string][]int // token → doc indexes, ascending
	words    []string         // every Latin word, for typo suggestions
	// entities numbers every entity with a text or a name, so that a
	// page of search results can tell a text hit from a name hit of the
	// same entity without a map of every hit; nameEntity and nameCity
	// are, per entry of the View's name index, its entity and the city
	// that owns it ("" for what no city owns).
	entities   int
	nameEntity []int32
	nameCity   []string
	view       *View
}

type textDoc struct {
	typ              schema.Type
	id, label, field string
	city             string
	text, key        string // as written, normalized
	entity           int32  // see TextIndex.entities
}

// TextHit is one text matching a search.
type TextHit struct {
	SearchHit
	Field   string `json:"field"`
	Snippet string `json:"snippet"`
	City    string `json:"city,omitempty"`
	// from is where Snippet is cut from when it is left empty: made
	// when the hit is shown (Snip, MarshalJSON), since a broad search
	// matches every measure and one page of them is shown.
	from snippetFrom
}

type snippetFrom struct {
	text, q string // q normalized; at, n: its match in text, when known
	at, n   int
}

// NewTextHit is h found by q in text, its snippet made when shown.
func NewTextHit(h SearchHit, field, city, text, q string) TextHit {
	return TextHit{SearchHit: h, Field: field, City: city, from: snippetFrom{text: text, q: normalize(q), at: -1}}
}

// Snip is the hit's snippet: the text around its match, marked with [ ];
// the text itself when q is not in it as a phrase.
func (h TextHit) Snip() string {
	if h.Snippet != "" || h.from.text == "" {
		return h.Snippet
	}
	at, n := h.from.at, h.from.n
	if at < 0 {
		at, n = strings.Index(normalize(h.from.text), h.from.q), len(h.from.q)
		if at < 0 || h.from.q == "" {
			return h.from.text
		}
	}
	return Snippet(h.from.text, at, n)
}

// MarshalJSON writes the hit with its snippet made.
func (h TextHit) MarshalJSON() ([]byte, error) {
	type plain TextHit
	p := plain(h)
	p.Snippet = h.Snip()
	return json.Marshal(p)
}

// NewTextIndex indexes v's texts.
func NewTextIndex(v *View) *TextIndex {
	ix := &TextIndex{postings: map[string][]int{}, view: v}
	numbers := map[[2]string]int32{}
	entity := func(t schema.Type, id string) int32 {
		k := [2]string{string(t), id}
		n, ok := numbers[k]
		if !ok {
			n = int32(len(numbers))
			numbers[k] = n
		}
		return n
	}
	add := func(t schema.Type, id, label, city, field, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		ix.docs = append(ix.docs, textDoc{typ: t, id: id, label: label, field: field, city: city, text: text, key: normalize(text), entity: entity(t, id)})
	}
	for _, m := range v.Measures {
		add(schema.Measure, m.ID, m.Title, m.City, "title", m.Title)
		add(schema.Measure, m.ID, m.Title, m.City, "context", m.Context)
		for _, k := range m.Keywords {
			add(schema.Measure, m.ID, m.Title, m.City, "keywords", k)
		}
		add(schema.Measure, m.ID, m.Title, m.City, "evidence.quote", m.Evidence.Quote)
		add(schema.Measure, m.ID, m.Title, m.City, "evidence.summary", m.Evidence.Summary)
	}
	for _, p := range v.Plans {
		for _, n := range p.Notes {
			add(schema.Plan, p.ID, planLabel(p), p.City, "notes", n)
		}
		add(schema.Plan, p.ID, planLabel(p), p.City, "evidence.summary", p.Evidence.Summary)
		add(schema.Plan, p.ID, planLabel(p), p.City, "evidence.quote", p.Evidence.Quote)
	}
	for _, m := range v.Mentions {
		city := ""
		if len(m.Cities) == 1 {
			city = m.Cities[0]
		}
		add(schema.MentionCount, m.ID, m.ID, city, "note", m.Note)
		add(schema.MentionCount, m.ID, m.ID, city, "evidence.summary", m.Evidence.Summary)
	}
	for _, in := range v.Instruments {
		add(schema.SupportInstrument, in.ID, in.ID, in.City, "summary", in.Summary)
		add(schema.SupportInstrument, in.ID, in.ID, in.City, "eligibility", in.Eligibility)
	}
	seen := map[string]bool{}
	for i, d := range ix.docs {
		for _, tok := range uniq(tokens(d.key)) {
			ix.postings[tok] = append(ix.postings[tok], i)
			if isLatinWord(tok) && !seen[tok] {
				seen[tok] = true
				ix.words = append(ix.words, tok)
			}
		}
	}
	for _, e := range v.names.entries {
		for _, tok := range tokens(e.key) {
			if isLatinWord(tok) && !seen[tok] {
				seen[tok] = true
				ix.words = append(ix.words, tok)
			}
		}
	}
	sort.Strings(ix.words)
	ix.nameEntity = make([]int32, len(v.names.entries))
	ix.nameCity = make([]string, len(v.names.entries))
	for i, e := range v.names.entries {
		ix.nameEntity[i] = entity(e.typ, e.id)
		ix.nameCity[i] = v.cityOf(e.typ, e.id)
	}
	ix.entities = len(numbers)
	return ix
}

func isLatinWord(s string) bool {
	for _, r := range s {
		if r >= 0x80 {
			return false
		}
	}
	return len(s) >= 3
}

// tokens cuts normalized text into Latin words and CJK bigrams (a lone CJK
// character is its own token).
func tokens(s string) []string {
	var out []string
	var cjk []rune
	flush := func() {
		switch {
		case len(cjk) == 1:
			out = append(out, string(cjk))
		case len(cjk) > 1:
			for i := 0; i+1 < len(cjk); i++ {
				out = append(out, string(cjk[i:i+2]))
			}
		}
		cjk = cjk[:0]
	}
	var word []rune
	for _, r := range s {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			flush()
			word = append(word, r)
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if len(word) > 0 {
				out = append(out, string(word))
				word = word[:0]
			}
			cjk = append(cjk, r)
		default:
			if len(word) > 0 {
				out = append(out, string(word))
				word = word[:0]
			}
			flush()
		}
	}
	if len(word) > 0 {
		out = append(out, string(word))
	}
	flush()
	return out
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// fieldRank orders hits: titles before running text.
var fieldRank = map[string]int{"title": 0, "context": 1, "evidence.quote": 2, "summary": 2, "evidence.summary": 3, "notes": 3, "note": 4, "eligibility": 4}

// Search finds the texts holding every token of q (every Latin word, and
// for CJK the whole phrase), best field first; types and city narrow it.
func (ix *TextIndex) Search(q string, types []schema.Type, city string) []TextHit {
	tq := newTextQuery(q)
	var hits []TextHit
	for _, rank := range ix.textMatches(tq, types, city, nil) {
		for _, di := range rank {
			hits = append(hits, ix.textHit(tq, di))
		}
	}
	return hits
}

// textQuery is q normalized and cut into tokens.
type textQuery struct {
	k     string
	toks  []string
	latin bool
}

func newTextQuery(q string) textQuery {
	k := normalize(q)
	toks := uniq(tokens(k))
	return textQuery{k: k, toks: toks, latin: latinOnly(toks)}
}

// textMatches are the texts matching q, as doc indexes by field rank
// (titles first), each rank in index order: the order a stable sort by
// rank gives, without one. An entity's texts are neighbours in the
// index, so its first matching text is the one kept by comparing with
// the last kept; skip, when set, leaves out entities already found.
// Nothing is made for a match but its index, so a broad search costs one
// pass over its candidates.
func (ix *TextIndex) textMatches(q textQuery, types []schema.Type, city string, skip []bool) [5][]int32 {
	var byRank [5][]int32
	if len(q.toks) == 0 {
		return byRank
	}
	lists := make([][]int, len(q.toks))
	for i, tok := range q.toks {
		lists[i] = ix.postings[tok]
	}
	sort.Slice(lists, func(i, j int) bool { return len(lists[i]) < len(lists[j]) })
	cands := lists[0]
	for _, l := range lists[1:] {
		cands = intersect(cands, l)
	}
	last := int32(-1)
	for _, di := range cands {
		d := &ix.docs[di]
		if len(types) > 0 && !containsType(types, d.typ) || city != "" && d.city != city {
			continue
		}
		// Latin words need not be adjacent (every one is there, as the
		// postings say); CJK bigrams must make the phrase asked.
		if !q.latin && !strings.Contains(d.key, q.k) {
			continue
		}
		if d.entity == last || skip != nil && skip[d.entity] {
			continue
		}
		last = d.entity
		r := min(fieldRank[d.field], len(byRank)-1)
		byRank[r] = append(byRank[r], int32(di))
	}
	return byRank
}

// textHit is the hit of doc di for q, its snippet made when shown.
func (ix *TextIndex) textHit(q textQuery, di int32) TextHit {
	d := &ix.docs[di]
	at, n := strings.Index(d.key, q.k), len(q.k)
	if at < 0 {
		at, n = wordAt(d.key, q.toks[0]), len(q.toks[0])
		if at < 0 {
			at, n = 0, 0
		}
	}
	return TextHit{SearchHit: SearchHit{Type: d.typ, ID: d.id, Name: d.label, Matched: d.field, Match: "text"},
		Field: d.field, City: d.city, from: snippetFrom{text: d.text, at: at, n: n}}
}

// SearchPage is what /v1/search shows: the entities whose names match q
// (as View.Search orders them), then the texts of other entities holding
// it (as Search orders them), narrowed by types and city; the hits from
// offset, at most limit of them, and how many there are in all. Only the
// page's hits are made.
func (ix *TextIndex) SearchPage(q string, types []schema.Type, city string, offset, limit int) ([]TextHit, int) {
	v := ix.view
	k := normalize(q)
	names := v.nameMatches(k, types)
	found := make([]bool, ix.entities)
	kept := names[:0:0]
	for _, i := range names {
		if city != "" && ix.nameCity[i] != city {
			continue
		}
		found[ix.nameEntity[i]] = true
		kept = append(kept, i)
	}
	tq := newTextQuery(q)
	texts := ix.textMatches(tq, types, city, found)
	total := len(kept)
	for _, r := range texts {
		total += len(r)
	}
	var page []TextHit
	at := 0
	take := func(n int, hit func(j int) TextHit) {
		for j := max(offset-at, 0); j < n && len(page) < limit; j++ {
			page = append(page, hit(j))
		}
		at += n
	}
	take(len(kept), func(j int) TextHit {
		e := &v.names.entries[kept[j]]
		h := v.names.hit(kept[j], k)
		field := "name"
		if e.typ == schema.Measure || e.typ == schema.Plan {
			field = "title"
		}
		return NewTextHit(h, field, ix.nameCity[kept[j]], h.Matched, q)
	})
	for _, r := range texts {
		take(len(r), func(j int) TextHit { return ix.textHit(tq, r[j]) })
	}
	return page, total
}

// Snippet is text around the match of normalized q in it (byte offset at
// of n bytes in normalize(text)): up to 30 characters either side, the
// match marked with [ ], in the text's own case where folding kept the
// characters one for one.
func Snippet(text string, at, n int) string {
	key := normalize(text)
	shown := []rune(strings.Join(strings.Fields(text), " "))
	k := []rune(key)
	if len(shown) != len(k) {
		shown = k
	}
	s, e := len([]rune(key[:at])), len([]rune(key[:at+n]))
	before, match, after := shown[:s], shown[s:e], shown[e:]
	if len(before) > 30 {
		before = append([]rune("…"), before[len(before)-30:]...)
	}
	if len(after) > 30 {
		after = append(append([]rune{}, after[:30]...), '…')
	}
	return string(before) + "[" + string(match) + "]" + string(after)
}

// intersect is what two ascending lists of positions both hold. A list
// far shorter than the other is looked up in it, not walked beside it: a
// rare pair of characters against a common one costs its own length.
func intersect[T int | int32](a, b []T) []T {
	if len(a) > len(b) {
		a, b = b, a
	}
	out := make([]T, 0, len(a))
	if len(a)*16 < len(b) {
		for _, x := range a {
			j, found := slices.BinarySearch(b, x)
			if found {
				out = append(out, x)
			}
			b = b[j:]
		}
		return out
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return out
}

// Suggest offers, for each Latin word of q that no text or name holds, the
// closest words that do (blockchian → blockchain).
func (ix *TextIndex) Suggest(q string) []string {
	var out []string
	for _, tok := range tokens(normalize(q)) {
		if !isLatinWord(tok) {
			continue
		}
		i := sort.SearchStrings(ix.words, tok)
		if i < len(ix.words) && ix.words[i] == tok {
			continue
		}
		for _, s := range schema.Suggest(tok, ix.words, 3) {
			if !containsString(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func latinOnly(toks []string) bool {
	for _, t := range toks {
		for _, r := range t {
			if r >= 0x80 {
				return false
			}
		}
	}
	return true
}

// wordAt is the byte offset of word w in key where it stands as a whole word.
func wordAt(key, w string) int {
	for from := 0; ; {
		i := strings.Index(key[from:], w)
		if i < 0 {
			return -1
		}
		i += from
		before := i == 0 || !isASCIIAlnum(key[i-1])
		after := i+len(w) == len(key) || !isASCIIAlnum(key[i+len(w)])
		if before && after {
			return i
		}
		from = i + 1
	}
}

func isASCIIAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 'A' && b <= 'Z'
}
