package server

import (
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/policygraph/policygraph/view"
)

// withCoverage answers rows like rowsHandler, with the graph's coverage
// notes beside them: zero rows for a jurisdiction must not read as "no
// such policy" when the graph holds none of its plans or only counts its
// mentions. In JSON the notes are "coverage"; in CSV, where nothing can
// stand beside the rows, the X-Coverage header lists city=status pairs.
func withCoverage[T any](s *Server, cols []column[T], rows func(c *gin.Context, v *view.View) ([]T, []view.CoverageNote, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		r, notes, err := rows(c, v)
		if err != nil {
			s.fail(c, err)
			return
		}
		tableWith(s, c, r, cols, coverageFields(c, notes))
	}
}

// coverageFields sets the X-Coverage header and returns the JSON field
// for notes; nil when there is nothing to say.
func coverageFields(c *gin.Context, notes []view.CoverageNote) gin.H {
	if len(notes) == 0 {
		return nil
	}
	pairs := make([]string, len(notes))
	for i, n := range notes {
		pairs[i] = n.City + "=" + n.Status
	}
	c.Header("X-Coverage", strings.Join(pairs, ", "))
	return gin.H{"coverage": notes}
}

// measureCities are the jurisdictions of measure rows.
func measureCities(rows []view.MeasureRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.City
	}
	return out
}
