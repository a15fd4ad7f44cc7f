package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/loader/extract"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// lexicons gives the extraction lexicon of a graph version, kept with
// its View (view.View.Derived). It names only technologies and domains,
// which a patch never builds again (they are the vocabulary), so a
// patched View takes its base's lexicon as it is.
type lexicons struct{}

type extractLexiconKey struct{}

type extractLexicon struct {
	lx  *extract.Lexicon
	err error
}

// of returns the lexicon for view v: the vocabulary's names and aliases,
// the same ones name resolution uses.
func (lexicons) of(v *view.View) (*extract.Lexicon, error) {
	l := v.Derived(extractLexiconKey{}, func(prev any, changed map[schema.Type]map[string]bool) any {
		if p, ok := prev.(*extractLexicon); ok && p.err == nil && len(changed[schema.Technology])+len(changed[schema.Domain]) == 0 {
			return p
		}
		var terms []extract.Term
		for _, list := range []struct {
			t  schema.Type
			es []*view.Entity
		}{{schema.Technology, v.Technologies}, {schema.Domain, v.Domains}} {
			for _, e := range list.es {
				terms = append(terms, extract.NewTerm(list.t, e.ID, e.Names, e.Aliases, e.NotMentions))
			}
		}
		lx, err := extract.NewLexicon(terms)
		return &extractLexicon{lx, err}
	}).(*extractLexicon)
	return l.lx, l.err
}

// extractDraft proposes a draft plan from the text in the body (plain
// text, or HTML by Content-Type), answered as the plan document in JSON.
func (s *Server) extractDraft() gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := c.DefaultQuery("lang", "auto")
		if !slices.Contains([]string{"auto", "zh", "ja", "en"}, lang) {
			s.fail(c, badRequest("bad lang %q: use auto, zh, ja or en", lang))
			return
		}
		body, err := readBody(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			s.fail(c, badRequest("empty body: send the plan text"))
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		lx, err := s.lexicons.of(v)
		if err != nil {
			s.fail(c, err)
			return
		}
		doc, err := extract.Prepare(body, c.GetHeader("Content-Type"), false)
		if err != nil {
			s.fail(c, badRequest("the body: %v", err))
			return
		}
		if len(strings.TrimSpace(string(doc.Text))) == 0 {
			s.fail(c, badRequest("the body holds no text: send the plan text"))
			return
		}
		d := extract.Extract(lx, doc, extract.Options{
			City: c.Query("city"), Plan: c.Query("plan"), Source: c.Query("source"), Lang: lang, File: c.DefaultQuery("file", "request body"),
		})
		out, err := d.Encode("json")
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/json", out)
	}
}
