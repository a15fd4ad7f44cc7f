package extract

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml"
)

// Formats a draft is written in.
var Formats = []string{"yaml", "json"}

// Encode writes the draft plan in the data/ plan format, as YAML (ready
// to save under data/plans/) or as the same document in JSON.
func (d *Draft) Encode(format string) ([]byte, error) {
	y, err := yaml.MarshalWithOptions(d.Plan, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("encode draft: %w", err)
	}
	switch format {
	case "yaml":
		var b bytes.Buffer
		fmt.Fprintf(&b, "# Draft proposed by policygraph extract (language: %s). Review every measure,\n", d.Lang)
		b.WriteString("# fill in id, city, issuer and source, then save it as data/plans/<id>.yaml.\n")
		b.Write(y)
		return b.Bytes(), nil
	case "json":
		j, err := yaml.YAMLToJSON(y)
		if err != nil {
			return nil, fmt.Errorf("encode draft: %w", err)
		}
		return j, nil
	}
	return nil, fmt.Errorf("encode draft: unknown format %q: use yaml or json", format)
}
