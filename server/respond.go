package server

import (
	"encoding/csv"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/render"
	"github.com/policygraph/policygraph/view"
)

// column is one CSV column of a row type.
type column[T any] struct {
	name string
	get  func(T) string
}

// wantsCSV reports whether the client asked for CSV (format=csv, or an
// Accept header preferring text/csv). An unknown format is a 400.
func wantsCSV(c *gin.Context) (bool, error) {
	switch f := c.Query("format"); f {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
	default:
		return false, badRequest("unknown format %q: use json or csv", f)
	}
	for _, part := range strings.Split(c.GetHeader("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true, nil
		case "application/json", "*/*":
			return false, nil
		}
	}
	return false, nil
}

// page is the limit and offset of a tabular request.
type page struct{ limit, offset int }

const (
	defaultLimit = 1000
	maxLimit     = 100000
)

func parsePage(c *gin.Context) (page, error) {
	p := page{limit: defaultLimit}
	var err error
	if p.limit, err = intParam(c, "limit", defaultLimit, 1, maxLimit); err != nil {
		return p, err
	}
	if p.offset, err = intParam(c, "offset", 0, 0, 1<<31-1); err != nil {
		return p, err
	}
	return p, nil
}

func intParam(c *gin.Context, name string, def, lo, hi int) (int, error) {
	s, ok := c.GetQuery(name)
	if !ok || s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badRequest("bad %s %q: want a whole number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

// rowsHandler answers a tabular endpoint: rows computes its rows from the
// request over the current view, and table pages and encodes them.
func rowsHandler[T any](s *Server, cols []column[T], rows func(c *gin.Context, v *view.View) ([]T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		r, err := rows(c, v)
		if err != nil {
			s.fail(c, err)
			return
		}
		table(s, c, r, cols)
	}
}

// table answers rows as {"rows","count","total","truncated","next_offset"}
// or as CSV with one line per row, after applying limit and offset. Rows
// past the page are never dropped silently: truncated and next_offset say
// so in JSON, the X-Total-Count and X-Next-Offset headers in CSV.
func table[T any](s *Server, c *gin.Context, rows []T, cols []column[T]) {
	tableWith(s, c, rows, cols, nil)
}

// tableWith is table with extra top-level fields in the JSON answer.
func tableWith[T any](s *Server, c *gin.Context, rows []T, cols []column[T], extra gin.H) {
	asCSV, p, err := tableParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	total := len(rows)
	lo := min(p.offset, total)
	hi := min(lo+p.limit, total)
	writePage(s, c, asCSV, p, rows[lo:hi], total, cols, extra)
}

// tableParams reads how a table is asked for: as CSV or not, and which page.
func tableParams(c *gin.Context) (asCSV bool, p page, err error) {
	if asCSV, err = wantsCSV(c); err != nil {
		return false, p, err
	}
	p, err = parsePage(c)
	return asCSV, p, err
}

// writePage writes one page of a table of total rows (the rows from
// p.offset) as tableWith does; for questions that make only the rows of
// the page asked.
func writePage[T any](s *Server, c *gin.Context, asCSV bool, p page, pageRows []T, total int, cols []column[T], extra gin.H) {
	lo := min(p.offset, total)
	hi := lo + len(pageRows)
	if hi < total {
		c.Header("X-Next-Offset", strconv.Itoa(hi))
	}
	c.Header("X-Total-Count", strconv.Itoa(total))
	if asCSV {
		writeCSV(c, pageRows, cols)
		return
	}
	if pageRows == nil {
		pageRows = []T{}
	}
	writeJSONPage(s, c, func(b []byte) ([]byte, error) { return appendPage(b, pageRows, total, hi, extra) })
}

// writeRows writes one page of a table of total rows made one at a time,
// row(i) for the i-th: the rows past the page are never made, and those
// of the page are encoded as they are made (by enc) rather than held.
func writeRows[T any](s *Server, c *gin.Context, asCSV bool, p page, total int, row func(int) T, enc func([]byte, *T) []byte, cols []column[T], extra gin.H) {
	lo := min(p.offset, total)
	hi := min(lo+p.limit, total)
	if hi < total {
		c.Header("X-Next-Offset", strconv.Itoa(hi))
	}
	c.Header("X-Total-Count", strconv.Itoa(total))
	if asCSV {
		pageRows := make([]T, 0, hi-lo)
		for i := lo; i < hi; i++ {
			pageRows = append(pageRows, row(i))
		}
		writeCSV(c, pageRows, cols)
		return
	}
	writeJSONPage(s, c, func(b []byte) ([]byte, error) {
		return appendPageOf(b, hi-lo, total, hi, extra, func(b []byte) ([]byte, error) {
			b = append(b, '[')
			for i := lo; i < hi; i++ {
				if i > lo {
					b = append(b, ',')
				}
				r := row(i)
				b = enc(b, &r)
			}
			return append(b, ']'), nil
		})
	})
}

// writeJSONPage answers the JSON page page writes, encoded into a pooled buffer.
func writeJSONPage(s *Server, c *gin.Context, page func([]byte) ([]byte, error)) {
	buf := pageBuffers.Get().(*[]byte)
	body, err := page((*buf)[:0])
	if err != nil {
		pageBuffers.Put(buf)
		s.fail(c, err)
		return
	}
	c.Render(http.StatusOK, render.Data{ContentType: jsonContentType, Data: body})
	// A rare huge answer's buffer is let go rather than kept for every later one.
	if cap(body) <= maxPooledPage {
		*buf = body
		pageBuffers.Put(buf)
	}
}

// jsonContentType is the Content-Type gin's JSON answers carry.
const jsonContentType = "application/json; charset=utf-8"

// maxPooledPage is the largest buffer pageBuffers keeps.
const maxPooledPage = 4 << 20

func writeCSV[T any](c *gin.Context, rows []T, cols []column[T]) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	rec := make([]string, len(cols))
	for i, col := range cols {
		rec[i] = col.name
	}
	_ = w.Write(rec)
	for _, r := range rows {
		for i, col := range cols {
			rec[i] = col.get(r)
		}
		_ = w.Write(rec)
	}
	w.Flush()
}

// list joins ids for a CSV cell.
func list(xs []string) string { return strings.Join(xs, ";") }
