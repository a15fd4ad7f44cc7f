package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// citation is what a reference to a plan says, in every format.
type citation struct {
	// titleZh is the title in the plan's own language, lang.
	key, titleZh, lang, titleEn, issuer, issuerEn, number, address, source string
	// date is the plan's day, "" when only its period's first year is known.
	date string
	year int
}

func citationOf(v *view.View, p *view.Plan) citation {
	ct := citation{key: p.ID, titleZh: p.Titles["zh"], lang: "zh", titleEn: p.Titles["en"], number: p.Number}
	if ct.titleZh == "" && p.Titles["ja"] != "" {
		// A plan known only from a Japanese report has its title in Japanese.
		ct.titleZh, ct.lang = p.Titles["ja"], "ja"
	}
	if o := v.Term(schema.Organization, p.Issuer); o != nil {
		ct.issuer, ct.issuerEn = o.Names["zh"], o.Name("en")
		if ct.issuer == "" {
			ct.issuer = ct.issuerEn
		}
	}
	date, basis := p.Date()
	if date != "" {
		ct.year, _ = strconv.Atoi(date[:4])
	}
	if basis != "period_start" {
		ct.date = date
	}
	if src, ok := v.Get(schema.Source, p.Evidence.Source).(*view.Source); ok {
		ct.address, ct.source = src.Address, src.Name("en")
	}
	return ct
}

// cite answers a reference to a plan as BibTeX, CSL-JSON or RIS.
func (s *Server) cite() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		id := c.Param("id")
		p := v.Plan(id)
		if p == nil {
			s.fail(c, notFound(schema.Suggest(id, v.IDsOutside(schema.Plan, ""), 3), "unknown plan %q", id))
			return
		}
		ct := citationOf(v, p)
		switch f := c.DefaultQuery("format", "bibtex"); f {
		case "bibtex":
			c.Data(http.StatusOK, "application/x-bibtex; charset=utf-8", []byte(ct.bibtex()))
		case "csl-json":
			b, _ := json.MarshalIndent([]map[string]any{ct.csl()}, "", "  ")
			c.Data(http.StatusOK, "application/vnd.citationstyles.csl+json; charset=utf-8", append(b, '\n'))
		case "ris":
			c.Data(http.StatusOK, "application/x-research-info-systems; charset=utf-8", []byte(ct.ris()))
		default:
			s.fail(c, badRequest("bad format %q: use bibtex, csl-json or ris", f))
		}
	}
}

// bibtexEscaper escapes what LaTeX reads as commands in a braced value.
var bibtexEscaper = strings.NewReplacer(`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "&", `\&`, "%", `\%`, "$", `\$`, "#", `\#`, "_", `\_`)

func (ct citation) bibtex() string {
	var b strings.Builder
	fmt.Fprintf(&b, "@misc{%s,\n", ct.key)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %s = {%s},\n", name, bibtexEscaper.Replace(value))
		}
	}
	// The original title with its translation in brackets, as journals
	// in English cite Chinese documents.
	title := ct.titleZh
	switch {
	case title == "":
		title = ct.titleEn
	case ct.titleEn != "":
		title += " [" + ct.titleEn + "]"
	}
	field("title", title)
	// An institution as author is braced twice so it is not split into names.
	if ct.issuer != "" {
		fmt.Fprintf(&b, "  author = {{%s}},\n", bibtexEscaper.Replace(ct.issuer))
	}
	field("number", ct.number)
	if ct.year != 0 {
		field("year", strconv.Itoa(ct.year))
	}
	field("date", ct.date)
	// url is read verbatim by the url package: escaping would corrupt it.
	if ct.address != "" {
		fmt.Fprintf(&b, "  url = {%s},\n", ct.address)
	}
	b.WriteString("}\n")
	return b.String()
}

func (ct citation) csl() map[string]any {
	out := map[string]any{"id": ct.key, "type": "report"}
	set := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	if ct.titleZh != "" {
		set("title", ct.titleZh)
		set("language", map[string]string{"zh": "zh-CN", "ja": "ja"}[ct.lang])
		if ct.titleEn != "" {
			set("note", "English title: "+ct.titleEn)
		}
	} else {
		set("title", ct.titleEn)
	}
	if ct.issuer != "" {
		out["author"] = []map[string]string{{"literal": ct.issuer}}
		set("publisher", ct.issuer)
	}
	set("number", ct.number)
	set("URL", ct.address)
	if ct.year != 0 {
		parts := []int{ct.year}
		if ct.date != "" {
			m, _ := strconv.Atoi(ct.date[5:7])
			d, _ := strconv.Atoi(ct.date[8:10])
			parts = append(parts, m, d)
		}
		out["issued"] = map[string]any{"date-parts": [][]int{parts}}
	}
	return out
}

func (ct citation) ris() string {
	var b strings.Builder
	line := func(tag, value string) {
		if value != "" {
			// A field is one line: a line break would start a new tag.
			fmt.Fprintf(&b, "%s  - %s\r\n", tag, strings.Join(strings.Fields(value), " "))
		}
	}
	line("TY", "GOVDOC")
	if ct.titleZh != "" {
		line("TI", ct.titleZh)
		line("TT", ct.titleEn)
		line("LA", ct.lang)
	} else {
		line("TI", ct.titleEn)
	}
	line("AU", ct.issuer)
	line("PB", ct.issuer)
	line("M1", ct.number)
	if ct.year != 0 {
		line("PY", strconv.Itoa(ct.year))
	}
	if ct.date != "" {
		line("DA", strings.ReplaceAll(ct.date, "-", "/"))
	}
	line("UR", ct.address)
	line("ID", ct.key)
	b.WriteString("ER  - \r\n")
	return b.String()
}

// permalink resolves /id/{type}/{id}, the path of every node's IRI, to the
// node: its JSON for a client that asks for JSON, else a redirect to its
// page in the explorer.
func (s *Server) permalink() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		t, id := c.Param("type"), c.Param("id")
		known := false
		for _, x := range schema.Types {
			known = known || string(x) == t
		}
		if !known {
			s.fail(c, notFound(nil, "unknown type %q in /id/%s/%s: use one of %s", t, t, id, typeList()))
			return
		}
		n := v.Node(schema.Type(t).IRI(id))
		if n == nil {
			s.fail(c, notFound(nil, "unknown node %s/%s", t, id))
			return
		}
		c.Header("Vary", "Accept")
		if prefersJSON(c.GetHeader("Accept")) {
			c.JSON(http.StatusOK, n)
			return
		}
		c.Redirect(http.StatusSeeOther, "/#/node/"+url.PathEscape(t)+"/"+url.PathEscape(id))
	}
}

// prefersJSON reports whether an Accept header names JSON before HTML.
func prefersJSON(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			return true
		case mt == "text/html":
			return false
		}
	}
	return false
}
