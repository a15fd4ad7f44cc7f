package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphbench"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/loader/synthetic"
)

// The scale benchmarks that need whole processes: loading (figure 3),
// memory while serving (figure 5) and two servers over one PostgreSQL
// store (figure 6). See docs/performance.md; make bench runs them all.

// loadBackends are the backends figure 3 loads into: memory, bolt, and
// PostgreSQL when POLICYGRAPH_TEST_POSTGRES holds a DSN.
func loadBackends(b *testing.B) []graphbench.Backend {
	out := []graphbench.Backend{{Name: "memory", Open: func(testing.TB) graph.Config { return graph.Config{Backend: "memory"} }}}
	return append(out, graphbench.BenchBackends(b)...)
}

// BenchmarkLoad is figure 3: `policygraph load` of a generated corpus (a
// new process: reading, parsing, checking and writing) against Cayley's
// batched writer putting the same documents' quads, already in memory,
// into the same backend (another new process). It reports both rates,
// their ratio and the peak RSS of the load.
//
//	POLICYGRAPH_BENCH_SIZES=S,M,L go test ./cmd/policygraph -run '^$' -bench Load -benchtime 1x
func BenchmarkLoad(b *testing.B) {
	bin := buildBinary(b)
	for _, size := range graphbench.BenchSizes(b) {
		dir := graphbench.Corpus(b, size)
		for _, backend := range loadBackends(b) {
			b.Run(fmt.Sprintf("figure=load/size=%s/backend=%s", size, backend.Name), func(b *testing.B) {
				var ours, base time.Duration
				var peak int64
				var quads, sampled int
				for b.Loop() {
					cfg := backend.Open(b)
					args := []string{"load", "--data", dir, "--db", cfg.Backend}
					if cfg.Path != "" {
						args = append(args, "--dbpath", cfg.Path)
					}
					cmd := exec.Command(bin, args...)
					t0 := time.Now()
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("load: %v\n%s", err, out)
					}
					ours += time.Since(t0)
					peak = max(peak, maxRSS(cmd))
					d, n, total := baselineLoad(b, dir, backend.Open(b))
					base += d
					quads, sampled = total, n
				}
				ourRate := float64(quads) * float64(b.N) / ours.Seconds()
				baseRate := float64(sampled) * float64(b.N) / base.Seconds()
				b.ReportMetric(0, "ns/op")
				b.ReportMetric(float64(quads), "quads")
				b.ReportMetric(ourRate, "quads/s")
				b.ReportMetric(baseRate, "quads/s-cayley")
				// Fewer than quads on PostgreSQL: see postgresBaselineSample.
				b.ReportMetric(float64(sampled), "quads-cayley")
				b.ReportMetric(float64(peak>>20), "MiB-peak-rss")
				b.ReportMetric(ourRate/baseRate, "ratio")
				b.ReportMetric(0.9, "goal-min")
			})
		}
	}
}

// BenchmarkLoadInProcess runs `policygraph load` of a generated corpus
// into memory inside the test process, for a CPU profile of everything a
// load does (BenchmarkLoad times separate processes, which a profile of
// the test binary does not see).
//
//	POLICYGRAPH_BENCH_SIZES=M go test ./cmd/policygraph -run '^$' -bench LoadInProcess -benchtime 3x -cpuprofile load.pprof
func BenchmarkLoadInProcess(b *testing.B) {
	for _, size := range graphbench.BenchSizes(b) {
		dir := graphbench.Corpus(b, size)
		b.Run("size="+size+"/backend=memory", func(b *testing.B) {
			for b.Loop() {
				if err := run(context.Background(), []string{"load", "--data", dir, "--db", "memory"}, func(string) string { return "" }, io.Discard, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// baselineLoad runs CayleyWrite in a new process (this test binary again,
// as TestBaselineLoadChild) so that it starts as empty as `policygraph load`.
func baselineLoad(b *testing.B, dir string, cfg graph.Config) (took time.Duration, written, total int) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBaselineLoadChild$")
	spec, _ := json.Marshal(baselineSpec{Dir: dir, Config: cfg})
	cmd.Env = append(os.Environ(), "POLICYGRAPH_BASELINE="+string(spec))
	if os.Getenv("GOGC") == "" {
		// The collector setting policygraph load uses: only the work differs.
		cmd.Env = append(cmd.Env, fmt.Sprintf("GOGC=%d", batchGOGC))
	}
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("baseline: %v\n%s", err, out)
	}
	var res baselineResult
	line := out[strings.LastIndex(string(out), "\n{")+1:]
	if i := strings.Index(string(line), "\n"); i >= 0 {
		line = line[:i]
	}
	if err := json.Unmarshal(line, &res); err != nil {
		b.Fatalf("baseline answer %q: %v", out, err)
	}
	return res.Took, res.Quads, res.Total
}

type baselineSpec struct {
	Dir    string
	Config graph.Config
}

type baselineResult struct {
	Took  time.Duration
	Quads int // written by Cayley's writer
	Total int // in the corpus
}

// postgresBaselineSample is how many quads Cayley's writer puts into
// PostgreSQL for the baseline rate: it writes a row per statement, and all
// of L takes it tens of minutes, most of the half hour make bench may
// take. Its rate is taken from this many quads, at the start of an empty
// store, where writes are fastest: if anything, the ratio is understated.
const postgresBaselineSample = 200000

// TestBaselineLoadChild is the baseline process of BenchmarkLoad; it does
// nothing unless started by it.
func TestBaselineLoadChild(t *testing.T) {
	raw := os.Getenv("POLICYGRAPH_BASELINE")
	if raw == "" {
		t.Skip("run by BenchmarkLoad")
	}
	var spec baselineSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		t.Fatal(err)
	}
	ds, err := loader.Load(spec.Dir)
	if err != nil {
		t.Fatal(err)
	}
	limit := 0
	if spec.Config.Backend == "postgres" {
		limit = postgresBaselineSample
	}
	took, n, err := graphbench.CayleyWrite(spec.Config, ds.Graphs, limit)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(baselineResult{Took: took, Quads: n, Total: ds.Quads()})
	fmt.Printf("\n%s\n", out)
}

func maxRSS(cmd *exec.Cmd) int64 {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // KiB on Linux
	}
	return 0
}

// questionMix is what the serving benchmarks ask: every indexed question.
var questionMix = []string{
	"/v1/cities?technology=blockchain&domain=finance",
	"/v1/measures?city=city-0001&technology=blockchain",
	"/v1/compare?technology=blockchain&cities=city-0000,city-0001,city-0002",
	"/v1/nodes/measure/city-0001-plan-00-m000",
	"/v1/plans?city=city-0002",
	"/v1/mentions?technology=5g",
}

// BenchmarkServeMemory is figure 5: a `policygraph serve` process over a
// loaded bolt store, after answering the question mix from 32 connections
// for five seconds and making its text indexes in the background; it
// reports the resident set and bytes per quad. Then, since what holds
// memory down costs collections, it times first asks (each request a
// question the answer cache has not seen: measures, nodes, searches and
// similarities) from 8 connections for five seconds: their p50, p99 and
// rate. Each run of serve's --memory-limit in serveMemoryModes is a
// sub-benchmark, so that one run compares them.
//
//	POLICYGRAPH_BENCH_SIZES=L go test ./cmd/policygraph -run '^$' -bench ServeMemory -benchtime 1x
func BenchmarkServeMemory(b *testing.B) {
	bin := buildBinary(b)
	for _, size := range graphbench.BenchSizes(b) {
		dir := graphbench.Corpus(b, size)
		for _, mode := range serveMemoryModes {
			b.Run(fmt.Sprintf("figure=memory/size=%s/backend=bolt/limit=%s", size, mode.name), func(b *testing.B) {
				var resident, peak, anon, file int64
				var quads int64
				var asks firstAskTimes
				for b.Loop() {
					// A copy of the store the benchmarks share (Load times
					// loading): serve finds data/ unchanged since.
					cfg, _ := graphbench.LoadedCopy(b, graphbench.BenchBackends(b)[0], size)
					args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--dbpath", cfg.Path}, mode.args...)
					cmd := exec.Command(bin, args...)
					// The benchmark's own GOGC or GOMEMLIMIT would override
					// what the mode measures.
					cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
						return strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=")
					}), mode.env...)
					base := startAndWait(b, cmd)
					urls := prefixed(base, questionMix)
					if _, err := graphbench.Throughput(context.Background(), urls, 32, 5*time.Second); err != nil {
						b.Fatal(err)
					}
					quads = healthQuads(b, base)
					// The text indexes are made when requests pause: the
					// memory of a server at rest holds them.
					indexed(b, base)
					pid := cmd.Process.Pid
					resident, peak = procStatus(b, pid, "VmRSS"), procStatus(b, pid, "VmHWM")
					anon, file = procStatus(b, pid, "RssAnon"), procStatus(b, pid, "RssFile")
					asks = firstAsks(b, base, graphbench.Sizes[size], 8, 5*time.Second)
					cmd.Process.Signal(syscall.SIGTERM)
					cmd.Wait()
				}
				b.ReportMetric(0, "ns/op")
				b.ReportMetric(float64(quads), "quads")
				b.ReportMetric(float64(resident>>20), "MiB-rss")
				b.ReportMetric(float64(peak>>20), "MiB-peak-rss")
				// The resident set counts the pages of the bolt file that reads
				// touched (RssFile: page cache the kernel can take back) beside
				// the process's own memory (RssAnon); the goal holds the sum.
				b.ReportMetric(float64(anon>>20), "MiB-rss-anon")
				b.ReportMetric(float64(file>>20), "MiB-rss-file")
				b.ReportMetric(float64(resident)/float64(quads), "bytes/quad")
				b.ReportMetric(float64(resident)/(1<<30), "ratio")
				b.ReportMetric(1, "goal-max")
				b.ReportMetric(float64(asks.p50.Microseconds()), "first-ask-p50-us")
				b.ReportMetric(float64(asks.p99.Microseconds()), "first-ask-p99-us")
				b.ReportMetric(asks.rate, "first-asks/s")
			})
		}
	}
}

// serveMemoryModes are the --memory-limit settings BenchmarkServeMemory
// compares: serve's default, and the Go runtime's own (no limit, GOGC
// 100).
var serveMemoryModes = []struct {
	name      string
	args, env []string
}{
	{"default", nil, nil},
	{"off", []string{"--memory-limit", "off"}, nil},
}

// firstAskTimes are the latencies of first asks, and how many a second
// were answered.
type firstAskTimes struct {
	p50, p99 time.Duration
	rate     float64
}

// firstAsks sends questions none of which was asked before (so each is
// answered from the View, not from the answer cache) to the server at
// base over conns connections for length: a measure list, a node, a
// broad search and a similarity, in turn, over the cities, plans and
// measures of a corpus of size.
func firstAsks(b *testing.B, base string, size synthetic.Size, conns int, length time.Duration) firstAskTimes {
	var urls []string
	for i := range size.Cities * size.Plans * size.Measures {
		c, p, m := i%size.Cities, i/size.Cities%size.Plans, i/(size.Cities*size.Plans)%size.Measures
		measure := fmt.Sprintf("city-%04d-plan-%02d-m%03d", c, p, m)
		urls = append(urls,
			fmt.Sprintf("%s/v1/measures?city=city-%04d&technology=blockchain&limit=%d", base, c, 1000-i/size.Cities),
			fmt.Sprintf("%s/v1/nodes/measure/%s", base, measure),
			fmt.Sprintf("%s/v1/search?q=blockchain&limit=20&offset=%d", base, i),
			fmt.Sprintf("%s/v1/similar?measure=%s", base, measure))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	defer client.CloseIdleConnections()
	var (
		mu     sync.Mutex
		took   []time.Duration
		next   atomic.Int64
		failed atomic.Value
		wg     sync.WaitGroup
	)
	start := time.Now()
	stop := start.Add(length)
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(stop) {
				i := int(next.Add(1) - 1)
				if i >= len(urls) {
					break
				}
				t := time.Now()
				resp, err := client.Get(urls[i])
				if err != nil {
					failed.Store(err)
					break
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Store(fmt.Errorf("%s: %d", urls[i], resp.StatusCode))
					break
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			took = append(took, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	if len(took) == 0 {
		b.Fatal("no first ask answered")
	}
	slices.Sort(took)
	return firstAskTimes{p50: took[len(took)/2], p99: took[len(took)*99/100], rate: float64(len(took)) / time.Since(start).Seconds()}
}

// BenchmarkScaleOut is figure 6: two `policygraph serve` processes over
// one PostgreSQL store. A plan replaced through the first is polled on
// the second until its answer shows the change (staleness), and the
// question mix is run against one process and then against both.
//
//	POLICYGRAPH_TEST_POSTGRES=postgres://... go test ./cmd/policygraph -run '^$' -bench ScaleOut -benchtime 1x
func BenchmarkScaleOut(b *testing.B) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("needs POLICYGRAPH_TEST_POSTGRES")
	}
	bin := buildBinary(b)
	backend := graphbench.BenchBackends(b)[1]
	for _, size := range graphbench.BenchSizes(b) {
		scaleOut(b, bin, backend, size)
	}
}

// scaleOut is BenchmarkScaleOut at one size; its servers end with it.
func scaleOut(b *testing.B, bin string, backend graphbench.Backend, size string) {
	dir := graphbench.Corpus(b, size)
	start := time.Now()
	// A copy of the store the benchmarks share (Load times loading):
	// serve finds data/ unchanged since.
	cfg, _ := graphbench.LoadedCopy(b, backend, size)
	var stops []func()
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	// Two servers on a two-core machine that also runs the load
	// generator (wrk) and PostgreSQL cannot show what a second machine
	// adds: one server alone already has both cores. So for the
	// throughput each server gets serverCores of CPU time through a
	// cgroup quota, and wrk what is left; "two processes" then adds a
	// server's worth of CPU, as a second machine would. Staleness is
	// measured without the quota. Without a writable cgroup, each
	// server is pinned to a core throughout, and wrk shares them.
	newGroup := cpuLimiter()
	var bases []string
	var groups []*cpuGroup
	for i := range 2 {
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--db", "postgres", "--dbpath", cfg.Path, "--write-token", "t")
		if newGroup == nil {
			cmd = exec.Command("taskset", append([]string{"-c", fmt.Sprint(i), bin}, cmd.Args[1:]...)...)
			cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
		}
		base := startAndWait(b, cmd)
		var group *cpuGroup
		var err error
		if newGroup != nil {
			group, err = newGroup(cmd.Process.Pid)
			groups = append(groups, group)
		}
		stops = append(stops, func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			group.release() // a cgroup goes only once its process has
		})
		if err != nil {
			b.Fatal(err)
		}
		bases = append(bases, base)
	}
	for _, base := range bases { // both build their views before timing
		healthQuads(b, base)
		get(b, base+questionMix[0])
	}
	b.Logf("size %s: a store and two servers ready in %s", size, time.Since(start).Round(time.Millisecond))
	// Each server makes its first text indexes in the background after
	// its first View: at L, seconds of CPU on both cores, which the
	// staleness figure (a write, a patch on each side) would share with
	// them. It times servers past their start, as the throughput does.
	for _, base := range bases {
		indexed(b, base)
	}
	b.Run(fmt.Sprintf("figure=staleness/size=%s/backend=postgres", size), func(b *testing.B) {
		// make bench runs this once (-benchtime 1x): a worst of one
		// write is no worst, so each round writes stalenessWrites times.
		var worst, worstAfter time.Duration
		var all []time.Duration
		variant := 0
		for b.Loop() {
			for range stalenessWrites {
				variant++
				seen, after := staleness(b, bases[0], bases[1], variant)
				worst, worstAfter = max(worst, seen), max(worstAfter, after)
				all = append(all, seen)
			}
		}
		slices.Sort(all)
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(float64(all[len(all)/2].Milliseconds()), "ms-p50")
		b.ReportMetric(float64(worst.Milliseconds()), "ms-worst")
		b.ReportMetric(float64(worstAfter.Milliseconds()), "ms-worst-after-answer")
		b.ReportMetric(float64(worst)/float64(stalenessGoal), "ratio")
		b.ReportMetric(1, "goal-max")
	})
	b.Run(fmt.Sprintf("figure=scaleout/size=%s/backend=postgres", size), func(b *testing.B) {
		// The writes above leave each server mending its text indexes
		// in the background (at start, at L, making them: seconds of
		// CPU). They yield to requests, but the figure is what two
		// servers answer, not how they share a core with that work.
		for _, base := range bases {
			indexed(b, base)
		}
		for _, g := range groups {
			if err := g.set(serverCores); err != nil {
				b.Fatal(err)
			}
		}
		var one, two float64
		for b.Loop() {
			var err error
			if one, err = graphbench.Wrk(context.Background(), bases[0], questionMix, 2, 32, 3*time.Second); err != nil {
				b.Fatal(err)
			}
			// The same generator split in two: a thread and 16 connections each.
			rates := make([]float64, 2)
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, base := range bases {
				wg.Go(func() {
					rates[i], errs[i] = graphbench.Wrk(context.Background(), base, questionMix, 1, 16, 3*time.Second)
				})
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				b.Fatal(err)
			}
			two = rates[0] + rates[1]
		}
		b.ReportMetric(0, "ns/op")
		if groups != nil {
			b.ReportMetric(serverCores, "cores-per-server")
		} else {
			b.ReportMetric(1, "cores-per-server-pinned")
		}
		b.ReportMetric(one, "req/s-one")
		b.ReportMetric(two, "req/s")
		b.ReportMetric(two/one, "ratio")
		b.ReportMetric(1.6, "goal-min")
	})
}

// serverCores is the CPU time each server of BenchmarkScaleOut may use.
const serverCores = 0.5

// cpuGroup is a cgroup holding one process, whose CPU time can be capped.
type cpuGroup struct {
	dir, file string
	v2        bool
}

// set caps the group's CPU time at cores, or lifts the cap for cores <= 0.
func (g *cpuGroup) set(cores float64) error {
	const period = 100000
	quota := fmt.Sprint(int(cores * period))
	switch {
	case cores <= 0 && g.v2:
		quota = "max"
	case cores <= 0:
		quota = "-1"
	}
	if g.v2 {
		quota += fmt.Sprintf(" %d", period)
	}
	return os.WriteFile(filepath.Join(g.dir, g.file), []byte(quota), 0o644)
}

// release removes the group; its process must have ended.
func (g *cpuGroup) release() {
	if g != nil {
		os.Remove(g.dir)
	}
}

// cpuLimiter returns a function that moves a process into a new cgroup
// of its own (cgroup v1 cpu controller, or v2), uncapped to begin with;
// nil when this machine has no cgroup it may write.
func cpuLimiter() func(pid int) (*cpuGroup, error) {
	for _, h := range []cpuGroup{
		{dir: "/sys/fs/cgroup/cpu", file: "cpu.cfs_quota_us"},
		{dir: "/sys/fs/cgroup", file: "cpu.max", v2: true},
	} {
		probe := &cpuGroup{dir: filepath.Join(h.dir, fmt.Sprintf("policygraph-bench-%d-probe", os.Getpid())), file: h.file, v2: h.v2}
		if err := os.Mkdir(probe.dir, 0o755); err != nil {
			continue
		}
		err := probe.set(serverCores)
		probe.release()
		if err != nil {
			continue
		}
		return func(pid int) (*cpuGroup, error) {
			dir, err := os.MkdirTemp(h.dir, "policygraph-bench-")
			if err != nil {
				return nil, err
			}
			g := &cpuGroup{dir: dir, file: h.file, v2: h.v2}
			return g, os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(fmt.Sprint(pid)), 0o644)
		}
	}
	return nil
}

// stalenessGoal is issue 15's: a one-plan PUT through one server seen by
// a second over the same PostgreSQL within it, counted from the PUT sent.
const stalenessGoal = 250 * time.Millisecond

// stalenessWrites is how many writes a round of the staleness figure makes.
const stalenessWrites = 10

// staleness replaces a plan through writer and returns how long reader
// took to answer with it, from the PUT sent (seen) and from its answer
// (after).
func staleness(b *testing.B, writer, reader string, variant int) (seen, after time.Duration) {
	req, _ := http.NewRequest(http.MethodPut, writer+"/v1/plans/scale-out", strings.NewReader(genPlan("scale-out", variant%2)))
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/yaml")
	sent := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		b.Fatalf("PUT: %d", resp.StatusCode)
	}
	written := time.Now()
	want := fmt.Sprintf("scale-out-v%d-m0", variant%2)
	for time.Since(written) < 30*time.Second {
		// Until the reader sees the first write the plan is unknown (404).
		if resp, err := http.Get(reader + "/v1/measures?plan=scale-out"); err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && strings.Contains(string(body), want) {
				return time.Since(sent), time.Since(written)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Fatal("the second server did not see the write in 30s")
	return 0, 0
}

func prefixed(base string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = base + p
	}
	return out
}

func get(b *testing.B, url string) string {
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d %s", url, resp.StatusCode, body)
	}
	return string(body)
}

// healthQuads is the graph's size once the server has built its first
// View (health says "warming" until then).
func healthQuads(b *testing.B, base string) int64 {
	for {
		resp, err := http.Get(base + "/v1/health")
		if err != nil {
			b.Fatal(err)
		}
		var h struct {
			Status string
			Quads  int64
		}
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if h.Status != "warming" {
			return h.Quads
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// indexed waits until the server at base says its background index work
// is done (/v1/health, indexing), for at most a minute.
func indexed(b *testing.B, base string) {
	for deadline := time.Now().Add(time.Minute); ; {
		resp, err := http.Get(base + "/v1/health")
		if err != nil {
			b.Fatal(err)
		}
		var h struct {
			Status   string
			Indexing *bool
		}
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if h.Indexing == nil {
			b.Fatalf("health says nothing of indexing: %+v", h)
		}
		if !*h.Indexing {
			return
		}
		if time.Now().After(deadline) {
			b.Fatal("the server still indexes after a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// procStatus is a field of /proc/PID/status given in kB (VmRSS, VmHWM
// the peak, RssAnon, RssFile), in bytes.
func procStatus(b *testing.B, pid int, field string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int64
			fmt.Sscan(rest, &kb)
			return kb << 10
		}
	}
	b.Fatalf("/proc/%d/status has no %s", pid, field)
	return 0
}
