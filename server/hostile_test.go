package server

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/view"
)

// TestHostileQueries: an endless loop, endless recursion and a runaway
// allocation are each stopped, and the server answers others meanwhile.
func TestHostileQueries(t *testing.T) {
	// The server's limit is long and the endless loop asks for 5 s: on a
	// loaded machine the runaway allocation reached 128 MiB only after 5 s
	// and was stopped as a timeout (504), which is not what it tests.
	s, _ := newTestServer(t, Config{QueryTimeout: 60 * time.Second})
	// A small limit keeps the test quick; the default is 512 MiB.
	old := graph.MemoryLimit
	graph.MemoryLimit = 128 << 20
	defer func() { graph.MemoryLimit = old }()
	tests := []struct {
		name, query string
		timeout     string // the request's own, "" for the server's
		status      int
		code        string
	}{
		{"endless loop", `while(true){}`, "5", 504, "timeout"},
		{"endless recursion", `function f(n){ return f(n+1) + 1 }; f(0)`, "5", 0, ""},
		{"runaway allocation", `var a = [], s = "0123456789abcdef"; while(true){ s = s + s; a.push(s.split("")) }`, "", 422, "query_memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wg sync.WaitGroup
			var hostile *errorBody
			var status int
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := `{"query":` + quote(tt.query)
				if tt.timeout != "" {
					body += `,"timeout":` + tt.timeout
				}
				w := do(t, s, http.MethodPost, "/v1/query", []byte(body+`}`), jsonBody)
				status = w.Code
				e := decode[errorBody](t, w, w.Code)
				hostile = &e
			}()
			// Meanwhile light requests are answered at once.
			deadline := time.Now().Add(500 * time.Millisecond)
			for time.Now().Before(deadline) {
				start := time.Now()
				res := decode[tableOf[view.CityRow]](t, get(t, s, "/v1/cities?technology=blockchain&domain=finance"), http.StatusOK)
				if res.Total != 2 {
					t.Errorf("light request answered %d rows", res.Total)
				}
				if d := time.Since(start); d > time.Second {
					t.Errorf("light request took %s during a hostile query", d)
				}
				time.Sleep(50 * time.Millisecond)
			}
			wg.Wait()
			if tt.status != 0 && (status != tt.status || hostile.Error.Code != tt.code) {
				t.Errorf("status %d, %+v; want %d %s", status, hostile.Error, tt.status, tt.code)
			}
			// Recursion ends either way, as a stack error or by a limit; never 200 or 500.
			if status == http.StatusOK || status >= 500 && status != 504 {
				t.Errorf("status %d: %+v", status, hostile.Error)
			}
		})
	}
}

// TestGizmoSandbox: the query VM has the graph and nothing else.
func TestGizmoSandbox(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, name := range []string{"require", "process", "fetch", "XMLHttpRequest", "setTimeout", "os", "fs"} {
		w := do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"g.Emit(typeof `+name+`)"}`), jsonBody)
		res := decode[struct {
			Result []string `json:"result"`
		}](t, w, http.StatusOK)
		if len(res.Result) != 1 || res.Result[0] != "undefined" {
			t.Errorf("typeof %s = %v", name, res.Result)
		}
	}
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

func TestHeavyRequestsAreCapped(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxHeavy: 1, QueryTimeout: 2 * time.Second})
	done := make(chan int)
	go func() {
		done <- do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"while(true){}","timeout":1}`), jsonBody).Code
	}()
	time.Sleep(200 * time.Millisecond)
	w := do(t, s, http.MethodGet, "/v1/ask?q=which+cities+use+blockchain", nil, nil)
	e := decode[errorBody](t, w, http.StatusServiceUnavailable)
	if e.Error.Code != "busy" || w.Header().Get("Retry-After") == "" {
		t.Errorf("second heavy request: %+v, Retry-After %q", e.Error, w.Header().Get("Retry-After"))
	}
	// Light reads are not capped.
	decode[tableOf[view.CityRow]](t, get(t, s, "/v1/cities"), http.StatusOK)
	if code := <-done; code != http.StatusGatewayTimeout {
		t.Errorf("first heavy request: %d", code)
	}
	decode[tableOf[view.CityRow]](t, get(t, s, "/v1/ask?q=which+cities+use+blockchain"), http.StatusOK)
}

// TestHungryQueryStoppedAlone: memory is accounted per query. A query
// that allocates without end is stopped for memory, and an innocent
// endless loop running beside it ends with its own timeout; before, the
// process-wide watchdog stopped both as "allocated too much memory".
func TestHungryQueryStoppedAlone(t *testing.T) {
	s, _ := newTestServer(t, Config{QueryTimeout: 20 * time.Second, MaxScripts: 2})
	old := graph.MemoryLimit
	graph.MemoryLimit = 128 << 20
	defer func() { graph.MemoryLimit = old }()
	run := func(src string, timeout int) (int, string) {
		w := do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":`+quote(src)+`,"timeout":`+strconv.Itoa(timeout)+`}`), map[string]string{"Content-Type": "application/json"})
		e := decode[errorBody](t, w, w.Code)
		return w.Code, e.Error.Code
	}
	var wg sync.WaitGroup
	var innocent, hungry [2]any
	wg.Add(2)
	go func() {
		defer wg.Done()
		code, ec := run(`while(true){}`, 4)
		innocent = [2]any{code, ec}
	}()
	go func() {
		defer wg.Done()
		time.Sleep(100 * time.Millisecond)
		// Objects made by the interpreter itself, not by a builtin.
		code, ec := run(`var a = []; while(true){ a.push({n: a.length, s: "v" + a.length}) }`, 15)
		hungry = [2]any{code, ec}
	}()
	wg.Wait()
	if hungry != [2]any{http.StatusUnprocessableEntity, "query_memory"} {
		t.Errorf("hungry query: %v, want 422 query_memory", hungry)
	}
	if innocent != [2]any{http.StatusGatewayTimeout, "timeout"} {
		t.Errorf("innocent query: %v, want 504 timeout", innocent)
	}
}
