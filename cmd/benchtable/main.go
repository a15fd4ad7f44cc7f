// Command benchtable reads the output of the scale benchmarks (go test
// -bench, see make bench) and prints one Markdown table: figure, size,
// backend, value, goal, ratio and whether the goal is met. It adds the
// growth figure: each question's p50 at the largest size over its p50 at S.
//
//	go test ./server -run '^$' -bench . | go run ./cmd/benchtable
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// row is one line of the table.
type row struct {
	figure, size, backend string
	metrics               []benchfmt.Value
	ratio, goal           float64
	atMost                bool // the goal is a ceiling, not a floor
}

func main() {
	rows, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(rows) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results with a ratio on standard input")
		os.Exit(1)
	}
	rows = append(rows, growth(rows)...)
	write(os.Stdout, rows)
}

func read(r io.Reader) ([]row, error) {
	var rows []row
	br := benchfmt.NewReader(r, "stdin")
	for br.Scan() {
		res, ok := br.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		_, parts := res.Name.Parts()
		keys := map[string]string{}
		for _, p := range parts {
			k, v, ok := strings.Cut(strings.TrimPrefix(string(p), "/"), "=")
			if ok {
				keys[k] = v
			}
		}
		if keys["figure"] == "" {
			continue
		}
		rw := row{figure: keys["figure"], size: keys["size"], backend: keys["backend"]}
		if q := keys["question"]; q != "" {
			rw.figure += " " + q
		}
		if c := keys["cache"]; c != "" {
			rw.figure += " (cache " + c + ")"
		}
		for _, v := range res.Values {
			unit := v.Unit
			if v.OrigUnit != "" {
				unit, v.Value = v.OrigUnit, v.OrigValue
			}
			switch unit {
			case "ratio":
				rw.ratio = v.Value
			case "goal-min":
				rw.goal = v.Value
			case "goal-max":
				rw.goal, rw.atMost = v.Value, true
			case "ns/op", "sec/op":
			default:
				rw.metrics = append(rw.metrics, benchfmt.Value{Value: v.Value, Unit: unit})
			}
		}
		rows = append(rows, rw)
	}
	return rows, br.Err()
}

// growth derives figure 4: p50 at the largest size measured over p50 at S,
// per question, cache setting and backend.
func growth(rows []row) []row {
	order := []string{"S", "M", "L", "XL"}
	type key struct{ figure, backend string }
	bySize := map[key]map[string]row{}
	var keys []key
	for _, r := range rows {
		if !strings.HasPrefix(r.figure, "questions ") {
			continue
		}
		if _, ok := metric(r, "µs-p50"); !ok {
			continue
		}
		k := key{r.figure, r.backend}
		if bySize[k] == nil {
			bySize[k] = map[string]row{}
			keys = append(keys, k)
		}
		bySize[k][r.size] = r
	}
	var out []row
	for _, k := range keys {
		s, ok := bySize[k]["S"]
		if !ok {
			continue
		}
		largest := ""
		for _, size := range order[1:] {
			if _, ok := bySize[k][size]; ok {
				largest = size
			}
		}
		if largest == "" {
			continue
		}
		l := bySize[k][largest]
		sp50, _ := metric(s, "µs-p50")
		lp50, _ := metric(l, "µs-p50")
		vals := []benchfmt.Value{{Value: sp50, Unit: "µs-p50-S"}, {Value: lp50, Unit: "µs-p50-" + largest}}
		// An answer that grows with the data cannot be sent in constant
		// time: say how much it grew beside how much its time did.
		sb, okS := metric(s, "bytes-answer")
		lb, okL := metric(l, "bytes-answer")
		if okS && okL && sb > 0 {
			vals = append(vals, benchfmt.Value{Value: lb / sb, Unit: "×-answer-bytes"})
		}
		out = append(out, row{
			figure: "growth " + strings.TrimPrefix(k.figure, "questions "), size: "S→" + largest, backend: k.backend,
			metrics: vals, ratio: lp50 / sp50, goal: 3, atMost: true,
		})
	}
	return out
}

func metric(r row, unit string) (float64, bool) {
	i := slices.IndexFunc(r.metrics, func(v benchfmt.Value) bool { return v.Unit == unit })
	if i < 0 {
		return 0, false
	}
	return r.metrics[i].Value, true
}

func write(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| figure | size | backend | value | goal | ratio | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, r := range rows {
		var vals []string
		for _, m := range r.metrics {
			vals = append(vals, fmt.Sprintf("%s %s", number(m.Value), m.Unit))
		}
		goal, met := "≥ "+number(r.goal), r.ratio >= r.goal
		if r.atMost {
			goal, met = "≤ "+number(r.goal), r.ratio <= r.goal
		}
		verdict := "yes"
		switch {
		case atLOnly(r.figure) && r.size != "L" && r.size != "XL":
			verdict = "(goal is at L)"
		case !met:
			verdict = "**no**"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", r.figure, r.size, r.backend, strings.Join(vals, ", "), goal, number(r.ratio), verdict)
	}
}

// atLOnly says whether the issue sets the figure's goal at size L (and
// so at XL), the smaller sizes being measured to show the trend.
func atLOnly(figure string) bool {
	name, _, _ := strings.Cut(figure, " ")
	return name == "questions" || name == "http" || name == "memory" || name == "diffusion"
}

// number prints a figure with three significant digits, thousands as is.
func number(f float64) string {
	switch {
	case f >= 1000:
		return fmt.Sprintf("%.0f", f)
	case f >= 100:
		return fmt.Sprintf("%.1f", f)
	case f >= 1:
		return fmt.Sprintf("%.2f", f)
	}
	return fmt.Sprintf("%.3g", f)
}
