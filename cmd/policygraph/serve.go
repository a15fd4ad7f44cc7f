package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/server"
)

func (e environment) serve(ctx context.Context, args []string) error {
	fs := e.newFlags("serve", "serve [--addr HOST:PORT] [--data DIR] [--db BACKEND] [--dbpath PATH] [--query-timeout D] [--write-timeout D] [--memory-limit auto|off|SIZE] [--cors-origin ORIGIN] [--write-token NAME=SECRET]...")
	addr := fs.String("addr", e.env("POLICYGRAPH_ADDR", "127.0.0.1:8080"), "address to listen on (env POLICYGRAPH_ADDR)")
	data := e.dataFlag(fs)
	cfg := e.storeFlags(fs)
	timeout := fs.Duration("query-timeout", server.DefaultQueryTimeout, "longest time one request may run")
	writeTimeout := fs.Duration("write-timeout", server.DefaultWriteTimeout, "longest a client may take to accept each part of an answer; one that stops reading is cut off, freeing its --max-heavy slot")
	maxHeavy := fs.Int("max-heavy", server.DefaultMaxHeavy, "most queries, questions, exports and extractions running at once; more get 503 with Retry-After")
	maxScripts := fs.Int("max-scripts", 0, "most /v1/query scripts running at once, within --max-heavy (0: one per core but one, at least 1)")
	var tokenArgs []string
	fs.Func("write-token", "NAME=SECRET (repeatable) lets the writer NAME change plans with Authorization: Bearer SECRET, and every change is recorded as NAME's; a bare SECRET is the writer \"default\". Writes are off without one (env POLICYGRAPH_WRITE_TOKEN, one token)", func(v string) error {
		tokenArgs = append(tokenArgs, v)
		return nil
	})
	memoryLimit := fs.String("memory-limit", e.env("POLICYGRAPH_MEMORY_LIMIT", "auto"), "the process's memory: auto (the collector at GOGC "+fmt.Sprint(buildGOGC)+" until the first view of the graph and its text indexes are made, which lowers the peak of that build, then the Go runtime's defaults; no limit), off (the runtime's defaults throughout) or a soft limit such as 1500MiB or 2GiB, which the collector works harder to keep the process under. A GOGC or GOMEMLIMIT set in the environment is kept by auto (env POLICYGRAPH_MEMORY_LIMIT)")
	strict := fs.Bool("strict", false, "refuse to start when the data directory does not validate, instead of serving the graph last loaded")
	cors := fs.String("cors-origin", e.env("POLICYGRAPH_CORS_ORIGIN", ""), "browser origin allowed to call the API, e.g. http://localhost:8888 (off when empty; env POLICYGRAPH_CORS_ORIGIN)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if len(tokenArgs) == 0 {
		if v := e.env("POLICYGRAPH_WRITE_TOKEN", ""); v != "" {
			tokenArgs = []string{v}
		}
	}
	tokens, err := server.ParseWriteTokens(tokenArgs)
	if err != nil {
		return &usageError{"serve: --write-token: " + err.Error()}
	}
	if *maxHeavy < 1 {
		return &usageError{fmt.Sprintf("serve: --max-heavy must be at least 1, got %d", *maxHeavy)}
	}
	if *maxScripts < 0 {
		return &usageError{fmt.Sprintf("serve: --max-scripts must not be negative, got %d", *maxScripts)}
	}
	if *timeout <= 0 {
		return &usageError{fmt.Sprintf("serve: --query-timeout must be positive, got %s", *timeout)}
	}
	if *writeTimeout <= 0 {
		return &usageError{fmt.Sprintf("serve: --write-timeout must be positive, got %s", *writeTimeout)}
	}
	mem, err := e.memorySettingsOf(*memoryLimit)
	if err != nil {
		return &usageError{"serve: --memory-limit: " + err.Error()}
	}
	// Before the store opens: a load that refresh makes keeps its own
	// settings (batchGC) and gives these back when it ends.
	relax, restore := mem.apply()
	defer restore()
	st, err := e.open(ctx, *cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := e.repair(ctx, st); err != nil {
		return err
	}
	var dataErrors []string
	if err := e.refresh(ctx, st, *data); err != nil {
		if err := e.keepServing(ctx, st, *data, err, *strict); err != nil {
			return err
		}
		dataErrors = problemsOf(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	fmt.Fprintf(e.stdout, "policygraph: serving http://%s (store: %s)\n", ln.Addr(), st.Backend())
	relaxOnceWarm(ctx, st, relax)
	srv := server.New(st, server.Config{ReleaseMemory: debug.FreeOSMemory, QueryTimeout: *timeout, CORSOrigin: *cors, WriteTokens: tokens, MaxHeavy: *maxHeavy, MaxScripts: *maxScripts, DataErrors: dataErrors, WriteTimeout: *writeTimeout, Logger: log})
	return srv.Serve(ctx, ln)
}

// keepServing decides what serve does when the data directory cannot be
// loaded (err): with a store that already holds a graph, that graph is
// served — a typo in one file must not take down a server researchers
// rely on — unless strict says to refuse. The reason is on stderr either
// way.
func (e environment) keepServing(ctx context.Context, st *graph.Store, dir string, err error, strict bool) error {
	var verrs loader.Errors
	var bad *reportedError
	invalid := errors.As(err, &bad) && errors.As(err, &verrs)
	missing := errors.Is(err, fs.ErrNotExist)
	if strict || (!invalid && !missing) {
		return err
	}
	stored, herr := st.DatasetHash(ctx)
	if herr != nil || stored == "" {
		return err // nothing to serve instead
	}
	v, verr := st.View(ctx)
	if verr != nil {
		return err
	}
	why := fmt.Sprintf("%s has %d error(s) (above)", dir, len(verrs))
	if missing {
		why = fmt.Sprintf("%s cannot be read (%v)", dir, err)
	}
	fmt.Fprintf(e.stderr, "policygraph: %s; serving the graph last loaded instead (version %s: %d plans, %d measures). "+
		"Fix the files and restart to load them, or start with --strict to refuse.\n", why, v.Version, len(v.Plans), len(v.Measures))
	return nil
}

// problemsOf lists a failed load's errors, one line each.
func problemsOf(err error) []string {
	var verrs loader.Errors
	if !errors.As(err, &verrs) {
		return []string{err.Error()}
	}
	out := make([]string, len(verrs))
	for i, e := range verrs {
		out[i] = e.Error()
	}
	return out
}

// refresh loads dir into st when the store is empty or dir changed since
// the last load; an unchanged directory is not even parsed.
func (e environment) refresh(ctx context.Context, st *graph.Store, dir string) error {
	hash, err := loader.Hash(dir)
	if err != nil {
		return err
	}
	stored, err := st.DatasetHash(ctx)
	if err != nil {
		return err
	}
	if hash == stored {
		fmt.Fprintf(e.stdout, "policygraph: %s unchanged since the last load\n", dir)
		return nil
	}
	start := time.Now()
	p, err := e.prepare(dir)
	if err != nil {
		return err
	}
	defer e.batchGC(st)()
	return e.stream(ctx, st, dir, p, start)
}
