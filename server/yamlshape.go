package server

import (
	"bytes"
	"fmt"
)

// Limits of an uploaded document's shape, checked before it is parsed:
// the YAML parser's time and memory grow faster than the input with
// nesting (30,000 nested "- " items, 60 KB, took 5 s and 1.4 GB; 300 KB
// passed 14 GB), and a plan is a few levels deep. The largest plan in
// data/ is far inside both.
const (
	maxYAMLDepth = 64
	maxYAMLNodes = 50000
)

// yamlShapeError is a document over a shape limit, where it first was.
type yamlShapeError struct {
	line, col int
	what      string
}

func (e *yamlShapeError) Error() string {
	return fmt.Sprintf("request body:%d:%d: %s", e.line, e.col, e.what)
}

// checkYAMLShape scans src once, without building anything, and reports
// where its nesting first passes maxYAMLDepth or its nodes maxYAMLNodes.
// It over-counts rather than under-counts: every block item ("- ", "? "),
// every key ("k: ") and every flow element is a node, and depth is the
// block indentation levels open plus the flow brackets open. Quoted
// scalars, comments and block scalars (| and >) are skipped as text.
func checkYAMLShape(src []byte) error {
	var (
		cols   []int // columns of the block nodes open
		flow   int   // flow brackets open
		nodes  int
		scalar = -1 // indentation a block scalar's text is deeper than
	)
	over := func(line, col int) error {
		if d := len(cols) + flow; d > maxYAMLDepth {
			return &yamlShapeError{line, col, fmt.Sprintf("nested %d deep, more than the %d a document may be", d, maxYAMLDepth)}
		}
		if nodes > maxYAMLNodes {
			return &yamlShapeError{line, col, fmt.Sprintf("more than %d YAML nodes, the most a document may have", maxYAMLNodes)}
		}
		return nil
	}
	open := func(col int) {
		for len(cols) > 0 && cols[len(cols)-1] >= col {
			cols = cols[:len(cols)-1]
		}
		cols = append(cols, col)
		nodes++
	}
	for n, line := range bytes.Split(src, []byte("\n")) {
		ln := n + 1
		line = bytes.TrimRight(line, "\r")
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		rest := line[indent:]
		if len(rest) == 0 || rest[0] == '#' {
			continue
		}
		if scalar >= 0 {
			if indent > scalar {
				continue
			}
			scalar = -1
		}
		i := indent
		if flow == 0 {
			// Block indicators, possibly several on one line ("- - a").
			for i < len(line) && (line[i] == '-' || line[i] == '?') && (i+1 == len(line) || line[i+1] == ' ') {
				open(i)
				if err := over(ln, i+1); err != nil {
					return err
				}
				i += 2
				for i < len(line) && line[i] == ' ' {
					i++
				}
			}
		}
		// The rest of the line: keys, flow brackets and elements.
		quote := byte(0)
		keyed := false
		for j := i; j < len(line); j++ {
			ch := line[j]
			if quote != 0 {
				if ch == quote {
					quote = 0
				}
				continue
			}
			switch ch {
			case '"', '\'':
				quote = ch
			case '#':
				if j == 0 || line[j-1] == ' ' {
					j = len(line)
				}
			case '[', '{':
				flow++
				nodes++
			case ']', '}':
				if flow > 0 {
					flow--
				}
			case ',':
				if flow > 0 {
					nodes++
				}
			case ':':
				if j+1 == len(line) || line[j+1] == ' ' {
					if flow == 0 && !keyed {
						open(i)
						keyed = true
					}
					nodes++
				}
			case '|', '>':
				if flow == 0 && (j == i || line[j-1] == ' ') && blockScalarHeader(line[j:]) {
					scalar = indent
					j = len(line)
				}
			}
			if err := over(ln, j+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// blockScalarHeader reports whether s, starting at | or >, is a block
// scalar's header: the indicator, optional chomping and indentation
// digits, then nothing but a comment.
func blockScalarHeader(s []byte) bool {
	i := 1
	for i < len(s) && (s[i] == '-' || s[i] == '+' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	rest := bytes.TrimLeft(s[i:], " ")
	return len(rest) == 0 || rest[0] == '#'
}
