package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// fieldError is one problem in an uploaded document.
type fieldError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

var planID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// requireWriter lets a request through only with the configured token.
// Writes are off without one; the token is compared in constant time.
func (s *Server) requireWriter() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.cfg.WriteToken == "" {
			s.fail(c, &apiError{Status: http.StatusForbidden, Code: "writes_disabled",
				Message: "writes are disabled: start the server with --write-token (or POLICYGRAPH_WRITE_TOKEN) to allow them"})
			return
		}
		got, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.WriteToken)) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="policygraph"`)
			s.fail(c, &apiError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "a write needs Authorization: Bearer <token>"})
			return
		}
		c.Next()
	}
}

// catalog is the graph's ids outside one document's own graph.
type catalog struct {
	v     *graph.View
	graph string
}

func (c catalog) IDs(t schema.Type) []string { return c.v.IDsOutside(t, c.graph) }

func pathPlanID(c *gin.Context) (string, error) {
	id := c.Param("id")
	if !planID.MatchString(id) {
		return "", badRequest("bad plan id %q: use lower-case letters, digits and single hyphens", id)
	}
	return id, nil
}

// putPlan creates or replaces one plan document, validated like a data
// file, in one transaction.
func (s *Server) putPlan() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathPlanID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		body, err := readBody(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		match, err := ifMatch(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if err := checkYAMLShape(body); err != nil {
			s.fail(c, badRequest("%v", err))
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		doc, err := loader.ParsePlan("request body", body, id, catalog{v, "plan/" + id})
		var verrs loader.Errors
		if errors.As(err, &verrs) {
			s.fail(c, invalidDocument(verrs))
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		res, err := s.store.PutDocument(c.Request.Context(), doc, match)
		if err != nil {
			s.fail(c, err)
			return
		}
		s.refresh(c)
		status := http.StatusOK
		if res.Created {
			status = http.StatusCreated
		}
		c.Header("ETag", `"`+res.Version+`"`)
		c.JSON(status, gin.H{"plan": id, "version": res.Version, "created": res.Created, "quads": len(doc.Quads)})
	}
}

// maxListedErrors is how many problems of a document an answer lists;
// the rest are counted. A body of a megabyte of bad list items has
// hundreds of thousands, and listing them all made answers of 275 MB.
const maxListedErrors = 100

// invalidDocument is the 422 for a document's problems: the first
// maxListedErrors of them, and how many more there are.
func invalidDocument(verrs loader.Errors) *apiError {
	shown := verrs[:min(len(verrs), maxListedErrors)]
	fes := make([]fieldError, len(shown))
	for i, e := range shown {
		fes[i] = fieldError{Line: e.Line, Column: e.Col, Field: e.Field, Message: e.Msg}
	}
	msg := shown[0].Error()
	if len(verrs) > 1 {
		msg = fmt.Sprintf("%d problems in the document; the first: %s", len(verrs), msg)
	}
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_document",
		Message: msg, Errors: fes, MoreErrors: len(verrs) - len(shown)}
}

// refresh waits for the View of what a write just stored, so that its
// writer's next question sees it; other readers keep the previous View
// until then. The write stands either way: a failure is only logged.
func (s *Server) refresh(c *gin.Context) {
	// Not cut short by the request's deadline: the write is done, and a
	// build abandoned halfway would leave the writer reading the old View.
	if _, err := s.store.Fresh(context.WithoutCancel(c.Request.Context())); err != nil {
		s.log.Warn("view after write", "err", err)
	}
}

// deletePlan removes one plan document in one transaction.
func (s *Server) deletePlan() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathPlanID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		match, err := ifMatch(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if err := s.store.DeleteDocument(c.Request.Context(), "plan/"+id, match); err != nil {
			s.fail(c, err)
			return
		}
		s.refresh(c)
		c.JSON(http.StatusOK, gin.H{"plan": id, "deleted": true})
	}
}

// plan answers one plan with its version, for conditional writes.
func (s *Server) plan() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathPlanID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		p := v.Plan(id)
		if p == nil {
			ids := v.IDsOutside(schema.Plan, "")
			s.fail(c, notFound(schema.Suggest(id, ids, 3), "unknown plan %q", id))
			return
		}
		ver, err := s.store.DocumentVersion(c.Request.Context(), "plan/"+id)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Header("ETag", `"`+ver+`"`)
		c.JSON(http.StatusOK, gin.H{"plan": p, "version": ver})
	}
}
