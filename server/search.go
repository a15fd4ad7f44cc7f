package server

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

var searchColumns = []column[view.TextHit]{
	{"type", func(h view.TextHit) string { return string(h.Type) }},
	{"id", func(h view.TextHit) string { return h.ID }},
	{"name", func(h view.TextHit) string { return h.Name }},
	{"matched", func(h view.TextHit) string { return h.Matched }},
	{"match", func(h view.TextHit) string { return h.Match }},
	{"field", func(h view.TextHit) string { return h.Field }},
	{"city", func(h view.TextHit) string { return h.City }},
	{"snippet", func(h view.TextHit) string { return h.Snip() }},
}

// textIndexes gives the indexes of a graph version that search and ask
// read, the full-text index and the question lexicon, kept with its View
// and, after a write, mended from the previous version's rather than made
// again (view.View.SearchIndex, questionLexiconOf).
type textIndexes struct{}

func (textIndexes) of(v *view.View) *view.TextIndex { return v.SearchIndex() }

func (textIndexes) lexicon(v *view.View) *questionLexicon { return questionLexiconOf(v) }

// search finds entities by any name or alias (exact, prefix, contains),
// then texts (measure titles, contexts, evidence, notes) holding q in any
// language; type= and city= narrow it, and in_force=, published_after=
// and published_before= keep plans and measures of plans by date. Latin words no text holds get
// suggestions (blockchian → blockchain).
func (s *Server) search() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		q := strings.TrimSpace(c.Query("q"))
		if q == "" {
			s.fail(c, badRequest("missing q: the text to search for"))
			return
		}
		// No name or text worth finding is longer than the longest name by much.
		if err := checkName(v, "q", q); err != nil {
			s.fail(c, err)
			return
		}
		names, err := listParam(c, "type", len(schema.Types))
		if err != nil {
			s.fail(c, err)
			return
		}
		var types []schema.Type
		for _, raw := range names {
			for _, t := range splitTypeList(raw) {
				if !validType(t) {
					s.fail(c, badRequest("bad type %q: use %s", t, typeList()))
					return
				}
				types = append(types, schema.Type(t))
			}
		}
		city, err := entity(c, v, "city", schema.City)
		if err != nil {
			s.fail(c, err)
			return
		}
		tf, err := timeFilter(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		asCSV, p, err := tableParams(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		ix := s.texts.of(v)
		hits, total := ix.SearchPage(q, view.SearchFilter{Types: types, City: city, Time: tf}, p.offset, p.limit)
		if hits == nil {
			hits = []view.TextHit{}
		}
		sugg := ix.Suggest(q)
		if sugg == nil {
			sugg = []string{}
		}
		writePage(s, c, asCSV, p, hits, total, searchColumns, gin.H{"suggestions": sugg})
	}
}

// splitTypeList splits a list parameter at ASCII and CJK commas (, ， 、).
func splitTypeList(raw string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func validType(t string) bool {
	for _, known := range schema.Types {
		if string(known) == t {
			return true
		}
	}
	return false
}
