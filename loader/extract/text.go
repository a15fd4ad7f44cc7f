package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a stretch [Start, End) of a text.
type Span struct{ Start, End int }

// sentenceEnds are the runes that close a sentence in Chinese, Japanese
// and English text, full- and half-width. A line break closes one too.
var sentenceEnds = map[rune]bool{'。': true, '！': true, '？': true, '!': true, '?': true, '．': true, '｡': true}

// closers may follow a sentence end and still belong to the sentence.
var closers = map[rune]bool{'」': true, '』': true, '”': true, '’': true, '）': true, ')': true, '"': true, '\'': true, '》': true}

// abbreviations end in a '.' that does not end a sentence (lower case,
// without the final '.'); "No." counts only before a number.
var abbreviations = map[string]bool{"e.g": true, "i.e": true, "mr": true, "mrs": true, "ms": true, "dr": true, "prof": true,
	"vs": true, "fig": true, "art": true, "approx": true, "st": true, "inc": true, "co": true, "ltd": true, "jr": true,
	"u.s": true, "cf": true, "viz": true, "nos": true, "para": true, "sec": true, "vol": true, "op": true}

// Sentences splits text into sentences, trimmed of surrounding space.
// An ASCII '.' ends a sentence only before space, a line break, the end
// or a closing quote followed by one of those ('.”'), and not after an
// abbreviation ("e.g.", "i.e.", "No. 5"), so "5.0" stays whole.
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
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			emit(i)
			start = next
		case sentenceEnds[r] || r == '.' && fullStop(text, i):
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

// fullStop reports whether the '.' at text[i] ends a sentence.
func fullStop(text []byte, i int) bool {
	j := i + 1
	for j < len(text) {
		c, m := utf8.DecodeRune(text[j:])
		if !closers[c] {
			break
		}
		j += m
	}
	if j < len(text) {
		c, _ := utf8.DecodeRune(text[j:])
		if !isSpace(c) && !unicode.Is(unicode.Han, c) {
			return false
		}
	}
	// The word before the dot.
	w := i
	for w > 0 && (isWordByte(text[w-1]) || text[w-1] == '.') {
		w--
	}
	word := strings.ToLower(string(text[w:i]))
	if abbreviations[word] {
		return false
	}
	if word == "no" && j < len(text) {
		k := j
		for k < len(text) && text[k] == ' ' {
			k++
		}
		if k < len(text) && text[k] >= '0' && text[k] <= '9' {
			return false
		}
	}
	// A single capital is an initial ("J. Smith").
	if i-w == 1 && text[w] >= 'A' && text[w] <= 'Z' && j < len(text) && text[j] == ' ' {
		return false
	}
	return true
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
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', '\u3000', '\ufeff', '\u00a0', '\u200b', '\u2002', '\u2003', '\u2009', '\u202f':
		return true
	}
	return false
}

// trim narrows [s, e) past white space, including the ideographic space
// and the no-break space.
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
