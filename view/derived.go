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
// it, and links a patched View to what its base had derived, strongly:
// the base View itself may be gone (a patched View holds it weakly) by
// the time the new View's index is first asked for, and a burst of writes
// makes Views nobody asks anything of.

// maxLineage bounds how many patches a link reaches back over: past it
// the chain is cut and the next index is made anew, so a long run of
// writes nobody reads keeps no more than this many changes.
const maxLineage = 256

// derivedKey keeps a View's derived state in its Memo.
type derivedKey struct{}

// derivedState is what was derived from one View, and, until everything
// its base derived has been derived from it too, its base's state and
// what the patch changed.
type derivedState struct {
	mu     sync.Mutex
	values map[any]*derivedValue
	// prev is the base View's state and changed the records the patch
	// from it built again or removed; depth counts the links behind.
	prev    *derivedState
	changed map[schema.Type]map[string]bool
	depth   int
}

// derivedValue is made by the first to ask; the others wait for done.
type derivedValue struct {
	done chan struct{}
	v    any
}

func (v *View) derived() *derivedState {
	return v.Memo(derivedKey{}, func() any { return &derivedState{values: map[any]*derivedValue{}} }).(*derivedState)
}

// linkDerived makes nv's derived state follow v's: what v derived (or,
// where v derived nothing, what its base did) is where nv's are mended
// from. Patch calls it while it holds v.
func linkDerived(v, nv *View, changed map[schema.Type]map[string]bool) {
	prev := v.derived()
	s := &derivedState{values: map[any]*derivedValue{}, prev: prev, changed: changed}
	prev.mu.Lock()
	s.depth = prev.depth + 1
	prev.mu.Unlock()
	if s.depth > maxLineage {
		s.prev, s.changed, s.depth = nil, nil, 0
	}
	nv.memo.Store(derivedKey{}, s)
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
	s.mu.Unlock()
	if !first {
		<-d.done
		return d.v
	}
	defer close(d.done)
	prev, changed := s.ancestor(key)
	d.v = derive(prev, changed)
	s.release()
	return d.v
}

// ancestor is the value derived for key by the nearest base that has
// one, and the records changed since; nil when none has.
func (s *derivedState) ancestor(key any) (any, map[schema.Type]map[string]bool) {
	changed := map[schema.Type]map[string]bool{}
	s.mu.Lock()
	at, ch := s.prev, s.changed
	s.mu.Unlock()
	for at != nil {
		for t, ids := range ch {
			if changed[t] == nil {
				changed[t] = map[string]bool{}
			}
			for id := range ids {
				changed[t][id] = true
			}
		}
		at.mu.Lock()
		d := at.values[key]
		next, nch := at.prev, at.changed
		at.mu.Unlock()
		if d != nil {
			// Made, or being made by another View's ask: wait for it.
			<-d.done
			if d.v != nil {
				return d.v, changed
			}
		}
		at, ch = next, nch
	}
	return nil, nil
}

// release lets go of the base's state once everything any base derived
// has been derived here too: the bases' indexes are then no one's to
// mend from.
func (s *derivedState) release() {
	s.mu.Lock()
	at := s.prev
	have := make(map[any]bool, len(s.values))
	for k := range s.values {
		have[k] = true
	}
	s.mu.Unlock()
	for ; at != nil; at = at.next() {
		at.mu.Lock()
		for k := range at.values {
			if !have[k] {
				at.mu.Unlock()
				return
			}
		}
		at.mu.Unlock()
	}
	s.mu.Lock()
	s.prev, s.changed = nil, nil
	s.mu.Unlock()
}

func (s *derivedState) next() *derivedState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prev
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
