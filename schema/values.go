package schema

import "github.com/cayleygraph/quad"

// Basis says who makes a measure→technology link.
type Basis string

const (
	// Explicit: the plan itself names the technology.
	Explicit Basis = "explicit"
	// Inferred: an analyst (the source article) associates it; the plan does not say so.
	Inferred Basis = "inferred"
	// Extracted: proposed by text extraction and not yet reviewed.
	Extracted Basis = "extracted"
)

// Bases lists every basis, strongest first.
var Bases = []Basis{Explicit, Inferred, Extracted}

// Qualifier says how a mention count reads.
type Qualifier string

const (
	// Exact: the count is the number of mentions.
	Exact Qualifier = "exact"
	// MoreThan: the source says "more than" the count.
	MoreThan Qualifier = "more_than"
)

// Qualifiers lists every qualifier.
var Qualifiers = []Qualifier{Exact, MoreThan}

// MeasureKind classifies a measure.
type MeasureKind string

const (
	// Action is an action item of a plan as the source describes it.
	Action MeasureKind = "action"
	// Comparison is a claim a source's comparison makes about a city's plan.
	Comparison MeasureKind = "comparison"
	// Draft is a measure proposed by extraction, to be reviewed.
	Draft MeasureKind = "draft"
	// Goal is a target a plan sets (what it will have built by when).
	Goal MeasureKind = "goal"
)

// MeasureKinds lists every measure kind.
var MeasureKinds = []MeasureKind{Action, Comparison, Draft, Goal}

// Relation is how one plan relates to another.
type Relation string

const (
	// Companion documents were issued together as a set.
	Companion Relation = "companion"
	// SpecialPlan is a dedicated plan accompanying a general one.
	SpecialPlan Relation = "special-plan"
)

// Relations lists every relation, and RelationPredicate maps each to its predicate.
var Relations = []Relation{Companion, SpecialPlan}

// RelationPredicate is the predicate that records relation r.
func RelationPredicate(r Relation) Predicate {
	if r == SpecialPlan {
		return SpecialPlanOf
	}
	return CompanionOf
}

// RelationOfPredicate is the inverse of RelationPredicate.
func RelationOfPredicate(p quad.Value) (Relation, bool) {
	for _, r := range Relations {
		if RelationPredicate(r) == p {
			return r, true
		}
	}
	return "", false
}

// Level is how high a jurisdiction stands.
type Level string

const (
	// Nation is the country (the NDRC's plans are national).
	Nation Level = "nation"
	// ProvinceLevel is a province or autonomous region.
	ProvinceLevel Level = "province"
	// Municipality is a municipality directly under the central government
	// (直辖市: Beijing, Shanghai, Tianjin, Chongqing), province-level itself.
	Municipality Level = "municipality"
	// CityLevel is a prefecture-level city (or a sub-provincial one).
	CityLevel Level = "city"
)

// Levels lists every level, highest first.
var Levels = []Level{Nation, ProvinceLevel, Municipality, CityLevel}

// Languages are the language tags names and aliases carry.
var Languages = []string{"en", "zh", "zh-Hant", "ja"}

// Text is the lexical form of a literal without quotes, tags or types.
func Text(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	case quad.IRI:
		return string(v)
	}
	return quad.StringOf(v)
}
