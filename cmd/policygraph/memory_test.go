package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"
)

func TestMemorySettings(t *testing.T) {
	for _, c := range []struct {
		name, flag string
		env        map[string]string
		want       memorySettings
		bad        bool
	}{
		{name: "auto", flag: "auto", want: memorySettings{buildGOGC: buildGOGC}},
		{name: "auto keeps the user's GOGC", flag: "auto", env: map[string]string{"GOGC": "200"}, want: memorySettings{}},
		{name: "auto keeps the user's GOMEMLIMIT", flag: "auto", env: map[string]string{"GOMEMLIMIT": "1GiB"}, want: memorySettings{buildGOGC: buildGOGC}},
		{name: "off", flag: "off", want: memorySettings{}},
		{name: "MiB", flag: "1500MiB", want: memorySettings{limit: 1500 << 20}},
		{name: "GiB, a fraction", flag: "1.5GiB", want: memorySettings{limit: 3 << 29}},
		{name: "bytes", flag: "734003200", want: memorySettings{limit: 734003200}},
		{name: "B", flag: "4096B", want: memorySettings{limit: 4096}},
		{name: "KiB", flag: "64KiB", want: memorySettings{limit: 64 << 10}},
		{name: "TiB", flag: "1TiB", want: memorySettings{limit: 1 << 40}},
		{name: "a unit of another kind", flag: "2GB", bad: true},
		{name: "no number", flag: "GiB", bad: true},
		{name: "zero", flag: "0", bad: true},
		{name: "negative", flag: "-1GiB", bad: true},
		{name: "too large", flag: "100000000TiB", bad: true},
		{name: "a word", flag: "none", bad: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := environment{getenv: func(k string) string { return c.env[k] }}
			got, err := e.memorySettingsOf(c.flag)
			if c.bad {
				if err == nil {
					t.Fatalf("%q: %+v, want an error", c.flag, got)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("%q: %+v, %v; want %+v", c.flag, got, err, c.want)
			}
		})
	}
}

// TestMemorySettingsApply: the build's GOGC is the process's until
// relaxed, the limit until restored, and then the process's earlier
// settings are back.
func TestMemorySettingsApply(t *testing.T) {
	read := func() (gogc int, limit int64) {
		gogc = debug.SetGCPercent(-1)
		debug.SetGCPercent(gogc)
		return gogc, debug.SetMemoryLimit(-1)
	}
	gogc, limit := read()
	relax, restore := memorySettings{limit: 3 << 30, buildGOGC: 70}.apply()
	if g, l := read(); g != 70 || l != 3<<30 {
		t.Errorf("applied: GOGC %d, limit %d; want 70, %d", g, l, 3<<30)
	}
	relax()
	relax()
	if g, l := read(); g != gogc || l != 3<<30 {
		t.Errorf("relaxed: GOGC %d, limit %d; want %d, %d", g, l, gogc, 3<<30)
	}
	restore()
	if g, l := read(); g != gogc || l != limit {
		t.Errorf("restored: GOGC %d, limit %d; want %d, %d", g, l, gogc, limit)
	}
	relax, restore = memorySettings{buildGOGC: 70}.apply()
	restore() // without relax first
	if g, l := read(); g != gogc || l != limit {
		t.Errorf("restored unrelaxed: GOGC %d, limit %d; want %d, %d", g, l, gogc, limit)
	}
	relax, restore = memorySettings{}.apply()
	relax()
	restore()
	if g, l := read(); g != gogc || l != limit {
		t.Errorf("zero settings: GOGC %d, limit %d; want %d, %d", g, l, gogc, limit)
	}
}

// TestServeRelaxesOnceWarm: serve with --memory-limit auto runs the
// collector at buildGOGC only until its first View and text indexes are
// made, and leaves the process's settings as they were when it ends.
func TestServeRelaxesOnceWarm(t *testing.T) {
	gogc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gogc)
	if gogc == buildGOGC {
		t.Skipf("the test process runs at GOGC %d already", gogc)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, done := serveInProcess(t, ctx, []string{"--addr", "127.0.0.1:0", "--data", "../../testdata/data", "--dbpath", filepath.Join(t.TempDir(), "pg.db")}, io.Discard)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		g := debug.SetGCPercent(-1)
		debug.SetGCPercent(g)
		if g == gogc {
			break
		}
		if g != buildGOGC {
			t.Fatalf("GOGC %d while warming, want %d", g, buildGOGC)
		}
		if time.Now().After(deadline) {
			t.Fatal("serve kept the build's GOGC for 30 s")
		}
	}
	resp, err := http.Get(base + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Status string }
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Status == "warming" {
		t.Errorf("the collector was relaxed while the server still warms")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if g := debug.SetGCPercent(-1); g != gogc {
		t.Errorf("after serve: GOGC %d, want %d", g, gogc)
	}
	debug.SetGCPercent(gogc)
}
