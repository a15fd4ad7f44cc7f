package view

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/policygraph/policygraph/schema"
)

// TextIndex is a full-text index over every text a View holds beyond names
// (measure titles and contexts, evidence quotes and summaries, notes,
// instrument summaries): Latin words and CJK character bigrams, so that
// Chinese and Japanese, which have no spaces, are searched by substring.
// It answers for one View and never changes; the next View's is mended
// from it (see searchmend.go). A first step before a full-text library
// (bleve with a CJK analyzer): no stemming, no ranking beyond field weight.
type TextIndex struct {
	// base indexes every record of some earlier View (or of this one);
	// gone are the entities of base whose records changed since, over
	// the records of this View that did, and changed those records' ids
	// (per type). gone and over are nil when base is this View's.
	base    *textPart
	gone    bitset
	over    *textPart
	changed map[schema.Type]map[string]bool
	words   []string // every Latin word, for typo suggestions
	anew    bool     // made from the View, not mended
	// plans are the plans of the View searched, by id, for time filters.
	plans *sharded[string, any]
	// folded, once set, is this View's index made anew (FoldText): it
	// answers instead, and the next View is mended from it.
	folded atomic.Pointer[TextIndex]
}

// textPart indexes the texts and names of some records of one View.
//
// What it keeps it keeps in columns and flat arrays, made once its maps
// and lists are complete: a record of seven strings per text, postings
// grown by append and a key string per token took 166 MiB live at size
// L, in 218 MiB of heap spans that the garbage of their making had left
// part empty; as columns, 111 MiB in 114 (BenchmarkTextMemory).
type textPart struct {
	// docText, docKey and docField are, per text, the text as written,
	// normalized (see keepDocs) and its field (in textFields); its
	// entity, type, label and city are its entity's.
	docText  []string
	docKey   []string
	docField []uint8
	postings postings[string] // token → doc indexes, ascending
	// trigrams are the postings of every three neighbouring CJK
	// characters (by trigramKey): a phrase of three is found by one
	// list, without reading a text, and a longer one reads only the
	// texts holding every three of it.
	trigrams postings[uint64]
	words    []string // every Latin word, sorted
	// wordCount is, per Latin word, how many texts and names hold it:
	// a mended index drops a word no text holds any more.
	wordCount map[string]int32
	// docEnt, docRank, docType and docCity are, per text, its entity,
	// its field's rank and the codes of its type and city: what a search
	// reads of each of the thousands of texts a broad word is in, side
	// by side.
	docEnt  []int32
	docRank []uint8
	docType []uint8
	docCity []int32
	// entities numbers every entity with a text or a name, in the order
	// names are shown (type rank, then id; keys lists them), so that
	// sets of entities are bitsets and a set's members come out in that
	// order; entDoc is each one's first text (-1 for none); nameEntity
	// and nameCity are, per entry of the name index (entries), its
	// entity and the city that owns it ("" for what no city owns).
	entities   int
	keys       []entityKey
	entDoc     []int32
	entLabel   []string // the label of its texts' hits
	entries    []nameEntry
	nameEntity []int32
	nameCity   []string
	names      nameText
	codes      searchCodes
	byPlan     []planEntities
	entPlan    []int32 // measure entity → its entry in byPlan, -1 for others
}

// textDoc is one text as newTextPart gathers them, and as doc gives
// one back.
type textDoc struct {
	typ              schema.Type
	id, label, field string
	city             string
	text, key        string // as written, normalized
}

// textFields are the fields texts are indexed from, by their code.
var textFields = []string{"title", "context", "keywords", "evidence.quote", "evidence.summary", "notes", "note", "summary", "eligibility"}

// doc is text di as gathered.
func (ix *textPart) doc(di int32) textDoc {
	e := ix.docEnt[di]
	k := ix.keys[e]
	return textDoc{typ: k.typ, id: k.id, label: ix.entLabel[e], field: textFields[ix.docField[di]],
		city: ix.codes.cityID(ix.docCity[di]), text: ix.docText[di], key: ix.docKey[di]}
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
	p := newTextPart(v)
	return &TextIndex{base: p, words: p.words, anew: true, plans: v.entities[schema.Plan]}
}

// newTextPart indexes the texts and names of v's records.
func newTextPart(v *View) *textPart {
	ix := &textPart{wordCount: map[string]int32{}, entries: v.names.list()}
	var docs []textDoc
	add := func(t schema.Type, id, label, city, field, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		docs = append(docs, textDoc{typ: t, id: id, label: label, field: field, city: city, text: text, key: normalize(text)})
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
	// in counts each word once per text or name.
	in := map[string]bool{}
	count := func(tok string) {
		if isLatinWord(tok) && !in[tok] {
			in[tok] = true
			ix.wordCount[tok]++
		}
	}
	postings, trigrams := map[string][]int32{}, map[uint64][]int32{}
	for i, d := range docs {
		di := int32(i)
		clear(in)
		for _, tok := range tokens(d.key) {
			if p := postings[tok]; len(p) == 0 || p[len(p)-1] != di {
				postings[tok] = append(p, di)
			}
			count(tok)
		}
		forTrigrams(d.key, func(g string) {
			k := trigramKey(g)
			if p := trigrams[k]; len(p) == 0 || p[len(p)-1] != di {
				trigrams[k] = append(p, di)
			}
		})
	}
	ix.postings, ix.trigrams = newPostings(postings), newPostings(trigrams)
	for _, e := range ix.entries {
		clear(in)
		for _, tok := range tokens(e.key) {
			count(tok)
		}
	}
	ix.words = make([]string, 0, len(ix.wordCount))
	for w := range ix.wordCount {
		ix.words = append(ix.words, w)
	}
	sort.Strings(ix.words)
	ix.nameCity = make([]string, len(ix.entries))
	for i, e := range ix.entries {
		ix.nameCity[i] = v.cityOf(e.typ, e.id)
	}
	ix.number(v, docs)
	ix.keepDocs(docs)
	ix.names = newNameText(v.names)
	return ix
}

// keepDocs keeps the texts of docs, numbered, in ix's columns. A text's
// key is the text itself when normalizing changes nothing, else the key
// of one of its record's names when it is that name (a measure's title:
// the name index keeps that string already), else a part of one string
// holding the others.
func (ix *textPart) keepDocs(docs []textDoc) {
	ix.docText = make([]string, len(docs))
	ix.docKey = make([]string, len(docs))
	ix.docField = make([]uint8, len(docs))
	copied := make([]bool, len(docs))
	n := 0
	for i, d := range docs {
		ix.docText[i], ix.docKey[i] = d.text, d.text
		if d.key == d.text {
			continue
		}
		if k, ok := ix.nameKey(ix.docEnt[i], d.key); ok {
			ix.docKey[i] = k
			continue
		}
		copied[i] = true
		n += len(d.key)
	}
	var b strings.Builder
	b.Grow(n)
	for i, d := range docs {
		if copied[i] {
			b.WriteString(d.key)
		}
	}
	keys, at := b.String(), 0
	code := map[string]uint8{}
	for i, f := range textFields {
		code[f] = uint8(i)
	}
	ix.entLabel = make([]string, ix.entities)
	for i, d := range docs {
		if copied[i] {
			ix.docKey[i] = keys[at : at+len(d.key)]
			at += len(d.key)
		}
		f, ok := code[d.field]
		if !ok {
			panic("view: a text of no field of textFields: " + d.field)
		}
		ix.docField[i] = f
		ix.entLabel[ix.docEnt[i]] = d.label
	}
}

// nameKey is the key of a name of entity e equal to key, if it has one.
func (ix *textPart) nameKey(e int32, key string) (string, bool) {
	for i := ix.codes.entFirst[e]; i >= 0 && int(i) < len(ix.entries) && ix.nameEntity[i] == e; i++ {
		if ix.entries[i].key == key {
			return ix.entries[i].key, true
		}
	}
	return "", false
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

// textHit is the hit of doc di for q, its snippet made when shown.
func (ix *textPart) textHit(q textQuery, di int32) TextHit {
	key := ix.docKey[di]
	at, n := strings.Index(key, q.k), len(q.k)
	if at < 0 {
		at, n = wordAt(key, q.toks[0]), len(q.toks[0])
		if at < 0 {
			at, n = 0, 0
		}
	}
	e := ix.docEnt[di]
	field := textFields[ix.docField[di]]
	return TextHit{SearchHit: SearchHit{Type: ix.keys[e].typ, ID: ix.keys[e].id, Name: ix.entLabel[e], Matched: field, Match: "text"},
		Field: field, City: ix.codes.cityID(ix.docCity[di]), from: snippetFrom{text: ix.docText[di], at: at, n: n}}
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
	ix = ix.answering()
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
