package graph

import (
	"bytes"
	"context"
	"errors"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/query"
)

// TestGizmoRuntimeReachable fails loudly when Cayley's gizmo Session no
// longer keeps its *goja.Runtime where gizmoRuntime looks: every Gizmo
// query would then be refused.
func TestGizmoRuntimeReachable(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	vm, err := gizmoRuntime(query.GetLanguage("gizmo").Session(st.qs))
	if err != nil {
		t.Fatalf("Cayley's gizmo Session layout changed: %v", err)
	}
	// It is the session's own VM: its graph object is there.
	if v := vm.Get("g"); v == nil {
		t.Fatal("the runtime found has no g: it is not the session's")
	}
}

// runningVMs counts goroutines still running a Gizmo script: those with
// Cayley's Session.run on their stack. (The goroutine lingers a moment
// after run returns, to hand over the result; that is not counted.)
func runningVMs() int {
	var buf bytes.Buffer
	pprof.Lookup("goroutine").WriteTo(&buf, 1)
	return strings.Count(buf.String(), "gizmo.(*Session).run")
}

// TestStoppedQueryStopsComputing: a script whose one builtin call would
// walk or make gigabytes is stopped with ErrQueryMemory before the call
// runs, and no goroutine of it outlives its answer. Without the guard each
// of these kept a core busy for seconds to minutes after its deadline.
func TestStoppedQueryStopsComputing(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	for _, src := range []string{
		`new Array(1e9).fill(1)`,
		`Array(1e9).fill(1)`,
		`var a = []; a.length = 4e9; a.indexOf(1)`,
		`new Array(1e9).join("x")`,
		`new Array(1000).fill("x".repeat(1e6)).join("")`,
		`"x".repeat(1e9)`,
		`"x".padStart(1e9)`,
		`"x".padEnd(1e9, "yz")`,
		`Array.from({length: 1e9})`,
		`Math.max.apply(null, {length: 1e9})`,
		`Reflect.apply(Math.max, null, {length: 1e9})`,
		`[].concat(new Array(1e9))`,
		`new Array(1e9).sort()`,
		`"a".repeat(1e6).replaceAll("a", "b".repeat(1e3))`,
		`var b = "b".repeat(1e6); "a".repeat(1e4).replace(/a/g, function(){ return b })`,
		`try { new Array(1e9).fill(1) } catch (e) {} while (true) {}`,
	} {
		t.Run(src, func(t *testing.T) {
			// Without the guard most of these run past this deadline, or
			// succeed after minutes; with it each is refused at once.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, _, err := st.Query(ctx, "gizmo", src, 10)
			if !errors.Is(err, ErrQueryMemory) {
				t.Fatalf("err = %v, want ErrQueryMemory", err)
			}
			if n := runningVMs(); n > 0 {
				t.Fatalf("%d query VMs still run after the answer", n)
			}
		})
	}
}

// TestGuardKeepsOrdinaryScripts: guarded builtins still do their job.
func TestGuardKeepsOrdinaryScripts(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	for src, want := range map[string]string{
		`g.Emit([1,2,3].join("-"))`:                                        "1-2-3",
		`g.Emit(String([1,[2,3],null,undefined]))`:                         "1,2,3,,",
		`g.Emit(new Array(3).fill(0).map(function(x,i){return i}).join())`: "0,1,2",
		`g.Emit("ab".repeat(2) + "c".padStart(3, "-"))`:                    "abab--c",
		`g.Emit("a-b-c".split("-").concat(["d"]).join(""))`:                "abcd",
		`g.Emit("aXbX".replaceAll("X", function(){return "y"}))`:           "ayby",
		`g.Emit(Math.max.apply(null, [1,5,2]) + "")`:                       "5",
		`g.Emit(typeof Uint8Array)`:                                        "undefined",
		`g.Emit(JSON.stringify({a:[1]}))`:                                  `{"a":[1]}`,
		`g.Emit(Array.isArray(Array.from("ab")) + "")`:                     "true",
	} {
		res, _, err := st.Query(context.Background(), "gizmo", src, 10)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if len(res) != 1 || res[0] != want {
			t.Errorf("%s = %v, want %q", src, res, want)
		}
	}
}

// TestQueryEndsWithItsVM: when Query returns, the VM it ran is gone, even
// when the answer was cut at the limit while the script went on.
func TestQueryEndsWithItsVM(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, _, err := st.Query(ctx, "gizmo", `while(true){}`, 10); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if n := runningVMs(); n > 0 {
		t.Errorf("%d VMs still run after a timeout", n)
	}
	// Stopped inside a builtin that runs for a while: Query waits for it.
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	src := `var a = new Array(1e6).fill("abc"); while (true) JSON.stringify(a)`
	if _, _, err := st.Query(ctx, "gizmo", src, 10); !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, ErrQueryMemory) {
		t.Fatalf("err = %v", err)
	}
	if n := runningVMs(); n > 0 {
		t.Errorf("%d VMs still run after a timeout inside a builtin", n)
	}
	res, truncated, err := st.Query(context.Background(), "gizmo", `for (var i = 0; ; i++) g.Emit(i)`, 5)
	if err != nil || !truncated || len(res) != 5 {
		t.Fatalf("%v %v %v", res, truncated, err)
	}
	if n := runningVMs(); n > 0 {
		t.Errorf("%d VMs still run after a truncated answer", n)
	}
}

// TestRecursionIsBounded: endless recursion is an error, not memory.
func TestRecursionIsBounded(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	_, _, err := st.Query(context.Background(), "gizmo", `function f(n){ return f(n+1) + 1 }; f(0)`, 10)
	var qe *QueryError
	if !errors.As(err, &qe) {
		t.Fatalf("err = %v, want a QueryError", err)
	}
}

// TestAnswerSizeIsCapped: one value emitted many times is not encoded
// into an answer of gigabytes.
func TestAnswerSizeIsCapped(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	src := `var s = "x".repeat(1 << 20); var a = []; for (var i = 0; i < 100; i++) a.push(s); for (var j = 0; j < 10; j++) g.Emit(a)`
	_, _, err := st.Query(context.Background(), "gizmo", src, 100)
	if !errors.Is(err, ErrQueryMemory) {
		t.Fatalf("err = %v, want ErrQueryMemory", err)
	}
}
