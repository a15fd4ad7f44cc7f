package graph

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/policygraph/policygraph/view"
)

// viewCache holds the current View and when the store's version was last
// compared with it. Reads take the cached View; at most once per
// recheckEvery a reader asks the store for its version stamp (one index
// lookup). A changed stamp starts one build of the next View in the
// background, and readers keep the current View meanwhile: on a large
// graph a build takes seconds, and every request of every server would
// otherwise wait for it after each write anywhere.
type viewCache struct {
	current atomic.Pointer[view.View]
	checked atomic.Int64 // unix nanos of the last version check
	// checking is set while one reader asks the store for its version;
	// the readers that come meanwhile answer from the current View.
	checking atomic.Bool
	build    sync.Mutex // one build at a time
	// Background builds run under ctx and are waited for by Close. mu
	// guards building (one runs) and closed (none may start).
	ctx      context.Context
	stop     context.CancelFunc
	mu       sync.Mutex
	building bool
	// again is set when a build was asked for while one ran: that one
	// builds once more when done (a version check that finds the View
	// current costs one lookup).
	again  bool
	closed bool
	bg     sync.WaitGroup
	// The text-index worker (background.go), under mu: toWarm is the View
	// it takes next, indexing is set while it runs, busy is YieldTo's.
	toWarm   *view.View
	indexing bool
	busy     func() bool
	// writes counts this process's version bumps: a patch from a write
	// in hand (Written) is sound only when it is the one write since.
	writes atomic.Int64
	// lastStamp is the version stamp of this process's last write; wrote
	// guards it with writes (see invalidate).
	wrote     sync.Mutex
	lastStamp string
	// patched counts the Views made by a patch (for tests and logs).
	patched atomic.Int64
	// listen starts the listener of other processes' writes (PostgreSQL).
	listen sync.Once
	// own is the stamp this process's write in progress adds: its
	// announcement comes back to this process too, and is not news.
	own atomic.Pointer[string]
}

const (
	// recheckEvery bounds how stale a View can be, beyond the time to
	// patch or build the next one, when another process writes to a shared
	// store. A check is one index lookup (BenchmarkVersionCheck: 0.2 ms on
	// bolt, 6 ms on PostgreSQL on a loaded machine), and a patch after a
	// one-plan write tens of milliseconds, so a tenth of a second keeps a
	// second server within a quarter of a second of a write.
	recheckEvery = 100 * time.Millisecond
	// checkTimeout bounds a reader's version check: the answers it
	// guards are otherwise memory lookups, with no deadline of their own.
	checkTimeout = 5 * time.Second
)

// invalidate records a write of this process that stamped version
// stamp ("" when its transaction failed, and may or may not have landed):
// the count and the stamp change together, under wrote, so a patch from
// the write in hand can tell that its write is the last one the store
// holds (see changedFromWrite).
func (s *Store) invalidate(stamp string) {
	s.views.wrote.Lock()
	s.views.writes.Add(1)
	s.views.lastStamp = stamp
	s.views.wrote.Unlock()
	s.views.checked.Store(0)
}

// lastWrite is the count of this process's writes and the stamp of the
// last one.
func (s *Store) lastWrite() (int64, string) {
	s.views.wrote.Lock()
	defer s.views.wrote.Unlock()
	return s.views.writes.Load(), s.views.lastStamp
}

// View returns a View of the graph: the current one, while a newer one is
// built in the background when the store changed. Only the first View of
// a store is waited for. Writers that must read what they wrote use Fresh.
func (s *Store) View(ctx context.Context) (_ *view.View, err error) {
	defer func() { err = classify(err) }()
	s.listen()
	cur := s.views.current.Load()
	if cur != nil && time.Since(time.Unix(0, s.views.checked.Load())) < recheckEvery {
		return cur, nil
	}
	if cur == nil {
		return s.Fresh(ctx)
	}
	// One check at a time. Every reader that came while one was in flight
	// used to ask too: at a thousand requests a second that is a dozen
	// queries at once every recheckEvery, each past the pool's idle
	// connections opening one of its own (a PostgreSQL backend and a
	// SCRAM exchange), which under a CPU quota stalled every request for
	// seconds (BenchmarkScaleOut). The others answer from the current
	// View, as they would have a moment earlier.
	if !s.views.checking.CompareAndSwap(false, true) {
		return cur, nil
	}
	defer s.views.checking.Store(false)
	check, cancel := context.WithTimeout(ctx, checkTimeout)
	ver, err := s.version(check)
	cancel()
	if err != nil {
		return nil, err
	}
	// Checked either way: a build in progress (or one that failed) is not
	// asked about again, nor retried, before recheckEvery has passed.
	s.views.checked.Store(time.Now().UnixNano())
	if cur.Version != ver {
		s.buildInBackground()
	}
	return cur, nil
}

// listen starts, once, to hear of other processes' writes over
// PostgreSQL as they commit (see listenVersions): the next View is then
// patched at once, in the background, not after the next version check,
// up to recheckEvery later and only once a request comes. The checks
// still run, for what a lost connection kept unheard.
func (s *Store) listen() {
	if s.sql == nil {
		return
	}
	s.views.listen.Do(func() {
		// Not in bg: it ends when the store's connections close, after
		// the builds stopped.
		go s.sql.listenVersions(s.heard)
	})
}

// heard is a write's announcement of version stamp ("" when some may
// have gone unheard).
func (s *Store) heard(stamp string) {
	cur := s.views.current.Load()
	if cur == nil {
		return // the first reader builds the first View
	}
	if stamp != "" {
		if cur.Version == stamp {
			return
		}
		// This process's write, in progress or the last: its writer
		// patches to it.
		if own := s.views.own.Load(); own != nil && *own == stamp {
			return
		}
		if _, last := s.lastWrite(); last == stamp {
			return
		}
	}
	s.buildInBackground()
}

// buildInBackground starts a build of the next View unless one runs or
// the store is closing. A build that fails leaves the current View, and
// the next version check starts another.
func (s *Store) buildInBackground() {
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	if s.views.closed {
		return
	}
	if s.views.building {
		// The build under way may have read the version before the
		// write that asks for this one: it looks again when done.
		s.views.again = true
		return
	}
	s.views.building = true
	s.views.bg.Go(func() {
		for {
			s.buildView(s.views.ctx, nil)
			s.views.mu.Lock()
			again := s.views.again && !s.views.closed
			s.views.again = false
			if !again {
				s.views.building = false
				s.views.mu.Unlock()
				return
			}
			s.views.mu.Unlock()
		}
	})
}

// stopBuilds stops a background build and waits for it; none starts after.
func (s *Store) stopBuilds() {
	s.views.mu.Lock()
	s.views.closed = true
	s.views.mu.Unlock()
	s.views.stop()
	s.views.bg.Wait()
}

// Warm reports whether a View has been built: until then the first
// reader waits for one.
func (s *Store) Warm() bool { return s.views.current.Load() != nil }

// Fresh returns a View of the store as it is now, building it if needed
// and waiting for it: after a write, its writer reads what it wrote.
func (s *Store) Fresh(ctx context.Context) (*view.View, error) {
	s.listen()
	v, err := s.buildView(ctx, nil)
	return v, classify(err)
}

// releaseMemory calls Config.ReleaseMemory, if set.
func (s *Store) releaseMemory() {
	if s.release != nil {
		s.release()
	}
}

// buildView makes a View of the store as it is now current, unless a
// build that ran meanwhile already did: patched from the current View
// when few documents changed (see patch.go; w, when not nil, is the write
// of this process that changed them), built from every quad otherwise.
func (s *Store) buildView(ctx context.Context, w *Written) (*view.View, error) {
	v, built, err := s.buildLocked(ctx, w)
	if built {
		// Reading every quad leaves garbage as large as the View, and the
		// previous View becomes garbage once the requests using it end.
		s.releaseMemory()
		s.releaseFilePages()
	}
	return v, err
}

func (s *Store) buildLocked(ctx context.Context, w *Written) (v *view.View, built bool, err error) {
	s.views.build.Lock()
	defer s.views.build.Unlock()
	writes := s.views.writes.Load()
	ver, err := s.version(ctx)
	if err != nil {
		return nil, false, err
	}
	cur := s.views.current.Load()
	if cur != nil && cur.Version == ver {
		s.views.checked.Store(time.Now().UnixNano())
		return cur, false, nil
	}
	// A patch, like a build, is kept only if the stamp held still while
	// it read; a write meanwhile makes it patch again from the same View.
	for try := 0; cur != nil && try < 3; try++ {
		p, err := s.patchLocked(ctx, cur, ver, w, writes)
		if err != nil {
			return nil, false, err
		}
		if p == nil {
			break
		}
		writes = s.views.writes.Load()
		after, err := s.version(ctx)
		if err != nil {
			return nil, false, err
		}
		if after == ver {
			s.views.patched.Add(1)
			prepareEngine(p)
			s.views.current.Store(p)
			s.warm(p)
			s.views.checked.Store(time.Now().UnixNano())
			return p, false, nil
		}
		ver = after
	}
	// A write that lands while the quads are read could leave the View
	// with parts of two versions; read again until the stamp held still.
	for {
		writes = s.views.writes.Load()
		v, err = s.buildFrom(ctx, ver, writes)
		if err != nil {
			return nil, false, err
		}
		after, err := s.version(ctx)
		if err != nil {
			return nil, false, err
		}
		if after == ver {
			break
		}
		ver = after
	}
	prepareEngine(v)
	s.views.current.Store(v)
	s.warm(v)
	s.views.checked.Store(time.Now().UnixNano())
	return v, true, nil
}

// buildFrom is BuildView that records what the View was read from, so
// the next can be patched from it.
func (s *Store) buildFrom(ctx context.Context, version string, writes int64) (*view.View, error) {
	qs, labels, complete, err := s.readForView(ctx)
	if err != nil {
		return nil, classify(err)
	}
	v := view.New(qs, version)
	v.Memo(builtFromKey{}, func() any { return &builtFrom{labels: labels, complete: complete, writes: writes} })
	v.PrepareForPatch()
	return v, nil
}

// BuildView reads every quad of the store into a View.
func (s *Store) BuildView(ctx context.Context, version string) (*view.View, error) {
	qs, err := s.allQuads(ctx)
	if err != nil {
		return nil, classify(err)
	}
	return view.New(qs, version), nil
}
