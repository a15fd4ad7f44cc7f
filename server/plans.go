package server

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

func year(y int64) string {
	if y == 0 {
		return ""
	}
	return strconv.FormatInt(y, 10)
}

var planColumns = []column[*view.Plan]{
	{"id", func(p *view.Plan) string { return p.ID }},
	{"title_en", func(p *view.Plan) string { return p.Titles["en"] }},
	{"title_zh", func(p *view.Plan) string { return p.Titles["zh"] }},
	{"city", func(p *view.Plan) string { return p.City }},
	{"issuer", func(p *view.Plan) string { return p.Issuer }},
	{"adopted", func(p *view.Plan) string { return p.Adopted }},
	{"published", func(p *view.Plan) string { return p.Published }},
	{"reviewed", func(p *view.Plan) string { return p.Reviewed }},
	{"period_start", func(p *view.Plan) string { return year(p.PeriodStart) }},
	{"period_end", func(p *view.Plan) string { return year(p.PeriodEnd) }},
	{"related", func(p *view.Plan) string {
		parts := make([]string, len(p.Related))
		for i, r := range p.Related {
			parts[i] = r.Relation + ":" + r.Plan
		}
		return list(parts)
	}},
	{"measures", func(p *view.Plan) string { return list(p.Measures) }},
	{"source", func(p *view.Plan) string { return p.Evidence.Source }},
	{"document_number", func(p *view.Plan) string { return p.Number }},
	{"signed", func(p *view.Plan) string { return p.Signed }},
	{"effective", func(p *view.Plan) string { return p.Effective }},
	{"expires", func(p *view.Plan) string { return p.Expires }},
	{"issued", func(p *view.Plan) string { return p.Issued }},
	{"issued_basis", func(p *view.Plan) string { return p.IssuedBasis }},
	{"in_force_from", func(p *view.Plan) string { return p.InForceFrom }},
	{"in_force_from_basis", func(p *view.Plan) string { return p.InForceFromBasis }},
	{"in_force_until", func(p *view.Plan) string { return p.InForceUntil }},
	{"in_force_until_basis", func(p *view.Plan) string { return p.InForceUntilBasis }},
}

// plans lists the plan documents, optionally of one city.
func (s *Server) plans() gin.HandlerFunc {
	return withCoverage(s, planColumns, func(c *gin.Context, v *view.View) ([]*view.Plan, []view.CoverageNote, error) {
		city, err := entity(c, v, "city", schema.City)
		if err != nil {
			return nil, nil, err
		}
		tf, err := timeFilter(c)
		if err != nil {
			return nil, nil, err
		}
		rows := v.PlansAt(city, tf)
		return rows, v.Coverage(view.MeasureFilter{City: city}, nil), nil
	})
}
