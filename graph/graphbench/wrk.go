package graphbench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Wrk measures answers per second with wrk, a load generator in C that
// costs far less CPU per request than a Go client: on a two-core machine
// the generator shares the cores with the servers it measures, and Go's
// client needed more CPU per request than the server answering it.
//
// It sends GETs of paths (round robin) to base over conns connections
// from threads threads for length, and fails on any answer other than
// 2xx. Several Wrk calls may run at once against different servers. Each
// request says "Accept-Encoding: gzip, deflate", as Python's requests
// (the notebooks' client) and browsers do.
func Wrk(ctx context.Context, base string, paths []string, threads, conns int, length time.Duration) (float64, error) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return 0, fmt.Errorf("the serving benchmarks need wrk (Debian package wrk; make bench installs it): %w", err)
	}
	dir, err := os.MkdirTemp("", "policygraph-wrk-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	quoted := make([]string, len(paths))
	for i, p := range paths {
		quoted[i] = strconv.Quote(p)
	}
	script := filepath.Join(dir, "paths.lua")
	lua := "local paths = {" + strings.Join(quoted, ", ") + "}\n" +
		"local i = 0\n" +
		"request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n"
	if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, bin, "-H", "Accept-Encoding: gzip, deflate", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%.0fs", length.Seconds()), "-s", script, base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkRate   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkErrors = regexp.MustCompile(`Socket errors:.*`)
)

// parseWrk reads the rate from wrk's report, and refuses a run that had
// failed answers or socket errors: a fast error is not a fast answer.
func parseWrk(out string) (float64, error) {
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		return 0, fmt.Errorf("wrk: %s answers were not 2xx:\n%s", m[1], out)
	}
	if m := wrkErrors.FindString(out); m != "" {
		return 0, fmt.Errorf("wrk: %s\n%s", m, out)
	}
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk printed no Requests/sec:\n%s", out)
	}
	return strconv.ParseFloat(m[1], 64)
}
