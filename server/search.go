package server

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/schema"
)

var searchColumns = []column[graph.SearchHit]{
	{"type", func(h graph.SearchHit) string { return string(h.Type) }},
	{"id", func(h graph.SearchHit) string { return h.ID }},
	{"name", func(h graph.SearchHit) string { return h.Name }},
	{"matched", func(h graph.SearchHit) string { return h.Matched }},
	{"match", func(h graph.SearchHit) string { return h.Match }},
}

// search finds entities by any name or alias, best first; type= narrows
// it to a comma-separated list of types.
func (s *Server) search() gin.HandlerFunc {
	return rowsHandler(s, searchColumns, func(c *gin.Context, v *graph.View) ([]graph.SearchHit, error) {
		q := strings.TrimSpace(c.Query("q"))
		if q == "" {
			return nil, badRequest("missing q: the text to search for")
		}
		// No name contains a text longer than itself.
		if err := checkName(v, "q", q); err != nil {
			return nil, err
		}
		names, err := listParam(c, "type", len(schema.Types))
		if err != nil {
			return nil, err
		}
		var types []schema.Type
		for _, t := range names {
			if !validType(t) {
				return nil, badRequest("bad type %q: use %s", t, typeList())
			}
			types = append(types, schema.Type(t))
		}
		return v.Search(q, types), nil
	})
}

func validType(t string) bool {
	for _, known := range schema.Types {
		if string(known) == t {
			return true
		}
	}
	return false
}
