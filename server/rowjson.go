package server

import (
	"encoding/json"
	"slices"
	"strconv"
	"sync"

	"github.com/policygraph/policygraph/view"
)

// The diffusion and target tables answer hundreds of KB of rows, which
// encoding/json spends most of a first ask on (reflection over every
// field of every row). The appenders here write those rows field by
// field, with the bytes encoding/json writes for them: its key order, its
// omitempty, its string escaping (HTML characters, U+2028/9, invalid
// UTF-8) and its number formats. rowjson_test.go holds them to
// json.Marshal on the fixture and the generated corpus; a row type with
// no appender is encoded by encoding/json.

// appendRowsJSON appends rows as a JSON array and reports whether it
// knows their type.
func appendRowsJSON[T any](b []byte, rows []T) ([]byte, bool) {
	switch rs := any(rows).(type) {
	case []view.Adoption:
		return appendArray(b, rs, appendAdoption), true
	case []view.PanelRow:
		return appendArray(b, rs, appendPanelRow), true
	case []view.Similarity:
		return appendArray(b, rs, appendSimilarity), true
	case []*view.Target:
		return appendArray(b, rs, appendTarget), true
	}
	return b, false
}

func appendArray[T any](b []byte, rows []T, row func([]byte, *T) []byte) []byte {
	if rows == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = row(b, &rows[i])
	}
	return append(b, ']')
}

func appendAdoption(b []byte, a *view.Adoption) []byte {
	b = append(b, `{"rank":`...)
	b = strconv.AppendInt(b, int64(a.Rank), 10)
	b = appendStringField(b, `,"city":`, a.City)
	b = appendStringField(b, `,"name":`, a.Name)
	b = appendStringField(b, `,"level":`, a.Level)
	b = appendStringField(b, `,"plan":`, a.Plan)
	b = appendStringField(b, `,"title":`, a.Title)
	b = appendStringField(b, `,"date":`, a.Date)
	b = appendStringField(b, `,"date_basis":`, a.DateBasis)
	b = append(b, `,"year":`...)
	b = strconv.AppendInt(b, int64(a.Year), 10)
	b = appendStringField(b, `,"basis":`, string(a.Basis))
	b = append(b, `,"measures":`...)
	b = appendStrings(b, a.Measures)
	if len(a.Matched) > 0 {
		b = append(b, `,"matched":`...)
		b = appendStrings(b, a.Matched)
	}
	b = append(b, `,"adopters":`...)
	b = strconv.AppendInt(b, int64(a.Adopters), 10)
	return append(b, '}')
}

func appendPanelRow(b []byte, r *view.PanelRow) []byte {
	b = appendStringField(b, `{"unit":`, r.Unit)
	b = appendStringField(b, `,"name":`, r.Name)
	b = appendStringField(b, `,"level":`, r.Level)
	b = append(b, `,"period":`...)
	b = strconv.AppendInt(b, int64(r.Period), 10)
	b = appendStringField(b, `,"technology":`, r.Technology)
	if r.Domain != "" {
		b = appendStringField(b, `,"domain":`, r.Domain)
	}
	for _, f := range [...]struct {
		key string
		n   int
	}{
		{`,"adopted":`, r.Adopted}, {`,"event":`, r.Event}, {`,"first_adoption":`, r.FirstAdoption},
		{`,"measures":`, r.Measures}, {`,"explicit":`, r.Explicit}, {`,"inferred":`, r.Inferred},
		{`,"extracted":`, r.Extracted}, {`,"mentions":`, r.Mentions},
	} {
		b = append(b, f.key...)
		b = strconv.AppendInt(b, int64(f.n), 10)
	}
	return append(b, '}')
}

func appendSimilarity(b []byte, x *view.Similarity) []byte {
	b = appendStringField(b, `{"measure":`, x.Measure)
	b = appendStringField(b, `,"title":`, x.Title)
	b = appendStringField(b, `,"city":`, x.City)
	b = appendStringField(b, `,"plan":`, x.Plan)
	b = appendStringField(b, `,"date":`, x.Date)
	b = appendStringField(b, `,"date_basis":`, x.DateBasis)
	b = append(b, `,"score":`...)
	b = appendFloat(b, x.Score)
	b = append(b, `,"text":`...)
	b = appendFloat(b, x.Text)
	b = append(b, `,"technologies":`...)
	b = appendFloat(b, x.Technologies)
	b = append(b, `,"domains":`...)
	b = appendFloat(b, x.Domains)
	b = append(b, `,"instruments":`...)
	b = appendFloat(b, x.Instruments)
	b = append(b, `,"shared_technologies":`...)
	b = appendStrings(b, x.SharedTechnologies)
	b = append(b, `,"shared_domains":`...)
	b = appendStrings(b, x.SharedDomains)
	b = append(b, `,"shared_instruments":`...)
	b = appendStrings(b, x.SharedInstruments)
	b = appendStringField(b, `,"order":`, x.Order)
	return append(b, '}')
}

func appendTarget(b []byte, tp **view.Target) []byte {
	t := *tp
	if t == nil {
		return append(b, "null"...)
	}
	b = appendStringField(b, `{"id":`, t.ID)
	b = appendStringField(b, `,"city":`, t.City)
	b = appendStringField(b, `,"plan":`, t.Plan)
	if t.Measure != "" {
		b = appendStringField(b, `,"measure":`, t.Measure)
	}
	if t.Technology != "" {
		b = appendStringField(b, `,"technology":`, t.Technology)
	}
	b = appendStringField(b, `,"metric":`, t.Metric)
	b = append(b, `,"value":`...)
	b = appendFloat(b, t.Value)
	if t.ValueMax != nil {
		b = append(b, `,"value_max":`...)
		b = appendFloat(b, *t.ValueMax)
	}
	b = appendStringField(b, `,"unit":`, t.Unit)
	if t.Year != 0 {
		b = append(b, `,"year":`...)
		b = strconv.AppendInt(b, t.Year, 10)
	}
	if t.Bound != "" {
		b = appendStringField(b, `,"bound":`, t.Bound)
	}
	if t.Baseline != nil {
		b = append(b, `,"baseline":`...)
		b = appendFloat(b, *t.Baseline)
	}
	if t.BaselineYear != 0 {
		b = append(b, `,"baseline_year":`...)
		b = strconv.AppendInt(b, t.BaselineYear, 10)
	}
	b = append(b, `,"evidence":`...)
	b = appendEvidence(b, &t.Evidence)
	return append(b, '}')
}

func appendEvidence(b []byte, e *view.Evidence) []byte {
	b = appendStringField(b, `{"source":`, e.Source)
	if e.Section != "" {
		b = appendStringField(b, `,"section":`, e.Section)
	}
	if e.Summary != "" {
		b = appendStringField(b, `,"summary":`, e.Summary)
	}
	if e.Quote != "" {
		b = appendStringField(b, `,"quote":`, e.Quote)
	}
	if e.Offset != nil {
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, *e.Offset, 10)
	}
	if e.OffsetEnd != nil {
		b = append(b, `,"offset_end":`...)
		b = strconv.AppendInt(b, *e.OffsetEnd, 10)
	}
	return append(b, '}')
}

func appendStringField(b []byte, key, s string) []byte {
	return appendString(append(b, key...), s)
}

// appendStrings writes a list as encoding/json does: null when nil.
func appendStrings(b []byte, xs []string) []byte { return view.AppendJSONStrings(b, xs) }

// appendFloat formats f as encoding/json does. No row holds NaN or an
// infinity, which encoding/json refuses; they are written as null rather
// than failing an answer half written.
func appendFloat(b []byte, f float64) []byte {
	if out, ok := view.AppendJSONFloat(b, f); ok {
		return out
	}
	return append(b, "null"...)
}

// appendString writes s as a JSON string with encoding/json's escaping.
func appendString(b []byte, s string) []byte { return view.AppendJSONString(b, s) }

// tableFields are the fields of a table's JSON answer besides extras.
var tableFields = []string{"count", "next_offset", "rows", "total", "truncated"}

// appendPage writes a page of a table as json.Marshal writes the map
// gin.H{"rows", "count", "total", "truncated", "next_offset"} with extra's
// fields added: keys sorted, an extra of the same name replacing the
// table's own. Rows of a known type go through the appenders, the rest
// through encoding/json.
func appendPage[T any](b []byte, rows []T, total, hi int, extra map[string]any) ([]byte, error) {
	return appendPageOf(b, len(rows), total, hi, extra, func(b []byte) ([]byte, error) {
		b, known := appendRowsJSON(b, rows)
		if known {
			return b, nil
		}
		enc, err := json.Marshal(rows)
		return append(b, enc...), err
	})
}

// appendPageOf is appendPage with count rows written by rows.
func appendPageOf(b []byte, count, total, hi int, extra map[string]any, rows func([]byte) ([]byte, error)) ([]byte, error) {
	keys := tableFields
	if len(extra) > 0 {
		keys = slices.Clone(tableFields)
		for k := range extra {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
	}
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		if x, ok := extra[k]; ok {
			enc, err := json.Marshal(x)
			if err != nil {
				return b, err
			}
			b = append(b, enc...)
			continue
		}
		switch k {
		case "count":
			b = strconv.AppendInt(b, int64(count), 10)
		case "next_offset":
			if hi < total {
				b = strconv.AppendInt(b, int64(hi), 10)
			} else {
				b = append(b, "null"...)
			}
		case "rows":
			var err error
			if b, err = rows(b); err != nil {
				return b, err
			}
		case "total":
			b = strconv.AppendInt(b, int64(total), 10)
		case "truncated":
			b = strconv.AppendBool(b, hi < total)
		}
	}
	return append(b, '}'), nil
}

// pageBuffers are the buffers answers are encoded into, kept between
// requests so that a 200 KB answer does not grow a new one each time.
var pageBuffers = sync.Pool{New: func() any { return new([]byte) }}
