package server

import (
	"net/http"
	"strconv"

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
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		rows, notes, err := citiesOf(c, v)
		if err != nil {
			s.fail(c, err)
			return
		}
		extra := coverageFields(c, notes)
		asCSV, p, err := tableParams(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if asCSV {
			tableWith(s, c, rows, cityColumns, extra)
			return
		}
		writeCitiesJSON(c, rows, notes, p)
	}
}

func citiesOf(c *gin.Context, v *view.View) ([]view.CityRow, []view.CoverageNote, error) {
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
}

// writeCitiesJSON writes the page p of rows as tableWith writes it in
// JSON (the same headers, the same bytes), with the rows' own encoders:
// at size L the answer is 100 KB, and encoding/json's reflection over it
// cost as much as finding the rows.
func writeCitiesJSON(c *gin.Context, rows []view.CityRow, notes []view.CoverageNote, p page) {
	total := len(rows)
	lo := min(p.offset, total)
	hi := min(lo+p.limit, total)
	if hi < total {
		c.Header("X-Next-Offset", strconv.Itoa(hi))
	}
	c.Header("X-Total-Count", strconv.Itoa(total))
	buf := answerBuffers.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= maxKeptAnswerBuffer {
			answerBuffers.Put(buf)
		}
	}()
	// encoding/json writes gin.H's keys in order.
	b := append((*buf)[:0], `{"count":`...)
	b = strconv.AppendInt(b, int64(hi-lo), 10)
	if len(notes) > 0 {
		b = append(b, `,"coverage":[`...)
		for i := range notes {
			if i > 0 {
				b = append(b, ',')
			}
			b = notes[i].AppendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"next_offset":`...)
	if hi < total {
		b = strconv.AppendInt(b, int64(hi), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"rows":[`...)
	for i := lo; i < hi; i++ {
		if i > lo {
			b = append(b, ',')
		}
		b = rows[i].AppendJSON(b)
	}
	b = append(b, `],"total":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, `,"truncated":`...)
	b = strconv.AppendBool(b, hi < total)
	b = append(b, '}')
	*buf = b
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}
