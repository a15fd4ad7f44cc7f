package view

import (
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// Provenance is how one link of a measure came to be (see
// schema.HasProvenance): curated by a researcher, or extracted from the
// text, with the extractor, its confidence, and once reviewed, by whom
// and when.
type Provenance struct {
	Technology string   `json:"technology,omitempty"`
	Domain     string   `json:"domain,omitempty"`
	Method     string   `json:"method"`
	Extractor  string   `json:"extractor,omitempty"`
	Confidence *float64 `json:"confidence,omitempty"`
	ReviewedBy string   `json:"reviewed_by,omitempty"`
	ReviewedAt string   `json:"reviewed_at,omitempty"`
}

// Target is the link's technology or domain as type/id.
func (p Provenance) Target() string {
	if p.Technology != "" {
		return string(schema.Technology) + "/" + p.Technology
	}
	return string(schema.Domain) + "/" + p.Domain
}

// provenanceOf lists the provenance of every link of m, in the order of
// m's technologies then domains; links without a provenance node are
// curated. confidences holds one pointer per confidence value for the
// records of one build: an extractor gives few distinct ones, and no one
// writes through a record's pointer.
func provenanceOf(m *Measure, p props, nodes map[quad.Value]props, confidences map[quad.Float]*float64) []Provenance {
	recorded := map[quad.Value]Provenance{}
	for _, l := range p[schema.HasProvenance] {
		lp := nodes[l]
		if lp == nil || len(lp[schema.ProvenanceOf]) == 0 {
			continue
		}
		pr := Provenance{Method: lp.str(schema.Method), Extractor: lp.str(schema.ExtractorVersion),
			ReviewedBy: lp.str(schema.ReviewedBy), ReviewedAt: lp.str(schema.ReviewedAt)}
		if vs := lp[schema.Confidence]; len(vs) > 0 {
			if f, ok := vs[0].(quad.Float); ok {
				c := confidences[f]
				if c == nil {
					c = new(float64(f))
					confidences[f] = c
				}
				pr.Confidence = c
			}
		}
		recorded[lp[schema.ProvenanceOf][0]] = pr
	}
	out := make([]Provenance, 0, len(m.Technologies)+len(m.Domains))
	for _, t := range m.Technologies {
		pr, ok := recorded[schema.Technology.IRI(t.Technology)]
		if !ok {
			pr = Provenance{Method: schema.MethodCurated}
		}
		pr.Technology = t.Technology
		out = append(out, pr)
	}
	for _, d := range m.Domains {
		pr, ok := recorded[schema.Domain.IRI(d)]
		if !ok {
			pr = Provenance{Method: schema.MethodCurated}
		}
		pr.Domain = d
		out = append(out, pr)
	}
	return out
}
