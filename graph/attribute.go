package graph

import (
	"bytes"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"sync"
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
// running `while(true){}` none. Only the query seen allocating most is
// stopped; the others' watchdogs count again from the heap as it is.
//
// When the CPU profiler is taken (a test run with -cpuprofile), growth
// cannot be attributed and the query whose watchdog saw it is stopped,
// as before.

// queryLabel is the pprof label naming a running query.
const queryLabel = "policygraph-query"

// attributeFor is how long a profile runs to find who allocates: at the
// profiler's 100 Hz, some twenty samples of a busy goroutine.
const attributeFor = 200 * time.Millisecond

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

// culprit is the query seen allocating most, "" when none was seen.
func culprit(seen map[string]int) string {
	best, n := "", 0
	for id, c := range seen {
		if c > n || c == n && id < best {
			best, n = id, c
		}
	}
	return best
}

// heapBytes is the size of the live and not yet collected heap objects.
func heapBytes(sample []metrics.Sample) uint64 {
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// watchMemory calls stop once the heap has grown by more than limit while
// query id runs and id is the query seen allocating; growth caused by
// others moves its baseline instead. It checks every few milliseconds
// until done is closed.
func watchMemory(done <-chan struct{}, id string, limit uint64, stop func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	base := heapBytes(sample)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			v := heapBytes(sample)
			if v < base {
				base = v
				continue
			}
			if v-base <= limit {
				continue
			}
			if seen, ok := allocating(); !ok || culprit(seen) == id {
				stop()
				return
			}
			base = heapBytes(sample)
		}
	}
}
