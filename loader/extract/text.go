package extract

import (
	"bytes"
	"unicode/utf8"
)

// Span is a stretch [Start, End) of a text.
type Span struct{ Start, End int }

// sentenceEnds are the runes that close a sentence in Chinese, Japanese
// and English text, full- and half-width. A line break closes one too.
var sentenceEnds = map[rune]bool{'。': true, '！': true, '？': true, '；': true, '!': true, '?': true, ';': true, '．': true}

// closers may follow a sentence end and still belong to the sentence.
var closers = map[rune]bool{'」': true, '』': true, '”': true, '’': true, '）': true, ')': true, '"': true, '\'': true}

// Sentences splits text into sentences, trimmed of surrounding space.
// An ASCII '.' ends a sentence only before space or the end, so "5.0"
// and "e.g" stay whole.
func Sentences(text []byte) []Span {
	var out []Span
	start := 0
	emit := func(end int) {
		s, e := trim(text, start, end)
		if e > s {
			out = append(out, Span{s, e})
		}
		start = end
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		next := i + n
		switch {
		case r == '\n' || r == '\r':
			emit(i)
			start = next
		case sentenceEnds[r] || r == '.' && (next >= len(text) || text[next] == ' ' || text[next] == '\n' || text[next] == '\r' || text[next] == '\t'):
			for next < len(text) {
				c, m := utf8.DecodeRune(text[next:])
				if !closers[c] {
					break
				}
				next += m
			}
			emit(next)
		}
		i = next
	}
	emit(len(text))
	return out
}

// Paragraphs splits text at blank lines; a text without blank lines (as
// Chinese plans often are, one paragraph a line) splits at every line.
func Paragraphs(text []byte) []Span {
	blank := bytes.Contains(text, []byte("\n\n")) || bytes.Contains(text, []byte("\n\r\n"))
	var out []Span
	start := 0
	for i := 0; i <= len(text); i++ {
		end := i == len(text)
		if !end && text[i] != '\n' {
			continue
		}
		if !end && blank {
			// Only a line with nothing but space on it separates paragraphs.
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < len(text) && text[j] != '\n' {
				continue
			}
		}
		if s, e := trim(text, start, i); e > s {
			out = append(out, Span{s, e})
		}
		start = i + 1
	}
	return out
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\ufeff'
}

// trim narrows [s, e) past white space, including the ideographic space.
func trim(text []byte, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRune(text[s:e])
		if !isSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRune(text[s:e])
		if !isSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}
