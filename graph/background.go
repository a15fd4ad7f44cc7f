package graph

import (
	"time"

	"github.com/policygraph/policygraph/view"
)

// The text indexes of a View (search, similarity) are made or mended in
// the background after each build or patch, so no question waits for
// them (view.View.WarmText, FoldText). Made anew they take seconds of CPU
// at size L; a server held to a share of a core (BenchmarkScaleOut) or
// busy answering would spend that share on them while requests queue.
// So one worker does this work, for the newest View only, and before each
// step waits for a moment when no request is in flight (YieldTo), for at
// most yieldAtMost: under load that never pauses, it goes on anyway, so
// the indexes a search needs are not put off for ever. Indexing reports
// whether it has work left, for /v1/health.

// yieldAtMost bounds how long a step of background index work waits for
// a moment without requests.
const yieldAtMost = 2 * time.Second

// yieldPoll is how often a waiting step looks again.
const yieldPoll = 5 * time.Millisecond

// YieldTo makes background index work wait, before each step, until busy
// reports false (or yieldAtMost has passed). A server gives it its count
// of requests in flight; call it before the first View is built.
func (s *Store) YieldTo(busy func() bool) {
	s.views.mu.Lock()
	s.views.busy = busy
	s.views.mu.Unlock()
}

// Indexing reports whether background index work is queued or running:
// until it ends, searches and similar answer from indexes mended in
// haste, or wait for the first ones.
func (s *Store) Indexing() bool {
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	return s.views.indexing
}

// warm queues the text indexes of v, the new current View, for the
// worker; a View it had not started on yet is dropped (the next is mended
// over every change since the last one warmed). Not once the store is
// closing.
func (s *Store) warm(v *view.View) {
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	if s.views.closed {
		return
	}
	s.views.toWarm = v
	if s.views.indexing {
		return // the running worker takes it next
	}
	s.views.indexing = true
	s.views.bg.Go(s.warmLoop)
}

// warmLoop is the worker: it warms the View queued last until none is.
func (s *Store) warmLoop() {
	for {
		s.views.mu.Lock()
		v, busy := s.views.toWarm, s.views.busy
		s.views.toWarm = nil
		if v == nil || s.views.closed {
			s.views.indexing = false
			s.views.mu.Unlock()
			return
		}
		s.views.mu.Unlock()
		if s.views.current.Load() != v {
			continue
		}
		s.yield(busy)
		if s.views.current.Load() != v {
			continue // a newer View came while it waited
		}
		anew := v.WarmText()
		s.yield(busy)
		if v.FoldText() || anew {
			// As after a build (see buildView).
			s.releaseMemory()
		}
	}
}

// yield waits until busy says no request is in flight, for at most
// yieldAtMost, or until the store closes.
func (s *Store) yield(busy func() bool) {
	if busy == nil || !busy() {
		return
	}
	deadline := time.NewTimer(yieldAtMost)
	defer deadline.Stop()
	tick := time.NewTicker(yieldPoll)
	defer tick.Stop()
	for busy() {
		select {
		case <-s.views.ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}
