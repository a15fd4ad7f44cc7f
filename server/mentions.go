package server

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/schema"
)

var mentionColumns = []column[*graph.Mention]{
	{"id", func(m *graph.Mention) string { return m.ID }},
	{"technology", func(m *graph.Mention) string { return m.Technology }},
	{"count", func(m *graph.Mention) string { return strconv.FormatInt(m.Count, 10) }},
	{"qualifier", func(m *graph.Mention) string { return m.Qualifier }},
	{"uncertain", func(m *graph.Mention) string { return strconv.FormatBool(m.Uncertain) }},
	{"cities", func(m *graph.Mention) string { return list(m.Cities) }},
	{"documents", func(m *graph.Mention) string { return list(m.Documents) }},
	{"note", func(m *graph.Mention) string { return m.Note }},
	{"source", func(m *graph.Mention) string { return m.Evidence.Source }},
	{"section", func(m *graph.Mention) string { return m.Evidence.Section }},
	{"summary", func(m *graph.Mention) string { return m.Evidence.Summary }},
}

// mentions lists recorded mention counts by technology and city.
func (s *Server) mentions() gin.HandlerFunc {
	return withCoverage(s, mentionColumns, func(c *gin.Context, v *graph.View) ([]*graph.Mention, []graph.CoverageNote, error) {
		tech, city, err := techAndCity(c, v)
		if err != nil {
			return nil, nil, err
		}
		return v.MentionsOf(tech, city), v.Coverage(graph.MeasureFilter{City: city}, nil), nil
	})
}

// techAndCity reads the technology and city parameters.
func techAndCity(c *gin.Context, v *graph.View) (tech, city string, err error) {
	if tech, err = entity(c, v, "technology", schema.Technology); err != nil {
		return "", "", err
	}
	city, err = entity(c, v, "city", schema.City)
	return tech, city, err
}
