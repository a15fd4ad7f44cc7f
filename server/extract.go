package server

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/loader/extract"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// lexicons caches the extraction lexicon of the current graph version.
type lexicons struct {
	mu      sync.Mutex
	version string
	lx      *extract.Lexicon
}

// of returns the lexicon for view v: the vocabulary's names and aliases,
// the same ones name resolution uses.
func (l *lexicons) of(v *view.View) (*extract.Lexicon, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lx != nil && l.version == v.Version {
		return l.lx, nil
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
	if err != nil {
		return nil, err
	}
	l.version, l.lx = v.Version, lx
	return lx, nil
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
