package server

import (
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/policygraph/policygraph/view"
)

var supportColumns = []column[*view.Instrument]{
	{"id", func(i *view.Instrument) string { return i.ID }},
	{"city", func(i *view.Instrument) string { return i.City }},
	{"plan", func(i *view.Instrument) string { return i.Plan }},
	{"measure", func(i *view.Instrument) string { return i.Measure }},
	{"kind", func(i *view.Instrument) string { return i.Kind }},
	{"technology", func(i *view.Instrument) string { return i.Technology }},
	{"rate", func(i *view.Instrument) string {
		if i.Rate == nil {
			return ""
		}
		return strconv.FormatFloat(*i.Rate, 'g', -1, 64)
	}},
	{"rate_base", func(i *view.Instrument) string { return i.RateBase }},
	{"cap_amount", func(i *view.Instrument) string {
		if i.CapAmount == nil {
			return ""
		}
		return strconv.FormatInt(*i.CapAmount, 10)
	}},
	{"cap_currency", func(i *view.Instrument) string { return i.CapCurrency }},
	{"cap_per", func(i *view.Instrument) string { return i.CapPer }},
	{"schedule", func(i *view.Instrument) string { return i.Schedule }},
	{"schedule_years", func(i *view.Instrument) string { return year(i.ScheduleYears) }},
	{"eligibility", func(i *view.Instrument) string { return i.Eligibility }},
	{"summary", func(i *view.Instrument) string { return i.Summary }},
	{"source", func(i *view.Instrument) string { return i.Source }},
}

// support lists support instruments by technology and city.
func (s *Server) support() gin.HandlerFunc {
	return withCoverage(s, supportColumns, func(c *gin.Context, v *view.View) ([]*view.Instrument, []view.CoverageNote, error) {
		tech, city, err := techAndCity(c, v)
		if err != nil {
			return nil, nil, err
		}
		// Only "no plans" applies: a support instrument is rarer than a
		// measure, and a mention count says nothing of one.
		tf, err := timeFilter(c)
		if err != nil {
			return nil, nil, err
		}
		return v.SupportAt(tech, city, tf), v.Coverage(view.MeasureFilter{City: city}, nil), nil
	})
}
