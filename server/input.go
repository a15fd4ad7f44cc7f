package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/policygraph/policygraph/view"
)

// checkQuery refuses a query string with malformed percent-encoding,
// naming the parameter: Go's parser drops such a pair silently, and a
// dropped filter answers as if it had not been asked (city=%ZZ gave every
// row).
func (s *Server) checkQuery() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkQueryString(c.Request.URL.RawQuery); err != nil {
			s.fail(c, err)
			return
		}
		c.Next()
	}
}

func checkQueryString(raw string) error {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(key)
		if err != nil {
			return badRequest("bad percent-encoding in the name of query parameter %q: %v", key, unescapeReason(err))
		}
		if _, err := url.QueryUnescape(value); err != nil {
			return badRequest("bad percent-encoding in query parameter %s: %v", name, unescapeReason(err))
		}
		if strings.Contains(pair, ";") {
			return badRequest("query parameter %s holds a semicolon: separate parameters with & and write ; as %%3B", name)
		}
	}
	return nil
}

func unescapeReason(err error) string {
	var ee url.EscapeError
	if errors.As(err, &ee) {
		return "invalid escape " + string(ee)
	}
	return err.Error()
}

// Content types a body may have. A browser sends text/plain, form
// encodings and multipart across sites without asking first (a "simple"
// request); requiring these types means no page elsewhere can make a
// visitor's browser run a query or a write here.
var (
	jsonTypes = []string{"application/json"}
	planTypes = []string{"application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}
)

// requireType answers 415 unless the body's Content-Type is one of types.
func (s *Server) requireType(types ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ct := c.GetHeader("Content-Type")
		mt, _, err := mime.ParseMediaType(ct)
		if ct == "" || err != nil || !contains(types, mt) {
			got := "no Content-Type"
			if ct != "" {
				got = "Content-Type " + ct
			}
			s.fail(c, &apiError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
				Message: got + ": send the body as " + strings.Join(types, " or ")})
			return
		}
		c.Next()
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// readBody reads the whole request body: one over the limit is a 413,
// one not received within the read deadline a 408, and one that is not
// UTF-8 a 400 naming the first bad byte, before anything reads it.
func readBody(c *gin.Context) ([]byte, error) {
	// The server's ReadTimeout is generous (30 s) for slow links; a body
	// still arriving when the request's own time is up is not waited for.
	rc := http.NewResponseController(c.Writer)
	if dl, ok := c.Request.Context().Deadline(); ok {
		if rc.SetReadDeadline(dl) == nil {
			defer rc.SetReadDeadline(time.Time{})
		}
	}
	var b []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Request.Body.Read(buf)
		b = append(b, buf[:n]...)
		if err == nil {
			continue
		}
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return nil, tooLarge
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil, &apiError{Status: http.StatusRequestTimeout, Code: "body_timeout",
				Message: "the request body did not arrive within the time limit"}
		case errors.Is(err, io.EOF):
			if off := invalidUTF8(b); off >= 0 {
				return nil, badRequest("the body is not valid UTF-8: byte %d (0x%02x) is not part of a UTF-8 character", off, b[off])
			}
			return b, nil
		default:
			return nil, err
		}
	}
}

// invalidUTF8 is the offset of the first byte of b that is not UTF-8, or -1.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// ifMatch reads an If-Match version, with or without quotes. A header
// that is present but names no version is a 400: it would otherwise be
// read as no condition, and write unconditionally.
func ifMatch(c *gin.Context) (string, error) {
	vals, present := c.Request.Header["If-Match"]
	if !present {
		return "", nil
	}
	v := strings.Trim(strings.TrimPrefix(strings.TrimSpace(strings.Join(vals, ",")), "W/"), `"`)
	if strings.TrimSpace(v) == "" {
		return "", badRequest(`empty If-Match: send the version from the plan's ETag, or no If-Match to write unconditionally`)
	}
	return v, nil
}

// ifNoneMatchAny reads If-None-Match on a write: "*" makes it create-only
// (RFC 9110 13.1.2); a write conditioned on versions it must not match is
// not something a plan editor needs, and is refused rather than ignored.
func ifNoneMatchAny(c *gin.Context) (bool, error) {
	vals, present := c.Request.Header["If-None-Match"]
	if !present {
		return false, nil
	}
	if v := strings.TrimSpace(strings.Join(vals, ",")); v != "*" {
		return false, badRequest("If-None-Match %q: a write takes only If-None-Match: * (create, never replace)", v)
	}
	return true, nil
}

// nameSlack is how much longer than the longest name a name may be and
// still be looked up: plural endings and small typos get suggestions.
const nameSlack = 8

// checkName refuses a name no entity can have before it is looked up: a
// lookup computes edit distances to every name, so its cost grows with
// the length of what was sent (a 900 KB name cost 7 s of CPU).
func checkName(v *view.View, param, name string) error {
	if longest := v.LongestName(); len(name) > longest+nameSlack {
		return badRequest("%s is %d bytes long; no name in the graph is longer than %d", param, len(name), longest)
	}
	return nil
}
