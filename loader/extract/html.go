package extract

import (
	"bytes"
	"html"
	"strings"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
)

// IsHTML reports whether src looks like an HTML document.
func IsHTML(src []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(src[:min(len(src), 512)]))
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<body")) || bytes.Contains(head, []byte("<p>")) || bytes.Contains(head, []byte("<div")) ||
		bytes.Contains(head, []byte("<meta")) || bytes.Contains(head, []byte("<head"))
}

// blockTags end a line of text: paragraphs stay paragraphs after stripping.
var blockTags = map[string]bool{"p": true, "div": true, "br": true, "li": true, "tr": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "section": true, "article": true, "title": true, "table": true,
	"ul": true, "ol": true, "dd": true, "dt": true, "header": true, "footer": true, "nav": true, "td": true,
	"th": true, "blockquote": true, "pre": true, "hr": true, "form": true, "aside": true, "main": true, "center": true}

// hiddenTags hold no text a reader sees as the page's text.
var hiddenTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "head": true}

// Stripped is the text of an HTML page and what the page says about itself.
type Stripped struct {
	Text []byte
	Map  *OffsetMap
	// Title is the page's <h1>, else its <title> less the site's name.
	Title string
}

// StripHTML returns the text of an HTML document, with a line break for
// every block element, and the map of each byte of that text to its bytes
// in src: an entity (&nbsp;, &ldquo;) maps to the whole entity, so every
// passage's offsets point at it in the original. Scripts, styles and the
// head are dropped; the <title> is kept apart.
func StripHTML(src []byte) Stripped {
	z := nethtml.NewTokenizer(bytes.NewReader(src))
	var out bytes.Buffer
	m := &OffsetMap{}
	var title, h1 strings.Builder
	pos, hidden := 0, 0
	inTitle, inH1 := false, false
	for {
		tt := z.Next()
		raw := z.Raw()
		start := pos
		pos += len(raw)
		switch tt {
		case nethtml.ErrorToken:
			return Stripped{Text: out.Bytes(), Map: m, Title: squeeze(chooseTitle(squeeze(h1.String()), title.String()))}
		case nethtml.StartTagToken, nethtml.EndTagToken, nethtml.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if hiddenTags[tag] || tag == "title" {
				switch tt {
				case nethtml.StartTagToken:
					hidden++
				case nethtml.EndTagToken:
					hidden = max(hidden-1, 0)
				}
			}
			if tag == "title" {
				inTitle = tt == nethtml.StartTagToken
			}
			if tag == "h1" {
				inH1 = tt == nethtml.StartTagToken && h1.Len() == 0
			}
			if blockTags[tag] && out.Len() > 0 && out.Bytes()[out.Len()-1] != '\n' {
				m.Add(out.Len(), 1, start, 0)
				out.WriteByte('\n')
			}
		case nethtml.TextToken:
			if inTitle {
				title.WriteString(html.UnescapeString(string(raw)))
			}
			if hidden > 0 {
				continue
			}
			at := out.Len()
			decodeText(raw, start, &out, m)
			if inH1 {
				h1.Write(out.Bytes()[at:])
			}
		}
	}
}

// decodeText writes raw text with its entities decoded and \r\n made \n,
// as the tokenizer's Text does, recording where each piece came from.
func decodeText(raw []byte, base int, out *bytes.Buffer, m *OffsetMap) {
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '&':
			if n, dec := entity(raw[i:]); n > 0 {
				m.Add(out.Len(), len(dec), base+i, n)
				out.WriteString(dec)
				i += n
				continue
			}
		case c == '\r':
			n := 1
			if i+1 < len(raw) && raw[i+1] == '\n' {
				n = 2
			}
			m.Add(out.Len(), 1, base+i, n)
			out.WriteByte('\n')
			i += n
			continue
		case c == 0:
			m.Add(out.Len(), len("\ufffd"), base+i, 1)
			out.WriteString("\ufffd")
			i++
			continue
		}
		j := i + 1
		for j < len(raw) && raw[j] != '&' && raw[j] != '\r' && raw[j] != 0 {
			j++
		}
		m.Add(out.Len(), j-i, base+i, j-i)
		out.Write(raw[i:j])
		i = j
	}
}

// entity reads the character reference at the start of b ("&amp;",
// "&#20013;", "&nbsp" without its semicolon): its length and its text, or
// 0 when b does not start one.
func entity(b []byte) (int, string) {
	j := 1
	for j < len(b) && j < 40 && (isWordByte(b[j]) || j == 1 && b[j] == '#') {
		j++
	}
	if j < len(b) && b[j] == ';' {
		c := string(b[:j+1])
		if d := html.UnescapeString(c); d != c {
			return j + 1, d
		}
	}
	// Without a semicolon: the shortest prefix that is a reference (the
	// legacy names, &amp &lt &nbsp), or the whole run of digits.
	if j > 2 && b[1] == '#' {
		c := string(b[:j])
		if d := html.UnescapeString(c); d != c && utf8.RuneCountInString(d) == 1 {
			return j, d
		}
		return 0, ""
	}
	for k := 3; k <= j; k++ {
		c := string(b[:k])
		if d := html.UnescapeString(c); d != c && utf8.RuneCountInString(d) == 1 {
			return k, d
		}
	}
	return 0, ""
}

// chooseTitle picks a page's title: the <h1> when it reads as a plan's
// or notice's title, else such a part of the <title>, else the <h1>
// (many sites put their own name in an <h1>, so it comes second), else
// the <title>'s longest part.
func chooseTitle(h1, title string) string {
	t := pageTitle(title)
	switch {
	case h1 != "" && titleLike.MatchString(h1):
		return h1
	case t != "" && titleLike.MatchString(t):
		return t
	case h1 != "" && !navigation.MatchString(h1):
		return h1
	}
	return t
}

// pageTitle is a <title> without the site's name: of the parts between
// separators ("_", " - ", "|", "—"), the one that reads as a plan's or
// notice's title, else the longest (a site's name is mostly the shorter).
func pageTitle(t string) string {
	parts := []string{strings.TrimSpace(t)}
	for _, sep := range []string{"_", " - ", "|", " — ", "－", "｜", " – "} {
		var next []string
		for _, p := range parts {
			for _, q := range strings.Split(p, sep) {
				if q = strings.TrimSpace(q); q != "" {
					next = append(next, q)
				}
			}
		}
		parts = next
	}
	for _, p := range parts {
		if titleLike.MatchString(p) {
			return p
		}
	}
	best := ""
	for _, p := range parts {
		if utf8.RuneCountInString(p) > utf8.RuneCountInString(best) {
			best = p
		}
	}
	return best
}

// squeeze makes runs of white space (NBSP and the ideographic space
// included) one space and trims the ends.
func squeeze(s string) string {
	clean := true // no space at the ends, none but single ASCII spaces inside
	prevSpace := true
	for _, r := range s {
		sp := isSpace(r)
		if sp && (r != ' ' || prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}
