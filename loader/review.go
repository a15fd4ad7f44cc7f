package loader

import (
	"fmt"
	"slices"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/policygraph/policygraph/schema"
)

// Decision is a reviewer's decision on one extracted link of a measure:
// to a technology or (exclusively) a domain.
type Decision struct {
	Measure    string `json:"measure"`
	Technology string `json:"technology,omitempty"`
	Domain     string `json:"domain,omitempty"`
	Action     string `json:"action"`          // accept | reject | edit
	Basis      string `json:"basis,omitempty"` // for edit: explicit or inferred
}

// Target is the decision's link target as type/id.
func (d Decision) Target() string {
	if d.Technology != "" {
		return string(schema.Technology) + "/" + d.Technology
	}
	return string(schema.Domain) + "/" + d.Domain
}

// Kinds of ReviewError.
const (
	ReviewBad      = "bad"       // the decision itself is malformed
	ReviewNotFound = "not_found" // no such measure or link in the plan
	ReviewConflict = "conflict"  // the link is not awaiting review
)

// ReviewError is a decision that cannot be applied; none of the batch is.
type ReviewError struct {
	Kind    string
	Index   int // of the decision
	Measure string
	Target  string // type/id, when the decision names one
	Msg     string
}

func (e *ReviewError) Error() string {
	where := fmt.Sprintf("decisions[%d]", e.Index)
	if e.Measure != "" {
		where += " (measure " + e.Measure
		if e.Target != "" {
			where += ", " + e.Target
		}
		where += ")"
	}
	return where + ": " + e.Msg
}

// ReviewPlan applies decisions to the extracted links of a plan document
// (src, as stored) and returns the document after them: an accepted
// technology link becomes explicit, an edited one takes the basis given,
// a rejected link leaves the measure; each decision is recorded on the
// link's extracted entry with by and at, so the link's provenance says
// who reviewed it and when. A decision that cannot be applied is a
// ReviewError and nothing is changed. The document is written anew from
// its fields, so comments in src do not survive.
func ReviewPlan(src []byte, decisions []Decision, by string, at time.Time) ([]byte, error) {
	var errs Errors
	plan := &PlanFile{}
	if d := newDecoder("stored plan", &errs); !d.decodeFile(src, plan) || len(errs) > 0 {
		return nil, fmt.Errorf("the stored plan does not decode: %w", errs)
	}
	if len(decisions) == 0 {
		return nil, &ReviewError{Kind: ReviewBad, Msg: "no decisions: send {\"decisions\": [{\"measure\": …, \"technology\": …, \"action\": \"accept\"}]}"}
	}
	stamp := at.UTC().Format(time.RFC3339)
	seen := map[string]int{}
	for i, d := range decisions {
		bad := func(kind, format string, args ...any) error {
			e := &ReviewError{Kind: kind, Index: i, Measure: d.Measure, Msg: fmt.Sprintf(format, args...)}
			if d.Technology != "" || d.Domain != "" {
				e.Target = d.Target()
			}
			return e
		}
		switch {
		case d.Measure == "":
			return nil, bad(ReviewBad, "no measure: name the measure whose link is decided")
		case (d.Technology == "") == (d.Domain == ""):
			return nil, bad(ReviewBad, "name exactly one of technology and domain")
		case !slices.Contains([]string{ReviewAccept, ReviewReject, ReviewEdit}, d.Action):
			return nil, bad(ReviewBad, "unknown action %q: use accept, reject or edit", d.Action)
		case d.Action == ReviewEdit && d.Domain != "":
			return nil, bad(ReviewBad, "a domain link has no basis to edit: accept or reject it")
		case d.Action == ReviewEdit && d.Basis != string(schema.Explicit) && d.Basis != string(schema.Inferred):
			return nil, bad(ReviewBad, "edit needs basis explicit or inferred, got %q", d.Basis)
		case d.Action != ReviewEdit && d.Basis != "":
			return nil, bad(ReviewBad, "basis goes with action edit only")
		}
		key := d.Measure + " " + d.Target()
		if j, dup := seen[key]; dup {
			return nil, bad(ReviewBad, "decided twice, also in decisions[%d]", j)
		}
		seen[key] = i
		mi := slices.IndexFunc(plan.Measures, func(m MeasureDef) bool { return m.ID == d.Measure })
		if mi < 0 {
			return nil, bad(ReviewNotFound, "the plan has no measure %q", d.Measure)
		}
		m := &plan.Measures[mi]
		ti := slices.IndexFunc(m.Technologies, func(t TechLink) bool { return d.Technology != "" && t.ID == d.Technology })
		di := slices.Index(m.Domains, d.Domain)
		if d.Domain == "" {
			di = -1
		}
		if ti < 0 && di < 0 {
			return nil, bad(ReviewNotFound, "the measure has no link to %s", d.Target())
		}
		typ, id := schema.Technology, d.Technology
		if d.Domain != "" {
			typ, id = schema.Domain, d.Domain
		}
		xi := slices.IndexFunc(m.Extracted, func(x ExtractedDef) bool { return x.Linked && x.Type == string(typ) && x.ID == id })
		if xi < 0 {
			return nil, bad(ReviewConflict, "the link was not extracted (it is curated): there is nothing to review")
		}
		x := &m.Extracted[xi]
		if r := x.Review; r != nil {
			return nil, bad(ReviewConflict, "the link was reviewed already (%s by %s at %s)", r.Action, r.By, r.At)
		}
		x.Review = &Review{Action: d.Action, By: by, At: stamp}
		switch d.Action {
		case ReviewAccept:
			if ti >= 0 {
				m.Technologies[ti].Basis = string(schema.Explicit)
			}
		case ReviewEdit:
			m.Technologies[ti].Basis = d.Basis
		case ReviewReject:
			if ti >= 0 {
				m.Technologies = slices.Delete(m.Technologies, ti, ti+1)
			} else {
				m.Domains = slices.Delete(m.Domains, di, di+1)
			}
		}
	}
	out, err := yaml.MarshalWithOptions(plan, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("encode the reviewed plan: %w", err)
	}
	return out, nil
}
