package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestExtractURL fetches plans from a local test server: the page's
// charset from its header, the address and time as the draft's source,
// and a clear error for each way a fetch fails.
func TestExtractURL(t *testing.T) {
	page, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("<html><head><title>福州市新型基础设施建设行动方案_福州市人民政府</title></head><body>" +
		"<div>当前位置:首页 &gt; 政策</div><p>推进区块链在金融领域的应用。</p></body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	var agent atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/plan.html", func(w http.ResponseWriter, r *http.Request) {
		agent.Store(r.UserAgent())
		w.Header().Set("Content-Type", "text/html; charset=GBK")
		w.Write(page)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/plan.html", http.StatusFound) })
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(strings.Repeat("区块链。", 1000)))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	status, out, stderr := runCLI(t, nil, "extract", "--data", "../../data", "--plan", "fz", srv.URL+"/moved")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	for _, want := range []string{"technology: blockchain", "domains:\n      - finance", "福州市新型基础设施建设行动方案", "Drafted from " + srv.URL + "/plan.html, retrieved 20", "charset gb18030", "#     address: " + srv.URL + "/plan.html"} {
		if !strings.Contains(out, want) {
			t.Errorf("draft lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "当前位置") && strings.Contains(out, "title:\n  zh: 当前位置") {
		t.Errorf("navigation as the title:\n%s", out)
	}
	if a, _ := agent.Load().(string); !strings.HasPrefix(a, "policygraph-extract/") {
		t.Errorf("User-Agent %q", a)
	}
	for _, tt := range []struct {
		path string
		args []string
		want string
	}{
		{"/missing", nil, "the server answered 404"},
		{"/pdf", nil, "the page is application/pdf, not text or HTML"},
		{"/big", []string{"--max-bytes", "1000"}, "larger than --max-bytes 1000"},
		{"/slow", []string{"--timeout", "200ms"}, "within --timeout 200ms"},
	} {
		args := append([]string{"extract", "--data", "../../data"}, tt.args...)
		status, _, stderr := runCLI(t, nil, append(args, srv.URL+tt.path)...)
		if status != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: status %d, stderr %q, want %q", tt.path, status, stderr, tt.want)
		}
	}
	if status, _, stderr := runCLI(t, nil, "extract", "--data", "../../data", "http://127.0.0.1:1/none"); status != 1 || !strings.Contains(stderr, "GET http://127.0.0.1:1/none") {
		t.Errorf("refused connection: %d %q", status, stderr)
	}
}
