package view

import (
	"hash/maphash"
	"slices"
)

// chunkBuckets is how many buckets of a SharedMap an edit copies at
// least: one chunk of them.
const chunkBuckets = 64

// SharedMap is a hash map whose versions share what an edit did not
// change: its buckets are kept in chunks, and an edit copies the list of
// chunks (one pointer per chunkBuckets buckets) and the chunks and
// buckets it writes, never the others. Readers of a version never see
// the edits of the next. The zero SharedMap is empty.
type SharedMap[K comparable, V any] struct {
	seed   maphash.Seed
	chunks []*mapChunk[K, V]
	n      int
}

type mapChunk[K comparable, V any] struct {
	owner   *editToken
	buckets [chunkBuckets]mapBucket[K, V]
}

type mapBucket[K comparable, V any] struct {
	owner *editToken
	es    []mapEntry[K, V]
}

type mapEntry[K comparable, V any] struct {
	k K
	v V
}

// editToken marks what one edit made, so it writes those in place; a
// token of its own keeps the edit itself, and the versions it read,
// from being held by what it made.
type editToken struct{ _ byte }

// Len is how many keys m holds.
func (m SharedMap[K, V]) Len() int { return m.n }

func (m SharedMap[K, V]) find(k K) (chunk, bucket int) {
	h := maphash.Comparable(m.seed, k) & uint64(len(m.chunks)*chunkBuckets-1)
	return int(h / chunkBuckets), int(h % chunkBuckets)
}

// Get is the value of k.
func (m SharedMap[K, V]) Get(k K) (V, bool) {
	var zero V
	if len(m.chunks) == 0 {
		return zero, false
	}
	c, b := m.find(k)
	if m.chunks[c] == nil {
		return zero, false
	}
	for _, e := range m.chunks[c].buckets[b].es {
		if e.k == k {
			return e.v, true
		}
	}
	return zero, false
}

// All calls f with each key and value, in no order, until f returns false.
func (m SharedMap[K, V]) All(f func(K, V) bool) {
	for _, c := range m.chunks {
		if c == nil {
			continue
		}
		for _, b := range c.buckets {
			for _, e := range b.es {
				if !f(e.k, e.v) {
					return
				}
			}
		}
	}
}

// MapEdit makes the next version of a SharedMap.
type MapEdit[K comparable, V any] struct {
	m     SharedMap[K, V]
	token *editToken
}

// Edit starts the next version of m; m itself does not change.
func (m SharedMap[K, V]) Edit() *MapEdit[K, V] {
	if len(m.chunks) == 0 {
		return NewSharedMap[K, V](0)
	}
	e := &MapEdit[K, V]{m: m, token: &editToken{}}
	e.m.chunks = slices.Clone(m.chunks)
	return e
}

// NewSharedMap starts a map for about n keys.
func NewSharedMap[K comparable, V any](n int) *MapEdit[K, V] {
	chunks := 1
	for chunks*chunkBuckets*4 < n {
		chunks *= 2
	}
	return &MapEdit[K, V]{m: SharedMap[K, V]{seed: maphash.MakeSeed(), chunks: make([]*mapChunk[K, V], chunks)}, token: &editToken{}}
}

// Get is the value of k as edited so far.
func (e *MapEdit[K, V]) Get(k K) (V, bool) { return e.m.Get(k) }

// bucket is the bucket of k, made writable by this edit.
func (e *MapEdit[K, V]) bucket(k K) *mapBucket[K, V] {
	ci, bi := e.m.find(k)
	c := e.m.chunks[ci]
	if c == nil || c.owner != e.token {
		nc := &mapChunk[K, V]{owner: e.token}
		if c != nil {
			nc.buckets = c.buckets
		}
		e.m.chunks[ci], c = nc, nc
	}
	b := &c.buckets[bi]
	if b.owner != e.token {
		b.es = slices.Clip(slices.Clone(b.es))
		b.owner = e.token
	}
	return b
}

// Set makes v the value of k.
func (e *MapEdit[K, V]) Set(k K, v V) {
	b := e.bucket(k)
	for i := range b.es {
		if b.es[i].k == k {
			b.es[i].v = v
			return
		}
	}
	b.es = append(b.es, mapEntry[K, V]{k, v})
	e.m.n++
}

// Delete removes k.
func (e *MapEdit[K, V]) Delete(k K) {
	if _, ok := e.m.Get(k); !ok {
		return
	}
	b := e.bucket(k)
	for i := range b.es {
		if b.es[i].k == k {
			b.es = slices.Delete(b.es, i, i+1)
			e.m.n--
			return
		}
	}
}

// Map is the version edited; the edit must not be used after. A map
// grown past eight keys a bucket is laid out again over twice the
// buckets, which the edits after it pay for in fewer collisions.
func (e *MapEdit[K, V]) Map() SharedMap[K, V] {
	m := e.m
	e.m = SharedMap[K, V]{}
	if m.n <= len(m.chunks)*chunkBuckets*8 {
		return m
	}
	grown := NewSharedMap[K, V](2 * m.n)
	m.All(func(k K, v V) bool {
		grown.Set(k, v)
		return true
	})
	return grown.Map()
}
