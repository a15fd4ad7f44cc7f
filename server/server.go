// Package server answers researchers' graph questions over HTTP: gin
// routes that turn parameters into graph queries and the answers into JSON
// or CSV, plus Cayley's own query languages.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
)

// Config is how the server behaves; cmd fills it from flags.
type Config struct {
	// ReleaseMemory, when set, is called once the first View's text
	// indexes are made, which leaves garbage as large as them: the
	// process's choice (cmd passes debug.FreeOSMemory). Nil keeps it.
	ReleaseMemory func()
	// QueryTimeout bounds every request's work; /v1/query may ask for less.
	QueryTimeout time.Duration
	// CORSOrigin, when set, is the one browser origin allowed to call the API.
	CORSOrigin string
	// WriteToken, when set, allows PUT and DELETE of plans with
	// Authorization: Bearer <WriteToken>; without it writes are off.
	WriteToken string
	// WriteTokens are named writers, name → secret (--write-token
	// NAME=SECRET): every write is recorded under the name of the token
	// that made it. WriteToken, when set, is the writer DefaultWriter.
	WriteTokens map[string]string
	// MaxHeavy caps concurrent heavy requests (/v1/query, /v1/ask,
	// /v1/export, /v1/extract, /v1/compare); 0 means DefaultMaxHeavy.
	MaxHeavy int
	// MaxScripts caps concurrent /v1/query scripts, within MaxHeavy; 0
	// means one per core but one (GOMAXPROCS-1, at least 1). A script's
	// VM keeps a core busy until it ends: one core is left to the light
	// reads, which would otherwise queue behind spinning VMs.
	MaxScripts int
	// AnswerCache is how many encoded answers of read-only questions are
	// kept per graph version; 0 means DefaultAnswerCache, negative none.
	AnswerCache int
	// WriteTimeout is how long a client may take to accept each part of
	// an answer: one that stops reading is cut off then, and a heavy
	// request's slot is free again. 0 means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// Logger gets one line per request; nil discards.
	Logger *slog.Logger
	// DataErrors, when not empty, are the problems of a data directory
	// that could not be loaded, so that the graph served is the one last
	// loaded: /v1/health says so.
	DataErrors []string
}

// DefaultMaxHeavy is the default cap on concurrent heavy requests.
const DefaultMaxHeavy = 8

// DefaultQueryTimeout is the --query-timeout default.
const DefaultQueryTimeout = 10 * time.Second

// DefaultWriteTimeout is the --write-timeout default.
const DefaultWriteTimeout = 10 * time.Second

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 1 << 20

// Server holds what the handlers need.
type Server struct {
	store  *graph.Store
	cfg    Config
	log    *slog.Logger
	engine *gin.Engine
	// answers keeps encoded answers per graph version (see cached); nil
	// when off.
	answers *answers
	// lexicons caches what POST /v1/extract matches text against.
	lexicons lexicons
	// texts caches the full-text index /v1/search reads (see search.go).
	texts textIndexes
	// warming is set while Serve builds the first View.
	warming atomic.Bool
	// inFlight counts the requests being answered: the store's background
	// index work waits for none to be (graph.Store.YieldTo).
	inFlight atomic.Int64
	// heavySlots holds one token per heavy request running, scriptSlots
	// one per /v1/query script.
	heavySlots, scriptSlots chan struct{}
	// writers are the write tokens (see Config.WriteTokens).
	writers writerTokens
}

// New builds a server over store.
func New(store *graph.Store, cfg Config) *Server {
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = DefaultQueryTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	gin.SetMode(gin.ReleaseMode)
	if cfg.MaxHeavy <= 0 {
		cfg.MaxHeavy = DefaultMaxHeavy
	}
	if cfg.MaxScripts <= 0 {
		cfg.MaxScripts = max(runtime.GOMAXPROCS(0)-1, 1)
	}
	cfg.MaxScripts = min(cfg.MaxScripts, cfg.MaxHeavy)
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	s := &Server{store: store, cfg: cfg, log: log, engine: gin.New(), heavySlots: make(chan struct{}, cfg.MaxHeavy), scriptSlots: make(chan struct{}, cfg.MaxScripts), answers: newAnswers(cfg.AnswerCache, answerBudget)}
	s.writers = newWriterTokens(cfg.tokens())
	store.YieldTo(s.busy)
	s.engine.HandleMethodNotAllowed = true
	s.routes()
	return s
}

// busy reports whether a request is being answered.
func (s *Server) busy() bool { return s.inFlight.Load() > 0 }

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	s.engine.ServeHTTP(w, r)
}

// warm builds the first View and what search and ask build from it,
// while the server already answers health ("warming"): on a large graph
// this takes seconds, which the first researcher's request would
// otherwise wait for. A failed build is left to the first request, which
// reports it.
func (s *Server) warm(ctx context.Context) {
	defer s.warming.Store(false)
	start := time.Now()
	v, err := s.store.Fresh(ctx)
	if err != nil {
		s.log.Warn("the first view of the graph could not be built; requests will try again", "err", err)
		return
	}
	s.texts.of(v)
	s.texts.lexicon(v)
	// Making the search index leaves garbage as large as the index.
	if s.cfg.ReleaseMemory != nil {
		s.cfg.ReleaseMemory()
	}
	s.log.Info("graph ready", "version", v.Version, "quads", v.Quads(), "took", time.Since(start).Round(time.Millisecond))
}

// Serve answers on ln until ctx is done, then shuts down gracefully,
// letting requests in flight finish for up to 10 seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		// The whole of a request: its work, then its answer streamed to a
		// client that keeps reading (exports). A client that stops
		// reading is cut off sooner, by stallWriter.
		WriteTimeout: s.cfg.QueryTimeout + 60*time.Second,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	s.warming.Store(true)
	go s.warm(ctx)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
