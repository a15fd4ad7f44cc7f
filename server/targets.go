package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

var targetColumns = []column[*view.Target]{
	{"id", func(t *view.Target) string { return t.ID }},
	{"city", func(t *view.Target) string { return t.City }},
	{"plan", func(t *view.Target) string { return t.Plan }},
	{"measure", func(t *view.Target) string { return t.Measure }},
	{"technology", func(t *view.Target) string { return t.Technology }},
	{"metric", func(t *view.Target) string { return t.Metric }},
	{"value", func(t *view.Target) string { return strconv.FormatFloat(t.Value, 'f', -1, 64) }},
	{"value_max", func(t *view.Target) string {
		if t.ValueMax == nil {
			return ""
		}
		return strconv.FormatFloat(*t.ValueMax, 'f', -1, 64)
	}},
	{"unit", func(t *view.Target) string { return t.Unit }},
	{"year", func(t *view.Target) string { return year(t.Year) }},
	{"bound", func(t *view.Target) string { return t.Bound }},
	{"baseline", func(t *view.Target) string {
		if t.Baseline == nil {
			return ""
		}
		return strconv.FormatFloat(*t.Baseline, 'f', -1, 64)
	}},
	{"baseline_year", func(t *view.Target) string { return year(t.BaselineYear) }},
	{"source", func(t *view.Target) string { return t.Evidence.Source }},
	{"summary", func(t *view.Target) string { return t.Evidence.Summary }},
}

// targets lists quantitative targets by technology, city, metric and year.
func (s *Server) targets() gin.HandlerFunc {
	return withCoverage(s, targetColumns, func(c *gin.Context, v *view.View) ([]*view.Target, []view.CoverageNote, error) {
		f, err := targetFilter(c, v)
		if err != nil {
			return nil, nil, err
		}
		// Only "no plans" applies: a plan that names a technology often
		// sets no number for it.
		return v.FindTargets(f), v.Coverage(view.MeasureFilter{City: f.City}, nil), nil
	})
}

// targetFilter reads technology, city, metric and year.
func targetFilter(c *gin.Context, v *view.View) (view.TargetFilter, error) {
	var f view.TargetFilter
	var err error
	if f.Technology, f.City, err = techAndCity(c, v); err != nil {
		return f, err
	}
	if m := strings.TrimSpace(c.Query("metric")); m != "" {
		metrics := v.Metrics()
		if !slices.Contains(metrics, m) {
			return f, notFound(schema.Suggest(m, metrics, 3), "unknown metric %q: the targets count %s", m, strings.Join(metrics, ", "))
		}
		f.Metric = m
	}
	y, err := intParam(c, "year", 0, 1949, 2100)
	f.Year = int64(y)
	return f, err
}

// instrumentParam reads instrument= (a comma-separated list of instrument
// types or groups, by id or name) as the instrument type ids it covers.
func instrumentParam(c *gin.Context) ([]string, error) {
	items, err := listParam(c, "instrument", maxListItems)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, raw := range items {
		ids, sugg := schema.ResolveInstrument(raw)
		if ids == nil {
			return nil, notFound(sugg, "unknown instrument type %q: use a type (%s) or a group (supply, demand, environment)",
				raw, strings.Join(schema.InstrumentTypeIDs(), ", "))
		}
		for _, id := range ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out, nil
}

// TargetCell is one metric × city cell of a comparison of targets.
type TargetCell struct {
	Metric  string         `json:"metric"`
	City    string         `json:"city"`
	Targets []*view.Target `json:"targets"`
}

// TargetMatrix compares cities' targets, metric by metric.
type TargetMatrix struct {
	Technology string              `json:"technology,omitempty"`
	Cities     []string            `json:"cities"`
	Metrics    []string            `json:"metrics"`
	Cells      []TargetCell        `json:"cells"` // metric-major, like Matrix
	Coverage   []view.CoverageNote `json:"coverage,omitempty"`
}

// compareTargets answers /v1/compare?what=targets: the metrics × cities
// matrix of targets (of technology, when given, and year); as CSV one
// row per target.
func (s *Server) compareTargets(c *gin.Context, v *view.View, cities []string) {
	if c.Query("basis") != "" {
		s.fail(c, badRequest("basis applies to measures' technology links; targets have none: leave basis out with what=targets"))
		return
	}
	tech, err := entity(c, v, "technology", schema.Technology)
	if err != nil {
		s.fail(c, err)
		return
	}
	y, err := intParam(c, "year", 0, 1949, 2100)
	if err != nil {
		s.fail(c, err)
		return
	}
	asCSV, err := wantsCSV(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	mx := TargetMatrix{Technology: tech, Cities: cities, Metrics: []string{}, Cells: []TargetCell{}}
	cell := map[[2]string][]*view.Target{}
	var all []*view.Target
	for _, city := range cities {
		for _, t := range v.FindTargets(view.TargetFilter{Technology: tech, City: city, Year: int64(y)}) {
			k := [2]string{t.Metric, city}
			if cell[k] == nil && !slices.Contains(mx.Metrics, t.Metric) {
				mx.Metrics = append(mx.Metrics, t.Metric)
			}
			cell[k] = append(cell[k], t)
			all = append(all, t)
		}
		mx.Coverage = append(mx.Coverage, v.Coverage(view.MeasureFilter{City: city}, nil)...)
	}
	slices.Sort(mx.Metrics)
	for _, m := range mx.Metrics {
		for _, city := range cities {
			ts := cell[[2]string{m, city}]
			if ts == nil {
				ts = []*view.Target{}
			}
			mx.Cells = append(mx.Cells, TargetCell{Metric: m, City: city, Targets: ts})
		}
	}
	coverageFields(c, mx.Coverage)
	if asCSV {
		writeCSV(c, all, targetColumns)
		return
	}
	c.JSON(http.StatusOK, mx)
}
