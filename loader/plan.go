package loader

import (
	"fmt"

	"github.com/policygraph/policygraph/schema"
)

// Catalog is the ids a graph already holds, so that one document can
// be checked on its own: its references must name something in the
// catalog (or in the document), its ids must not.
type Catalog interface {
	// Has reports whether the graph holds id as a t.
	Has(t schema.Type, id string) bool
	// IDs lists the graph's ids of type t: asked only to suggest the id
	// an unknown reference most likely means.
	IDs(t schema.Type) []string
}

// ParsePlan validates one plan document (YAML, or the same as JSON) sent
// as name, against the ids in cat, and turns it into its named graph. The
// document must carry the id want. Errors are Errors with line and column,
// like Load's; nothing is returned for an invalid document.
func ParsePlan(name string, src []byte, want string, cat Catalog) (*schema.Document, error) {
	var errs Errors
	f := &file{path: PlansDir + "/" + want + ".yaml", shown: name, src: src, plan: &PlanFile{}}
	f.dec = newDecoder(name, &errs)
	if !f.dec.decodeFile(src, f.plan) {
		return nil, errs
	}
	c := newChecker(&errs)
	c.cat = cat
	if f.plan.ID != want && f.plan.ID != "" {
		// One error for one cause: checked as the other plan, the document
		// would also clash with it and with each of its measures.
		c.errorf(f, &f.plan.ID, "id", "the document's id %q is not %q, the id it is written to", f.plan.ID, want)
		errs.sort()
		return nil, errs
	}
	c.define(f)
	c.checkPlan(f, f.plan)
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	e := emitter{label: graphLabel("plan/" + want)}
	e.plan(f.plan)
	// The version of a document sent through the API is that of its
	// canonical form: the same plan as YAML or as JSON is one version.
	canon, err := canonicalJSON(f.plan)
	if err != nil {
		return nil, err
	}
	return &schema.Document{
		ID: "plan/" + want, Path: PlansDir + "/" + want + ".yaml", Hash: hashBytes(canon), Origin: schema.FromAPI, Source: src, Quads: e.quads,
	}, nil
}

// String says where an id was defined, for duplicate-id errors.
func (d definition) String() string {
	if d.shown == "" {
		return "already in the graph"
	}
	return fmt.Sprintf("first defined at %s:%d:%d", d.shown, d.at.line, d.at.col)
}
