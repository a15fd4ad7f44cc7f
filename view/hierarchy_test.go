package view

import (
	"slices"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// frozenView is the View of the frozen dataset in a memory store.
func frozenView(t *testing.T) *View {
	t.Helper()
	return loadView(t, dataDir)
}

func TestConceptHierarchy(t *testing.T) {
	v := frozenView(t)
	if got := v.Term(schema.Technology, "5g").Broader; got != "communication-network-infrastructure" {
		t.Errorf("5g broader %q", got)
	}
	info := v.Narrower("information-infrastructure")
	for _, want := range []string{"information-infrastructure", "communication-network-infrastructure", "5g", "computing-infrastructure", "data-center", "supercomputing", "blockchain"} {
		if !slices.Contains(info, want) {
			t.Errorf("information-infrastructure does not include %s: %v", want, info)
		}
	}
	if slices.Contains(info, "uhv") || info[0] != "information-infrastructure" {
		t.Errorf("narrower of information-infrastructure: %v", info)
	}
	if got := v.Narrower("blockchain"); len(got) != 1 {
		t.Errorf("a leaf's narrower: %v", got)
	}
	// Every concept but the three categories has a broader one.
	tops := []string{"information-infrastructure", "innovation-infrastructure", "integration-infrastructure"}
	for _, e := range v.Technologies {
		if (e.Broader == "") != slices.Contains(tops, e.ID) {
			t.Errorf("%s broader %q", e.ID, e.Broader)
		}
	}
	tests := []struct {
		tech    string
		cities  []string
		matched []string
	}{
		{"information-infrastructure", []string{"beijing", "fuzhou", "shanghai"}, nil},
		{"computing-infrastructure", []string{"shanghai"}, []string{"data-center"}},
		{"new-technology-infrastructure", []string{"beijing", "fuzhou", "shanghai"}, []string{"blockchain"}},
		{"integration-infrastructure", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.tech, func(t *testing.T) {
			rows := v.CitiesWith(MeasureFilter{Technology: tt.tech})
			var cities []string
			for _, r := range rows {
				cities = append(cities, r.City)
				if len(r.Matched) == 0 {
					t.Errorf("row %s says no concept matched", r.City)
				}
				for _, m := range r.Matched {
					if !slices.Contains(v.Narrower(tt.tech), m) {
						t.Errorf("row %s matched %s, not under %s", r.City, m, tt.tech)
					}
				}
				if tt.matched != nil && !slices.Equal(r.Matched, tt.matched) {
					t.Errorf("row %s matched %v, want %v", r.City, r.Matched, tt.matched)
				}
			}
			if !slices.Equal(cities, tt.cities) {
				t.Errorf("cities %v, want %v", cities, tt.cities)
			}
		})
	}
	// A leaf asked by itself matches itself; no technology, no matched.
	for _, m := range v.FindMeasures(MeasureFilter{Technology: "blockchain"}) {
		if !slices.Equal(m.Matched, []string{"blockchain"}) {
			t.Errorf("%s matched %v", m.ID, m.Matched)
		}
	}
	for _, m := range v.FindMeasures(MeasureFilter{}) {
		if m.Matched != nil {
			t.Errorf("%s matched %v without a technology asked", m.ID, m.Matched)
		}
	}
	// The concept's count covers its narrower concepts' counts.
	if got, want := len(v.MentionsOf("information-infrastructure", "")), len(v.Mentions); got != want {
		t.Errorf("mention counts under information-infrastructure: %d, want all %d", got, want)
	}
}

func TestJurisdictions(t *testing.T) {
	v := frozenView(t)
	levels := map[string]schema.Level{"china": schema.Nation, "beijing": schema.Municipality, "fujian": schema.ProvinceLevel, "fuzhou": schema.CityLevel}
	for id, want := range levels {
		if c := v.City(id); c == nil || c.Level != want {
			t.Errorf("%s: %+v, want level %s", id, c, want)
		}
	}
	if c := v.City("fuzhou"); c.Parent != "fujian" || c.Province != "fujian" || c.Code != "350100" {
		t.Errorf("fuzhou: %+v", c)
	}
	if got := v.Under("fujian"); !slices.Equal(got, []string{"fujian", "fuzhou"}) {
		t.Errorf("under fujian: %v", got)
	}
	// A province's plans include its cities'; the nation's include all.
	if got := len(v.PlansOf("fujian")); got != len(v.PlansOf("fuzhou")) || got == 0 {
		t.Errorf("fujian has %d plans, fuzhou %d", got, len(v.PlansOf("fuzhou")))
	}
	if got := len(v.PlansOf("china")); got != len(v.Plans) {
		t.Errorf("china has %d plans of %d", got, len(v.Plans))
	}
	rows := v.CitiesWith(MeasureFilter{City: "fujian", Technology: "blockchain", Domain: "finance"})
	if len(rows) != 1 || rows[0].City != "fuzhou" || rows[0].Basis != schema.Explicit {
		t.Errorf("fujian, blockchain in finance: %+v", rows)
	}
	if id, _ := v.Resolve(schema.City, "山東省"); id != "shandong" {
		t.Errorf("山東省 resolves to %q", id)
	}
}

func TestCoverage(t *testing.T) {
	v := frozenView(t)
	// Shandong's plans are not in the frozen graph.
	notes := v.Coverage(MeasureFilter{City: "shandong", Technology: "5g"}, nil)
	if len(notes) != 1 || notes[0].Status != NoPlans || notes[0].City != "shandong" || !strings.Contains(notes[0].Note, "Shandong") {
		t.Errorf("shandong: %+v", notes)
	}
	// The three plans are counted naming 5G, but no measure links it.
	notes = v.Coverage(MeasureFilter{Technology: "5g"}, nil)
	var cities []string
	for _, n := range notes {
		cities = append(cities, n.City)
		if n.Status != MentionsOnly || len(n.Mentions) == 0 {
			t.Errorf("note %+v", n)
		}
	}
	if !slices.Equal(cities, []string{"beijing", "fuzhou", "shanghai"}) {
		t.Errorf("5g coverage for %v", cities)
	}
	// A jurisdiction that has rows needs no note; one with plans and no
	// count of the technology has nothing to explain.
	if notes := v.Coverage(MeasureFilter{Technology: "5g"}, []string{"beijing", "fuzhou", "shanghai"}); len(notes) != 0 {
		t.Errorf("answered cities got notes: %+v", notes)
	}
	if notes := v.Coverage(MeasureFilter{City: "fuzhou", Technology: "uhv"}, nil); len(notes) != 0 {
		t.Errorf("fuzhou, uhv: %+v", notes)
	}
	// Shanghai's plan is counted naming blockchain zero times: no note.
	if notes := v.Coverage(MeasureFilter{Technology: "blockchain", Basis: "explicit"}, []string{"beijing", "fuzhou"}); len(notes) != 0 {
		t.Errorf("a count of zero made a note: %+v", notes)
	}
	if notes := v.Coverage(MeasureFilter{City: "fujian"}, nil); len(notes) != 0 {
		t.Errorf("fujian has Fuzhou's plans: %+v", notes)
	}
}
