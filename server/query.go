package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
)

// Limits of /v1/query results.
const (
	defaultQueryLimit = 1000
	maxQueryLimit     = 100000
)

type queryRequest struct {
	Language string          `json:"language"`
	Query    string          `json:"query"`
	Limit    *int            `json:"limit"`
	Timeout  json.RawMessage `json:"timeout"`
}

// parseTimeout reads a timeout given as seconds (2.5) or a Go duration ("2500ms").
func parseTimeout(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var d time.Duration
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		d, err = time.ParseDuration(s)
		if err != nil {
			return 0, badRequest("bad timeout %q: write seconds (2.5) or a duration (\"2500ms\")", s)
		}
	} else {
		secs, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return 0, badRequest("bad timeout %s: write seconds (2.5) or a duration (\"2500ms\")", raw)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return 0, badRequest("bad timeout %s: it must be positive", raw)
	}
	return d, nil
}

// tooLarge is the answer to a body over MaxBodyBytes.
var tooLarge = &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "request body is over 1 MiB"}

// decodeJSON reads a JSON body into dst: a body over the limit is a 413,
// one that is not UTF-8 a 400 naming the byte, before it is decoded.
func decodeJSON(c *gin.Context, dst any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return badRequest("bad JSON body: %v", err)
	}
	return nil
}

// query runs Gizmo or GraphQL through Cayley's own engines.
func (s *Server) query() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req queryRequest
		if err := decodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
		if req.Language == "" {
			req.Language = "gizmo"
		}
		if !slices.Contains(graph.Languages, req.Language) {
			s.fail(c, badRequest("unknown language %q: use %s", req.Language, strings.Join(graph.Languages, " or ")))
			return
		}
		if strings.TrimSpace(req.Query) == "" {
			s.fail(c, badRequest("missing query"))
			return
		}
		limit := defaultQueryLimit
		if req.Limit != nil {
			if *req.Limit < 1 || *req.Limit > maxQueryLimit {
				s.fail(c, badRequest("bad limit %d: want 1 to %d", *req.Limit, maxQueryLimit))
				return
			}
			limit = *req.Limit
		}
		timeout, err := parseTimeout(req.Timeout)
		if err != nil {
			s.fail(c, err)
			return
		}
		ctx := c.Request.Context()
		// A request may shorten the server's limit, never extend it: the
		// request context already carries --query-timeout.
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		if _, past := asOf(c); past {
			v, err := s.view(c)
			if err != nil {
				s.fail(c, err)
				return
			}
			ctx = graph.WithView(ctx, v)
		}
		res, truncated, err := s.store.Query(ctx, req.Language, req.Query, limit)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"result": res, "count": len(res), "truncated": truncated, "limit": limit})
	}
}
