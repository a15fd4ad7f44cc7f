package view

import "github.com/policygraph/policygraph/schema"

// LexiconEntry is one way to call one entity: its id, a name or an alias,
// as written and normalized the way Resolve normalizes a parameter.
type LexiconEntry struct {
	Type schema.Type
	ID   string
	Text string
	Key  string
}

// Lexicon lists every name, alias and id Resolve knows, of the given types
// (all types when none), so that a question parser finds entities with the
// very names the API resolves.
func (v *View) Lexicon(types ...schema.Type) []LexiconEntry {
	out := make([]LexiconEntry, 0, v.names.len())
	v.names.all(func(_ int32, e *nameEntry) bool {
		if len(types) == 0 || containsType(types, e.typ) {
			out = append(out, LexiconEntry{Type: e.typ, ID: e.id, Text: e.text, Key: e.key})
		}
		return true
	})
	return out
}

// Normalize folds text the way names are keyed: full-width to half-width,
// lower case, single spaces.
func Normalize(s string) string { return normalize(s) }
