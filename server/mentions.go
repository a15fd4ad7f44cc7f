package server

import (
	"strconv"
	"strings"

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
// include_shared=true, and an answer that left them out says so. With
// in_force, published_after or published_before it holds the counts whose
// every document is a plan passing them, and notes the counts it left out
// because only some of their documents pass or none dates them.
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
		tf, err := timeFilter(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		// Time first, so that a count the dates leave out is not also
		// offered as a shared count include_shared=true would list.
		timed, split, undated := v.MentionsAt(v.CityMentions(tech, city, true), tf)
		rows := []view.ScopedMention{}
		var left []string
		for _, m := range timed {
			if city != "" && m.Shared && !shared {
				left = append(left, m.ID)
				continue
			}
			rows = append(rows, m)
		}
		notes := v.Coverage(view.MeasureFilter{City: city}, nil)
		notes = append(notes, sharedNote(city, left)...)
		notes = append(notes, timeNotes(city, tf, split, undated)...)
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
	// timeSplit: counts over several documents of which only some pass
	// the date parameters were left out, since a count cannot be divided
	// among its documents.
	timeSplit = "time_split"
	// timeUndated: counts over no document were left out of an answer
	// asked for dates, since no plan dates them.
	timeUndated = "time_undated"
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
	return sharedNote(city, left)
}

// sharedNote is the note of an answer for city that left out the shared
// counts left; nil for none.
func sharedNote(city string, left []string) []coverageNote {
	if len(left) == 0 {
		return nil
	}
	return []coverageNote{{City: city, Status: sharedOnly, Mentions: left, Note: strconv.Itoa(len(left)) +
		" count(s) over several places' documents together also cover " + city +
		"; they are not its own count; add include_shared=true to list them, marked shared with their scope"}}
}

// timeNotes are the notes of an answer filtered by tf that left out the
// split and undated counts; city is the asked one ("" for every place).
func timeNotes(city string, tf view.TimeFilter, split, undated []string) []coverageNote {
	var notes []coverageNote
	when := timeWords(tf)
	if len(split) > 0 {
		notes = append(notes, coverageNote{City: city, Status: timeSplit, Mentions: split, Note: strconv.Itoa(len(split)) +
			" count(s) are one number over several documents of which only some are plans " + when +
			"; a count cannot be divided among its documents, so such a count is left out rather than credited in whole or in part (without the date parameters the answer lists it)"})
	}
	if len(undated) > 0 {
		notes = append(notes, coverageNote{City: city, Status: timeUndated, Mentions: undated, Note: strconv.Itoa(len(undated)) +
			" count(s) name cities but no document, so no plan dates them; they are left out of an answer " + when})
	}
	return notes
}

// timeWords says what tf asks for, as the notes read it.
func timeWords(tf view.TimeFilter) string {
	var parts []string
	if tf.InForce != "" {
		parts = append(parts, "in force on "+tf.InForce)
	}
	if tf.PublishedAfter != "" {
		parts = append(parts, "issued on or after "+tf.PublishedAfter)
	}
	if tf.PublishedBefore != "" {
		parts = append(parts, "issued on or before "+tf.PublishedBefore)
	}
	return strings.Join(parts, " and ")
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
