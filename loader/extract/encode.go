package extract

import (
	"bytes"
	"fmt"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/policygraph/policygraph/loader"
)

// Formats a draft is written in.
var Formats = []string{"yaml", "json"}

// Retrieval is where and when a draft's text was fetched from the web.
type Retrieval struct {
	URL     string
	At      time.Time
	Charset string
}

// Encode writes the draft plan in the data/ plan format, as YAML (ready
// to save under data/plans/) or as the same document in JSON. A text
// fetched from the web is recorded as the draft's source: a note in the
// plan, and (in YAML) the source entry to add to the vocabulary.
func (d *Draft) Encode(format string) ([]byte, error) {
	plan := *d.Plan
	if r := d.Retrieved; r != nil {
		plan.Notes = append(append([]loader.Note(nil), plan.Notes...), loader.Note{
			Section: "source",
			Text:    fmt.Sprintf("Drafted from %s, retrieved %s (charset %s).", r.URL, r.At.UTC().Format(time.RFC3339), r.Charset),
		})
	}
	y, err := yaml.MarshalWithOptions(&plan, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("encode draft: %w", err)
	}
	switch format {
	case "yaml":
		var b bytes.Buffer
		fmt.Fprintf(&b, "# Draft proposed by policygraph extract (language: %s). Review every measure,\n", d.Lang)
		b.WriteString("# fill in id, city, issuer and source, then save it as data/plans/<id>.yaml,\n")
		b.WriteString("# or PUT it as it is to /v1/plans/<id> and review its links at /v1/review.\n")
		if r := d.Retrieved; r != nil {
			id := plan.Source
			if id == "" {
				id = "<source-id>"
			}
			title := ""
			for _, t := range plan.Title {
				title = t
			}
			fmt.Fprintf(&b, "# Its source, for data/vocabulary/sources.yaml:\n#   - id: %s\n#     names: {%s: %q}\n#     address: %s\n#     note: retrieved %s\n",
				id, d.Lang, title, r.URL, r.At.UTC().Format(time.RFC3339))
		}
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
