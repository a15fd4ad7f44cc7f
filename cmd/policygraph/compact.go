package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/policygraph/policygraph/graph"
)

func (e environment) compact(ctx context.Context, args []string) error {
	fs := e.newFlags("compact", "compact --keep N|DURATION [--dry-run] [--db BACKEND] [--dbpath PATH]")
	cfg := e.storeFlags(fs)
	keep := fs.String("keep", e.env("POLICYGRAPH_KEEP", ""), "the retention: N keeps the newest N versions of each plan, a duration (90d, 720h) the versions current within it; unset keeps everything (env POLICYGRAPH_KEEP)")
	dry := fs.Bool("dry-run", false, "say what would be removed, and remove nothing")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	r, err := parseRetention(*keep)
	if err != nil {
		return &usageError{"compact: " + err.Error()}
	}
	if r.KeepsAll() {
		fmt.Fprintln(e.stdout, "policygraph: the retention keeps every version (no --keep); nothing removed")
		return nil
	}
	st, err := e.open(ctx, *cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Compact(ctx, r, time.Now(), *dry)
	if err != nil {
		return err
	}
	verb := "removed"
	if *dry {
		verb = "would remove"
	}
	fmt.Fprintf(e.stdout, "policygraph: keeping %s: %s %d versions of %d documents (%d quads)", r, verb, rep.Versions, rep.Documents, rep.Quads)
	if rep.Versions > 0 {
		fmt.Fprintf(e.stdout, "; the graph as of before %s can no longer be told", rep.Until.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// parseRetention reads --keep: a count of versions, or a duration in
// days (90d) or as Go writes durations (720h).
func parseRetention(s string) (graph.Retention, error) {
	if s == "" {
		return graph.Retention{}, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 {
			return graph.Retention{}, fmt.Errorf("--keep %d: keep at least 1 version (the current one is always kept)", n)
		}
		return graph.Retention{Versions: n}, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return graph.Retention{Age: time.Duration(n) * 24 * time.Hour}, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return graph.Retention{Age: d}, nil
	}
	return graph.Retention{}, fmt.Errorf("bad --keep %q: give a number of versions (5) or a duration (90d, 720h)", s)
}
