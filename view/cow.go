package view

import (
	"hash/maphash"
	"iter"
	"maps"
	"math/bits"

	"github.com/cayleygraph/quad"
)

// The View's large arrays and maps are shared between versions: a patch
// copies the page table of an array, or the shard table of a map, and
// then only the pages or shards it writes, so its cost follows the
// change and not the graph. Readers index one more level (a page, a
// shard) than a plain slice or map; nothing else differs for them.
// Both are written only while the View that holds them is being made,
// by one goroutine; a published View is never written again.

// pageBits sets the length of a page of a paged array: 1024 quads are 16
// KiB, and a plan's quads, stored together, fill a page or two.
const (
	pageBits = 10
	pageLen  = 1 << pageBits
	pageMask = pageLen - 1
)

// paged is an array of T in fixed-size pages. A copy made by clone
// shares every page with its original until set writes to one.
type paged[T any] struct {
	table []*[pageLen]T
	n     int
	// mine are the pages this copy made, which set may write in place;
	// nil once frozen.
	mine map[int]bool
}

// newPaged is an array of n zero values, every page its own.
func newPaged[T any](n int) paged[T] {
	p := paged[T]{table: make([]*[pageLen]T, (n+pageMask)>>pageBits), n: n}
	for i := range p.table {
		p.table[i] = new([pageLen]T)
	}
	return p
}

func (p *paged[T]) len() int { return p.n }

func (p *paged[T]) at(i int32) T { return p.table[i>>pageBits][i&pageMask] }

// clone is a copy of p that shares its pages: writing to it copies the
// page written first, so p is left as it is.
func (p *paged[T]) clone() paged[T] {
	return paged[T]{table: append(make([]*[pageLen]T, 0, len(p.table)+1), p.table...), n: p.n, mine: map[int]bool{}}
}

// set writes x at i < p.len().
func (p *paged[T]) set(i int32, x T) {
	pg := int(i >> pageBits)
	if !p.mine[pg] {
		if p.mine == nil {
			panic("view: write to a published array")
		}
		cp := *p.table[pg]
		p.table[pg] = &cp
		p.mine[pg] = true
	}
	p.table[pg][i&pageMask] = x
}

// append adds x at the end.
func (p *paged[T]) append(x T) {
	if p.n>>pageBits == len(p.table) {
		p.table = append(p.table, new([pageLen]T))
		p.mine[len(p.table)-1] = true
	}
	p.n++
	p.set(int32(p.n-1), x)
}

// truncate shortens p to n elements.
func (p *paged[T]) truncate(n int) {
	p.n = n
	p.table = p.table[:(n+pageMask)>>pageBits]
}

// freeze ends the writing of p: from now on it is shared.
func (p *paged[T]) freeze() { p.mine = nil }

// hashSeed seeds the hash that picks a shard; the same for every View,
// since versions share shards.
var hashSeed = maphash.MakeSeed()

func hashString(s string) uint64 { return maphash.String(hashSeed, s) }

// hashValue hashes a quad value; IRIs and blank nodes, nearly every key,
// without boxing them again.
func hashValue(v quad.Value) uint64 {
	switch x := v.(type) {
	case quad.IRI:
		return maphash.String(hashSeed, string(x))
	case quad.BNode:
		return maphash.String(hashSeed, string(x))
	case quad.String:
		return maphash.String(hashSeed, string(x))
	}
	return maphash.Comparable(hashSeed, v)
}

// shardLen is the number of keys a shard of a sharded map holds on
// average when New makes it: a patch copies the shards of the keys it
// changes, each about this many entries.
const shardLen = 32

// sharded is a map split by the hash of its keys into shards, each a Go
// map. A copy made by clone shares every shard with its original until
// set or del writes to one.
type sharded[K comparable, V any] struct {
	shards []map[K]V
	n      int
	hash   func(K) uint64
	mine   map[int]bool // as paged's
}

// newSharded moves the entries of m into a sharded map.
func newSharded[K comparable, V any](m map[K]V, hash func(K) uint64) *sharded[K, V] {
	n := 1
	if len(m) > shardLen {
		n = 1 << bits.Len(uint(len(m)/shardLen))
	}
	s := &sharded[K, V]{shards: make([]map[K]V, n), n: len(m), hash: hash}
	for i := range s.shards {
		s.shards[i] = make(map[K]V, len(m)/n+1)
	}
	for k, v := range m {
		s.shards[s.of(k)][k] = v
	}
	return s
}

func (s *sharded[K, V]) of(k K) int { return int(s.hash(k) & uint64(len(s.shards)-1)) }

// get is the entry of k; a nil map has none.
func (s *sharded[K, V]) get(k K) (V, bool) {
	if s == nil {
		var zero V
		return zero, false
	}
	v, ok := s.shards[s.of(k)][k]
	return v, ok
}

// len is the number of entries.
func (s *sharded[K, V]) len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// all lists every entry, in no order.
func (s *sharded[K, V]) all() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if s == nil {
			return
		}
		for _, sh := range s.shards {
			for k, v := range sh {
				if !yield(k, v) {
					return
				}
			}
		}
	}
}

// clone is a copy of s that shares its shards.
func (s *sharded[K, V]) clone() *sharded[K, V] {
	return &sharded[K, V]{shards: append([]map[K]V(nil), s.shards...), n: s.n, hash: s.hash, mine: map[int]bool{}}
}

// shard is the shard of k, made this copy's own.
func (s *sharded[K, V]) shard(k K) map[K]V {
	i := s.of(k)
	if !s.mine[i] {
		if s.mine == nil {
			panic("view: write to a published map")
		}
		s.shards[i] = maps.Clone(s.shards[i])
		if s.shards[i] == nil {
			s.shards[i] = map[K]V{}
		}
		s.mine[i] = true
	}
	return s.shards[i]
}

func (s *sharded[K, V]) set(k K, v V) {
	sh := s.shard(k)
	if _, ok := sh[k]; !ok {
		s.n++
	}
	sh[k] = v
}

func (s *sharded[K, V]) del(k K) {
	if _, ok := s.shards[s.of(k)][k]; !ok {
		return
	}
	delete(s.shard(k), k)
	s.n--
}

func (s *sharded[K, V]) freeze() { s.mine = nil }

// pagedOf is a paged copy of xs.
func pagedOf[T any](xs []T) paged[T] {
	p := newPaged[T](len(xs))
	for i := 0; i < len(xs); i += pageLen {
		copy(p.table[i>>pageBits][:], xs[i:])
	}
	return p
}
