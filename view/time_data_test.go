package view

import (
	"slices"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// TestTimeOnRealData asks the dated questions of data/ itself: which
// dates each answer rests on, where the fixture has too few plans to show it.
func TestTimeOnRealData(t *testing.T) {
	v := loadView(t, "../data")
	inForce := map[string]Dating{}
	for _, p := range v.PlansAt("", TimeFilter{InForce: "2021-06-01"}) {
		inForce[p.ID] = p.Dating
	}
	// Guangdong's opinions were published three weeks before; Tianjin's
	// 2021–2023 plan counts from the start of its period; Fuzhou's second
	// plan was published in 2024; Jiangmen's action plan has a signing
	// date and neither a publication date nor a period, so the rule cannot
	// place it in force.
	if d := inForce["guangdong-digital-development-2021"]; d.InForceFrom != "2021-05-13" || d.InForceFromBasis != "published" {
		t.Errorf("guangdong: %+v", d)
	}
	if d := inForce["tianjin-new-infrastructure-2021"]; d.InForceFrom != "2021-01-01" || d.InForceFromBasis != "period_start" || d.InForceUntil != "2023-12-31" {
		t.Errorf("tianjin: %+v", d)
	}
	for _, out := range []string{"fuzhou-new-infrastructure-2023", "jiangmen-blockchain-government-2020"} {
		if _, ok := inForce[out]; ok {
			t.Errorf("%s is counted in force on 2021-06-01", out)
		}
	}
	// Named in the plans' own words: Fuzhou a week before Beijing, and
	// Jiangmen by the date its notice was signed. Hebei's plan is dated by
	// its period alone, which its row says.
	rows := map[string]Adoption{}
	var order []string
	for _, a := range v.Timeline(TimelineFilter{Technology: "blockchain", Basis: schema.Explicit}) {
		rows[a.City] = a
		order = append(order, a.City)
	}
	if rows["fuzhou"].Date != "2020-06-02" || rows["beijing"].Date != "2020-06-09" || rows["beijing"].Adopters <= rows["fuzhou"].Adopters ||
		slices.Index(order, "fuzhou") > slices.Index(order, "beijing") {
		t.Errorf("fuzhou %+v, beijing %+v", rows["fuzhou"], rows["beijing"])
	}
	if j := rows["jiangmen"]; j.Date != "2020-11-09" || j.DateBasis != "signed" {
		t.Errorf("jiangmen: %+v", j)
	}
	if h := rows["hebei"]; h.Date != "2020-01-01" || h.DateBasis != "period_start" {
		t.Errorf("hebei: %+v", h)
	}
}
