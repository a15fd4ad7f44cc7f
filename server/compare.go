package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

var cellColumns = []column[view.Cell]{
	{"domain", func(x view.Cell) string { return x.Domain }},
	{"city", func(x view.Cell) string { return x.City }},
	{"basis", func(x view.Cell) string { return string(x.Basis) }},
	{"measures", func(x view.Cell) string { return list(x.Measures) }},
	{"matched", func(x view.Cell) string { return list(x.Matched) }},
}

// compare answers the domains × cities matrix for one technology: as JSON
// the matrix, as CSV one row per cell.
func (s *Server) compare() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		what := c.Query("what")
		if what != "" && what != "measures" && what != "targets" {
			s.fail(c, badRequest("unknown what %q: use measures or targets", what))
			return
		}
		raw := strings.TrimSpace(c.Query("technology"))
		if raw == "" && what != "targets" {
			s.fail(c, badRequest("missing technology: compare needs one, e.g. technology=blockchain"))
			return
		}
		if what != "targets" && c.Query("year") != "" {
			s.fail(c, badRequest("year applies to targets: add what=targets"))
			return
		}
		cities, err := compareCities(c, v)
		if err != nil {
			s.fail(c, err)
			return
		}
		if what == "targets" {
			s.compareTargets(c, v, cities)
			return
		}
		tech, err := resolve(v, "technology", schema.Technology, raw)
		if err != nil {
			s.fail(c, err)
			return
		}
		b, err := basis(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		asCSV, err := wantsCSV(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		tf, err := timeFilter(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		mx := v.CompareAt(cities, tech, b, tf)
		coverageFields(c, mx.Coverage)
		if asCSV {
			writeCSV(c, mx.Cells, cellColumns)
			return
		}
		c.JSON(http.StatusOK, mx)
	}
}

// compareCities are the columns of a comparison: the cities asked, each
// once, or every jurisdiction with plans of its own.
func compareCities(c *gin.Context, v *view.View) ([]string, error) {
	names, err := listParam(c, "cities", maxListItems)
	if err != nil {
		return nil, err
	}
	var cities []string
	if len(names) > 0 {
		// Two names of one city are one column.
		seen := map[string]bool{}
		for _, name := range names {
			id, err := resolve(v, "cities", schema.City, name)
			if err != nil {
				return nil, err
			}
			if !seen[id] {
				seen[id] = true
				cities = append(cities, id)
			}
		}
	} else {
		// Every jurisdiction with plans of its own: a nation or province
		// column would repeat its cities' measures.
		for _, city := range v.Cities {
			if len(city.Plans) > 0 {
				cities = append(cities, city.ID)
			}
		}
	}
	return cities, nil
}
