// Command policygraph builds the policy knowledge graph from a data
// directory and serves it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError is wrong usage: exit status 2, with the usage text.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// reportedError has been shown to the user already (e.g. a list of
// validation errors); main only sets the exit status.
type reportedError struct{ err error }

func (e *reportedError) Error() string { return e.err.Error() }
func (e *reportedError) Unwrap() error { return e.err }

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.msg != "" {
			fmt.Fprintln(stderr, "policygraph:", ue.msg)
		}
		return 2
	}
	var re *reportedError
	if !errors.As(err, &re) {
		fmt.Fprintln(stderr, "policygraph:", err)
	}
	return 1
}

const usage = `policygraph builds a knowledge graph of Chinese "new infrastructure" plans and serves it.

Usage:
  policygraph <command> [flags]

Commands:
  serve      load data/ into the store when it changed, then answer HTTP queries
  validate   check a data directory and list every error
  load       validate a data directory and write it into the store
  export     write the whole graph to stdout (N-Quads or JSON-LD)
  extract    propose a draft plan document from plan text (Chinese, Japanese, English)
  query      run a Gizmo or GraphQL query and print the results as a table
  ask        answer a plain question ("which cities apply blockchain to finance")
  gen        write a synthetic national corpus in the data/ format, for scale tests
  compact    remove old versions of plans from the store's history (--keep)

Run 'policygraph <command> --help' for a command's flags.
`

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &usageError{}
	}
	env := environment{getenv: getenv, stdout: stdout, stderr: stderr}
	switch args[0] {
	case "validate":
		return env.validate(ctx, args[1:])
	case "load":
		return env.load(ctx, args[1:])
	case "export":
		return env.export(ctx, args[1:])
	case "serve":
		return env.serve(ctx, args[1:])
	case "extract":
		return env.extract(ctx, args[1:])
	case "query":
		return env.query(ctx, args[1:])
	case "gen":
		return env.gen(ctx, args[1:])
	case "ask":
		return env.ask(ctx, args[1:])
	case "compact":
		return env.compact(ctx, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return &usageError{fmt.Sprintf("unknown command %q", args[0])}
}

type environment struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}
