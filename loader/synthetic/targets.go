package synthetic

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// goalOf is what a plan counts for a technology when it sets a target
// for it, with the span of values a city's plan sets.
type goalOf struct {
	metric, unit string
	lo, hi       int
	step         float64
}

// goals are the targets real plans set most (5G base stations, racks,
// charging posts, …), in the units the data records.
var goals = map[string]goalOf{
	"5g":                      {"5G基站", "个", 1, 60, 1000},
	"data-center":             {"数据中心机架", "架", 1, 40, 1000},
	"charging-infrastructure": {"充电桩", "个", 1, 50, 1000},
	"gigabit-optical-network": {"千兆用户", "户", 1, 100, 10000},
	"iot":                     {"物联网终端连接", "个", 1, 500, 10000},
	"industrial-internet":     {"工业互联网平台", "个", 5, 60, 1},
	"blockchain":              {"区块链企业", "家", 10, 100, 1},
	"ai":                      {"人工智能产业规模", "元", 1, 100, 1e9},
}

// instrumentPick favours the instruments plans use most: infrastructure,
// pilots and platforms far more than procurement or tax relief.
var instrumentPick = newWeighted(schema.InstrumentTypeIDs(), func(i int) float64 {
	switch schema.InstrumentTypes[i].ID {
	case "infrastructure", "pilot", "platform", "application":
		return 4
	case "subsidy", "research", "talent", "planning", "standard":
		return 2
	}
	return 1
})

// extendPlan gives a generated plan's measures their instrument types and
// the plan its targets: one per measure whose first technology plans set
// numbers for (at most three), and one of total investment, due at the
// end of the plan's period. It draws from a stream of its own, seeded by
// the plan, so that the rest of the corpus is what it was without them.
func extendPlan(pf *loader.PlanFile, seed uint64) {
	h := fnv.New64a()
	h.Write([]byte(pf.ID))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	year := 0
	if pf.Period != nil {
		year = pf.Period.End
	}
	for i := range pf.Measures {
		m := &pf.Measures[i]
		seen := map[string]bool{}
		if len(m.Support) > 0 {
			m.Instruments, seen["subsidy"] = append(m.Instruments, "subsidy"), true
		}
		for range r.IntN(3) {
			if t := instrumentPick.pick(r); !seen[t] {
				seen[t] = true
				m.Instruments = append(m.Instruments, t)
			}
		}
	}
	for i := range pf.Measures {
		if len(pf.Targets) == 3 {
			break
		}
		m := &pf.Measures[i]
		if len(m.Technologies) == 0 {
			continue
		}
		g, ok := goals[m.Technologies[0].ID]
		if !ok || r.IntN(4) != 0 {
			continue
		}
		v := float64(g.lo+r.IntN(g.hi-g.lo+1)) * g.step
		t := loader.TargetDef{
			ID: fmt.Sprintf("%s-t%d", pf.ID, len(pf.Targets)), Measure: m.ID, Technology: m.Technologies[0].ID,
			Metric: g.metric, Value: &v, Unit: g.unit, Year: year,
			Evidence: loader.Evidence{Section: "generated", Summary: fmt.Sprintf("Target of %s, generated.", m.ID)},
		}
		if r.IntN(3) == 0 {
			t.Bound = string(schema.AtLeast)
		}
		if r.IntN(2) == 0 && pf.Period != nil {
			b := v * (0.2 + 0.1*float64(r.IntN(5)))
			t.Baseline = &loader.Baseline{Value: &b, Year: pf.Period.Start - 1}
		}
		pf.Targets = append(pf.Targets, t)
	}
	inv := float64(10+r.IntN(490)) * 1e8
	pf.Targets = append(pf.Targets, loader.TargetDef{
		ID: pf.ID + "-investment", Metric: "投资", Value: &inv, Unit: "元", Year: year, Bound: string(schema.About),
		Evidence: loader.Evidence{Section: "generated", Summary: "Total investment of the plan, generated."},
	})
}
