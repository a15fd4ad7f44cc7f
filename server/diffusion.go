package server

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

var adoptionColumns = []column[view.Adoption]{
	{"rank", func(a view.Adoption) string { return strconv.Itoa(a.Rank) }},
	{"city", func(a view.Adoption) string { return a.City }},
	{"name", func(a view.Adoption) string { return a.Name }},
	{"level", func(a view.Adoption) string { return a.Level }},
	{"plan", func(a view.Adoption) string { return a.Plan }},
	{"title", func(a view.Adoption) string { return a.Title }},
	{"date", func(a view.Adoption) string { return a.Date }},
	{"date_basis", func(a view.Adoption) string { return a.DateBasis }},
	{"year", func(a view.Adoption) string { return strconv.Itoa(a.Year) }},
	{"basis", func(a view.Adoption) string { return string(a.Basis) }},
	{"measures", func(a view.Adoption) string { return list(a.Measures) }},
	{"matched", func(a view.Adoption) string { return list(a.Matched) }},
	{"adopters", func(a view.Adoption) string { return strconv.Itoa(a.Adopters) }},
}

// requiredEntity is entity for a parameter the question cannot go without.
func requiredEntity(c *gin.Context, v *view.View, name string, t schema.Type, example string) (string, error) {
	if strings.TrimSpace(c.Query(name)) == "" {
		return "", badRequest("missing %s: this question needs one, e.g. %s=%s", name, name, example)
	}
	return entity(c, v, name, t)
}

// timeline answers the adoption curve of a technology (in a domain).
func (s *Server) timeline() gin.HandlerFunc {
	return rowsHandler(s, adoptionColumns, func(c *gin.Context, v *view.View) ([]view.Adoption, error) {
		var f view.TimelineFilter
		var err error
		if f.Technology, err = requiredEntity(c, v, "technology", schema.Technology, "blockchain"); err != nil {
			return nil, err
		}
		if f.Domain, err = entity(c, v, "domain", schema.Domain); err != nil {
			return nil, err
		}
		if f.Basis, err = basis(c); err != nil {
			return nil, err
		}
		if f.Time, err = timeFilter(c); err != nil {
			return nil, err
		}
		return v.Timeline(f), nil
	})
}

var panelColumns = []column[view.PanelRow]{
	{"unit", func(r view.PanelRow) string { return r.Unit }},
	{"name", func(r view.PanelRow) string { return r.Name }},
	{"level", func(r view.PanelRow) string { return r.Level }},
	{"period", func(r view.PanelRow) string { return strconv.Itoa(r.Period) }},
	{"technology", func(r view.PanelRow) string { return r.Technology }},
	{"domain", func(r view.PanelRow) string { return r.Domain }},
	{"adopted", func(r view.PanelRow) string { return strconv.Itoa(r.Adopted) }},
	{"event", func(r view.PanelRow) string { return strconv.Itoa(r.Event) }},
	{"first_adoption", func(r view.PanelRow) string {
		if r.FirstAdoption == 0 {
			return ""
		}
		return strconv.Itoa(r.FirstAdoption)
	}},
	{"measures", func(r view.PanelRow) string { return strconv.Itoa(r.Measures) }},
	{"explicit", func(r view.PanelRow) string { return strconv.Itoa(r.Explicit) }},
	{"inferred", func(r view.PanelRow) string { return strconv.Itoa(r.Inferred) }},
	{"extracted", func(r view.PanelRow) string { return strconv.Itoa(r.Extracted) }},
	{"mentions", func(r view.PanelRow) string { return strconv.Itoa(r.Mentions) }},
}

// panel answers the long-format adoption panel, making only the rows of
// the page asked: a panel of every city is thousands of rows.
func (s *Server) panel() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		f, err := panelFilter(c, v)
		if err != nil {
			s.fail(c, err)
			return
		}
		asCSV, p, err := tableParams(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		t := v.CountPanel(f)
		writeRows(s, c, asCSV, p, t.Len(), t.Row, appendPanelRow, panelColumns, nil)
	}
}

// panelFilter reads unit, period, technology, domain and basis.
func panelFilter(c *gin.Context, v *view.View) (view.PanelFilter, error) {
	f := view.PanelFilter{Unit: c.DefaultQuery("unit", view.UnitCity)}
	if !slices.Contains(view.PanelUnits, f.Unit) {
		return f, badRequest("bad unit %q: use %s", f.Unit, strings.Join(view.PanelUnits, " or "))
	}
	if p := c.DefaultQuery("period", "year"); p != "year" {
		return f, badRequest("bad period %q: the panel's period is a year (period=year)", p)
	}
	var err error
	if f.Technologies, err = entityList(c, v, "technology", schema.Technology); err != nil {
		return f, err
	}
	if len(f.Technologies) == 0 {
		return f, badRequest("missing technology: a panel needs one or more, e.g. technology=blockchain,5g")
	}
	if f.Domains, err = entityList(c, v, "domain", schema.Domain); err != nil {
		return f, err
	}
	f.Basis, err = basis(c)
	return f, err
}

// entityList resolves a comma-separated list parameter of entities of
// type t, each once, in the order given.
func entityList(c *gin.Context, v *view.View, name string, t schema.Type) ([]string, error) {
	names, err := listParam(c, name, maxListItems)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		id, err := resolve(v, name, t, n)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

var similarColumns = []column[view.Similarity]{
	{"measure", func(x view.Similarity) string { return x.Measure }},
	{"title", func(x view.Similarity) string { return x.Title }},
	{"city", func(x view.Similarity) string { return x.City }},
	{"plan", func(x view.Similarity) string { return x.Plan }},
	{"date", func(x view.Similarity) string { return x.Date }},
	{"date_basis", func(x view.Similarity) string { return x.DateBasis }},
	{"order", func(x view.Similarity) string { return x.Order }},
	{"score", func(x view.Similarity) string { return ratio(x.Score) }},
	{"text", func(x view.Similarity) string { return ratio(x.Text) }},
	{"technologies", func(x view.Similarity) string { return ratio(x.Technologies) }},
	{"domains", func(x view.Similarity) string { return ratio(x.Domains) }},
	{"instruments", func(x view.Similarity) string { return ratio(x.Instruments) }},
	{"shared_technologies", func(x view.Similarity) string { return list(x.SharedTechnologies) }},
	{"shared_domains", func(x view.Similarity) string { return list(x.SharedDomains) }},
	{"shared_instruments", func(x view.Similarity) string { return list(x.SharedInstruments) }},
}

func ratio(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// similar ranks the measures of other jurisdictions by their similarity
// to one measure; the JSON answer names the asked measure beside them.
func (s *Server) similar() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		id := strings.TrimSpace(c.Query("measure"))
		if id == "" {
			s.fail(c, badRequest("missing measure: name a measure by its id, e.g. measure=fuzhou-finance-demonstration"))
			return
		}
		tf, err := timeFilter(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		rows, ok := v.SimilarTo(id, tf)
		if !ok {
			s.fail(c, notFound(nil, "unknown measure %q: use the id a measure has in /v1/measures", id))
			return
		}
		m := v.Measure(id)
		of := gin.H{"measure": m.ID, "title": m.Title, "city": m.City, "plan": m.Plan}
		if p := v.Plan(m.Plan); p != nil {
			of["date"], of["date_basis"] = p.Date()
		}
		tableWith(s, c, rows, similarColumns, gin.H{"of": of})
	}
}
