package view

import (
	"sync"

	"github.com/policygraph/policygraph/schema"
)

// An index derived from a View (the search index, similarity's n-gram
// counts, a server's lexicons) need not be made again for a patched View:
// every record a patch did not name is the very record of the View it was
// patched from, so the previous version's index, told which records
// changed, can be mended. Derived keeps, per View, what was derived from
// it; Patch hands the new View, per key, what its base derived (or, where
// the base derived nothing, what the base was handed), with the records
// changed since. It holds those strongly: the base View itself may be
// gone (a patched View holds it weakly) by the time the new View's index
// is first asked for, and a burst of writes makes Views nobody asks
// anything of. Each View so holds at most one older value per key, until
// it derives its own.

// maxInherited bounds the records changed since an inherited value: past
// it the value is dropped and the next index is made anew, so a long run
// of writes nobody reads keeps no more than this.
const maxInherited = 50000

// derivedKey keeps a View's derived state in its Memo.
type derivedKey struct{}

// derivedState is what was derived from one View, and, per key it has
// not derived yet, what it was handed by its base.
type derivedState struct {
	mu        sync.Mutex
	values    map[any]*derivedValue
	inherited map[any]inherited
}

// inherited is a value derived from an earlier View, and the records (per
// type, ids) built again or removed since that View.
type inherited struct {
	value   *derivedValue
	changed map[schema.Type]map[string]bool
	size    int
}

// derivedValue is made by the first to ask; the others wait for done.
type derivedValue struct {
	done chan struct{}
	v    any
}

func (v *View) derived() *derivedState {
	return v.Memo(derivedKey{}, func() any { return &derivedState{values: map[any]*derivedValue{}} }).(*derivedState)
}

// linkDerived hands nv what v derived, or was handed, per key, with the
// records changed since. Patch calls it while it holds v.
func linkDerived(v, nv *View, changed map[schema.Type]map[string]bool) {
	prev := v.derived()
	n := 0
	for _, ids := range changed {
		n += len(ids)
	}
	s := &derivedState{values: map[any]*derivedValue{}, inherited: map[any]inherited{}}
	prev.mu.Lock()
	for k, d := range prev.values {
		s.inherited[k] = inherited{value: d, changed: changed, size: n}
	}
	for k, in := range prev.inherited {
		if _, ok := s.inherited[k]; ok || in.size+n > maxInherited {
			continue
		}
		s.inherited[k] = inherited{value: in.value, changed: unionRecords(in.changed, changed), size: in.size + n}
	}
	prev.mu.Unlock()
	nv.memo.Store(derivedKey{}, s)
}

func unionRecords(a, b map[schema.Type]map[string]bool) map[schema.Type]map[string]bool {
	out := make(map[schema.Type]map[string]bool, len(a)+len(b))
	for _, m := range []map[schema.Type]map[string]bool{a, b} {
		for t, ids := range m {
			if out[t] == nil {
				out[t] = make(map[string]bool, len(ids))
			}
			for id := range ids {
				out[t][id] = true
			}
		}
	}
	return out
}

// Derived returns what derive made for key on v, calling it on the first
// ask only (concurrent asks wait for that one). derive is given the value
// derived for key from the nearest View v was patched from that has one,
// with the records (per type, ids) built again or removed since; a nil
// prev when there is none, and derive then works from v alone.
func (v *View) Derived(key any, derive func(prev any, changed map[schema.Type]map[string]bool) any) any {
	s := v.derived()
	s.mu.Lock()
	d := s.values[key]
	first := d == nil
	if first {
		d = &derivedValue{done: make(chan struct{})}
		s.values[key] = d
	}
	in, handed := s.inherited[key]
	s.mu.Unlock()
	if !first {
		<-d.done
		return d.v
	}
	defer close(d.done)
	var prev any
	var changed map[schema.Type]map[string]bool
	if handed {
		// Made, or being made by another View's ask: wait for it.
		<-in.value.done
		if in.value.v != nil {
			prev, changed = in.value.v, in.changed
		}
	}
	d.v = derive(prev, changed)
	s.mu.Lock()
	delete(s.inherited, key) // the base's is no one's to mend from now
	s.mu.Unlock()
	return d.v
}

// Made reports whether what Derived derives for key on v has been made
// (and not only asked for).
func (v *View) Made(key any) bool {
	s := v.derived()
	s.mu.Lock()
	d := s.values[key]
	s.mu.Unlock()
	if d == nil {
		return false
	}
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}
