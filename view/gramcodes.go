package view

import (
	"encoding/binary"
	"slices"
)

// Above exactBelow a View keeps, for every measure, its n-gram counts,
// from which a question weighs the vectors of the asked measure and its
// candidates (weighing is a few arithmetic operations a gram; counting
// them again from the texts, as it once did, took 18.7 ms a question at
// size L). Kept as vectors of float weights and 32-bit grams they took
// 139 MB at L (72,000 measures, 15.8 million grams), and the build left
// as much again in the spans of their size classes; as below, in two
// flat arrays, about a quarter.
//
// The grams of the base View are numbered in hash order (gramDict), so
// a measure's sorted grams are ascending numbers, written as the gaps
// between them: a measure holds about 220 of 220,000 grams, a gap of
// about a thousand, two bytes of varint. The low bit of each gap says
// whether a count follows (a gram held more than once; one in five).

// gramDict numbers the distinct n-grams of a View's measures and keeps,
// per number, how many measures hold it.
type gramDict struct {
	grams []uint32 // ascending
	df    []int32
}

// newGramDict is the dictionary of the grams counted in df.
func newGramDict(df map[uint32]int32) gramDict {
	d := gramDict{grams: make([]uint32, 0, len(df)), df: make([]int32, len(df))}
	for g := range df {
		d.grams = append(d.grams, g)
	}
	slices.Sort(d.grams)
	for i, g := range d.grams {
		d.df[i] = df[g]
	}
	return d
}

// id is gram's number, false when no measure of the View holds it.
func (d *gramDict) id(gram uint32) (int32, bool) {
	i, ok := slices.BinarySearch(d.grams, gram)
	return int32(i), ok
}

// count is how many measures of the View hold gram.
func (d *gramDict) count(gram uint32) int32 {
	if i, ok := d.id(gram); ok {
		return d.df[i]
	}
	return 0
}

// gramCodes are the counts of many measures, one after another: those
// of measure i are codes[at[i]:at[i+1]].
type gramCodes struct {
	at    []uint32
	codes []byte
}

// appendCounts writes counts tf, whose grams are numbered ids (both in
// gram order), as the next measure's.
func (c *gramCodes) appendCounts(tf []gramCount, ids []int32) {
	if len(c.at) == 0 {
		c.at = append(c.at, 0)
	}
	prev := int32(-1)
	for i, gc := range tf {
		gap := uint64(ids[i]-prev) << 1
		prev = ids[i]
		if gc.n == 1 {
			c.codes = binary.AppendUvarint(c.codes, gap)
			continue
		}
		c.codes = binary.AppendUvarint(c.codes, gap|1)
		c.codes = binary.AppendUvarint(c.codes, uint64(gc.n))
	}
	c.at = append(c.at, uint32(len(c.codes)))
}

// counts appends to tf the counts of measure i, with grams from d, and
// to ids their numbers.
func (c *gramCodes) counts(i int32, d *gramDict, tf []gramCount, ids []int32) ([]gramCount, []int32) {
	b := c.codes[c.at[i]:c.at[i+1]]
	id := int32(-1)
	for len(b) > 0 {
		gap, k := binary.Uvarint(b)
		b = b[k:]
		n := uint64(1)
		if gap&1 != 0 {
			n, k = binary.Uvarint(b)
			b = b[k:]
		}
		id += int32(gap >> 1)
		tf = append(tf, gramCount{d.grams[id], int32(n)})
		ids = append(ids, id)
	}
	return tf, ids
}

// gramPostings are, per gram number, the positions of the measures
// holding it, ascending: those of id are post[at[id]:at[id+1]] (none
// for a gram not kept).
type gramPostings struct {
	at   []uint32
	post []int32
}

func (p *gramPostings) of(id int32) []int32 { return p.post[p.at[id]:p.at[id+1]] }
