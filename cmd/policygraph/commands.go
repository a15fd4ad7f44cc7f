package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
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
	c := &graph.Config{}
	fs.StringVar(&c.Backend, "db", e.env("POLICYGRAPH_DB", graph.DefaultBackend),
		"store backend: "+strings.Join(graph.Backends(), ", ")+" (env POLICYGRAPH_DB)")
	fs.StringVar(&c.Path, "dbpath", e.env("POLICYGRAPH_DBPATH", ""),
		"store address: a path for bolt/leveldb (default "+graph.DefaultPath+" for bolt), a DSN for postgres (env POLICYGRAPH_DBPATH)")
	return c
}

// loadData validates dir, printing every error to stderr when it is invalid.
func (e environment) loadData(dir string) (*loader.Dataset, error) {
	ds, err := loader.Load(dir)
	var verrs loader.Errors
	if errors.As(err, &verrs) {
		for _, ve := range verrs {
			fmt.Fprintln(e.stderr, ve)
		}
		fmt.Fprintf(e.stderr, "policygraph: %s: %d error(s); nothing was written\n", dir, len(verrs))
		return nil, &reportedError{err}
	}
	return ds, err
}

func (e environment) validate(ctx context.Context, args []string) error {
	fs := e.newFlags("validate", "validate [--data DIR]")
	data := e.dataFlag(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	ds, err := e.loadData(*data)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is valid: %d files, %d documents, %d measures, %d quads\n",
		*data, len(ds.Graphs), ds.Documents, ds.Measures, ds.Quads())
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
	// Validate before opening the store: bad data must not even create it.
	ds, err := e.loadData(*data)
	if err != nil {
		return err
	}
	st, err := graph.Open(ctx, *cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return e.apply(ctx, st, *data, ds, start)
}

// apply writes a validated dataset into st and prints a one-line summary.
func (e environment) apply(ctx context.Context, st *graph.Store, dir string, ds *loader.Dataset, start time.Time) error {
	prog := startProgress(e.stdout)
	rep, err := st.Apply(ctx, ds.Hash, ds.Graphs, prog.report)
	prog.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded %s: %d documents, %d measures, %d quads in %.2fs (%d files: %d added, %d replaced, %d removed, %d unchanged)\n",
		dir, ds.Documents, ds.Measures, ds.Quads(), time.Since(start).Seconds(),
		len(ds.Graphs), len(rep.Added), len(rep.Replaced), len(rep.Removed), len(rep.Unchanged))
	return nil
}

func (e environment) export(ctx context.Context, args []string) error {
	fs := e.newFlags("export", "export [--db BACKEND] [--dbpath PATH] [--format nquads|jsonld]")
	cfg := e.storeFlags(fs)
	format := fs.String("format", graph.NQuads, "output format: "+strings.Join(graph.ExportFormats, ", "))
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if !slices.Contains(graph.ExportFormats, *format) {
		fs.Usage()
		return &usageError{fmt.Sprintf("export: unknown --format %q: use one of %s", *format, strings.Join(graph.ExportFormats, ", "))}
	}
	st, err := graph.Open(ctx, *cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.Export(ctx, e.stdout, *format)
}
