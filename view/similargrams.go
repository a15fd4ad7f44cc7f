package view

import (
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/policygraph/policygraph/schema"
)

// Similarity compares TF-IDF vectors of character n-grams of each
// measure's text (its title, summary and keywords), so Chinese needs no
// word segmenter: the bigrams and trigrams of 推进区块链应用 overlap those
// of 区块链应用示范 as words would. A vector's weights depend on how many
// measures hold each n-gram, so one new measure changes every vector: up
// to exactBelow measures every vector is kept (made again per View, which
// is cheap there); above, only the counts of measures per n-gram and the
// measures holding each rare one are kept, and a question makes the
// vectors of the asked measure and its candidates from their texts. A
// patched View mends the previous counts with the measures that changed,
// so its answers are those of an index made anew, to the bit.

// textKey keeps a View's similarity index (Derived).
type textKey struct{}

// textIndex is what similarity reads of a View's measures' texts.
type textIndex struct {
	n          int // measures
	exactBelow int
	limit      int32 // a distinctive n-gram is in at most limit measures
	anew       bool  // made from the View, not mended
	small      *smallText
	// Above exactBelow: the counts and postings of an earlier View; gone
	// are the positions in base.measures of the measures changed since
	// (changed, by id; goneN of them), over this View's records of them,
	// overPost the positions in over holding each n-gram, and delta what
	// they change of the counts. A measure built again with the text it
	// had keeps its place, its new record in swap.
	base     *gramBase
	gone     bitset
	goneN    int
	swap     map[int32]*Measure
	swapAt   map[*Measure]int32
	over     []*Measure
	overPost map[uint32][]int32
	delta    map[uint32]int32
	changed  map[string]bool
	idf      []float64 // by the count of measures holding an n-gram
	// folded, once set, is this View's index made anew (FoldText).
	folded atomic.Pointer[textIndex]
}

// smallText is every measure's vector, L2-normalised and sorted by gram,
// and per gram the measures holding it with its weight there.
type smallText struct {
	vec      map[*Measure][]gramWeight
	postings map[uint32][]posting
	index    map[*Measure]int32 // position in View.Measures
}

// gramBase is, for one View, how many measures hold each n-gram and,
// for those held by at most keep of them, which (positions in measures,
// the View's list): the distinctive ones, with room for the counts of
// the measures later patches change.
type gramBase struct {
	measures []*Measure
	df       map[uint32]int32
	post     map[uint32][]int32
	keep     int32
	// vec are the measures' vectors, for the View's counts; index their
	// positions.
	vec   [][]gramWeight
	index map[*Measure]int32
}

type posting struct {
	measure int32
	w       float32
}

type gramWeight struct {
	gram uint32
	w    float32
}

type gramCount struct {
	gram uint32
	n    int32
}

// textIndex is the View's similarity index, made on first use (or mended
// from its base View's): only similarity reads it. WarmText makes it
// ahead of the first question.
func (v *View) textIndex() *textIndex {
	return v.Derived(textKey{}, func(prev any, changed map[schema.Type]map[string]bool) any {
		if p, ok := prev.(*textIndex); ok {
			if m := p.answering().mended(v, changed[schema.Measure]); m != nil {
				return m
			}
		}
		return newTextIndex(v, exactBelow)
	}).(*textIndex)
}

// WarmText makes the indexes text questions read (similarity's and
// search's), so that the first of them does not wait; it reports whether
// either was made anew rather than mended from the previous View's.
func (v *View) WarmText() bool {
	sim := v.textIndex().anew
	return v.SearchIndex().anew || sim
}

func (ix *textIndex) answering() *textIndex {
	if f := ix.folded.Load(); f != nil {
		return f
	}
	return ix
}

// distinctiveLimit is how many of n measures a distinctive n-gram is in
// at most.
func distinctiveLimit(n int) int32 { return int32(max(2, int(distinctiveShare*float64(n)))) }

func newTextIndex(v *View, exactBelow int) *textIndex {
	n := len(v.Measures)
	ix := &textIndex{n: n, exactBelow: exactBelow, limit: distinctiveLimit(n), anew: true}
	base := &gramBase{measures: v.Measures, df: map[uint32]int32{}}
	ix.base = base
	var tfs [][]gramCount
	for _, m := range v.Measures {
		tf := gramCounts(measureText(m))
		for _, gc := range tf {
			base.df[gc.gram]++
		}
		if n <= exactBelow {
			tfs = append(tfs, tf)
		}
	}
	ix.idf = idfTable(n)
	if n <= exactBelow {
		s := &smallText{vec: make(map[*Measure][]gramWeight, n), postings: map[uint32][]posting{}, index: make(map[*Measure]int32, n)}
		for i, m := range v.Measures {
			vec := ix.weigh(tfs[i])
			s.vec[m], s.index[m] = vec, int32(i)
			for _, gw := range vec {
				s.postings[gw.gram] = append(s.postings[gw.gram], posting{int32(i), gw.w})
			}
		}
		ix.small = s
		return ix
	}
	// Postings of the n-grams rare enough to be distinctive now or after
	// the patches until the next fold: the texts are read twice rather
	// than every measure's counts kept between the passes.
	base.keep = 8*ix.limit + 64
	base.post = map[uint32][]int32{}
	base.vec = make([][]gramWeight, n)
	base.index = make(map[*Measure]int32, n)
	for i, m := range v.Measures {
		tf := gramCounts(measureText(m))
		base.vec[i], base.index[m] = ix.weigh(tf), int32(i)
		for _, gc := range tf {
			if base.df[gc.gram] <= base.keep {
				base.post[gc.gram] = append(base.post[gc.gram], int32(i))
			}
		}
	}
	return ix
}

// mended is ix for v, whose measures of the ids in changed were built
// again or removed since ix's View; nil when ix cannot be mended (it
// keeps every vector, or its postings lack room for the change).
func (ix *textIndex) mended(v *View, changed map[string]bool) *textIndex {
	if ix.small != nil || len(v.Measures) <= ix.exactBelow {
		return nil
	}
	if len(changed) == 0 {
		return ix
	}
	acc := make(map[string]bool, len(ix.changed)+len(changed))
	for _, m := range []map[string]bool{ix.changed, changed} {
		for id := range m {
			acc[id] = true
		}
	}
	base := ix.base
	nx := &textIndex{n: len(v.Measures), exactBelow: ix.exactBelow, limit: distinctiveLimit(len(v.Measures)), base: base,
		gone: newBitset(len(base.measures)), overPost: map[uint32][]int32{}, delta: map[uint32]int32{}, changed: acc, swap: map[int32]*Measure{}, swapAt: map[*Measure]int32{}}
	ids := make([]string, 0, len(acc))
	for id := range acc {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		key := schema.Measure.IRI(id).String()
		p, inBase := slices.BinarySearchFunc(base.measures, key, func(m *Measure, k string) int {
			return strings.Compare(schema.Measure.IRI(m.ID).String(), k)
		})
		m := v.Measure(id)
		if inBase && m != nil && measureText(m) == measureText(base.measures[p]) {
			nx.swap[int32(p)], nx.swapAt[m] = m, int32(p)
			continue
		}
		if inBase {
			nx.gone.add(int32(p))
			nx.goneN++
			for _, gc := range gramCounts(measureText(base.measures[p])) {
				nx.delta[gc.gram]--
			}
		}
		if m != nil {
			at := int32(len(nx.over))
			nx.over = append(nx.over, m)
			for _, gc := range gramCounts(measureText(m)) {
				nx.delta[gc.gram]++
				nx.overPost[gc.gram] = append(nx.overPost[gc.gram], at)
			}
		}
	}
	for g, d := range nx.delta {
		if d == 0 {
			delete(nx.delta, g)
		}
	}
	// A gram distinctive now was held by at most limit+gone measures of
	// the base: its postings must be there.
	if nx.limit+int32(nx.goneN) > base.keep {
		return nil
	}
	if nx.n == ix.n {
		nx.idf = ix.idf
	} else {
		nx.idf = idfTable(nx.n)
	}
	return nx
}

// foldDue reports whether ix was mended with so many changes that the
// next ones may not fit its postings: FoldText then makes it anew.
func (ix *textIndex) foldDue() bool {
	return ix.folded.Load() == nil && ix.small == nil && (ix.n != len(ix.base.measures) || ix.goneN > 0 && ix.limit+2*int32(ix.goneN) > ix.base.keep)
}

func (v *View) foldSimilarity() {
	ix := v.textIndex()
	ix.folded.Store(newTextIndex(v, ix.exactBelow))
}

// idfTable is the smoothed idf, as scikit-learn's TfidfVectorizer computes
// it, of an n-gram held by df of n measures, for every df.
func idfTable(n int) []float64 {
	t := make([]float64, n+1)
	for df := range t {
		t[df] = math.Log(float64(1+n)/float64(1+df)) + 1
	}
	return t
}

// df is how many measures hold gram.
func (ix *textIndex) df(gram uint32) int32 { return ix.base.df[gram] + ix.delta[gram] }

// weigh is the L2-normalised TF-IDF vector of counts tf (sorted by gram).
func (ix *textIndex) weigh(tf []gramCount) []gramWeight {
	vec := make([]gramWeight, len(tf))
	var norm float64
	for i, gc := range tf {
		w := (1 + math.Log(float64(gc.n))) * ix.idf[min(int(ix.df(gc.gram)), len(ix.idf)-1)]
		vec[i] = gramWeight{gc.gram, float32(w)}
		norm += w * w
	}
	norm = math.Sqrt(norm)
	for j := range vec {
		vec[j].w = float32(float64(vec[j].w) / norm)
	}
	return vec
}

// vector is m's vector: the one kept when it holds for this View (the
// base's measures are as many, and no n-gram of m is held by another
// count of them), else made from m's text.
func (ix *textIndex) vector(m *Measure) []gramWeight {
	if ix.small != nil {
		return ix.small.vec[m]
	}
	if ix.n == len(ix.base.measures) {
		p, ok := ix.base.index[m]
		if !ok {
			p, ok = ix.swapAt[m]
		}
		if ok && (ix.gone == nil || !ix.gone.has(p)) && ix.unaffected(ix.base.vec[p]) {
			return ix.base.vec[p]
		}
	}
	return ix.weigh(gramCounts(measureText(m)))
}

// unaffected reports whether no n-gram of vec is held by another count
// of measures than in the base.
func (ix *textIndex) unaffected(vec []gramWeight) bool {
	if len(ix.delta) == 0 {
		return true
	}
	for _, gw := range vec {
		if ix.delta[gw.gram] != 0 {
			return false
		}
	}
	return true
}

// candidates are the measures holding a distinctive gram of vec, each once.
func (ix *textIndex) candidates(vec []gramWeight) []*Measure {
	seen := map[*Measure]bool{}
	var out []*Measure
	add := func(m *Measure) {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	for _, gw := range vec {
		if ix.df(gw.gram) > ix.limit {
			continue
		}
		for _, p := range ix.base.post[gw.gram] {
			switch {
			case ix.gone != nil && ix.gone.has(p):
			case ix.swap[p] != nil:
				add(ix.swap[p])
			default:
				add(ix.base.measures[p])
			}
		}
		for _, p := range ix.overPost[gw.gram] {
			add(ix.over[p])
		}
	}
	return out
}

// measureText is what text similarity compares: title, summary, keywords.
func measureText(m *Measure) string {
	return m.Title + "\n" + m.Evidence.Summary + "\n" + strings.Join(m.Keywords, "\n")
}

// gramCounts counts the character bigrams and trigrams of s (by their
// 32-bit FNV-1a hash), lower-cased, with every run of non-letters and
// non-digits read as one space; sorted by gram.
func gramCounts(s string) []gramCount {
	rs := make([]rune, 0, len(s))
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
			space = false
		} else if !space {
			rs = append(rs, ' ')
			space = true
		}
	}
	hs := make([]uint32, 0, 2*len(rs))
	for i := 0; i+2 <= len(rs); i++ {
		// FNV-1a runs byte by byte: a trigram's hash goes on from its
		// first two characters'.
		h := fnvRune(fnvRune(fnvOffset, rs[i]), rs[i+1])
		hs = append(hs, h)
		if i+3 <= len(rs) {
			hs = append(hs, fnvRune(h, rs[i+2]))
		}
	}
	slices.Sort(hs)
	out := make([]gramCount, 0, len(hs))
	for _, h := range hs {
		if l := len(out); l > 0 && out[l-1].gram == h {
			out[l-1].n++
			continue
		}
		out = append(out, gramCount{h, 1})
	}
	return out
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// fnvRune goes on with FNV-1a hash h over r's UTF-8 bytes.
func fnvRune(h uint32, r rune) uint32 {
	var b [utf8.UTFMax]byte
	n := utf8.EncodeRune(b[:], r)
	for _, c := range b[:n] {
		h ^= uint32(c)
		h *= fnvPrime
	}
	return h
}
