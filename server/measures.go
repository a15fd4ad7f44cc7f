package server

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
)

var measureColumns = []column[*graph.Measure]{
	{"id", func(m *graph.Measure) string { return m.ID }},
	{"title", func(m *graph.Measure) string { return m.Title }},
	{"kind", func(m *graph.Measure) string { return m.Kind }},
	{"city", func(m *graph.Measure) string { return m.City }},
	{"plan", func(m *graph.Measure) string { return m.Plan }},
	{"technologies", func(m *graph.Measure) string {
		parts := make([]string, len(m.Technologies))
		for i, t := range m.Technologies {
			parts[i] = t.Technology + ":" + string(t.Basis)
		}
		return strings.Join(parts, ";")
	}},
	{"domains", func(m *graph.Measure) string { return list(m.Domains) }},
	{"supported_by", func(m *graph.Measure) string { return list(m.SupportedBy) }},
	{"support", func(m *graph.Measure) string { return list(m.Support) }},
	{"context", func(m *graph.Measure) string { return m.Context }},
	{"source", func(m *graph.Measure) string { return m.Evidence.Source }},
	{"section", func(m *graph.Measure) string { return m.Evidence.Section }},
	{"summary", func(m *graph.Measure) string { return m.Evidence.Summary }},
}

// measures lists measures by city, plan, technology, domain and basis.
func (s *Server) measures() gin.HandlerFunc {
	return rowsHandler(s, measureColumns, func(c *gin.Context, v *graph.View) ([]*graph.Measure, error) {
		f, err := measureFilter(c, v)
		return v.FindMeasures(f), err
	})
}
