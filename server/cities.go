package server

import (
	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/schema"
)

// measureFilter reads the parameters shared by /v1/cities and /v1/measures.
func measureFilter(c *gin.Context, v *graph.View) (graph.MeasureFilter, error) {
	var f graph.MeasureFilter
	var err error
	for _, p := range []struct {
		param string
		t     schema.Type
		dst   *string
	}{
		{"city", schema.City, &f.City},
		{"plan", schema.Plan, &f.Plan},
		{"technology", schema.Technology, &f.Technology},
		{"domain", schema.Domain, &f.Domain},
	} {
		if *p.dst, err = entity(c, v, p.param, p.t); err != nil {
			return f, err
		}
	}
	if f.Basis, err = basis(c); err != nil {
		return f, err
	}
	if f.Time, err = timeFilter(c); err != nil {
		return f, err
	}
	f.Instruments, err = instrumentParam(c)
	return f, err
}

var cityColumns = []column[graph.CityRow]{
	{"city", func(r graph.CityRow) string { return r.City }},
	{"name", func(r graph.CityRow) string { return r.Name }},
	{"basis", func(r graph.CityRow) string { return string(r.Basis) }},
	{"plans", func(r graph.CityRow) string { return list(r.Plans) }},
	{"measures", func(r graph.CityRow) string { return list(r.Measures) }},
	{"matched", func(r graph.CityRow) string { return list(r.Matched) }},
}

// cities answers which cities have a measure linking a technology (and a domain).
func (s *Server) cities() gin.HandlerFunc {
	return withCoverage(s, cityColumns, func(c *gin.Context, v *graph.View) ([]graph.CityRow, []graph.CoverageNote, error) {
		f, err := measureFilter(c, v)
		if err != nil {
			return nil, nil, err
		}
		rows := v.CitiesWith(f)
		answered := make([]string, len(rows))
		for i, r := range rows {
			answered[i] = r.City
		}
		return rows, v.Coverage(f, answered), nil
	})
}
