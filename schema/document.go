package schema

import "github.com/cayleygraph/quad"

// Origins of a document: where the quads of a named graph came from.
const (
	// FromFile documents are loaded from the data directory.
	FromFile = "file"
	// FromAPI documents were written through the HTTP API.
	FromAPI = "api"
)

// Document is one named graph ready to store: the quads of one data file
// (or one uploaded plan), all labelled with GraphIRI(ID).
type Document struct {
	ID     string // graph id, e.g. "plan/fuzhou-new-infrastructure-2020"
	Path   string // file path relative to the data directory, slash-separated
	Hash   string // sha256 of the source bytes, hex
	Origin string // FromFile or FromAPI
	// Source is the document as written (YAML or JSON), kept so that what
	// was written through the API can be exported back as a file.
	Source []byte
	Quads  []quad.Quad
}
