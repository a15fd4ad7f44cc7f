package extract

import (
	"bytes"
	"sort"

	"golang.org/x/net/html"
)

// IsHTML reports whether src looks like an HTML document.
func IsHTML(src []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(src[:min(len(src), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<body")) || bytes.Contains(head, []byte("<p>")) || bytes.Contains(head, []byte("<div"))
}

// blockTags end a line of text: paragraphs stay paragraphs after stripping.
var blockTags = map[string]bool{"p": true, "div": true, "br": true, "li": true, "tr": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "section": true, "article": true, "title": true, "table": true}

// StripHTML returns the text of an HTML document, with a line break for
// every block element, and a function mapping a byte offset in that text
// back to the offset in src. Scripts and styles are dropped.
func StripHTML(src []byte) ([]byte, func(int) int) {
	z := html.NewTokenizer(bytes.NewReader(src))
	var out bytes.Buffer
	// runs[i] says text from out offset runs[i].at on came from src offset runs[i].src.
	type run struct{ at, src int }
	var runs []run
	pos := 0
	skip := 0
	for {
		tt := z.Next()
		raw := z.Raw()
		start := pos
		pos += len(raw)
		switch tt {
		case html.ErrorToken:
			text := out.Bytes()
			return text, func(i int) int {
				k := sort.Search(len(runs), func(k int) bool { return runs[k].at > i }) - 1
				if k < 0 {
					return i
				}
				return runs[k].src + (i - runs[k].at)
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			}
			if blockTags[string(name)] && out.Len() > 0 && out.Bytes()[out.Len()-1] != '\n' {
				runs = append(runs, run{out.Len(), start})
				out.WriteByte('\n')
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := z.Text()
			if bytes.Equal(text, raw) {
				runs = append(runs, run{out.Len(), start})
				out.Write(text)
				continue
			}
			// Entities were decoded: offsets inside map to the token's start.
			for i := range text {
				runs = append(runs, run{out.Len() + i, start})
			}
			out.Write(text)
		}
	}
}
