package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphtest"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/view"
)

// proxy forwards TCP connections to target until cut; while cut it
// refuses new connections and has dropped the open ones, as a PostgreSQL
// that went away would.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.setCut(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.cut {
				p.mu.Unlock()
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

// TestPostgresOutage: while PostgreSQL is unreachable the server answers
// 503 with Retry-After, and it answers again by itself once it is back.
func TestPostgresOutage(t *testing.T) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("set POLICYGRAPH_TEST_POSTGRES to a PostgreSQL DSN")
	}
	// A schema of its own, reached through the proxy.
	u, err := url.Parse(graphtest.PostgresSchema(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	u.Host = p.ln.Addr().String()

	ctx := context.Background()
	st, err := graph.Open(ctx, graph.Config{Backend: "postgres", Path: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, err := loader.Load(testData)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(ctx, ds.Hash, ds.Graphs, nil); err != nil {
		t.Fatal(err)
	}
	s := New(st, Config{QueryTimeout: 5 * time.Second})
	const path = "/v1/cities?technology=blockchain&domain=finance"
	decode[tableOf[view.CityRow]](t, get(t, s, path), http.StatusOK)

	p.setCut(true)
	// The view is rechecked against the store at most every 250 ms.
	time.Sleep(300 * time.Millisecond)
	for _, target := range []string{path, "/v1/health", "/v1/nodes/fuzhou"} {
		w := get(t, s, target)
		e := decode[errorBody](t, w, http.StatusServiceUnavailable)
		if e.Error.Code != "store_unavailable" || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s during the outage: %+v, Retry-After %q", target, e.Error, w.Header().Get("Retry-After"))
		}
	}

	// Queries too: before, Gizmo answered 400 with the store's message,
	// its address and SQL text included.
	for _, src := range []string{`g.V().All()`, `g.V("<https://policygraph.org/id/city/fuzhou>").Out().All()`} {
		w := do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":`+quote(src)+`}`), jsonBody)
		e := decode[errorBody](t, w, http.StatusServiceUnavailable)
		if e.Error.Code != "store_unavailable" {
			t.Errorf("query during the outage: %+v", e.Error)
		}
		for _, leak := range []string{u.Host, p.target, "SELECT", "select", "postgres", "dial tcp"} {
			if strings.Contains(w.Body.String(), leak) {
				t.Errorf("query during the outage shows %q: %s", leak, w.Body.String())
			}
		}
	}

	p.setCut(false)
	deadline := time.Now().Add(10 * time.Second)
	for {
		w := get(t, s, path)
		if w.Code == http.StatusOK {
			res := decode[tableOf[view.CityRow]](t, w, http.StatusOK)
			if res.Total != 2 {
				t.Errorf("after the outage: %d cities", res.Total)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery within 10 s: %d %s", w.Code, w.Body.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
