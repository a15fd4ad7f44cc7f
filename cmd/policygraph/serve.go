package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/server"
)

func (e environment) serve(ctx context.Context, args []string) error {
	fs := e.newFlags("serve", "serve [--addr HOST:PORT] [--data DIR] [--db BACKEND] [--dbpath PATH] [--query-timeout D] [--write-timeout D] [--cors-origin ORIGIN]")
	addr := fs.String("addr", e.env("POLICYGRAPH_ADDR", "127.0.0.1:8080"), "address to listen on (env POLICYGRAPH_ADDR)")
	data := e.dataFlag(fs)
	cfg := e.storeFlags(fs)
	timeout := fs.Duration("query-timeout", server.DefaultQueryTimeout, "longest time one request may run")
	writeTimeout := fs.Duration("write-timeout", server.DefaultWriteTimeout, "longest a client may take to accept each part of an answer; one that stops reading is cut off, freeing its --max-heavy slot")
	maxHeavy := fs.Int("max-heavy", server.DefaultMaxHeavy, "most queries, questions, exports and extractions running at once; more get 503 with Retry-After")
	token := fs.String("write-token", e.env("POLICYGRAPH_WRITE_TOKEN", ""), "token that allows PUT and DELETE of plans (Authorization: Bearer TOKEN); writes are off without it (env POLICYGRAPH_WRITE_TOKEN)")
	cors := fs.String("cors-origin", e.env("POLICYGRAPH_CORS_ORIGIN", ""), "browser origin allowed to call the API, e.g. http://localhost:8888 (off when empty; env POLICYGRAPH_CORS_ORIGIN)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *maxHeavy < 1 {
		return &usageError{fmt.Sprintf("serve: --max-heavy must be at least 1, got %d", *maxHeavy)}
	}
	if *timeout <= 0 {
		return &usageError{fmt.Sprintf("serve: --query-timeout must be positive, got %s", *timeout)}
	}
	if *writeTimeout <= 0 {
		return &usageError{fmt.Sprintf("serve: --write-timeout must be positive, got %s", *writeTimeout)}
	}
	st, err := graph.Open(ctx, *cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := e.refresh(ctx, st, *data); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	fmt.Fprintf(e.stdout, "policygraph: serving http://%s (store: %s)\n", ln.Addr(), st.Backend())
	srv := server.New(st, server.Config{QueryTimeout: *timeout, CORSOrigin: *cors, WriteToken: *token, MaxHeavy: *maxHeavy, WriteTimeout: *writeTimeout, Logger: log})
	return srv.Serve(ctx, ln)
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
	defer e.batchGC()()
	ds, err := e.loadData(dir)
	if err != nil {
		return err
	}
	return e.apply(ctx, st, dir, ds, start)
}
