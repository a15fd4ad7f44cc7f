package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/policygraph/policygraph/view"
)

// TestMalformedPercentEncoding: a parameter Go's parser would drop is a
// 400 naming it, on every route; before, city=%ZZ answered every row.
func TestMalformedPercentEncoding(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	for _, target := range []string{
		"/v1/cities?technology=blockchain&city=%ZZ",
		"/v1/measures?city=%ZZ",
		"/v1/plans?city=fu%zhou",
		"/v1/compare?technology=blockchain&cities=%ZZ",
		"/v1/search?q=%ZZ",
		"/v1/nodes/fuzhou?city=%ZZ",
		"/v1/ask?q=%E4%",
		"/v1/export?format=%ZZ",
		"/v1/health?city=%ZZ",
	} {
		w := get(t, s, target)
		e := decode[errorBody](t, w, http.StatusBadRequest)
		name := "city"
		switch {
		case strings.Contains(target, "cities="):
			name = "cities"
		case strings.Contains(target, "q="):
			name = "q"
		case strings.Contains(target, "format="):
			name = "format"
		}
		if !strings.Contains(e.Error.Message, "parameter "+name) || !strings.Contains(e.Error.Message, "invalid escape") {
			t.Errorf("%s: %q does not name the parameter %s", target, e.Error.Message, name)
		}
	}
	w := do(t, s, http.MethodPost, "/v1/query?limit=%ZZ", []byte(`{"query":"g.V().All()"}`), jsonBody)
	decode[errorBody](t, w, http.StatusBadRequest)
	// Well-formed escapes still work.
	res := decode[tableOf[view.CityRow]](t, get(t, s, "/v1/cities?technology="+url.QueryEscape("区块链")+"&domain=finance"), http.StatusOK)
	if res.Total != 2 {
		t.Errorf("escaped name: %d rows", res.Total)
	}
}

// TestBodiesNeedTheirContentType: /v1/query and writes accept only the
// types a browser cannot send across sites without asking first.
func TestBodiesNeedTheirContentType(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	q := []byte(`{"query":"g.V().All()","limit":1}`)
	for _, ct := range []string{"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/yaml"} {
		w := do(t, s, http.MethodPost, "/v1/query", q, map[string]string{"Content-Type": ct})
		e := decode[errorBody](t, w, http.StatusUnsupportedMediaType)
		if e.Error.Code != "unsupported_media_type" || !strings.Contains(e.Error.Message, "application/json") {
			t.Errorf("query as %q: %+v", ct, e.Error)
		}
		w = do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 0)), auth(map[string]string{"Content-Type": ct}))
		if ct == "application/yaml" {
			decode[struct{}](t, w, http.StatusCreated)
			continue
		}
		decode[errorBody](t, w, http.StatusUnsupportedMediaType)
	}
	decode[struct{}](t, do(t, s, http.MethodPost, "/v1/query", q, map[string]string{"Content-Type": "application/json; charset=utf-8"}), http.StatusOK)
	decode[struct{}](t, do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 1)), auth(map[string]string{"Content-Type": "text/yaml"})), http.StatusOK)
}

// TestInvalidUTF8Body: a body that is not UTF-8 is a 400 naming the first
// bad byte, and nothing is written.
func TestInvalidUTF8Body(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	before := get(t, s, "/v1/export").Body.String()
	doc := planDoc("x-2021", 0)
	at := strings.Index(doc, "published")
	gbk := doc[:at] + "# \xb2\xe2\xca\xd4\n" + doc[at:] // 测试 in GBK
	w := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(gbk), auth(nil))
	e := decode[errorBody](t, w, http.StatusBadRequest)
	if want := fmt.Sprintf("byte %d", at+2); !strings.Contains(e.Error.Message, want) {
		t.Errorf("message %q does not say %s", e.Error.Message, want)
	}
	if get(t, s, "/v1/export").Body.String() != before {
		t.Error("the store changed")
	}
	w = do(t, s, http.MethodPost, "/v1/query", []byte("{\"query\":\"g.Emit('\xff')\"}"), jsonBody)
	e = decode[errorBody](t, w, http.StatusBadRequest)
	if !strings.Contains(e.Error.Message, "byte 18") {
		t.Errorf("query: %q", e.Error.Message)
	}
}

// TestEmptyIfMatch: an If-Match that names no version is a 400, not a
// write without condition.
func TestEmptyIfMatch(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	decode[struct{}](t, do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 0)), auth(nil)), http.StatusCreated)
	for _, v := range []string{"", `""`, ` `, `W/""`} {
		w := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(planDoc("x-2021", 1)), auth(map[string]string{"If-Match": v}))
		e := decode[errorBody](t, w, http.StatusBadRequest)
		if !strings.Contains(e.Error.Message, "If-Match") {
			t.Errorf("If-Match %q: %+v", v, e.Error)
		}
		w = do(t, s, http.MethodDelete, "/v1/plans/x-2021", nil, auth(map[string]string{"If-Match": v}))
		decode[errorBody](t, w, http.StatusBadRequest)
	}
	p := decode[struct {
		Measures []any `json:"measures"`
	}](t, get(t, s, "/v1/plans/x-2021"), http.StatusOK)
	if len(p.Measures) != 3 {
		t.Errorf("the plan was replaced: %d measures", len(p.Measures))
	}
}

// TestYAMLShapeCapped: a deeply nested or very large document is refused
// before it is parsed, saying where and why; before, 60 KB of nested
// items took 5 s and 1.4 GB to parse.
func TestYAMLShapeCapped(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	for name, tt := range map[string]struct {
		body, want string
	}{
		"nested items": {"id: x-2021\nmeasures:\n" + strings.Repeat("- ", 30000) + "1\n", "nested 65 deep"},
		"nested flow":  {"id: x-2021\nmeasures: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n", "nested 65 deep"},
		"nested keys": {func() string {
			var b strings.Builder
			b.WriteString("id: x-2021\n")
			for i := 0; i < 100; i++ {
				b.WriteString(strings.Repeat(" ", i) + "k:\n")
			}
			return b.String()
		}(), "nested 65 deep"},
		"many nodes": {"id: x-2021\nmeasures: [" + strings.Repeat("a,", 60000) + "a]\n", "more than 50000 YAML nodes"},
	} {
		w := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(tt.body), auth(nil))
		e := decode[errorBody](t, w, http.StatusBadRequest)
		if !strings.Contains(e.Error.Message, tt.want) || !strings.Contains(e.Error.Message, "request body:") {
			t.Errorf("%s: %q, want %q", name, e.Error.Message, tt.want)
		}
	}
	// Every plan of the dataset is far inside the limits.
	for _, p := range decode[tableOf[view.Plan]](t, get(t, s, "/v1/plans"), http.StatusOK).Rows {
		if src, err := readDataPlan(p.ID); err == nil {
			if err := checkYAMLShape(src); err != nil {
				t.Errorf("data plan %s: %v", p.ID, err)
			}
		}
	}
}

// TestErrorListCapped: a document with thousands of problems answers the
// first 100 and the count of the rest, in a bounded answer.
func TestErrorListCapped(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: token})
	var b strings.Builder
	b.WriteString(strings.SplitN(planDoc("x-2021", 0), "measures:\n", 2)[0] + "measures:\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "  - {id: bad-%d, kind: nonsense}\n", i)
	}
	w := do(t, s, http.MethodPut, "/v1/plans/x-2021", []byte(b.String()), auth(nil))
	e := decode[struct {
		Error struct {
			Code       string       `json:"code"`
			Message    string       `json:"message"`
			Errors     []fieldError `json:"errors"`
			MoreErrors int          `json:"more_errors"`
		} `json:"error"`
	}](t, w, http.StatusUnprocessableEntity)
	if len(e.Error.Errors) != 100 || e.Error.MoreErrors < 3000-100 {
		t.Errorf("%d errors listed, %d more", len(e.Error.Errors), e.Error.MoreErrors)
	}
	if w.Body.Len() > 64<<10 || !strings.Contains(e.Error.Message, "problems in the document; the first") {
		t.Errorf("answer of %d bytes, message %.200q", w.Body.Len(), e.Error.Message)
	}
}

// TestListsCappedAndCollapsed: a city named many times is one column, and
// a list past the cap is a 400 naming the parameter and the cap.
func TestListsCappedAndCollapsed(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	one := decode[view.Matrix](t, get(t, s, "/v1/compare?technology=blockchain&cities=fuzhou"), http.StatusOK)
	rep := decode[view.Matrix](t, get(t, s, "/v1/compare?technology=blockchain&cities="+strings.Repeat("fuzhou,福州,", 1000)), http.StatusOK)
	if len(rep.Cities) != 1 || len(rep.Cells) != len(one.Cells) {
		t.Errorf("repeated city: %d cities, %d cells; want 1, %d", len(rep.Cities), len(rep.Cells), len(one.Cells))
	}
	var many []string
	for i := 0; i <= maxListItems; i++ {
		many = append(many, fmt.Sprintf("city-%d", i))
	}
	e := decode[errorBody](t, get(t, s, "/v1/compare?technology=blockchain&cities="+strings.Join(many, ",")), http.StatusBadRequest)
	if !strings.Contains(e.Error.Message, "cities lists more than 100 items") {
		t.Errorf("over the cap: %q", e.Error.Message)
	}
	e = decode[errorBody](t, get(t, s, "/v1/search?q=fu&type="+strings.Repeat("city,plan,", 3)+strings.Join(many[:20], ",")), http.StatusBadRequest)
	if !strings.Contains(e.Error.Message, "type lists more than") {
		t.Errorf("type over the cap: %q", e.Error.Message)
	}
}

// TestCompareIsHeavy: /v1/compare waits for a heavy slot like a query.
func TestCompareIsHeavy(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxHeavy: 1, QueryTimeout: 2 * time.Second, AnswerCache: -1})
	done := make(chan int)
	go func() {
		done <- do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"while(true){}","timeout":1}`), jsonBody).Code
	}()
	time.Sleep(200 * time.Millisecond)
	e := decode[errorBody](t, get(t, s, "/v1/compare?technology=blockchain"), http.StatusServiceUnavailable)
	if e.Error.Code != "busy" {
		t.Errorf("compare beside a query: %+v", e.Error)
	}
	<-done
	decode[view.Matrix](t, get(t, s, "/v1/compare?technology=blockchain"), http.StatusOK)
}

// TestScriptsCapped: with one script slot, a second /v1/query beside a
// running one waits for the slot and is told to come back when it stays
// taken, while a typed question (also heavy) still runs: spinning VMs
// cannot take every core. Short queries asked at once are answered in turn.
func TestScriptsCapped(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxHeavy: 8, MaxScripts: 1, QueryTimeout: 5 * time.Second, AnswerCache: -1})
	done := make(chan int)
	go func() {
		done <- do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"while(true){}","timeout":3.5}`), jsonBody).Code
	}()
	time.Sleep(200 * time.Millisecond)
	e := decode[errorBody](t, do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"g.V().Limit(1).All()"}`), jsonBody), http.StatusServiceUnavailable)
	if e.Error.Code != "busy" || !strings.Contains(e.Error.Message, "as many as this server runs at once") {
		t.Errorf("second script: %+v", e.Error)
	}
	decode[view.Matrix](t, get(t, s, "/v1/compare?technology=blockchain"), http.StatusOK)
	if code := <-done; code != http.StatusGatewayTimeout {
		t.Errorf("first script: %d, want 504", code)
	}
	if w := do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"g.V().Limit(1).All()"}`), jsonBody); w.Code != http.StatusOK {
		t.Errorf("after: %d %s", w.Code, w.Body)
	}
	codes := make(chan int, 6)
	for range cap(codes) {
		go func() {
			codes <- do(t, s, http.MethodPost, "/v1/query", []byte(`{"query":"g.V().Limit(3).All()"}`), jsonBody).Code
		}()
	}
	for range cap(codes) {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("short queries at once: one answered %d, want each in turn", code)
		}
	}
}

// TestLongNamesRefused: a name longer than any in the graph is a 400
// before it is looked up (a 900 KB name cost 7 s of edit distances).
func TestLongNamesRefused(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	long := strings.Repeat("x", 900<<10)
	for _, target := range []string{
		"/v1/nodes/" + long,
		"/v1/nodes/city/" + long,
		"/v1/plans?city=" + long,
		"/v1/cities?technology=" + long,
		"/v1/compare?technology=blockchain&cities=" + long,
		"/v1/search?q=" + long,
		"/v1/ask?q=" + url.QueryEscape("which cities use "+long+"?"),
	} {
		w := get(t, s, target)
		e := decode[errorBody](t, w, http.StatusBadRequest)
		if !strings.Contains(e.Error.Message, "no name in the graph is longer than") {
			t.Errorf("%.60s: %q", target, e.Error.Message)
		}
	}
	// Near misses still get suggestions.
	e := decode[errorBody](t, get(t, s, "/v1/plans?city=fuzhuo"), http.StatusNotFound)
	if len(e.Error.Suggestions) == 0 {
		t.Error("no suggestion for a typo")
	}
}

// TestHealthFromTheView: health counts the quads readers see, from the
// View, without scanning the store.
func TestHealthFromTheView(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	h := decode[struct {
		Status  string `json:"status"`
		Quads   int    `json:"quads"`
		Version string `json:"version"`
	}](t, get(t, s, "/v1/health"), http.StatusOK)
	v, err := s.store.View(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || h.Quads != v.Quads() || h.Quads == 0 || h.Version != v.Version {
		t.Errorf("health %+v; the View has %d quads, version %s", h, v.Quads(), v.Version)
	}
}

// TestStalledClientFreesItsSlot: a client that asks for a large answer
// and never reads it holds its heavy slot for the write timeout, not
// longer; before, eight clients doing so with /v1/export held every slot
// for 70 s.
func TestStalledClientFreesItsSlot(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxHeavy: 1, WriteTimeout: 500 * time.Millisecond, QueryTimeout: 5 * time.Second})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Serve(ctx, ln)
	// A receive buffer far smaller than the export, never read.
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	// 32 MB of answer: more than the socket buffers hold.
	body := `{"query":"var s = 'x'.repeat(4e6); for (var i = 0; i < 8; i++) g.Emit(s)"}`
	fmt.Fprintf(conn, "POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	time.Sleep(200 * time.Millisecond)
	base := "http://" + ln.Addr().String()
	busy := false
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/v1/ask?q=which+cities+use+blockchain")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			if !busy {
				t.Fatal("the slot was free at once: the answer fit in the socket buffers and tests nothing")
			}
			return
		}
		busy = true
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the stalled client still holds the only heavy slot after 10 s")
}

func readDataPlan(id string) ([]byte, error) {
	return os.ReadFile("../data/plans/" + id + ".yaml")
}

// TestServeWarmsBeforeTheFirstRequest: Serve builds the first View, and
// what search and ask build from it, without any request asking; until
// the View is there, health says "warming" with a 503 rather than make
// its caller wait for the build.
func TestServeWarmsBeforeTheFirstRequest(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	s.warming.Store(true) // as Serve sets it, before its warm-up has run
	w := get(t, s, "/v1/health")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), `"warming"`) || w.Header().Get("Retry-After") == "" {
		t.Fatalf("health while warming: %d %s", w.Code, w.Body)
	}
	if s.store.Warm() {
		t.Fatal("answering health built the View")
	}
	s.warming.Store(false)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(30 * time.Second); s.warming.Load() || !s.store.Warm(); {
		if time.Now().After(deadline) {
			t.Fatal("Serve did not build the first View within 30 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	v, _ := s.store.View(ctx)
	if !v.SearchIndexMade() || !v.Made(questionLexiconKey{}) {
		t.Error("the text index and the question lexicon were not built by the warm-up")
	}
	resp, err := http.Get("http://" + ln.Addr().String() + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("health once warm: %d", resp.StatusCode)
	}
}
