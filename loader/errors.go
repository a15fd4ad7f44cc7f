package loader

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a data file, at a line and column (1-based).
type Error struct {
	File  string // path as given to the loader
	Line  int
	Col   int
	Field string // e.g. measures[2].technologies[0].id; empty for syntax errors
	Msg   string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Col, e.Field, e.Msg)
}

// Errors is every problem found in a data directory, sorted by place.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// pos is a place in a file.
type pos struct{ line, col int }

// didYouMean formats suggestions for an unknown name.
func didYouMean(s []string) string {
	if len(s) == 0 {
		return ""
	}
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return " (did you mean " + strings.Join(q, " or ") + "?)"
}
