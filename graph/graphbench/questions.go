package graphbench

// The questions of the scale benchmarks, each with the Gizmo query that
// asks Cayley's own engine the same thing and returns the same facts.
const (
	ns        = "https://policygraph.org/ns#"
	id        = "https://policygraph.org/id/"
	techPreds = `["<` + ns + `usesTechnology>", "<` + ns + `inferredTechnology>", "<` + ns + `extractedTechnology>"]`
	// BenchCity exists at every size; its measures on blockchain, as
	// /v1/measures lists them, are the second question.
	BenchCity = "city-0001"
)

// Question is one of the benchmark questions: its API path and its Gizmo query.
type Question struct{ Name, Path, Gizmo string }

// Questions are the four questions figure 1 asks both ways.
var Questions = []Question{
	{"cities", "/v1/cities?technology=blockchain&domain=finance",
		`g.V("<` + id + `technology/blockchain>").In(` + techPreds + `)` +
			`.Has("<` + ns + `appliesTo>", "<` + id + `domain/finance>")` +
			`.Out("<` + ns + `inCity>").Unique().All()`},
	{"measures", "/v1/measures?city=" + BenchCity + "&technology=blockchain",
		`g.V("<` + id + `technology/blockchain>").In(` + techPreds + `)` +
			`.Has("<` + ns + `inCity>", "<` + id + `city/` + BenchCity + `>")` +
			`.Save("<` + ns + `title>", "title").Save("<` + ns + `kind>", "kind").Save("<` + ns + `appliesTo>", "domain").All()`},
	{"compare", "/v1/compare?technology=blockchain&cities=city-0000,city-0001,city-0002",
		`g.V("<` + id + `city/city-0000>", "<` + id + `city/city-0001>", "<` + id + `city/city-0002>").In("<` + ns + `inCity>")` +
			`.And(g.V("<` + id + `technology/blockchain>").In(` + techPreds + `))` +
			`.Save("<` + ns + `inCity>", "city").Save("<` + ns + `appliesTo>", "domain").All()`},
	{"node", "/v1/nodes/measure/city-0001-plan-00-m000",
		`g.V("<` + id + `measure/city-0001-plan-00-m000>").Out(null, "predicate").All();` +
			`g.V("<` + id + `measure/city-0001-plan-00-m000>").In(null, "predicate").All()`},
}
