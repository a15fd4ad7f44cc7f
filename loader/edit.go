package loader

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// RemoveRelated returns a plan file's text without the entries of its
// `related` list that name plan, every other line as it was (comments
// included), so that deleting a plan can remove the links to it from the
// plans that name it. An emptied list goes with its key. Only block lists
// (one "- " item per entry, the form the data files use) are edited; a
// flow list is an error saying so.
func RemoveRelated(src []byte, plan string) ([]byte, error) {
	f, err := parser.ParseBytes(src, parser.ParseComments)
	if err != nil || len(f.Docs) != 1 {
		return nil, fmt.Errorf("remove related %s: the file does not parse", plan)
	}
	top, ok := entries(unwrap(f.Docs[0].Body))
	if !ok {
		return nil, fmt.Errorf("remove related %s: the file is not a mapping", plan)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	drop := map[int]bool{} // 0-based line numbers
	for _, e := range top {
		if k, _ := scalarText(e.Key); k != "related" {
			continue
		}
		seq, ok := unwrap(e.Value).(*ast.SequenceNode)
		if !ok || seq.IsFlowStyle {
			return nil, fmt.Errorf("remove related %s: `related` is not a block list; edit the file by hand", plan)
		}
		// An item runs from its line to the line before the next item;
		// the last one, over the lines indented deeper than its dash.
		kept := 0
		last := e.Key.GetToken().Position.Line - 1
		for j, item := range seq.Values {
			from := dashLine(lines, item.GetToken().Position.Line-1)
			var to int
			if j+1 < len(seq.Values) {
				to = dashLine(lines, seq.Values[j+1].GetToken().Position.Line-1)
			} else {
				dash := indent(lines[from]) // the item's line starts with its dash
				for to = from + 1; to < len(lines) && indent(lines[to]) > dash; to++ {
				}
			}
			last = to
			if relatedPlan(item) != plan {
				kept++
				continue
			}
			for l := from; l < to; l++ {
				drop[l] = true
			}
		}
		if kept == 0 {
			for l := e.Key.GetToken().Position.Line - 1; l < last; l++ {
				drop[l] = true
			}
		}
	}
	var out bytes.Buffer
	for i, l := range lines {
		if !drop[i] {
			out.Write(l)
		}
	}
	return out.Bytes(), nil
}

// relatedPlan is the plan a `related` entry names.
func relatedPlan(n ast.Node) string {
	es, _ := entries(unwrap(n))
	for _, e := range es {
		if k, _ := scalarText(e.Key); k == "plan" {
			v, _ := scalarText(e.Value)
			return v
		}
	}
	return ""
}

// indent is how many spaces a line starts with; a blank line counts as
// deeper than anything, so it does not end an item.
func indent(line []byte) int {
	trimmed := bytes.TrimLeft(line, " ")
	if len(bytes.TrimSpace(trimmed)) == 0 {
		return 1 << 30
	}
	return len(line) - len(trimmed)
}

// dashLine is the line of the "- " that starts the list item whose first
// token is on line at: the same line, or an earlier one when the dash
// stands alone ("-" then the item's keys below it).
func dashLine(lines [][]byte, at int) int {
	for l := at; l >= 0; l-- {
		if s := bytes.TrimSpace(lines[l]); len(s) > 0 && s[0] == '-' {
			return l
		}
	}
	return at
}
