package view

import (
	"encoding/binary"
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
	affected bitset // the numbers in base of the grams delta changes
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
	dict     gramDict
	post     gramPostings
	keep     int32
	// counts are the measures' n-gram counts (above exactBelow), from
	// which their vectors are weighed for the View asked; norms their
	// vectors' norms, as this View weighs them; index their positions.
	counts gramCodes
	norms  []float64
	index  map[*Measure]int32
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
	base := &gramBase{measures: v.Measures}
	ix.base = base
	df := map[uint32]int32{}
	var tfs [][]gramCount
	grams := 0
	for _, m := range v.Measures {
		tf := gramCounts(measureText(m))
		for _, gc := range tf {
			df[gc.gram]++
		}
		grams += len(tf)
		if n <= exactBelow {
			tfs = append(tfs, tf)
		}
	}
	base.dict = newGramDict(df)
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
	d := &base.dict
	post := &base.post
	post.at = make([]uint32, len(d.grams)+1)
	for id, c := range d.df {
		post.at[id+1] = post.at[id]
		if c <= base.keep {
			post.at[id+1] += uint32(c)
		}
	}
	post.post = make([]int32, post.at[len(d.grams)])
	fill := slices.Clone(post.at[:len(d.grams)])
	for id, g := range d.grams {
		df[g] = int32(id) // the map numbers the grams from here on
	}
	base.counts = gramCodes{at: make([]uint32, 0, n+1), codes: make([]byte, 0, grams*5/2)}
	base.norms = make([]float64, n)
	base.index = make(map[*Measure]int32, n)
	var ids []int32
	for i, m := range v.Measures {
		tf := gramCounts(measureText(m))
		ids = ids[:0]
		var norm float64
		for _, gc := range tf {
			id := df[gc.gram]
			ids = append(ids, id)
			if d.df[id] <= base.keep {
				post.post[fill[id]] = int32(i)
				fill[id]++
			}
			w := ix.rawWeight(d.df[id], gc.n)
			norm += w * w
		}
		base.counts.appendCounts(tf, ids)
		base.norms[i] = math.Sqrt(norm)
		base.index[m] = int32(i)
	}
	// The codes were given room for 2.5 bytes a gram and take about 1.9
	// (size M): the room left would stay allocated as long as the index
	// (8 MiB at L), a copy of their size only until the next collection.
	if c := base.counts.codes; cap(c)-len(c) > len(c)/16 {
		base.counts.codes = slices.Clone(c)
	} else {
		base.counts.codes = slices.Clip(c)
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
		} else if id, ok := base.dict.id(g); ok {
			if nx.affected == nil {
				nx.affected = newBitset(len(base.dict.grams))
			}
			nx.affected.add(id)
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
func (ix *textIndex) df(gram uint32) int32 { return ix.base.dict.count(gram) + ix.delta[gram] }

// weigh is the L2-normalised TF-IDF vector of counts tf (sorted by gram).
func (ix *textIndex) weigh(tf []gramCount) []gramWeight {
	dfs := make([]int32, len(tf))
	for i, gc := range tf {
		dfs[i] = ix.df(gc.gram)
	}
	return ix.weighInto(make([]gramWeight, len(tf)), tf, dfs)
}

// weighInto is weigh into vec (as long as tf), dfs[i] how many measures
// hold gram i.
func (ix *textIndex) weighInto(vec []gramWeight, tf []gramCount, dfs []int32) []gramWeight {
	var norm float64
	for i, gc := range tf {
		w := ix.rawWeight(dfs[i], gc.n)
		vec[i] = gramWeight{gc.gram, float32(w)}
		norm += w * w
	}
	norm = math.Sqrt(norm)
	for j := range vec {
		vec[j].w = float32(float64(vec[j].w) / norm)
	}
	return vec
}

// rawWeight is the TF-IDF weight, before normalising, of a gram counted
// n times in a measure's text and held by df measures.
func (ix *textIndex) rawWeight(df, n int32) float64 {
	return ix.idf[min(int(df), len(ix.idf)-1)] * tfWeight(n)
}

// vector is m's vector, in buf's room when it has it.
func (ix *textIndex) vector(m *Measure, buf *vectorBuf) []gramWeight {
	if ix.small != nil {
		return ix.small.vec[m]
	}
	return ix.vectorInto(m, buf)
}

// vectorBuf is the room one question weighs its vectors in: the vector
// returned is good until the next.
type vectorBuf struct {
	tf  []gramCount
	ids []int32
	dfs []int32
	vec []gramWeight
}

// vectorInto weighs m's vector: from the counts kept for it when the
// base holds its text (a measure of the base not changed since, or built
// again with the text it had), else from its text.
func (ix *textIndex) vectorInto(m *Measure, buf *vectorBuf) []gramWeight {
	b := ix.base
	p, ok := b.index[m]
	if !ok {
		p, ok = ix.swapAt[m]
	}
	if !ok || ix.gone != nil && ix.gone.has(p) {
		return ix.weigh(gramCounts(measureText(m)))
	}
	buf.tf, buf.ids = b.counts.counts(p, &b.dict, buf.tf[:0], buf.ids[:0])
	buf.dfs = slices.Grow(buf.dfs[:0], len(buf.tf))[:len(buf.tf)]
	for i, id := range buf.ids {
		buf.dfs[i] = b.dict.df[id]
	}
	if len(ix.delta) > 0 {
		for i, gc := range buf.tf {
			buf.dfs[i] += ix.delta[gc.gram]
		}
	}
	buf.vec = slices.Grow(buf.vec[:0], len(buf.tf))[:len(buf.tf)]
	return ix.weighInto(buf.vec, buf.tf, buf.dfs)
}

// askedVector is the vector of the asked measure as a question compares
// it with each candidate's: by gram, and by the base's numbers of its
// grams (those the base holds), with the idf of each, so that a
// candidate's weight of a gram they share is a multiplication.
type askedVector struct {
	byGram gramTable
	has    bitset // the numbers
	byID   gramTable
	idf    []float64 // by position in byID's vector
}

func (ix *textIndex) asked(vec []gramWeight) *askedVector {
	d := &ix.base.dict
	q := &askedVector{byGram: newGramTable(vec), has: newBitset(len(d.grams))}
	ids := make([]gramWeight, 0, len(vec))
	for _, gw := range vec {
		if id, ok := d.id(gw.gram); ok {
			ids = append(ids, gramWeight{uint32(id), gw.w})
			q.has.add(id)
			q.idf = append(q.idf, ix.idf[min(int(d.df[id]), len(ix.idf)-1)])
		}
	}
	q.byID = newGramTable(ids)
	return q
}

// cosine is the asked vector's cosine with c's, which it weighs in buf.
// A measure of the base whose grams no change since touched is read
// from its counts, weighing only the grams the asked vector holds (a few
// of its two hundred) against its norm kept: what weighing its whole
// vector and summing probe.dot over it gives, to the bit.
func (ix *textIndex) cosine(q *askedVector, c *Measure, buf *vectorBuf) float64 {
	b := ix.base
	p, ok := b.index[c]
	if !ok {
		p, ok = ix.swapAt[c]
	}
	if ok && ix.n == len(b.measures) && (ix.gone == nil || !ix.gone.has(p)) {
		if s, ok := ix.cosineOfCounts(q, p); ok {
			return s
		}
	}
	return q.byGram.dot(ix.vector(c, buf))
}

// cosineOfCounts is cosine for the base's measure p; false when a gram
// of it is one whose count of measures changed since the base.
func (ix *textIndex) cosineOfCounts(q *askedVector, p int32) (float64, bool) {
	b := ix.base
	codes := b.counts.codes[b.counts.at[p]:b.counts.at[p+1]]
	norm := b.norms[p]
	var s float64
	id := int32(-1)
	for len(codes) > 0 {
		var gap uint64
		if c := codes[0]; c < 0x80 {
			gap, codes = uint64(c), codes[1:]
		} else if len(codes) > 1 && codes[1] < 0x80 {
			gap, codes = uint64(c&0x7f)|uint64(codes[1])<<7, codes[2:]
		} else {
			var k int
			gap, k = binary.Uvarint(codes)
			codes = codes[k:]
		}
		n := int32(1)
		if gap&1 != 0 {
			v, k := binary.Uvarint(codes)
			n, codes = int32(v), codes[k:]
		}
		id += int32(gap >> 1)
		if ix.affected != nil && ix.affected.has(id) {
			return 0, false
		}
		if !q.has.has(id) {
			continue
		}
		at := q.byID.find(uint32(id))
		w := float32(float64(float32(q.idf[at]*tfWeight(n))) / norm)
		s += float64(q.byID.vec[at].w) * float64(w)
	}
	return s, true
}

// tfWeights are 1 + ln n, the weight of a gram counted n times, for the
// counts most grams have.
var tfWeights = func() (t [64]float64) {
	for n := range t {
		t[n] = 1 + math.Log(float64(n))
	}
	return t
}()

func tfWeight(n int32) float64 {
	if n < int32(len(tfWeights)) {
		return tfWeights[n]
	}
	return 1 + math.Log(float64(n))
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
		var kept []int32
		if id, ok := ix.base.dict.id(gw.gram); ok && ix.base.post.at != nil {
			kept = ix.base.post.of(id)
		}
		for _, p := range kept {
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
