package graph

import (
	"bytes"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/pprof/profile"
)

// Heap growth is attributed to a query by a short CPU profile: every
// query runs under a pprof goroutine label (queryLabel), inherited by the
// goroutine Cayley starts for the JavaScript VM, and when the heap has
// grown past a query's limit, a profile of attributeFor counts, per label,
// the samples taken inside the runtime's allocator. Go keeps no
// allocation count per goroutine and a heap profile carries no labels; a
// goroutine profile cannot see allocation either, since a goroutine is
// never preempted inside mallocgc, but the profiling signal lands there.
// A query allocating without end spends much of its time allocating; one
// running `while(true){}` none. The queries seen allocating (at least half
// as often as the one seen most) are stopped; the others' watchdogs count
// again from the heap as it is. A query running alone is stopped without
// a profile.
//
// When the CPU profiler is taken (a test run with -cpuprofile), growth
// cannot be attributed and the query whose watchdog saw it is stopped,
// as before.

// queryLabel is the pprof label naming a running query.
const queryLabel = "policygraph-query"

// attributeFor is how long a profile runs to find who allocates: at the
// profiler's 100 Hz, ten samples of a goroutine that has a core.
const attributeFor = 100 * time.Millisecond

// allocFrames are functions a goroutine is in while it allocates.
var allocFrames = []string{
	"runtime.mallocgc", "runtime.growslice", "runtime.makeslice", "runtime.newobject", "runtime.newarray",
	"runtime.makemap", "runtime.concatstring", "runtime.rawstring", "runtime.rawbyteslice", "runtime.rawruneslice",
	"runtime.slicebytetostring", "runtime.memclrNoHeapPointers", "runtime.gcAssistAlloc",
}

// attribution runs one profile at a time; watchdogs that breach together
// share its answer.
var attribution struct {
	sync.Mutex
	at   time.Time
	seen map[string]int
	ok   bool
}

// allocating returns how many profile samples of each labelled query were
// taken while it allocated; ok is false when the profiler is taken.
func allocating() (seen map[string]int, ok bool) {
	attribution.Lock()
	defer attribution.Unlock()
	if time.Since(attribution.at) < attributeFor {
		return attribution.seen, attribution.ok
	}
	var buf bytes.Buffer
	seen = map[string]int{}
	if err := pprof.StartCPUProfile(&buf); err == nil {
		time.Sleep(attributeFor)
		pprof.StopCPUProfile()
		ok = true
		if p, err := profile.Parse(&buf); err == nil {
			countAllocating(p, seen)
		}
	}
	attribution.at, attribution.seen, attribution.ok = time.Now(), seen, ok
	return seen, ok
}

// countAllocating counts the samples of p, per query label, with an
// allocator function on their stack.
func countAllocating(p *profile.Profile, seen map[string]int) {
	for _, smp := range p.Sample {
		ids := smp.Label[queryLabel]
		if len(ids) == 0 || !inAllocator(smp) {
			continue
		}
		seen[ids[0]]++
	}
}

func inAllocator(smp *profile.Sample) bool {
	for _, loc := range smp.Location {
		for _, line := range loc.Line {
			if line.Function == nil {
				continue
			}
			for _, a := range allocFrames {
				if strings.HasPrefix(line.Function.Name, a) {
					return true
				}
			}
		}
	}
	return false
}

// isCulprit reports whether query id was seen allocating at least half
// as often as the query seen most: several hungry queries are stopped by
// one profile, one that never allocates (while(true){}) never is.
func isCulprit(seen map[string]int, id string) bool {
	most := 0
	for _, n := range seen {
		most = max(most, n)
	}
	return most > 0 && 2*seen[id] >= most
}

// heapBytes is the size of the live and not yet collected heap objects.
func heapBytes(sample []metrics.Sample) uint64 {
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// running counts queries being watched; idleHeap is the heap when the
// first of them started, with no query running: the graph and the
// server's own state, which queries do not answer for. ended counts
// watches that have finished: the garbage of a query that ended, or was
// stopped, stays in the heap until the next collection, and must not be
// charged to a query that outlives it.
var (
	running  atomic.Int64
	idleHeap atomic.Uint64
	ended    atomic.Uint64
)

// watchMemory calls stop when query id is the query seen allocating and
// either the heap has grown by more than limit while it runs, or all
// running queries together have grown it by more than QueriesMemoryLimit
// (each one's own limit counts from when it started, so eight queries
// started one after another could otherwise each add limit). Growth
// caused by others moves its baseline instead. It checks every few
// milliseconds until done is closed.
func watchMemory(done <-chan struct{}, id string, limit uint64, stop func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	base := heapBytes(sample)
	if running.Add(1) == 1 {
		idleHeap.Store(base)
	}
	seenEnded := ended.Load()
	// ended moves before running does, so a watchdog that sees itself
	// alone also sees that another query ended.
	defer func() {
		ended.Add(1)
		running.Add(-1)
	}()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			v := heapBytes(sample)
			base = min(base, v)
			idle := idleHeap.Load()
			if v-base <= limit && (v <= idle || v-idle <= QueriesMemoryLimit) {
				continue
			}
			alone := running.Load() == 1
			if e := ended.Load(); e != seenEnded {
				// Another query's leftovers: count again from here.
				seenEnded, base = e, heapBytes(sample)
				continue
			}
			// Alone, it is the one: no profile, no delay (a string that
			// doubles per instruction outgrows any delay). Past twice the
			// limit of all queries, several are doubling at once and no
			// profile is quick enough: every query stops, the server first.
			if alone || v > idle && v-idle > 2*QueriesMemoryLimit {
				stop()
				return
			}
			if seen, ok := allocating(); !ok || isCulprit(seen, id) {
				stop()
				return
			}
			base = heapBytes(sample)
		}
	}
}
