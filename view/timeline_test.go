package view

import (
	"fmt"
	"slices"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// TestInForce: the rule of Dating on the frozen plans, date by date.
func TestInForce(t *testing.T) {
	v := frozenView(t)
	ids := func(ps []*Plan) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	tests := []struct {
		name string
		f    TimeFilter
		want []string
	}{
		// Before Shanghai's publication only Beijing's blockchain plan,
		// dated by its period alone, counts from 1 January 2020.
		{"2020-05-01", TimeFilter{InForce: "2020-05-01"}, []string{"beijing-blockchain-2020"}},
		{"2020-06-05", TimeFilter{InForce: "2020-06-05"}, []string{"beijing-blockchain-2020", "fuzhou-new-infrastructure-2020", "fuzhou-new-infrastructure-measures-2020", "shanghai-new-infrastructure-2020"}},
		{"2021-06-01", TimeFilter{InForce: "2021-06-01"}, []string{"beijing-blockchain-2020", "beijing-new-infrastructure-2020", "china-new-infrastructure-14th-fyp",
			"fuzhou-new-infrastructure-2020", "fuzhou-new-infrastructure-measures-2020", "shanghai-new-infrastructure-2020", "shaoxing-new-infrastructure-2020"}},
		// The 2020–2022 plans end with their period; Fuzhou's measures
		// document has no period and no expiry, so it has no end.
		{"2023-01-01", TimeFilter{InForce: "2023-01-01"}, []string{"china-new-infrastructure-14th-fyp", "fuzhou-new-infrastructure-measures-2020"}},
		{"published in June 2020", TimeFilter{PublishedAfter: "2020-06-01", PublishedBefore: "2020-06-30"},
			[]string{"beijing-blockchain-2020", "beijing-new-infrastructure-2020", "fuzhou-new-infrastructure-2020", "fuzhou-new-infrastructure-measures-2020"}},
		{"published on or before Shanghai's day", TimeFilter{PublishedBefore: "2020-05-07"}, []string{"shanghai-new-infrastructure-2020"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(v.PlansAt("", tt.f)); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	bj := v.Plan("beijing-blockchain-2020").Dating
	if bj != (Dating{Issued: "2020-06-09", IssuedBasis: "reviewed", InForceFrom: "2020-01-01", InForceFromBasis: "period_start", InForceUntil: "2022-12-31", InForceUntilBasis: "period_end"}) {
		t.Errorf("beijing-blockchain-2020 dating %+v", bj)
	}
	// A measure row carries the dates of its plan, and the filter applies to measures.
	rows := v.FindMeasures(MeasureFilter{Technology: "blockchain", Time: TimeFilter{InForce: "2020-06-05"}})
	cities := map[string]bool{}
	for _, r := range rows {
		cities[r.City] = true
		if r.PlanDates == nil || r.PlanDates.InForceFrom > "2020-06-05" {
			t.Errorf("%s: plan dates %+v", r.ID, r.PlanDates)
		}
	}
	if !cities["shanghai"] || !cities["fuzhou"] || cities["beijing"] && !slices.ContainsFunc(rows, func(r MeasureRow) bool { return r.Plan == "beijing-blockchain-2020" }) {
		t.Errorf("cities of blockchain measures in force on 2020-06-05: %v", cities)
	}
	for _, r := range rows {
		if r.Plan == "beijing-new-infrastructure-2020" {
			t.Errorf("%s of a plan published 2020-06-09 is not in force on 2020-06-05", r.ID)
		}
	}
}

func TestTimeline(t *testing.T) {
	v := frozenView(t)
	type row struct {
		city, plan, date, basis string
		adopters                int
	}
	tests := []struct {
		name string
		f    TimelineFilter
		want []row
	}{
		// Shanghai never names blockchain: it is first only by the
		// article's inference.
		{"blockchain", TimelineFilter{Technology: "blockchain"}, []row{
			{"shanghai", "shanghai-new-infrastructure-2020", "2020-05-07", "inferred", 1},
			{"fuzhou", "fuzhou-new-infrastructure-2020", "2020-06-02", "explicit", 2},
			{"beijing", "beijing-new-infrastructure-2020", "2020-06-09", "explicit", 3}}},
		{"blockchain named", TimelineFilter{Technology: "blockchain", Basis: schema.Explicit}, []row{
			{"fuzhou", "fuzhou-new-infrastructure-2020", "2020-06-02", "explicit", 1},
			{"beijing", "beijing-new-infrastructure-2020", "2020-06-09", "explicit", 2}}},
		{"blockchain in finance", TimelineFilter{Technology: "blockchain", Domain: "finance", Basis: schema.Explicit}, []row{
			{"fuzhou", "fuzhou-new-infrastructure-2020", "2020-06-02", "explicit", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []row
			for _, a := range v.Timeline(tt.f) {
				got = append(got, row{a.City, a.Plan, a.Date, string(a.Basis), a.Adopters})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
	// A broader concept covers the concepts under it: Shanghai names no
	// blockchain but names data centres, both information infrastructure.
	tl := v.Timeline(TimelineFilter{Technology: "information-infrastructure", Basis: schema.Explicit})
	if len(tl) != 3 || tl[0].City != "shanghai" || !slices.Equal(tl[0].Matched, []string{"data-center"}) || tl[2].Adopters != 3 {
		t.Errorf("information infrastructure: %+v", tl)
	}
}

func TestPanel(t *testing.T) {
	v := frozenView(t)
	rows := v.Panel(PanelFilter{Unit: UnitCity, Technologies: []string{"blockchain"}})
	byKey := map[string]PanelRow{}
	for _, r := range rows {
		byKey[fmt.Sprintf("%s/%d", r.Unit, r.Period)] = r
	}
	// Eight cities and municipalities × 2020–2021, the years the plans are dated in.
	if len(rows) != 16 || byKey["china/2021"].Unit != "" || byKey["fujian/2020"].Unit != "" {
		t.Errorf("units: %d rows, %v", len(rows), byKey["china/2021"])
	}
	tests := []struct {
		key  string
		want PanelRow
	}{
		// Beijing's blockchain plan and new-infrastructure plan: 12 measures,
		// and the article's count of 8 mentions.
		{"beijing/2020", PanelRow{Unit: "beijing", Name: "Beijing", Level: "municipality", Period: 2020, Technology: "blockchain", Adopted: 1, Event: 1, FirstAdoption: 2020, Measures: 12, Explicit: 11, Inferred: 1, Mentions: 8}},
		{"fuzhou/2021", PanelRow{Unit: "fuzhou", Name: "Fuzhou", Level: "city", Period: 2021, Technology: "blockchain", Adopted: 1, FirstAdoption: 2020}},
		{"fuzhou/2020", PanelRow{Unit: "fuzhou", Name: "Fuzhou", Level: "city", Period: 2020, Technology: "blockchain", Adopted: 1, Event: 1, FirstAdoption: 2020, Measures: 8, Explicit: 6, Inferred: 2, Mentions: 10}},
		{"shanghai/2020", PanelRow{Unit: "shanghai", Name: "Shanghai", Level: "municipality", Period: 2020, Technology: "blockchain", Adopted: 1, Event: 1, FirstAdoption: 2020, Measures: 6, Inferred: 6}},
		{"shaoxing/2020", PanelRow{Unit: "shaoxing", Name: "Shaoxing", Level: "city", Period: 2020, Technology: "blockchain"}},
	}
	for _, tt := range tests {
		if got := byKey[tt.key]; got != tt.want {
			t.Errorf("%s: got %+v\nwant %+v", tt.key, got, tt.want)
		}
	}
	// By province, Fuzhou's adoption is Fujian's.
	for _, r := range v.Panel(PanelFilter{Unit: UnitProvince, Technologies: []string{"blockchain"}, Domains: []string{"finance"}, Basis: schema.Explicit}) {
		if want := r.Unit == "fujian"; (r.Adopted == 1) != want || r.Domain != "finance" {
			t.Errorf("province panel row %+v", r)
		}
	}
}

func TestSimilar(t *testing.T) {
	v := frozenView(t)
	got, ok := v.SimilarTo("beijing-blockchain-government", TimeFilter{})
	if !ok || len(got) < 2 {
		t.Fatalf("similar: %v %v", ok, got)
	}
	// The same measure in the other two cities comes first: the same
	// technology and domain, and the closest wording.
	top := []string{got[0].Measure, got[1].Measure}
	slices.Sort(top)
	if !slices.Equal(top, []string{"fuzhou-blockchain-government", "shanghai-blockchain-government"}) {
		t.Errorf("top two: %v", got[:2])
	}
	for _, s := range got {
		if s.City == "beijing" {
			t.Errorf("%s is in the asked measure's own city", s.Measure)
		}
		if s.Order != "before" && s.Order != "after" && s.Order != "same_day" && s.Order != "unknown" {
			t.Errorf("%s: order %q", s.Measure, s.Order)
		}
	}
	if got[0].Order != "before" || got[0].Technologies != 1 || got[0].Domains != 1 || got[0].Text <= 0 {
		t.Errorf("first: %+v", got[0])
	}
	// A measure's instruments are its instrument types and the kinds of
	// the support it offers: Fuzhou's finance demonstration is a pilot.
	if got := v.instrumentKinds(v.Measure("fuzhou-finance-demonstration")); !slices.Contains(got, "pilot") {
		t.Errorf("instruments of fuzhou-finance-demonstration: %v, want pilot among them", got)
	}
	if _, ok := v.SimilarTo("no-such-measure", TimeFilter{}); ok {
		t.Errorf("an unknown measure is found")
	}
}
