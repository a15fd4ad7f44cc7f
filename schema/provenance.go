package schema

import "github.com/cayleygraph/quad"

// Provenance of a measure's links. A link proposed by text extraction
// has a provenance node (LinkIRI) saying so: the measure points to it
// with HasProvenance, and it names the link's target, its method, the
// extractor and its confidence, and once reviewed, who reviewed it and
// when. A link without one was written by a researcher: MethodCurated.
// The basis of a technology link (explicit, inferred, extracted) keeps
// its meaning: how the plan supports the link, not who made it.
var (
	HasProvenance    = pred("provenance")
	ProvenanceOf     = pred("provenanceOf") // the link's technology or domain
	Method           = pred("method")
	ExtractorVersion = pred("extractorVersion")
	Confidence       = pred("confidence")
	ReviewedBy       = pred("reviewedBy")
	ReviewedAt       = pred("reviewedAt")
)

// Methods: how a link came to be.
const (
	MethodCurated   = "curated"
	MethodExtracted = "extracted"
	MethodReviewed  = "extracted+reviewed"
)

// LinkIRI is the provenance node of measure's link to target (a
// technology or domain). It lies outside the id space of typed nodes:
// it is no entity, and nothing but its measure refers to it.
func LinkIRI(measure string, target Type, id string) quad.IRI {
	return quad.IRI(Base + "link/" + measure + "/" + string(target) + "/" + id)
}
