package view

import (
	"encoding/json"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// TestRowsJSONIsEncodingJSON: the cities question's rows and coverage
// notes encode as encoding/json encodes them, on the fixture's answers
// and on strings it escapes, empty and nil lists.
func TestRowsJSONIsEncodingJSON(t *testing.T) {
	v := frozenView(t)
	var rows []CityRow
	var notes []CoverageNote
	for _, tech := range append([]string{""}, v.Narrower("information-infrastructure")...) {
		f := MeasureFilter{Technology: tech}
		rs := v.CitiesWith(f)
		cities := make([]string, len(rs))
		for i, r := range rs {
			cities[i] = r.City
		}
		rows = append(rows, rs...)
		notes = append(notes, v.Coverage(f, cities[:len(cities)/2])...)
		notes = append(notes, v.Coverage(MeasureFilter{City: "nowhere-with-plans", Technology: tech}, nil)...)
	}
	tricky := []string{"", `q"b\`, "<a>&", "tab\tnl\n\x01", "\u2028\u2029", "bad\xff", "中文"}
	for _, s := range tricky {
		rows = append(rows, CityRow{City: s, Name: s, Basis: schema.Basis(s), Plans: []string{s}, Measures: []string{s, s}, Matched: []string{s}})
		notes = append(notes, CoverageNote{City: s, Status: s, Mentions: []string{s}, Note: s})
	}
	rows = append(rows, CityRow{}, CityRow{Plans: []string{}, Measures: []string{}, Matched: []string{}})
	notes = append(notes, CoverageNote{}, CoverageNote{Mentions: []string{}})
	if len(rows) < 20 || len(notes) < 10 {
		t.Fatalf("%d rows, %d notes", len(rows), len(notes))
	}
	for _, r := range rows {
		want, _ := json.Marshal(r)
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("row:\n got %s\nwant %s", got, want)
		}
	}
	for _, n := range notes {
		want, _ := json.Marshal(n)
		if got := n.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("note:\n got %s\nwant %s", got, want)
		}
	}
}
