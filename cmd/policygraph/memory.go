package main

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/policygraph/policygraph/graph"
)

// parseSize reads a size as GOMEMLIMIT writes it: a number of bytes
// with an optional unit B, KiB, MiB, GiB or TiB ("1500MiB", "2GiB",
// "734003200").
func parseSize(s string) (int64, error) {
	num, unit := s, int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			num, unit = rest, u.n
			break
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || n*float64(unit) >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is not a size such as 1500MiB or 2GiB", s)
	}
	return int64(n * float64(unit)), nil
}

// buildGOGC is the collector's setting, with --memory-limit auto, until
// serve's first View and its text indexes are made: the resident set
// peaks then, at about twice what it holds at rest, and no question is
// answered yet, so the collector working harder costs only the start.
// At size L (1.66M quads, bolt, BenchmarkServeMemory, one run each, the
// setting kept while serving): the peak was 1,426 MiB at GOGC 100,
// 1,327 at 50 and 1,224 at 25. At rest all three held 660–670 MiB (the
// server hands the garbage of its builds back to the system after them),
// but first asks from 8 connections were answered at 922, 857 and 538 a
// second: while serving, the runtime's GOGC 100 is kept.
const buildGOGC = 25

// memorySettings are what serve's --memory-limit sets for the process:
// a soft limit on its memory (debug.SetMemoryLimit; 0 leaves the
// runtime's), and the collector's GOGC until the first View is ready
// (buildGOGC; 0 leaves the runtime's).
type memorySettings struct {
	limit     int64
	buildGOGC int
}

// memorySettingsOf reads --memory-limit: "auto" (serve's choice: GOGC
// buildGOGC until the first View and its text indexes are made, then
// the runtime's; no limit), "off" (the runtime's own throughout: GOGC
// 100, no limit) or a size, the soft limit the collector works to keep
// the process under. A limit below what the graph needs live makes the
// collector run without end: at size L a limit of 600 MiB, under the
// 660 MiB it held at rest, cut first asks to a quarter of their rate.
// No default limit can be told from the graph before it is read, so
// auto sets none. A GOGC the user set is left alone by auto, and a
// GOMEMLIMIT by auto and off.
func (e environment) memorySettingsOf(s string) (memorySettings, error) {
	var m memorySettings
	switch s {
	case "auto":
		if e.getenv("GOGC") == "" {
			m.buildGOGC = buildGOGC
		}
	case "off":
	default:
		n, err := parseSize(s)
		if err != nil {
			return m, err
		}
		m.limit = n
	}
	return m, nil
}

// apply makes m the process's, and returns how to end its build setting
// (relax: the collector's GOGC as before) and how to go back to the
// settings before it altogether (restore, for run called in a test
// process). Both may be called more than once.
func (m memorySettings) apply() (relax, restore func()) {
	relax, restore = func() {}, func() {}
	if m.buildGOGC != 0 {
		old := debug.SetGCPercent(m.buildGOGC)
		var once sync.Once
		relax = func() { once.Do(func() { debug.SetGCPercent(old) }) }
	}
	if m.limit != 0 {
		old := debug.SetMemoryLimit(m.limit)
		restore = func() { debug.SetMemoryLimit(old) }
	}
	r := restore
	return relax, func() { relax(); r() }
}

// relaxOnceWarm calls relax once st has its first View and no text
// index is being made for it (two looks a tick apart: the View is
// current an instant before its indexes are queued), or when ctx ends.
func relaxOnceWarm(ctx context.Context, st *graph.Store, relax func()) {
	go func() {
		defer relax()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		idle := 0
		for idle < 2 {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if st.Warm() && !st.Indexing() {
				idle++
			} else {
				idle = 0
			}
		}
	}()
}
