package extract

import "sort"

// OffsetMap maps byte positions of a derived text (HTML stripped, a
// charset decoded, glosses removed) back to the original bytes. It is a
// list of segments: bytes [At, At+N) of the text came from bytes
// [Src, Src+SrcN) of the original. A segment with N == SrcN maps byte
// for byte; any other (an entity, a character in GBK) maps as a whole, so
// a passage that starts or ends at it starts or ends at its edges.
type OffsetMap struct {
	segs []segment
}

type segment struct{ at, n, src, srcN int }

// Add records that the next n bytes of the text came from src[s:s+srcN].
// Segments are added in text order; adjacent byte-for-byte ones merge.
func (m *OffsetMap) Add(at, n, s, srcN int) {
	if n == 0 {
		return
	}
	if k := len(m.segs) - 1; k >= 0 && n == srcN {
		l := &m.segs[k]
		if l.n == l.srcN && l.at+l.n == at && l.src+l.srcN == s {
			l.n += n
			l.srcN += n
			return
		}
	}
	m.segs = append(m.segs, segment{at, n, s, srcN})
}

// find is the segment holding text byte i, or the last before it.
func (m *OffsetMap) find(i int) int {
	return sort.Search(len(m.segs), func(k int) bool { return m.segs[k].at > i }) - 1
}

// Start is the original offset of a passage starting at text byte i.
func (m *OffsetMap) Start(i int) int {
	if m == nil {
		return i
	}
	k := m.find(i)
	if k < 0 {
		return i
	}
	g := m.segs[k]
	switch {
	case i >= g.at+g.n: // past the segment: what follows it in the original
		return g.src + g.srcN
	case g.n == g.srcN:
		return g.src + i - g.at
	}
	return g.src
}

// End is the original offset of a passage ending at text byte i.
func (m *OffsetMap) End(i int) int {
	if m == nil {
		return i
	}
	if i == 0 {
		return m.Start(0)
	}
	k := m.find(i - 1)
	if k < 0 {
		return i
	}
	g := m.segs[k]
	switch {
	case i-1 >= g.at+g.n:
		return g.src + g.srcN
	case g.n == g.srcN:
		return g.src + i - g.at
	}
	return g.src + g.srcN
}

// Then maps through m and then outer, the map of the text m came from:
// m maps text C to B, outer maps B to A; the result maps C to A.
func (m *OffsetMap) Then(outer *OffsetMap) *OffsetMap {
	if outer == nil {
		return m
	}
	if m == nil {
		return outer
	}
	out := &OffsetMap{}
	for _, g := range m.segs {
		if g.n != g.srcN {
			s, e := outer.Start(g.src), outer.End(g.src+g.srcN)
			out.Add(g.at, g.n, s, e-s)
			continue
		}
		// A byte-for-byte segment maps through every segment of outer it spans.
		for i := g.src; i < g.src+g.srcN; {
			k := outer.find(i)
			var o segment
			if k < 0 || i >= outer.segs[k].at+outer.segs[k].n {
				// outside outer's segments: identity up to the next one
				next := g.src + g.srcN
				if k+1 < len(outer.segs) && outer.segs[k+1].at < next {
					next = outer.segs[k+1].at
				}
				o = segment{i, next - i, i, next - i}
			} else {
				o = outer.segs[k]
			}
			stop := min(o.at+o.n, g.src+g.srcN)
			at := g.at + i - g.src
			if o.n == o.srcN {
				out.Add(at, stop-i, o.src+i-o.at, stop-i)
			} else {
				// Part of an entity or a multi-byte character of outer.
				s := outer.Start(i)
				e := outer.End(stop)
				out.Add(at, stop-i, s, e-s)
			}
			i = stop
		}
	}
	return out
}
