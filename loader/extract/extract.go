package extract

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// Options name what the draft is about; empty ids are left for the
// researcher to fill in before the draft validates.
type Options struct {
	City, Plan, Source string
	// Lang is zh, ja, en or auto (detect sentence by sentence).
	Lang string
	// File is the name the evidence refers to.
	File string
}

// Version names the extractor and its version in the drafts it writes
// (PlanFile.Extractor), so a link's provenance says what proposed it. It
// changes when what the extractor proposes for the same text changes.
const Version = "policygraph-extract/1"

// Draft is a proposed plan document and what extraction saw.
type Draft struct {
	Plan *loader.PlanFile
	// Lang is the document's language: that of most of its text (zh,
	// zh-Hant, ja or en).
	Lang string
	// Mentions are every technology and domain found, with byte offsets
	// into the original file; Links are the technology→domain pairs the
	// draft's measures make (clause by clause).
	Mentions []Mention
	Links    []Link
	// Targets are the quantitative targets found (targets.go), in
	// original offsets; the draft plan lists them for review.
	Targets []TargetHit
	// Retrieved is set by the caller for a text fetched from the web.
	Retrieved *Retrieval
}

// Mention is a term found in the text, with offsets into the original.
type Mention struct {
	Hit
	Confidence float64
}

// Link is a technology the text applies to a domain: indexes into the
// draft's Mentions.
type Link struct {
	Technology, Domain int
	Confidence         float64
}

// Doc is a document ready for extraction: its text in UTF-8, markup
// stripped and noise read through, and the map of that text's bytes back
// to the original file.
type Doc struct {
	Text []byte
	// Map takes text offsets to offsets in the original; nil when the
	// text is the original, byte for byte.
	Map *OffsetMap
	// Title is the title the page declares (HTML), if any.
	Title   string
	Charset string
}

// MaxBytes is the largest original Prepare reads (its decoded text stays
// within what Find's offsets hold).
const MaxBytes = 512 << 20

// Prepare reads an original file: its charset (BOM, contentType, meta
// tag, else detected), its markup when html is true or it looks like
// HTML, and pinyin glosses inserted after characters.
func Prepare(src []byte, contentType string, html bool) (*Doc, error) {
	if len(src) > MaxBytes {
		return nil, fmt.Errorf("%d bytes: more than the %d a text may have", len(src), MaxBytes)
	}
	dec, err := Decode(src, contentType)
	if err != nil {
		return nil, err
	}
	d := &Doc{Text: dec.Text, Map: dec.Map, Charset: dec.Charset}
	if html || strings.Contains(strings.ToLower(contentType), "html") || IsHTML(d.Text) {
		st := StripHTML(d.Text)
		d.Text, d.Map, d.Title = st.Text, st.Map.Then(d.Map), st.Title
	}
	if t, m := ReadThrough(d.Text); m != nil {
		d.Text, d.Map = t, m.Then(d.Map)
	}
	return d, nil
}

// PlainDoc is a UTF-8 text taken as it is.
func PlainDoc(text []byte) *Doc { return &Doc{Text: text, Charset: "utf-8"} }

// LexiconOf builds the extraction lexicon from the dataset's vocabulary:
// the same names and aliases that name resolution and search use, and
// the phrases the vocabulary says name no term.
func LexiconOf(ds *loader.Dataset) (*Lexicon, error) {
	var terms []Term
	add := func(t schema.Type, defs []loader.TermDef) {
		for _, d := range defs {
			terms = append(terms, NewTerm(t, d.ID, d.Names, d.Aliases, d.NotMentions))
		}
	}
	add(schema.Technology, ds.Technologies)
	add(schema.Domain, ds.Domains)
	return NewLexicon(terms)
}

// Confidences of what extraction proposes. A domain counts as applied to
// the technologies of its own clause; one elsewhere in the sentence or
// only in the paragraph is listed for the reviewer, unlinked.
const (
	confTerm      = 0.95 // a technology or domain named by a name of three characters or more
	confShortTerm = 0.85 // by a shorter name (AI, 算力, 政务), more often part of something else
	confSentence  = 0.35 // a domain only in another clause of the sentence: not linked
	confParagraph = 0.15 // only elsewhere in the paragraph: not linked
)

func termConfidence(text []byte, h Hit) float64 {
	if utf8.RuneCount(text[h.Start:h.End]) < 3 {
		return confShortTerm
	}
	return confTerm
}

// sentenceInfo is a sentence and the language group its terms are read in.
type sentenceInfo struct {
	Span
	lang Lang
	tag  string
}

// sentences splits the text and gives each sentence its language: the
// one forced by opt.Lang, else its own script (kana: Japanese), a
// kana-less line of a Japanese document staying Japanese. The document's
// language is the one most of its text is in.
func sentences(text []byte, forced string) ([]sentenceInfo, string) {
	spans := Sentences(text)
	out := make([]sentenceInfo, len(spans))
	bytesOf := map[string]int{}
	for i, s := range spans {
		var c scripts
		c.add(text[s.Start:s.End])
		tag := c.lang()
		out[i] = sentenceInfo{Span: s, tag: tag}
		bytesOf[tag] += s.End - s.Start
	}
	doc := "en"
	for _, tag := range []string{"zh", "zh-Hant", "ja", "en"} {
		if bytesOf[tag] > bytesOf[doc] {
			doc = tag
		}
	}
	// Simplified and Traditional together outweigh the rest: name the larger.
	if zh := bytesOf["zh"] + bytesOf["zh-Hant"]; zh > bytesOf[doc] {
		doc = map[bool]string{true: "zh-Hant", false: "zh"}[bytesOf["zh-Hant"] > bytesOf["zh"]]
	}
	for i := range out {
		switch {
		case forced != "" && forced != "auto":
			out[i].tag = forced
		case doc == "ja" && out[i].tag != "en":
			out[i].tag = "ja"
		}
		out[i].lang = LangZh
		if out[i].tag == "ja" {
			out[i].lang = LangJa
		}
	}
	if forced != "" && forced != "auto" {
		doc = forced
	}
	return out, doc
}

// Extract reads a prepared document and proposes a draft plan: a mention
// count per technology, and one draft measure per clause naming a
// technology, linked to the domains of that clause. Every offset points
// into the original file.
func Extract(lx *Lexicon, doc *Doc, opt Options) *Draft {
	text := doc.Text
	sents, lang := sentences(text, opt.Lang)
	langAt := func(pos int) Lang {
		k := sort.Search(len(sents), func(k int) bool { return sents[k].End > pos })
		if k < len(sents) && sents[k].Start <= pos {
			return sents[k].lang
		}
		if lang == "ja" {
			return LangJa
		}
		return LangZh
	}
	hits := lx.FindLang(text, langAt)
	title := doc.Title
	if title == "" {
		title = TextTitle(text)
	}
	plan := &loader.PlanFile{ID: opt.Plan, City: opt.City, Source: opt.Source, Title: loader.Names{lang: title},
		Status: loader.StatusDraft, Extractor: Version}
	d := &Draft{Plan: plan, Lang: lang}
	prefix := opt.Plan
	if prefix == "" {
		prefix = "draft"
	}
	start, end := doc.Map.Start, doc.Map.End
	mention := func(h Hit) Mention {
		m := Mention{Hit: h, Confidence: termConfidence(text, h)}
		m.Start, m.End = start(h.Start), end(h.End)
		return m
	}
	d.Mentions = make([]Mention, 0, len(hits))
	techHits := 0
	for _, h := range hits {
		d.Mentions = append(d.Mentions, mention(h))
		if h.Type == schema.Technology {
			techHits++
		}
	}
	// At most one measure per technology named, mostly fewer: sized once,
	// a large text's measures are not copied as the list grows.
	plan.Measures = make([]loader.MeasureDef, 0, techHits+1)
	d.Links = make([]Link, 0, techHits/2+1)

	// The same few names recur all through a plan: one string each.
	names := map[string]string{}
	intern := func(b []byte) string {
		if s, ok := names[string(b)]; ok {
			return s
		}
		s := string(b)
		names[s] = s
		return s
	}

	counts := Count(hits, schema.Technology)
	for _, tech := range sortedKeys(counts) {
		n := counts[tech]
		m := loader.MentionDef{
			ID: prefix + "-" + tech + "-mentions", Technology: tech, Count: &n, Qualifier: string(schema.Exact),
			Scope:    loader.MentionScope{Documents: []string{opt.Plan}},
			Evidence: loader.Evidence{Section: "full text", Summary: fmt.Sprintf("%d mentions of %s found by extraction in %s", n, tech, opt.File)},
		}
		if opt.City != "" {
			m.Scope.Cities = []string{opt.City}
		}
		plan.Mentions = append(plan.Mentions, m)
	}

	paras := Paragraphs(text)
	p, paraAt := 0, -1
	var para []Hit
	for si, s := range sents {
		in := within(hits, s.Span)
		if !hasType(in, schema.Technology) {
			continue
		}
		for p < len(paras) && paras[p].End < s.Start {
			p++
		}
		// The paragraph's hits, found when a clause needs them (once per
		// paragraph: a text of one long line is one paragraph).
		paraHits := func() []Hit {
			if p >= len(paras) {
				return nil
			}
			if paraAt != p {
				paraAt, para = p, within(hits, paras[p])
			}
			return para
		}
		clauses := Clauses(text, s.Span, s.lang)
		summary := ""
		for k, c := range clauses {
			here := within(in, c)
			if !hasType(here, schema.Technology) {
				continue
			}
			pairs := linkClause(text, here, s.tag == "en", s.lang == LangJa)
			// Clauses after this one that say what it is for (…，实现政务数据
			// 可信溯源) and name no technology of their own: their domains
			// are served by this clause's technologies.
			span := c
			for j := k + 1; j < len(clauses); j++ {
				next := within(in, clauses[j])
				if hasType(next, schema.Technology) {
					break
				}
				if !startsWithAny(text[clauses[j].Start:clauses[j].End], purposeVerbs) || !hasType(next, schema.Domain) {
					continue
				}
				base := len(here)
				here = append(append([]Hit(nil), here...), next...)
				last := base - 1 // the technology nearest before, and those listed with it
				for here[last].Type != schema.Technology {
					last--
				}
				for _, ti := range chain(text, here[:base], last) {
					for di := base; di < len(here); di++ {
						if here[di].Type == schema.Domain {
							pairs = append(pairs, pair{tech: ti, domain: di, conf: confPurpose})
						}
					}
				}
				span.End = clauses[j].End
			}
			// One measure per set of linked domains, so that the graph's
			// measure→technology and measure→domain edges make no pair
			// the text does not. Clauses are small: slices, not maps.
			for _, pr := range pairs {
				d.Links = append(d.Links, Link{Technology: hitIndex(hits, here[pr.tech]), Domain: hitIndex(hits, here[pr.domain]), Confidence: pr.conf})
			}
			var groups []techGroup
			for i, h := range here {
				if h.Type != schema.Technology {
					continue
				}
				var key []string
				for _, pr := range pairs {
					if pr.tech == i {
						key = append(key, here[pr.domain].ID)
					}
				}
				key = uniqSorted(key)
				k := 0
				for k < len(groups) && !slices.Equal(groups[k].key, key) {
					k++
				}
				if k == len(groups) {
					groups = append(groups, techGroup{key: key})
				}
				groups[k].techs = append(groups[k].techs, i)
			}
			quote := string(text[span.Start:span.End])
			if summary == "" {
				summary = shorten(string(text[s.Start:s.End]), 200)
			}
			o, oe := start(span.Start), end(span.End)
			title60 := shorten(quote, 60)
			section := "paragraph " + strconv.Itoa(p+1) + ", sentence " + strconv.Itoa(si+1)
			for _, g := range groups {
				plan.Measures = append(plan.Measures, loader.MeasureDef{
					ID:    prefix + "-" + strconv.Itoa(len(plan.Measures)+1),
					Kind:  string(schema.Draft),
					Title: title60,
					Evidence: loader.Evidence{
						Section: section,
						Summary: summary,
						Quote:   quote,
						Offset:  &o, OffsetEnd: &oe,
					},
					Domains:   g.key,
					Extracted: make([]loader.ExtractedDef, 0, len(here)),
				})
				m := &plan.Measures[len(plan.Measures)-1]
				add := func(h Hit, conf float64, linked bool, where string) {
					m.Extracted = append(m.Extracted, loader.ExtractedDef{
						Type: string(h.Type), ID: h.ID, Text: intern(text[h.Start:h.End]),
						Offset: start(h.Start), OffsetEnd: end(h.End), Confidence: min(conf, termConfidence(text, h)), Linked: linked, Where: where,
					})
				}
				var tids []string
				for _, t := range g.techs {
					tids = append(tids, here[t].ID)
					add(here[t], confTerm, true, "clause")
				}
				for _, t := range uniqSorted(tids) {
					m.Technologies = append(m.Technologies, loader.TechLink{ID: t, Basis: string(schema.Extracted)})
				}
				for i, h := range here {
					if h.Type != schema.Domain {
						continue
					}
					best := 0.0 // the surest link of the group's technologies to h
					for _, pr := range pairs {
						if pr.domain == i && slices.Contains(g.techs, pr.tech) {
							best = max(best, pr.conf)
						}
					}
					switch {
					case best > 0 && h.Start >= c.End:
						add(h, best, true, "sentence") // a purpose clause after it
					case best > 0:
						add(h, best, true, "clause")
					case h.Start < c.End:
						add(h, confUnlinked, false, "clause")
					}
				}
				if !hasType(here, schema.Domain) {
					// Domains nearby, for the reviewer only.
					near, out, where, cf := in, c, "sentence", confSentence
					if !hasTypeOutside(near, out, schema.Domain) {
						near, out, where, cf = paraHits(), s.Span, "paragraph", confParagraph
					}
					// Each domain once, at its first mention.
					var seen []string
					for _, h := range near {
						if h.Type == schema.Domain && (h.End <= out.Start || h.Start >= out.End) && !contains(seen, h.ID) {
							seen = append(seen, h.ID)
							add(h, cf, false, where)
						}
					}
				}
			}
		}
	}
	d.Targets = findTargets(text, sents, hits)
	quote := func(s Span) string { return string(text[s.Start:s.End]) }
	plan.Targets = draftTargets(prefix, d.Targets, quote)
	for i := range d.Targets {
		t := &d.Targets[i]
		t.Start, t.End = start(t.Start), end(t.End)
		t.Clause = Span{start(t.Clause.Start), end(t.Clause.End)}
		*plan.Targets[i].Evidence.Offset, *plan.Targets[i].Evidence.OffsetEnd = t.Start, t.End
	}
	return d
}

// techGroup is the technologies of a clause linked to one set of domains.
type techGroup struct {
	key   []string // the domain ids, sorted
	techs []int    // indexes into the clause's hits
}

// hitIndex is the index of h in hits, which are in text order without overlaps.
func hitIndex(hits []Hit, h Hit) int {
	return sort.Search(len(hits), func(i int) bool { return hits[i].Start >= h.Start })
}

// hasTypeOutside reports whether a hit of type t lies outside s.
func hasTypeOutside(hits []Hit, s Span, t schema.Type) bool {
	for _, h := range hits {
		if h.Type == t && (h.End <= s.Start || h.Start >= s.End) {
			return true
		}
	}
	return false
}

// hasType reports whether any hit is of type t.
func hasType(hits []Hit, t schema.Type) bool {
	for _, h := range hits {
		if h.Type == t {
			return true
		}
	}
	return false
}

// uniqSorted is ss sorted without repeats.
func uniqSorted(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, x := range ss {
		if i == 0 || x != ss[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// within are the hits inside s; hits are in text order.
func within(hits []Hit, s Span) []Hit {
	i := sort.Search(len(hits), func(i int) bool { return hits[i].Start >= s.Start })
	j := i
	for j < len(hits) && hits[j].End <= s.End {
		j++
	}
	return hits[i:j]
}

// navigation marks a line of a page's chrome rather than its text: the
// breadcrumb, search box, log-in and menu lines reprints keep.
var navigation = regexp.MustCompile(`(?i)当前位置|您的位置|你的位置|现在位置|所在位置|當前位置|首页|首頁|type to search|skip to|search|搜索|登录|登錄|注册|註冊|欢迎|歡迎|menu|>>|»|›|\||打印|关闭窗口|字号|字體|分享到|来源[:：]|發布時間|发布时间|浏览次数|主办|主辦|photo:|图片来源|圖片來源|credit:|all rights reserved|版权所有|版權所有|published on|posted on|back to|read more|share this`)

// titleWords end the titles of plans and their notices.
var titleLike = regexp.MustCompile(`(方案|计划|計劃|意见|意見|通知|规划|規劃|措施|办法|辦法|纲要|綱要|决定|決定|报告|報告|指南|Plan|Opinions|Measures)\s*[(（]?[^()（）]{0,16}[)）]?$`)

// TextTitle is the title of a plain text: among its first lines (and
// the parts of a line split by "|"), the first that reads as a plan's or
// notice's title; else the first short line that is not a sentence; else
// the first line at all — never site navigation, a date or a number.
func TextTitle(text []byte) string {
	var short, first string
	lines := strings.Split(string(text[:min(len(text), 8000)]), "\n")
	for k, line := range lines {
		if k >= 30 {
			break
		}
		for _, part := range strings.Split(line, "|") {
			l := squeeze(part)
			n := utf8.RuneCountInString(l)
			if n < 5 || n > 200 || !hasLetters(l) || startsItem([]byte(l), 0) {
				continue // a heading's number (一、, (一), 1.) opens no title
			}
			if titleLike.MatchString(l) && !navigation.MatchString(l) {
				return shorten(l, 120)
			}
			if navigation.MatchString(l) || strings.Contains(line, "|") {
				continue
			}
			last, _ := utf8.DecodeLastRuneInString(l)
			if short == "" && n <= 60 && !strings.ContainsRune("。.:：,，;；", last) {
				short = l
			}
			if first == "" {
				first = l
			}
		}
	}
	if short != "" {
		return shorten(short, 120)
	}
	return shorten(first, 120)
}

// hasLetters: a line of more than digits, dates and document numbers.
func hasLetters(s string) bool {
	letters := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x2e80 && !strings.ContainsRune("年月日号號〔〕", r) {
			letters++
		}
	}
	return letters >= 4
}

// shorten cuts s to at most n runes, marking the cut, with its runs of
// white space made one space and its ends trimmed; one pass, and no copy
// when s is short and clean already.
func shorten(s string, n int) string {
	var b []byte // nil while s[:i] needs no change
	runes, space, i := 0, false, 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			if b == nil && (r != ' ' || space || runes == 0) {
				b = append(make([]byte, 0, min(len(s), 4*n)), s[:i]...)
			}
			space = true
			i += w
			continue
		}
		if space && runes > 0 {
			if runes+1 >= n {
				break
			}
			if b != nil {
				b = append(b, ' ')
			}
			runes++
		}
		space = false
		if runes+1 >= n && i+w < len(s) {
			// one rune left to show and more to come: cut here
			if b == nil {
				b = append([]byte(nil), s[:i]...)
			}
			return string(b) + "…"
		}
		if b != nil {
			b = append(b, s[i:i+w]...)
		}
		runes++
		i += w
	}
	if b == nil {
		if space { // trailing space only
			return strings.TrimRightFunc(s, isSpace)
		}
		return s
	}
	if i < len(s) {
		return string(b) + "…"
	}
	return string(b)
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
