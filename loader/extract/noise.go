package extract

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// toneVowels are the pinyin vowels with tone marks.
const toneVowels = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"

// gloss reports the length of a pinyin gloss "(rén)" at the start of b:
// a bracket, 1 to 7 lower-case pinyin letters, and its closing bracket;
// marked reports whether it carries a tone mark.
func gloss(b []byte) (n int, marked bool) {
	if len(b) < 3 || b[0] != '(' && !bytes.HasPrefix(b, []byte("（")) {
		return 0, false
	}
	i := 1
	if b[0] != '(' {
		i = len("（")
	}
	letters := 0
	for i < len(b) && letters <= 7 {
		r, m := utf8.DecodeRune(b[i:])
		switch {
		case r >= 'a' && r <= 'z':
		case r < utf8.RuneSelf:
			if (r == ')') && letters > 0 {
				return i + 1, marked
			}
			return 0, false
		case bytesContainsRune(toneVowels, r):
			marked = true
		case r == '）' && letters > 0:
			return i + m, marked
		default:
			return 0, false
		}
		letters++
		i += m
	}
	return 0, false
}

func bytesContainsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// ReadThrough removes pinyin glosses inserted after Chinese characters in
// some reprints (人(rén)工智能(néng) reads 人工智能), when the text has at
// least three glosses with tone marks, so a parenthesis in ordinary text
// ("(de)" alone, "(AI)") is left alone. The map takes each byte of the
// result back to text; nil when nothing was removed.
func ReadThrough(text []byte) ([]byte, *OffsetMap) {
	marked := 0
	for i := 0; i < len(text) && marked < 3; {
		r, n := utf8.DecodeRune(text[i:])
		i += n
		if unicode.Is(unicode.Han, r) {
			if g, ok := gloss(text[i:]); g > 0 && ok {
				marked++
				i += g
			}
		}
	}
	if marked < 3 {
		return text, nil
	}
	var out bytes.Buffer
	out.Grow(len(text))
	m := &OffsetMap{}
	last := 0 // text[last:i] is still to copy
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		i += n
		if !unicode.Is(unicode.Han, r) {
			continue
		}
		g, _ := gloss(text[i:])
		if g == 0 {
			continue
		}
		// The gloss belongs to its character: a word ending in a glossed
		// character ends after the gloss (人(rén)工智能(néng)).
		c := i - n
		m.Add(out.Len(), c-last, last, c-last)
		out.Write(text[last:c])
		m.Add(out.Len(), n, c, n+g)
		out.Write(text[c:i])
		i += g
		last = i
	}
	m.Add(out.Len(), len(text)-last, last, len(text)-last)
	out.Write(text[last:])
	return out.Bytes(), m
}
