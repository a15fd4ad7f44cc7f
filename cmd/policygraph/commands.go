package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// newFlags makes a flag set whose errors and help go to stderr.
func (e environment) newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: policygraph %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; --help is success, anything else wrong is usage.
func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, &usageError{}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return false, &usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return false, nil
}

// positionals parses flags that may stand before, between or after the
// positional arguments, and returns those arguments.
func positionals(fs *flag.FlagSet, args []string) (pos []string, help bool, err error) {
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, true, nil
			}
			return nil, false, &usageError{}
		}
		if fs.NArg() == 0 {
			return pos, false, nil
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

func (e environment) env(name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

func (e environment) dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", e.env("POLICYGRAPH_DATA", "data"), "data directory (env POLICYGRAPH_DATA)")
}

func (e environment) storeFlags(fs *flag.FlagSet) *graph.Config {
	// Garbage as large as the View, after a full build, goes back to the
	// system rather than stay resident until the heap grows into it.
	c := &graph.Config{ReleaseMemory: debug.FreeOSMemory}
	fs.StringVar(&c.Backend, "db", e.env("POLICYGRAPH_DB", graph.DefaultBackend),
		"store backend: "+strings.Join(graph.Backends(), ", ")+" (env POLICYGRAPH_DB)")
	fs.StringVar(&c.Path, "dbpath", e.env("POLICYGRAPH_DBPATH", ""),
		"store address: a path for bolt/leveldb (default "+graph.DefaultPath+" for bolt), a DSN for postgres (env POLICYGRAPH_DBPATH)")
	return c
}

// invalid prints every error of a data directory that does not validate,
// and returns err as reported; other errors are returned as they are.
func (e environment) invalid(dir string, err error) error {
	var verrs loader.Errors
	if !errors.As(err, &verrs) {
		return err
	}
	for _, ve := range verrs {
		fmt.Fprintln(e.stderr, ve)
	}
	fmt.Fprintf(e.stderr, "policygraph: %s: %d error(s); nothing was written\n", dir, len(verrs))
	return &reportedError{err}
}

func (e environment) validate(ctx context.Context, args []string) error {
	fs := e.newFlags("validate", "validate [--data DIR]")
	data := e.dataFlag(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	ds, err := loader.Stream(*data, func(*schema.Document) error { return nil })
	if err != nil {
		return e.invalid(*data, err)
	}
	fmt.Fprintf(e.stdout, "%s is valid: %d files, %d documents, %d measures, %d quads\n",
		*data, ds.Files, ds.Documents, ds.Measures, ds.Quads())
	return nil
}

func (e environment) load(ctx context.Context, args []string) error {
	fs := e.newFlags("load", "load [--data DIR] [--db BACKEND] [--dbpath PATH]")
	data := e.dataFlag(fs)
	cfg := e.storeFlags(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	start := time.Now()
	p, err := e.prepare(*data)
	if err != nil {
		return err
	}
	st, err := e.open(ctx, *cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	defer e.batchGC(st)()
	if err := e.repair(ctx, st); err != nil {
		return err
	}
	return e.stream(ctx, st, *data, p, start)
}

// prepare checks what of data directory dir needs no store (its files,
// its vocabulary) before a store is opened or locked, so that bad data
// neither creates a store nor holds up other writers while it is read.
// When that finds a problem, every file is read, to list every problem.
func (e environment) prepare(dir string) (*loader.Prepared, error) {
	p, err := loader.Prepare(dir)
	if err != nil {
		return nil, e.invalid(dir, err)
	}
	if p.Err() != nil {
		_, err := p.Stream(func(*schema.Document) error { return nil })
		return nil, e.invalid(dir, err)
	}
	return p, nil
}

// open opens the store cfg names, and says which flag a missing address
// needs.
func (e environment) open(ctx context.Context, cfg graph.Config) (*graph.Store, error) {
	st, err := graph.Open(ctx, cfg)
	if errors.Is(err, graph.ErrNoAddress) {
		return nil, &usageError{fmt.Sprintf("--db %s needs --dbpath (or POLICYGRAPH_DBPATH): %v", cfg.Backend, err)}
	}
	return st, err
}

// repair removes what writes that never committed left in st, and says so.
func (e environment) repair(ctx context.Context, st *graph.Store) error {
	rep, err := st.Repair(ctx)
	if err != nil {
		return fmt.Errorf("check the store for unfinished writes: %w", err)
	}
	if rep.Changed() {
		fmt.Fprintf(e.stderr, "policygraph: the store held the remains of writes that never committed (a process killed or a disk full mid-write); %s\n", rep)
	}
	return nil
}

// batchGOGC is the collector's setting while loading, and
// batchMemoryLimit the heap it works to stay under on a store that is not
// in memory.
const (
	batchGOGC        = 400
	batchMemoryLimit = 1 << 30
)

// batchGC has the collector run less often while a dataset is read and
// written, and returns how to go back. A load allocates all the time; at
// GOGC=400 a size-M load into memory took 0.52 s instead of 0.93 s. But
// the collector then lets the heap grow to five times what is live, and
// a streaming load into bolt keeps some 350 MiB live (Cayley's bloom
// filters for a new key-value store are most of it): 1.9 GiB at L. So on
// a store outside the process the heap is also capped, softly, at
// batchMemoryLimit, where the collector works harder; in memory the
// store is the heap, and a cap would only make the collector run without
// end. A GOGC or GOMEMLIMIT the user set is left alone.
func (e environment) batchGC(st *graph.Store) (restore func()) {
	var undo []func()
	if e.getenv("GOGC") == "" {
		old := debug.SetGCPercent(batchGOGC)
		undo = append(undo, func() { debug.SetGCPercent(old) })
	}
	if e.getenv("GOMEMLIMIT") == "" && !st.InMemory() {
		old := debug.SetMemoryLimit(batchMemoryLimit)
		undo = append(undo, func() { debug.SetMemoryLimit(old) })
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

// stream validates dir and writes it into st as it reads it (see
// graph.Load): each document once it checks, invisible to readers until
// every file has checked, then all at once. Bad data changes nothing
// readers see; a store created for this load stays empty. It prints a
// one-line summary, or every error.
func (e environment) stream(ctx context.Context, st *graph.Store, dir string, p *loader.Prepared, start time.Time) error {
	prog := startProgress(e.stdout)
	l, err := st.BeginLoad(ctx, prog.report)
	if err != nil {
		prog.finish()
		return err
	}
	defer l.Abort()
	ds, err := p.Stream(l.Put)
	if err != nil {
		prog.finish()
		return e.invalid(dir, err)
	}
	rep, err := l.Commit(ds.Hash)
	prog.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded %s: %d documents, %d measures, %d quads in %.2fs (%d files: %d added, %d replaced, %d removed, %d unchanged)\n",
		dir, ds.Documents, ds.Measures, ds.Quads(), time.Since(start).Seconds(),
		ds.Files, len(rep.Added), len(rep.Replaced), len(rep.Removed), len(rep.Unchanged))
	for _, id := range rep.StillDeleted {
		fmt.Fprintf(e.stderr, "policygraph: %s is in %s but was deleted through the API after that file was loaded; it stays deleted "+
			"(the newer word) until its file changes — remove the file, or edit it to bring the plan back\n", id, dir)
	}
	for _, id := range rep.Kept {
		fmt.Fprintf(e.stderr, "policygraph: %s is in %s and was also written through the API; keeping the API version, "+
			"which is newer than the file was when last loaded (policygraph export --format yaml --out %s brings the file up to date)\n",
			id, dir, dir)
	}
	return nil
}

func (e environment) export(ctx context.Context, args []string) error {
	fs := e.newFlags("export", "export [--db BACKEND] [--dbpath PATH] [--format nquads|jsonld|yaml] [--out DIR] [--as-of TIME]")
	cfg := e.storeFlags(fs)
	formats := append(slices.Clone(graph.ExportFormats), "yaml")
	format := fs.String("format", graph.NQuads, "output format: "+strings.Join(formats, ", ")+"; yaml writes data/ files into --out")
	out := fs.String("out", "", "with --format yaml: the data directory to write")
	asOfFlag := fs.String("as-of", "", "export the graph as it was at this time (RFC 3339, e.g. 2026-12-01T10:00:00Z)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	var asOf *time.Time
	if *asOfFlag != "" {
		t, err := time.Parse(time.RFC3339Nano, *asOfFlag)
		if err != nil {
			return &usageError{fmt.Sprintf("export: bad --as-of %q: give a time in RFC 3339, e.g. 2026-12-01T10:00:00Z", *asOfFlag)}
		}
		asOf = &t
	}
	if !slices.Contains(formats, *format) {
		fs.Usage()
		return &usageError{fmt.Sprintf("export: unknown --format %q: use one of %s", *format, strings.Join(formats, ", "))}
	}
	if (*format == "yaml") != (*out != "") {
		fs.Usage()
		return &usageError{"export: --format yaml needs --out DIR, and --out only goes with --format yaml"}
	}
	st, err := e.open(ctx, *cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if *format == "yaml" {
		return e.exportFiles(ctx, st, *out, asOf)
	}
	if asOf != nil {
		v, err := st.ViewAsOf(ctx, *asOf)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return graph.WriteQuads(e.stdout, graph.ViewQuads(v), *format)
	}
	return st.Export(ctx, e.stdout, *format)
}

// exportFiles writes every stored document back as the file it was
// written as, so that what arrived through the API can be committed.
// Each file is written to a temporary name and renamed into place: a
// failure never leaves a half-written file.
func (e environment) exportFiles(ctx context.Context, st *graph.Store, dir string, asOf *time.Time) error {
	docs, err := st.Sources(ctx)
	if asOf != nil {
		docs, err = st.SourcesAsOf(ctx, *asOf)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	n := 0
	for _, d := range docs {
		if len(d.Source) == 0 {
			return fmt.Errorf("export: %s was stored without its text; load it again from its file", d.ID)
		}
		path := filepath.Join(dir, filepath.FromSlash(d.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		_, werr := tmp.Write(d.Source)
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), path)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("export %s: %w", path, werr)
		}
		n++
	}
	fmt.Fprintf(e.stdout, "wrote %d files into %s\n", n, dir)
	return nil
}
