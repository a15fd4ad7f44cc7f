package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/policygraph/policygraph/view"
)

// Notebooks ask the same questions in loops. An answer is a pure function
// of the request and the graph's version, so the encoded answers of the
// read-only questions are kept per version: a repeated question costs a
// map lookup instead of a query and a JSON encoding, and any write (here
// or, on a shared store, in another process) changes the version and so
// retires every kept answer.
//
// Answers are bounded in number and in bytes: the big answers (every city
// of a national corpus with its measures: 62 KB at size L, more for the
// broadest questions) are the ones most worth keeping, so the limit per
// answer is generous and the total is what keeps memory in check.
const (
	// DefaultAnswerCache is how many answers are kept at most.
	DefaultAnswerCache = 1024
	// answerBudget bounds the bytes of all kept answers together.
	answerBudget = 64 << 20
	// maxCachedAnswer is the largest answer kept.
	maxCachedAnswer = 4 << 20
)

// viewKey is where cached() leaves the View the answer was made from.
const viewKey = "policygraph.view"

type answer struct {
	version string
	status  int
	header  http.Header
	body    []byte
	// gzipped is body compressed once, for the clients that accept it
	// (Python's requests and browsers do by default); nil when small.
	gzipped []byte
	// The Content-Length values of body and gzipped, made once: a kept
	// answer is sent with as little work per request as possible.
	bodyLength, gzippedLength []string
}

// answerKey is what an answer depends on besides the graph's version:
// the request's URI, and Accept, which can choose the format.
type answerKey struct{ uri, accept string }

// varyEncoding is the Vary value of every answer that may be gzipped;
// its capacity is its length, so a later Add copies rather than shares.
var varyEncoding = []string{"Accept-Encoding"}[:1:1]

var gzipEncoding = []string{"gzip"}[:1:1]

// size is what the answer holds in memory.
func (a *answer) size() int64 { return int64(len(a.body) + len(a.gzipped)) }

// gzipAbove is the smallest body worth compressing: below it the header
// and the work cost more than the bytes saved.
const gzipAbove = 1 << 10

// compress returns body gzipped, or nil when that does not pay.
func compress(body []byte) []byte {
	if len(body) < gzipAbove {
		return nil
	}
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed) // only fails for a bad level
	zw.Write(body)
	zw.Close()
	if b.Len() >= len(body) {
		return nil
	}
	return b.Bytes()
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip: by
// name, or by "*" when gzip is not named; "q=0" refuses (RFC 9110 12.5.3).
func acceptsGzip(header string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		ok := true
		for p := range strings.SplitSeq(params, ";") {
			name, value, _ := strings.Cut(p, "=")
			if strings.EqualFold(strings.TrimSpace(name), "q") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil && q == 0 {
					ok = false
				}
			}
		}
		if coding == "gzip" {
			return ok
		}
		star = ok
	}
	return star
}

// answers is an LRU of encoded answers bounded by count and by bytes.
type answers struct {
	mu     sync.Mutex // serialises adds, so bytes matches what is kept
	lru    *lru.Cache[answerKey, *answer]
	bytes  int64 // bodies, plain and gzipped
	budget int64
}

func newAnswers(n int, budget int64) *answers {
	if n < 0 {
		return nil
	}
	if n == 0 {
		n = DefaultAnswerCache
	}
	a := &answers{budget: budget}
	c, err := lru.NewWithEvict(n, func(_ answerKey, v *answer) { a.bytes -= v.size() })
	if err != nil {
		panic(err) // only for n <= 0, excluded above
	}
	a.lru = c
	return a
}

func (a *answers) Get(key answerKey) (*answer, bool) { return a.lru.Get(key) }

// Len is how many answers are kept.
func (a *answers) Len() int { return a.lru.Len() }

// Bytes is the size of the kept answers' bodies.
func (a *answers) Bytes() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.bytes
}

// Add keeps v under key and drops the least recently used answers until
// the bodies fit the budget.
func (a *answers) Add(key answerKey, v *answer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	// Replacing a key does not call the eviction hook: count the old body out.
	if old, ok := a.lru.Peek(key); ok {
		a.bytes -= old.size()
	}
	a.lru.Add(key, v) // may evict the oldest, which counts itself out
	a.bytes += v.size()
	for a.bytes > a.budget {
		if _, _, ok := a.lru.RemoveOldest(); !ok {
			break
		}
	}
}

// view is the View a request answers from: the one cached() chose, so the
// answer is kept under the version it was made from.
func (s *Server) view(c *gin.Context) (*view.View, error) {
	if v, ok := c.Get(viewKey); ok {
		return v.(*view.View), nil
	}
	return s.store.View(c.Request.Context())
}

// cached answers a GET from the kept answers when the graph's version is
// the one the answer was made for, and keeps successful answers.
func (s *Server) cached() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.answers == nil {
			return
		}
		v, err := s.view(c) // as_of's, when asked for
		if err != nil {
			s.fail(c, err)
			c.Abort()
			return
		}
		h := c.Writer.Header()
		if _, set := h["Vary"]; set {
			h.Add("Vary", "Accept-Encoding")
		} else {
			h["Vary"] = varyEncoding
		}
		uri := c.Request.RequestURI // as sent: no work to rebuild it
		if uri == "" {
			uri = c.Request.URL.RequestURI()
		}
		key := answerKey{uri, c.GetHeader("Accept")}
		if a, ok := s.answers.Get(key); ok && a.version == v.Version {
			for k, vs := range a.header {
				h[k] = vs
			}
			body, length := a.body, a.bodyLength
			if a.gzipped != nil && acceptsGzip(c.GetHeader("Accept-Encoding")) {
				body, length = a.gzipped, a.gzippedLength
				h["Content-Encoding"] = gzipEncoding
			}
			h["Content-Length"] = length
			c.Writer.WriteHeader(a.status)
			c.Writer.Write(body)
			c.Abort()
			return
		}
		c.Set(viewKey, v)
		// Only what the handler adds is kept: headers set before it (CORS)
		// depend on the caller, not the answer.
		before := map[string]bool{}
		for k := range c.Writer.Header() {
			before[k] = true
		}
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		c.Next()
		if rec.Status() != http.StatusOK || rec.overflow || len(c.Errors) > 0 {
			return
		}
		body := bytes.Clone(rec.buf.Bytes())
		a := &answer{version: v.Version, status: http.StatusOK, header: http.Header{}, body: body, gzipped: compress(body)}
		a.bodyLength = []string{strconv.Itoa(len(a.body))}[:1:1]
		a.gzippedLength = []string{strconv.Itoa(len(a.gzipped))}[:1:1]
		for k, vs := range rec.Header() {
			if !before[k] {
				// Sent to every later hit: no spare capacity a later Add could write into.
				a.header[k] = vs[:len(vs):len(vs)]
			}
		}
		s.answers.Add(key, a)
	}
}

// recorder copies what a handler writes, up to maxCachedAnswer bytes.
type recorder struct {
	gin.ResponseWriter
	buf      bytes.Buffer
	overflow bool
}

func (r *recorder) Write(b []byte) (int, error) {
	r.keep(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.keep([]byte(s))
	return r.ResponseWriter.WriteString(s)
}

func (r *recorder) keep(b []byte) {
	if r.overflow {
		return
	}
	if r.buf.Len()+len(b) > maxCachedAnswer {
		r.overflow = true
		r.buf = bytes.Buffer{}
		return
	}
	r.buf.Write(b)
}
