package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestLoadWithWriter is the load test of docs/reliability.md: many
// connections on a mix of read endpoints against the real binary while a
// writer replaces a plan every second. Every answer is checked; it fails
// on any 5xx or wrong answer. Off unless POLICYGRAPH_LOADTEST gives its
// length, e.g.
//
//	POLICYGRAPH_LOADTEST=60s POLICYGRAPH_LOADTEST_CONNS=64 go test ./cmd/policygraph -run LoadWithWriter -v
func TestLoadWithWriter(t *testing.T) {
	length, err := time.ParseDuration(os.Getenv("POLICYGRAPH_LOADTEST"))
	if err != nil {
		t.Skip("set POLICYGRAPH_LOADTEST to a duration to run the load test")
	}
	conns := 64
	if n, err := strconv.Atoi(os.Getenv("POLICYGRAPH_LOADTEST_CONNS")); err == nil && n > 0 {
		conns = n
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", "../../testdata/data",
		"--dbpath", filepath.Join(t.TempDir(), "pg.db"), "--write-token", "t")
	cmd.Stderr = io.Discard
	base := startAndWait(t, cmd)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
	put := func(variant int) int {
		req, _ := http.NewRequest(http.MethodPut, base+"/v1/plans/load-test", strings.NewReader(genPlan("load-test", variant)))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/yaml")
		resp, err := client.Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := put(0); code != http.StatusCreated {
		t.Fatalf("first PUT: %d", code)
	}
	rssBefore := rss(t, cmd.Process.Pid)

	// Each check reads one endpoint and says whether the answer is right.
	checks := []struct {
		path string
		ok   func(body []byte) bool
	}{
		{"/v1/cities?technology=blockchain&domain=finance", func(b []byte) bool {
			return strings.Contains(string(b), `"city":"fuzhou","name":"Fuzhou","basis":"explicit"`) && strings.Contains(string(b), `"city":"shanghai","name":"Shanghai","basis":"inferred"`)
		}},
		{"/v1/measures?plan=load-test", func(b []byte) bool {
			var r struct{ Total int }
			return json.Unmarshal(b, &r) == nil && (r.Total == 20 || r.Total == 21)
		}},
		{"/v1/compare?technology=blockchain&cities=beijing,shanghai,fuzhou", func(b []byte) bool {
			return strings.Contains(string(b), `{"domain":"finance","city":"fuzhou","basis":"explicit"`)
		}},
		{"/v1/mentions?technology=5g", func(b []byte) bool { return strings.Contains(string(b), `"count":70,"qualifier":"more_than"`) }},
		{"/v1/support?city=fuzhou", func(b []byte) bool { return strings.Contains(string(b), `"cap_amount":5000000`) }},
		{"/v1/search?q=%E5%8C%BA%E5%9D%97%E9%93%BE", func(b []byte) bool { return strings.Contains(string(b), `"id":"blockchain"`) }},
		{"/v1/nodes/fuzhou", func(b []byte) bool { return strings.Contains(string(b), `"node":"city/fuzhou"`) }},
	}
	var requests, wrong, fivexx, other atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	stop := time.Now().Add(length)
	var wg sync.WaitGroup
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := c; time.Now().Before(stop); i++ {
				ch := checks[i%len(checks)]
				start := time.Now()
				resp, err := client.Get(base + ch.path)
				if err != nil {
					other.Add(1)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(start))
				requests.Add(1)
				switch {
				case resp.StatusCode >= 500:
					fivexx.Add(1)
				case resp.StatusCode != 200 || !ch.ok(body):
					wrong.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	writes, failedWrites := 0, 0
	var samples []int64
	for v := 1; time.Now().Before(stop); v++ {
		time.Sleep(time.Second)
		writes++
		if code := put(v % 2); code != http.StatusOK {
			failedWrites++
		}
		samples = append(samples, rss(t, cmd.Process.Pid))
	}
	wg.Wait()
	rssAfter := rss(t, cmd.Process.Pid)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(float64(len(lat)-1)*p)]
	}
	t.Logf("%d connections for %s with a plan replaced every second", conns, length)
	t.Logf("requests %d (%.0f/s), p50 %s, p99 %s", requests.Load(), float64(requests.Load())/length.Seconds(), pct(0.5), pct(0.99))
	t.Logf("5xx %d, wrong answers %d, transport errors %d, writes %d (%d failed)", fivexx.Load(), wrong.Load(), other.Load(), writes, failedWrites)
	t.Logf("server RSS before %d MiB, after %d MiB", rssBefore>>20, rssAfter>>20)
	if n := len(samples); n >= 4 {
		half := func(xs []int64) (lo, hi int64) {
			lo, hi = xs[0], xs[0]
			for _, x := range xs {
				lo, hi = min(lo, x), max(hi, x)
			}
			return lo, hi
		}
		l1, h1 := half(samples[:n/2])
		l2, h2 := half(samples[n/2:])
		t.Logf("RSS range, first half %d–%d MiB, second half %d–%d MiB", l1>>20, h1>>20, l2>>20, h2>>20)
	}
	if fivexx.Load() > 0 || wrong.Load() > 0 || other.Load() > 0 || failedWrites > 0 {
		t.Errorf("errors under load")
	}
}

// rss is the resident memory of process pid, from /proc.
func rss(t testing.TB, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb << 10
		}
	}
	return 0
}
