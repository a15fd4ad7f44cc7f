package loader

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/goccy/go-yaml"
)

// canonicalJSON is a plan document in one form whatever it was written
// as: its fields in the order of the format, shorthands written out
// (`technologies: [blockchain]` as {id, basis: explicit}), compact JSON
// with the data format's field names. The same plan sent as YAML or as
// JSON, with other spacing, key order or comments, has one canonical form.
func canonicalJSON(p *PlanFile) ([]byte, error) {
	y, err := yaml.MarshalWithOptions(p, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("encode plan %s: %w", p.ID, err)
	}
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		return nil, fmt.Errorf("encode plan %s: %w", p.ID, err)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, j); err != nil {
		return nil, fmt.Errorf("encode plan %s: %w", p.ID, err)
	}
	return b.Bytes(), nil
}

// PlanJSON is a stored plan document (YAML or JSON, as written) in its
// canonical JSON form (see canonicalJSON), as GET /v1/plans/{id} answers.
func PlanJSON(src []byte) ([]byte, error) {
	var errs Errors
	plan := &PlanFile{}
	if d := newDecoder("stored plan", &errs); !d.decodeFile(src, plan) || len(errs) > 0 {
		return nil, fmt.Errorf("the stored plan does not decode: %w", errs)
	}
	return canonicalJSON(plan)
}
