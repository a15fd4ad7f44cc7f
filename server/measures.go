package server

import (
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/policygraph/policygraph/view"
)

var measureColumns = []column[view.MeasureRow]{
	{"id", func(m view.MeasureRow) string { return m.ID }},
	{"title", func(m view.MeasureRow) string { return m.Title }},
	{"kind", func(m view.MeasureRow) string { return m.Kind }},
	{"city", func(m view.MeasureRow) string { return m.City }},
	{"plan", func(m view.MeasureRow) string { return m.Plan }},
	{"technologies", func(m view.MeasureRow) string {
		parts := make([]string, len(m.Technologies))
		for i, t := range m.Technologies {
			parts[i] = t.Technology + ":" + string(t.Basis)
		}
		return strings.Join(parts, ";")
	}},
	{"domains", func(m view.MeasureRow) string { return list(m.Domains) }},
	{"supported_by", func(m view.MeasureRow) string { return list(m.SupportedBy) }},
	{"support", func(m view.MeasureRow) string { return list(m.Support) }},
	{"instrument_types", func(m view.MeasureRow) string { return list(m.InstrumentTypes) }},
	{"context", func(m view.MeasureRow) string { return m.Context }},
	{"source", func(m view.MeasureRow) string { return m.Evidence.Source }},
	{"section", func(m view.MeasureRow) string { return m.Evidence.Section }},
	{"summary", func(m view.MeasureRow) string { return m.Evidence.Summary }},
	{"matched", func(m view.MeasureRow) string { return list(m.Matched) }},
	{"plan_issued", func(m view.MeasureRow) string { return planDate(m, func(d *view.Dating) string { return d.Issued }) }},
	{"plan_in_force_from", func(m view.MeasureRow) string {
		return planDate(m, func(d *view.Dating) string { return d.InForceFrom })
	}},
	{"plan_in_force_until", func(m view.MeasureRow) string {
		return planDate(m, func(d *view.Dating) string { return d.InForceUntil })
	}},
	{"provenance", func(m view.MeasureRow) string {
		parts := make([]string, len(m.Provenance))
		for i, p := range m.Provenance {
			parts[i] = p.Target() + ":" + p.Method
			if p.ReviewedBy != "" {
				parts[i] += ":" + p.ReviewedBy + "@" + p.ReviewedAt
			}
		}
		return strings.Join(parts, ";")
	}},
}

func planDate(m view.MeasureRow, get func(*view.Dating) string) string {
	if m.PlanDates == nil {
		return ""
	}
	return get(m.PlanDates)
}

// measures lists measures by city, plan, technology, domain and basis.
func (s *Server) measures() gin.HandlerFunc {
	return withCoverage(s, measureColumns, func(c *gin.Context, v *view.View) ([]view.MeasureRow, []view.CoverageNote, error) {
		f, err := measureFilter(c, v)
		if err != nil {
			return nil, nil, err
		}
		rows := v.FindMeasures(f)
		return rows, v.Coverage(f, measureCities(rows)), nil
	})
}
