package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
)

// apiError is an error a client sees: a status, a stable code and a message.
type apiError struct {
	Status      int      `json:"-"`
	Code        string   `json:"code"`
	Message     string   `json:"message"`
	Suggestions []string `json:"suggestions,omitempty"`
	// Forms lists the questions /v1/ask understands, on 422.
	Forms []string `json:"forms,omitempty"`
	// Errors lists every problem of an uploaded document, on 422.
	Errors []fieldError `json:"errors,omitempty"`
	// MoreErrors counts the problems past those listed in Errors.
	MoreErrors int `json:"more_errors,omitempty"`
	// Referrers lists the links that keep a document from being deleted, on 409.
	Referrers []referrer `json:"referrers,omitempty"`
}

// referrer is one link from another document, as a 409 lists it.
type referrer struct {
	Document  string `json:"document"`
	Node      string `json:"node"`
	Predicate string `json:"predicate"`
	Target    string `json:"target"`
	Relation  bool   `json:"relation"`
}

func (e *apiError) Error() string { return e.Message }

func badRequest(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "bad_request", Message: fmt.Sprintf(format, args...)}
}

func notFound(suggestions []string, format string, args ...any) *apiError {
	if suggestions == nil {
		suggestions = []string{}
	}
	return &apiError{Status: http.StatusNotFound, Code: "not_found", Message: fmt.Sprintf(format, args...), Suggestions: suggestions}
}

// fail answers c with err in the one error envelope. Errors that are not
// apiErrors are classified here, and only here: a deadline is 504, a
// query the engine rejects is 400, anything else a logged 500.
func (s *Server) fail(c *gin.Context, err error) {
	var ae *apiError
	var qe *graph.QueryError
	var conflict *graph.IDConflictError
	var referenced *graph.ReferencedError
	var dangling *graph.DanglingError
	switch {
	case errors.As(err, &ae):
	case errors.Is(err, context.DeadlineExceeded):
		ae = &apiError{Status: http.StatusGatewayTimeout, Code: "timeout", Message: "the query ran past its time limit and was stopped"}
	case errors.Is(err, graph.ErrQueryMemory):
		ae = &apiError{Status: http.StatusUnprocessableEntity, Code: "query_memory", Message: err.Error()}
	case errors.Is(err, graph.ErrStale):
		ae = &apiError{Status: http.StatusPreconditionFailed, Code: "stale_version", Message: "the document changed since the version in If-Match; fetch it again"}
	case errors.Is(err, graph.ErrExists):
		ae = &apiError{Status: http.StatusPreconditionFailed, Code: "exists", Message: "the plan exists and If-None-Match: * asked to create it only; send If-Match with its version to replace it"}
	case errors.Is(err, graph.ErrNoDocument):
		ae = notFound(nil, "no such document")
	case errors.Is(err, graph.ErrUnavailable):
		// Before query errors: a query that failed for want of the store
		// is no mistake of the client's, and the store's message names
		// its address and SQL, which only the log may see.
		c.Header("Retry-After", "2")
		ae = &apiError{Status: http.StatusServiceUnavailable, Code: "store_unavailable", Message: "the graph store cannot be reached; try again shortly"}
		s.log.Warn("store unavailable", "path", c.Request.URL.Path, "err", err)
	case errors.As(err, &qe):
		ae = &apiError{Status: http.StatusBadRequest, Code: "query_error", Message: qe.Error()}
	case errors.Is(err, graph.ErrNoSpace):
		ae = &apiError{Status: http.StatusInsufficientStorage, Code: "no_space", Message: "the graph store has no disk space left for this write; nothing of it was kept, and it can be sent again once space is freed"}
		s.log.Error("store out of space", "path", c.Request.URL.Path, "err", err)
	case errors.Is(err, graph.ErrNotUTF8):
		ae = badRequest("%s", err.Error())
	case errors.As(err, &referenced):
		ae = &apiError{Status: http.StatusConflict, Code: "referenced", Message: referenced.Error() + " (?cascade=relations removes related entries)"}
		for _, r := range referenced.Referrers {
			ae.Referrers = append(ae.Referrers, referrer{Document: r.Document, Node: r.Node, Predicate: r.Predicate, Target: r.Target, Relation: r.Relation})
		}
	case errors.As(err, &dangling):
		ae = &apiError{Status: http.StatusConflict, Code: "dangling_link", Message: dangling.Error()}
	case errors.As(err, &conflict):
		ae = &apiError{Status: http.StatusConflict, Code: "id_conflict", Message: conflict.Error()}
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this answer.
		ae = &apiError{Status: 499, Code: "canceled", Message: "request canceled"}
	default:
		s.log.Error("internal error", "path", c.Request.URL.Path, "err", err)
		ae = &apiError{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error; the server log has the details"}
	}
	c.AbortWithStatusJSON(ae.Status, gin.H{"error": ae})
}

// recovery turns a panic into a logged 500 without Go internals in the body.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "path", c.Request.URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				if !c.Writer.Written() {
					c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": &apiError{Code: "internal", Message: "internal error; the server log has the details"}})
				}
			}
		}()
		c.Next()
	}
}
