package schema

// Predicates of Target nodes. A target is what a plan says will exist (or
// be spent) by a year: "5G base stations: 30000 by 2022". Its plan holds
// it through HasTarget; a target set within one measure names it with
// TargetMeasure. InCity, TechnologyOf and the evidence predicates are
// shared with the other node types.
var (
	// HasTarget links a plan to one of its targets.
	HasTarget = pred("hasTarget")
	// TargetMeasure links a target to the measure that sets it.
	TargetMeasure = pred("targetMeasure")
	// Metric is what a target counts, in the plan's own language (a
	// string: 5G基站, 数据中心机架, 投资).
	Metric = pred("metric")
	// TargetValue is the number a target sets (a decimal: multipliers
	// such as 万 and 亿 already applied, a percentage as written, 90 for 90%).
	TargetValue = pred("targetValue")
	// TargetValueMax is the upper end of a target the plan sets as a range
	// (2个至3个: TargetValue 2, TargetValueMax 3; a decimal).
	TargetValueMax = pred("targetValueMax")
	// Unit is what TargetValue counts in (a string: 个, 元, %, 公里).
	Unit = pred("unit")
	// DueYear is the year (integer) by which the target is to be met.
	DueYear = pred("dueYear")
	// Baseline is the value (a decimal, in Unit) the target starts from,
	// and BaselineYear the year of it (integer).
	Baseline     = pred("baseline")
	BaselineYear = pred("baselineYear")
	// Bound says how the value reads: "at_least" when the plan says more
	// than or at least, "about" when it says about; absent when exact.
	Bound = pred("bound")
)

// TargetBound says how a target's value reads.
type TargetBound string

const (
	// AtLeast: the plan says "more than" / "at least" (超过, 以上).
	AtLeast TargetBound = "at_least"
	// About: the plan says "about" (约, 左右).
	About TargetBound = "about"
)

// TargetBounds lists every bound.
var TargetBounds = []TargetBound{AtLeast, About}
