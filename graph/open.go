// Package graph owns every call into Cayley: opening a store by backend
// name, applying what the loader produced in transactions, reading the graph
// back into Views (package view) and keeping the current one per version,
// and running Cayley's query languages over a View.
package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"   // registers "bbolt"
	_ "github.com/cayleygraph/cayley/graph/kv/bolt"    // registers "bolt"
	_ "github.com/cayleygraph/cayley/graph/kv/leveldb" // registers "leveldb"
	_ "github.com/cayleygraph/cayley/graph/memstore"   // registers "memstore"
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/cayleygraph/cayley/writer"
	"github.com/cayleygraph/quad"
)

// Defaults for Config: an embedded bolt store in the working directory.
const (
	DefaultBackend = "bolt"
	DefaultPath    = "policygraph.db"
)

// ErrNoAddress is Open of a backend that has no default address (a DSN,
// a path) given none.
var ErrNoAddress = errors.New("the backend needs an address: a DSN or a path")

// Config names a store the way Cayley does: a backend and its address
// (a file or directory for bolt and leveldb, a DSN for postgres).
type Config struct {
	Backend string
	Path    string
	// ReleaseMemory, when set, is called after a full build of the View,
	// or a text index made anew, has left garbage about as large as the
	// View: the process's choice (cmd passes debug.FreeOSMemory, to hand
	// it back to the system rather than keep it resident until the heap
	// grows into it). Nil keeps it.
	ReleaseMemory func()
}

// aliases maps the names we accept to Cayley's registered backend names.
var aliases = map[string]string{"memory": "memstore", "mem": "memstore", "postgresql": "postgres", "cockroachdb": "cockroach"}

// Backends lists the backend names Open accepts.
func Backends() []string {
	names := slices.DeleteFunc(graph.QuadStores(), func(n string) bool { return n == batchedPostgres })
	for a := range aliases {
		names = append(names, a)
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// Store is an open Cayley quad store.
type Store struct {
	qs graph.QuadStore
	// handle guards qs itself: reads hold it shared, and a key-value
	// store is closed and opened again under it after a failed write
	// (see reopen).
	handle  sync.RWMutex
	backend string
	path    string
	views   viewCache
	release func() // Config.ReleaseMemory
	changes changeLog
	asOf    asOfViews
	// writes serialises this process's writers: last write wins. Over
	// PostgreSQL, writers of all processes are serialised as well (see
	// lockWrites).
	writes sync.Mutex
	// orphans are labels of writes that failed after their first
	// transaction and whose quads could not be removed at once: the next
	// write removes them first.
	orphans []quad.IRI
	// failApply, in tests only, fails chosen transactions before the
	// backend sees them.
	failApply func(*graph.Transaction) error
	// loadBatch, in tests only, is the size of a Load's batches when not
	// 0, so that a small fixture is written in several.
	loadBatch int
	// mem guards the memory store, which Cayley does not lock: reads take
	// it shared, writes exclusively. Other backends have their own
	// transactions, and a long query must not hold up writers there.
	mem *sync.RWMutex
	// kv marks Cayley's key-value backends, whose mixed transactions need pins.
	kv bool
	// sql reads values in bulk on PostgreSQL (see sqlValues); nil elsewhere.
	sql *sqlValues
}

// Backend is the Cayley backend name of the store ("bolt", "memstore", …).
func (s *Store) Backend() string { return s.backend }

// InMemory reports whether the store lives in the process's memory.
func (s *Store) InMemory() bool { return s.mem != nil }

// Open opens the store cfg names, creating it on first use.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	quietCayley()
	name := cfg.Backend
	if name == "" {
		name = DefaultBackend
	}
	if a, ok := aliases[name]; ok {
		name = a
	}
	if !graph.IsRegistered(name) || name == batchedPostgres {
		return nil, fmt.Errorf("open store: unknown backend %q: use one of %v", cfg.Backend, Backends())
	}
	path := cfg.Path
	if path == "" && graph.IsPersistent(name) {
		if name != DefaultBackend {
			return nil, fmt.Errorf("open %s store: %w", name, ErrNoAddress)
		}
		path = DefaultPath
	}
	if err := checkNotLocked(name, path); err != nil {
		return nil, err
	}
	if graph.IsPersistent(name) {
		err := graph.InitQuadStore(cayleyName(name), path, nil)
		if err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
			return nil, fmt.Errorf("open %s store at %s: initialise: %w", name, redact(path), err)
		}
	}
	qs, err := graph.NewQuadStore(cayleyName(name), path, CayleyOptions(name))
	if err != nil {
		return nil, fmt.Errorf("open %s store at %s: %w", name, redact(path), err)
	}
	st := &Store{qs: qs, backend: name, path: path, release: cfg.ReleaseMemory}
	st.views.ctx, st.views.stop = context.WithCancel(context.Background())
	switch name {
	case "memstore":
		st.mem = &sync.RWMutex{}
	case "bolt", "bbolt", "leveldb":
		st.kv = true
	case "postgres":
		if st.sql, err = openSQLValues(path); err != nil {
			qs.Close()
			return nil, fmt.Errorf("open %s store at %s: %w", name, redact(path), err)
		}
		st.sql.indexLabels(ctx)
	}
	return st, nil
}

// cayleyName is the Cayley registration the store opens backend with:
// Cayley's own but for PostgreSQL, whose writes are batched (pgwrite.go).
func cayleyName(backend string) string {
	if backend == "postgres" {
		return batchedPostgres
	}
	return backend
}

// CayleyOptions are the options Cayley's store of backend (a registered
// name) is opened with; exported so that benchmarks against Cayley open
// theirs alike. Cayley's key-value stores keep bloom filters sized for
// 100M quads whatever the graph (74 MiB for existing quads, and as much
// again per index while a store is first filled), and build the first by
// reading every quad at open: 5-6 s at L. Without them a write looks each
// quad up in its index instead, which costs a PUT a millisecond and made
// loading M faster, not slower (user CPU 5.0 s against 8.3 s, peak RSS
// 290 MiB against 1,080 MiB).
func CayleyOptions(backend string) graph.Options {
	switch backend {
	case "bolt", "bbolt", "leveldb":
		return graph.Options{"no_bloom": true}
	}
	return nil
}

// Close closes the store, once a View being built has stopped.
func (s *Store) Close() error {
	s.stopBuilds()
	if s.sql != nil {
		s.sql.Close()
	}
	s.handle.Lock()
	defer s.handle.Unlock()
	return s.qs.Close()
}

// batchWriter writes quads in Cayley's default batches, one transaction
// each, ignoring quads already present so that an interrupted load can be
// redone.
func (s *Store) batchWriter() (graph.BatchWriter, error) {
	w, err := writer.NewSingle(s.qs, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
	if err != nil {
		return nil, err
	}
	return graph.NewWriter(w), nil
}

func (s *Store) rlock() {
	s.handle.RLock()
	if s.mem != nil {
		s.mem.RLock()
	}
}

func (s *Store) runlock() {
	if s.mem != nil {
		s.mem.RUnlock()
	}
	s.handle.RUnlock()
}

// reopen closes a key-value store and opens it again after a write
// failed. Cayley's key-value backends cache node ids outside their
// transactions (an LRU of IRIs, a bloom filter); a transaction that fails
// is rolled back on disk, but the ids it gave new nodes stay cached and
// are handed out again to other nodes, so every later write that names
// those IRIs is stored pointing at the wrong nodes. Opening the store
// again starts with empty caches.
func (s *Store) reopen() error {
	s.handle.Lock()
	defer s.handle.Unlock()
	if err := s.qs.Close(); err != nil {
		return fmt.Errorf("close %s store after a failed write: %w", s.backend, err)
	}
	qs, err := graph.NewQuadStore(cayleyName(s.backend), s.path, CayleyOptions(s.backend))
	if err != nil {
		return fmt.Errorf("open %s store at %s again after a failed write: %w", s.backend, redact(s.path), err)
	}
	s.qs = qs
	return nil
}
