package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
)

// serveInProcess runs `policygraph serve` with args (after "serve") in
// this process until ctx ends, and returns the address it announced and
// the channel its run's error comes on. It fails tb if serve ends before
// it serves.
func serveInProcess(tb testing.TB, ctx context.Context, args []string, stderr io.Writer) (base string, done <-chan error) {
	tb.Helper()
	pr, pw := io.Pipe()
	ended := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve"}, args...), func(string) string { return "" }, pw, stderr)
		pw.Close()
		ended <- err
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "policygraph: serving "); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
	}()
	select {
	case base = <-addr:
	case err := <-ended:
		tb.Fatalf("serve ended before it served: %v", err)
	}
	return base, ended
}
