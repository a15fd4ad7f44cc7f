package server

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

var mentionColumns = []column[view.ScopedMention]{
	{"id", func(m view.ScopedMention) string { return m.ID }},
	{"technology", func(m view.ScopedMention) string { return m.Technology }},
	{"count", func(m view.ScopedMention) string { return strconv.FormatInt(m.Count, 10) }},
	{"qualifier", func(m view.ScopedMention) string { return m.Qualifier }},
	{"uncertain", func(m view.ScopedMention) string { return strconv.FormatBool(m.Uncertain) }},
	{"shared", func(m view.ScopedMention) string { return strconv.FormatBool(m.Shared) }},
	{"scope", func(m view.ScopedMention) string { return list(m.Scope) }},
	{"cities", func(m view.ScopedMention) string { return list(m.Cities) }},
	{"documents", func(m view.ScopedMention) string { return list(m.Documents) }},
	{"note", func(m view.ScopedMention) string { return m.Note }},
	{"source", func(m view.ScopedMention) string { return m.Evidence.Source }},
	{"section", func(m view.ScopedMention) string { return m.Evidence.Section }},
	{"summary", func(m view.ScopedMention) string { return m.Evidence.Summary }},
}

// mentions lists recorded mention counts by technology and city. A city's
// answer holds its own counts; totals shared with other cities only with
// include_shared=true, and an answer that left them out says so.
func (s *Server) mentions() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		tech, city, err := techAndCity(c, v)
		if err != nil {
			s.fail(c, err)
			return
		}
		shared, err := boolParam(c, "include_shared")
		if err != nil {
			s.fail(c, err)
			return
		}
		rows := v.CityMentions(tech, city, shared)
		notes := append(v.Coverage(view.MeasureFilter{City: city}, nil), mentionCoverage(v, tech, city, shared)...)
		tableWith(s, c, rows, mentionColumns, coverageFields(c, notes))
	}
}

// coverageNote is the graph's coverage note; the notes written here join
// its list.
type coverageNote = view.CoverageNote

// Statuses of coverage notes written here.
const (
	// sharedOnly: counts that cover the city together with others were
	// left out of its answer (include_shared=true lists them).
	sharedOnly = "shared_only"
)

// mentionCoverage is the note an answer carries when it left out counts
// shared with other cities; nil when it left out nothing.
func mentionCoverage(v *view.View, tech, city string, shared bool) []coverageNote {
	if city == "" || shared {
		return nil
	}
	var left []string
	for _, m := range v.CityMentions(tech, city, true) {
		if m.Shared {
			left = append(left, m.ID)
		}
	}
	if len(left) == 0 {
		return nil
	}
	return []coverageNote{{City: city, Status: sharedOnly, Mentions: left, Note: strconv.Itoa(len(left)) +
		" count(s) over several places' documents together also cover " + city +
		"; they are not its own count; add include_shared=true to list them, marked shared with their scope"}}
}

// coverageField is the JSON field for notes; nil when there are none.
func coverageField(notes []coverageNote) gin.H {
	if len(notes) == 0 {
		return nil
	}
	return gin.H{"coverage": notes}
}

// boolParam reads a true/false query parameter; absent is false.
func boolParam(c *gin.Context, name string) (bool, error) {
	switch raw := c.Query(name); raw {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, badRequest("bad %s %q: use true or false", name, raw)
	}
}

// techAndCity reads the technology and city parameters.
func techAndCity(c *gin.Context, v *view.View) (tech, city string, err error) {
	if tech, err = entity(c, v, "technology", schema.Technology); err != nil {
		return "", "", err
	}
	city, err = entity(c, v, "city", schema.City)
	return tech, city, err
}
