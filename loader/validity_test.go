package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// TestValidityDates: effective and expiry dates are checked where they
// are written, and a valid pair becomes two date quads of the plan.
func TestValidityDates(t *testing.T) {
	const plan = "plans/plan-a.yaml"
	bad := []struct {
		name, with, want string
	}{
		{"bad effective date", "effective: 2020-02-30\n", `plans/plan-a.yaml:6:12: effective: bad date "2020-02-30": write YYYY-MM-DD with a real month and day`},
		{"bad expiry date", "expires: 2022-13-01\n", `plans/plan-a.yaml:6:10: expires: bad date "2022-13-01": write YYYY-MM-DD with a real month and day`},
		{"expires before it takes effect", "effective: 2020-07-01\nexpires: 2020-06-30\n", `plans/plan-a.yaml:7:10: expires: the plan expires (2020-06-30) before it is effective (2020-07-01)`},
		{"expires before it is published", "expires: 2020-05-01\n", `plans/plan-a.yaml:6:10: expires: the plan expires (2020-05-01) before it is published (2020-06-02)`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyMini(t, map[string][2]string{plan: {"period:", tt.with + "period:"}})
			_, err := Load(dir)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v, want validation errors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
			}
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
	dir := copyMini(t, map[string][2]string{plan: {"period:", "effective: 2020-06-10\nexpires: 2022-12-31\nperiod:"}})
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[quad.Quad]bool{
		{Subject: schema.Plan.IRI("plan-a"), Predicate: schema.Effective, Object: schema.DateValue("2020-06-10"), Label: schema.GraphIRI("plan/plan-a")}: false,
		{Subject: schema.Plan.IRI("plan-a"), Predicate: schema.Expires, Object: schema.DateValue("2022-12-31"), Label: schema.GraphIRI("plan/plan-a")}:   false,
	}
	for _, g := range ds.Graphs {
		for _, q := range g.Quads {
			if _, ok := want[q]; ok {
				want[q] = true
			}
		}
	}
	for q, found := range want {
		if !found {
			t.Errorf("no quad %v", q)
		}
	}
}
