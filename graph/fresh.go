package graph

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// viewCache holds the current View and when the store's version was last
// compared with it. Reads take the cached View; at most once per
// recheckEvery a reader asks the store for its version stamp (one index
// lookup), and a changed stamp rebuilds the View once, under build.
type viewCache struct {
	current atomic.Pointer[View]
	checked atomic.Int64 // unix nanos of the last version check
	build   sync.Mutex
}

// recheckEvery bounds how stale a View can be when another process writes
// to a shared store; writes through this process invalidate at once.
const recheckEvery = 250 * time.Millisecond

func (s *Store) invalidate() { s.views.checked.Store(0) }

// View returns a View of the current graph, rebuilding it when the store
// changed since the last one was built.
func (s *Store) View(ctx context.Context) (*View, error) {
	cur := s.views.current.Load()
	if cur != nil && time.Since(time.Unix(0, s.views.checked.Load())) < recheckEvery {
		return cur, nil
	}
	ver, err := s.version(ctx)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.Version == ver {
		s.views.checked.Store(time.Now().UnixNano())
		return cur, nil
	}
	s.views.build.Lock()
	defer s.views.build.Unlock()
	if cur := s.views.current.Load(); cur != nil && cur.Version == ver {
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
	return v, nil
}
