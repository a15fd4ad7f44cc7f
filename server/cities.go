package server

import (
	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// measureFilter reads the parameters shared by /v1/cities and /v1/measures.
func measureFilter(c *gin.Context, v *view.View) (view.MeasureFilter, error) {
	var f view.MeasureFilter
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

var cityColumns = []column[view.CityRow]{
	{"city", func(r view.CityRow) string { return r.City }},
	{"name", func(r view.CityRow) string { return r.Name }},
	{"basis", func(r view.CityRow) string { return string(r.Basis) }},
	{"plans", func(r view.CityRow) string { return list(r.Plans) }},
	{"measures", func(r view.CityRow) string { return list(r.Measures) }},
	{"matched", func(r view.CityRow) string { return list(r.Matched) }},
}

// cities answers which cities have a measure linking a technology (and a domain).
func (s *Server) cities() gin.HandlerFunc {
	return withCoverage(s, cityColumns, func(c *gin.Context, v *view.View) ([]view.CityRow, []view.CoverageNote, error) {
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
