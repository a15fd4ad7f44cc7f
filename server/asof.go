package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
)

const asOfKey = "policygraph.as_of"

// asOfView answers a read with as_of=TIMESTAMP (RFC 3339) from the graph
// as it was then: the View of that moment is left where s.view finds it,
// so every handler reading the View answers as of then unchanged. The
// routes that take as_of are those openapi.json lists it on; knownParams
// refuses it elsewhere.
func (s *Server) asOfView() gin.HandlerFunc {
	return func(c *gin.Context) {
		raw, ok := c.GetQuery("as_of")
		if !ok {
			c.Next()
			return
		}
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			s.fail(c, badRequest("bad as_of %q: give a time in RFC 3339, e.g. 2026-12-01T10:00:00Z", raw))
			return
		}
		// Building a past View reads the whole store: bounded like any
		// request's work, though it runs before the route's own bound.
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.QueryTimeout)
		v, err := s.store.ViewAsOf(ctx, t)
		cancel()
		var before *graph.BeforeHistoryError
		if errors.As(err, &before) {
			s.fail(c, &apiError{Status: http.StatusNotFound, Code: "before_history", Message: before.Error()})
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Set(viewKey, v)
		c.Set(asOfKey, t)
		c.Next()
	}
}

// asOf is the request's as_of time, if it has one.
func asOf(c *gin.Context) (time.Time, bool) {
	t, ok := c.Get(asOfKey)
	if !ok {
		return time.Time{}, false
	}
	return t.(time.Time), true
}

// planAsOf answers GET /v1/plans/{id}?as_of=T: the plan document as it
// was then, its version in X-Version. It has no ETag: a past version is
// no basis for a conditional write.
func (s *Server) planAsOf(c *gin.Context, id string, t time.Time) {
	vs, err := s.store.History(c.Request.Context(), "plan/"+id)
	if err != nil {
		s.fail(c, err)
		return
	}
	at, ok := graph.VersionAt(vs, t)
	v, verr := s.view(c)
	if verr != nil {
		s.fail(c, verr)
		return
	}
	p := v.Plan(id)
	if p == nil || ok && at.Deleted() {
		s.fail(c, notFound(nil, "plan %q did not exist as of %s", id, t.UTC().Format(time.RFC3339)))
		return
	}
	c.Header("Vary", "Accept")
	var src []byte
	if ok {
		if src, err = s.store.VersionSource(c.Request.Context(), at); err != nil {
			s.fail(c, err)
			return
		}
		c.Header("X-Version", at.Hash)
	} else if doc, stored, err := s.store.DocumentSource(c.Request.Context(), "plan/"+id); err != nil {
		s.fail(c, err)
		return
	} else if stored {
		src = doc.Source // stored before history was kept, never written since
	}
	s.planDocument(c, id, src)
}
