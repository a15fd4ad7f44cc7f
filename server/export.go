package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
)

var exportTypes = map[string]string{
	graph.NQuads: "application/n-quads; charset=utf-8",
	graph.JSONLD: "application/ld+json",
}

// export streams the whole graph as N-Quads (sorted) or JSON-LD.
func (s *Server) export() gin.HandlerFunc {
	return func(c *gin.Context) {
		format := c.DefaultQuery("format", graph.NQuads)
		if !slices.Contains(graph.ExportFormats, format) {
			s.fail(c, badRequest("unknown format %q: use %s", format, strings.Join(graph.ExportFormats, " or ")))
			return
		}
		// Read everything first so that a failure is still a clean error
		// answer rather than a cut stream.
		var qs []quad.Quad
		if _, past := asOf(c); past {
			v, err := s.view(c)
			if err != nil {
				s.fail(c, err)
				return
			}
			qs = graph.ViewQuads(v)
		} else {
			var err error
			if qs, err = s.store.AllQuads(c.Request.Context()); err != nil {
				s.fail(c, err)
				return
			}
		}
		c.Header("Content-Type", exportTypes[format])
		c.Status(http.StatusOK)
		if err := graph.WriteQuads(c.Writer, qs, format); err != nil {
			s.log.Warn("export cut short", "err", err)
		}
	}
}
