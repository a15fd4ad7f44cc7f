package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
)

// queryParams is, per "METHOD /openapi/path", the query parameters that
// openapi.json documents. The document is the one list: a parameter a
// handler reads but the document omits is refused, so the two cannot drift
// apart unnoticed (TestEveryDocumentedParameterIsAccepted checks the rest).
var queryParams = sync.OnceValue(func() map[string][]string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		// The document is embedded at build time; a test decodes it too.
		panic(fmt.Sprintf("openapi.json: %v", err))
	}
	out := map[string][]string{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op struct {
				Parameters []struct {
					Name string `json:"name"`
					In   string `json:"in"`
				} `json:"parameters"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue // not an operation (e.g. a shared "parameters" list)
			}
			names := []string{}
			for _, p := range op.Parameters {
				if p.In == "query" {
					names = append(names, p.Name)
				}
			}
			sort.Strings(names)
			out[strings.ToUpper(method)+" "+path] = names
		}
	}
	return out
})

// openapiPath turns a gin route pattern (/v1/plans/:id, /assets/*filepath)
// into the OpenAPI form (/v1/plans/{id}).
func openapiPath(route string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// knownParams refuses a request naming a query parameter its route does not
// take, so that a misspelt filter (domian=finance) is a 400 naming it and
// the closest known one, never an unfiltered answer that looks filtered.
func (s *Server) knownParams() gin.HandlerFunc {
	return func(c *gin.Context) {
		known, ok := queryParams()[c.Request.Method+" "+openapiPath(c.FullPath())]
		if !ok {
			// HEAD and OPTIONS (CORS) take what GET takes, or nothing.
			known, ok = queryParams()["GET "+openapiPath(c.FullPath())]
		}
		if !ok {
			c.Next()
			return
		}
		var unknown []string
		for name := range c.Request.URL.Query() {
			if !containsString(known, name) {
				unknown = append(unknown, name)
			}
		}
		if len(unknown) == 0 {
			c.Next()
			return
		}
		sort.Strings(unknown)
		s.fail(c, unknownParameter(c.FullPath(), unknown, known))
		c.Abort()
	}
}

func unknownParameter(route string, unknown, known []string) *apiError {
	var sugg []string
	var hints []string
	for _, u := range unknown {
		if best := closestParam(u, known); best != "" {
			sugg = append(sugg, best)
			hints = append(hints, fmt.Sprintf("%q (did you mean %q?)", u, best))
		} else {
			hints = append(hints, fmt.Sprintf("%q", u))
		}
	}
	list := "none"
	if len(known) > 0 {
		list = strings.Join(known, ", ")
	}
	noun := "parameter"
	if len(unknown) > 1 {
		noun = "parameters"
	}
	if sugg == nil {
		sugg = []string{}
	}
	return &apiError{Status: http.StatusBadRequest, Code: "unknown_parameter",
		Message:     fmt.Sprintf("unknown query %s %s on %s; it takes: %s", noun, strings.Join(hints, ", "), route, list),
		Suggestions: sugg}
}

// closestParam is the known parameter nearest to name: by edit distance
// (schema.Suggest, as for entity names), else the longest shared prefix of
// at least three letters, which catches plural slips (cities → city).
func closestParam(name string, known []string) string {
	if s := schema.Suggest(name, known, 1); len(s) > 0 {
		return s[0]
	}
	best, bestLen := "", 2
	ln := strings.ToLower(name)
	for _, k := range known {
		n := 0
		for n < len(ln) && n < len(k) && ln[n] == k[n] {
			n++
		}
		if n > bestLen {
			best, bestLen = k, n
		}
	}
	return best
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
