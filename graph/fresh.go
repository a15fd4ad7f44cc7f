package graph

import (
	"context"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// viewCache holds the current View and when the store's version was last
// compared with it. Reads take the cached View; at most once per
// recheckEvery a reader asks the store for its version stamp (one index
// lookup). A changed stamp starts one build of the next View in the
// background, and readers keep the current View meanwhile: on a large
// graph a build takes seconds, and every request of every server would
// otherwise wait for it after each write anywhere.
type viewCache struct {
	current atomic.Pointer[View]
	checked atomic.Int64 // unix nanos of the last version check
	build   sync.Mutex   // one build at a time
	// building is set while a background build runs.
	building atomic.Bool
	// background builds run under ctx, stopped and waited for by Close.
	ctx  context.Context
	stop context.CancelFunc
	bg   sync.WaitGroup
}

// recheckEvery bounds how stale a View can be, beyond the time to build
// the next one, when another process writes to a shared store.
const recheckEvery = 250 * time.Millisecond

func (s *Store) invalidate() { s.views.checked.Store(0) }

// View returns a View of the graph: the current one, while a newer one is
// built in the background when the store changed. Only the first View of
// a store is waited for. Writers that must read what they wrote use Fresh.
func (s *Store) View(ctx context.Context) (*View, error) {
	cur := s.views.current.Load()
	if cur != nil && time.Since(time.Unix(0, s.views.checked.Load())) < recheckEvery {
		return cur, nil
	}
	ver, err := s.version(ctx)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		return s.buildView(ctx)
	}
	if cur.Version != ver && s.views.building.CompareAndSwap(false, true) {
		s.views.bg.Go(func() {
			defer s.views.building.Store(false)
			// A failed build leaves the current View; the next check retries.
			s.buildView(s.views.ctx)
		})
	}
	if cur.Version == ver {
		s.views.checked.Store(time.Now().UnixNano())
	}
	return cur, nil
}

// Fresh returns a View of the store as it is now, building it if needed
// and waiting for it: after a write, its writer reads what it wrote.
func (s *Store) Fresh(ctx context.Context) (*View, error) { return s.buildView(ctx) }

// buildView makes a View of the store as it is now current, unless a
// build that ran meanwhile already did.
func (s *Store) buildView(ctx context.Context) (*View, error) {
	s.views.build.Lock()
	defer s.views.build.Unlock()
	ver, err := s.version(ctx)
	if err != nil {
		return nil, err
	}
	if cur := s.views.current.Load(); cur != nil && cur.Version == ver {
		s.views.checked.Store(time.Now().UnixNano())
		return cur, nil
	}
	// A write that lands while the quads are read could leave the View
	// with parts of two versions; read again until the stamp held still.
	var v *View
	for {
		v, err = s.BuildView(ctx, ver)
		if err != nil {
			return nil, err
		}
		after, err := s.version(ctx)
		if err != nil {
			return nil, err
		}
		if after == ver {
			break
		}
		ver = after
	}
	s.views.current.Store(v)
	s.views.checked.Store(time.Now().UnixNano())
	// Reading every quad leaves garbage as large as the View itself, and
	// the previous View is garbage now too: hand it back to the system at
	// once rather than keep it resident until the heap grows into it.
	debug.FreeOSMemory()
	return v, nil
}
