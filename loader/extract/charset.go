package extract

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Decoded is a document turned into UTF-8, with the map of each byte back
// to the original bytes (nil when the original was UTF-8 already).
type Decoded struct {
	Text    []byte
	Map     *OffsetMap
	Charset string // the charset read: utf-8, gb18030, big5, utf-16le …
	// From says where the charset came from: bom, header, meta, detected.
	From string
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)`)

// Decode reads src as the page a government site serves: the charset is
// the BOM's, else the Content-Type header's (contentType may be empty),
// else an HTML meta tag's, else UTF-8 when src is valid UTF-8, else the
// likelier of GB18030 and Big5. GB2312 and GBK are read as GB18030, of
// which they are subsets. Offsets in the result map to src's bytes.
func Decode(src []byte, contentType string) (*Decoded, error) {
	switch {
	case bytes.HasPrefix(src, []byte("\xef\xbb\xbf")):
		m := &OffsetMap{}
		m.Add(0, len(src)-3, 3, len(src)-3)
		return checkUTF8(&Decoded{Text: src[3:], Map: m, Charset: "utf-8", From: "bom"}, 3)
	case bytes.HasPrefix(src, []byte("\xff\xfe")):
		return decodeWith(src, 2, "utf-16le", "bom")
	case bytes.HasPrefix(src, []byte("\xfe\xff")):
		return decodeWith(src, 2, "utf-16be", "bom")
	}
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			return decodeNamed(src, params["charset"], "header")
		}
	}
	if m := metaCharset.FindSubmatch(src[:min(len(src), 4096)]); m != nil {
		// A saved copy of a page is often UTF-8 under its old meta tag;
		// Chinese text in GBK or Big5 is next to never valid UTF-8.
		if !utf8.Valid(src) || isASCII(src) {
			return decodeNamed(src, string(m[1]), "meta")
		}
	}
	if utf8.Valid(src) {
		return &Decoded{Text: src, Charset: "utf-8", From: "detected"}, nil
	}
	gb, errGB := decodeWith(src, 0, "gb18030", "detected")
	b5, errB5 := decodeWith(src, 0, "big5", "detected")
	switch {
	case errGB != nil && errB5 != nil:
		return nil, fmt.Errorf("neither UTF-8, GB18030 nor Big5: %v", errGB)
	case errB5 != nil:
		return gb, nil
	case errGB != nil:
		return b5, nil
	}
	if chineseScore(b5.Text) > chineseScore(gb.Text) {
		return b5, nil
	}
	return gb, nil
}

// common are characters frequent in plan text in either script; the
// decoding that yields more of them (and fewer replacement characters)
// is the right one.
const common = "的一是在不了有和人这中大为上个国发展建设区新基础施加快推进数字网络技术信息产业经济社会服务创平台智能能源交通年市省政府部门工作实现提升完善這國發數網絡術資訊產業經濟會創智慧區為設與們進實現"

func chineseScore(text []byte) int {
	score := 0
	for _, r := range string(text) {
		switch {
		case r == utf8.RuneError:
			score -= 5
		case strings.ContainsRune(common, r):
			score++
		}
	}
	return score
}

func checkUTF8(d *Decoded, skip int) (*Decoded, error) {
	if !utf8.Valid(d.Text) {
		return nil, fmt.Errorf("the %s says UTF-8, but byte %d is not UTF-8", d.From, skip+invalidAt(d.Text))
	}
	return d, nil
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// decodeNamed decodes src in the charset a header or meta tag names.
func decodeNamed(src []byte, name, from string) (*Decoded, error) {
	canon, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q in the %s", name, from)
	}
	cname, _ := htmlindex.Name(canon)
	switch cname {
	case "utf-8":
		return checkUTF8(&Decoded{Text: src, Charset: "utf-8", From: from}, 0)
	case "gbk", "gb18030":
		// Pages that say gb2312 or gbk often hold GB18030's extra characters.
		cname = "gb18030"
	}
	return decodeWith(src, 0, cname, from)
}

// charWidth is the length of the character at the start of b in a
// multi-byte charset, so that each decoded character keeps its offsets.
var charWidth = map[string]func(b []byte) int{
	"gb18030": func(b []byte) int {
		switch {
		case b[0] < 0x80:
			return 1
		case len(b) >= 4 && b[1] >= 0x30 && b[1] <= 0x39:
			return 4
		}
		return min(2, len(b))
	},
	"big5": lead2,
	"shift_jis": func(b []byte) int {
		return map[bool]int{true: 2, false: 1}[b[0] >= 0x81 && b[0] <= 0x9f || b[0] >= 0xe0 && b[0] <= 0xfc]
	},
	"euc-kr": lead2,
	"utf-16le": func(b []byte) int {
		if len(b) >= 4 && b[1] >= 0xd8 && b[1] <= 0xdb {
			return 4
		}
		return 2
	},
	"utf-16be": func(b []byte) int {
		if len(b) >= 4 && b[0] >= 0xd8 && b[0] <= 0xdb {
			return 4
		}
		return 2
	},
}

func lead2(b []byte) int {
	if b[0] < 0x80 {
		return 1
	}
	return 2
}

func encodingOf(name string) (encoding.Encoding, error) {
	switch name {
	case "gb18030":
		return simplifiedchinese.GB18030, nil
	case "big5":
		return traditionalchinese.Big5, nil
	case "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil
	}
	return htmlindex.Get(name)
}

// decodeWith decodes src[skip:] character by character, so that every
// character's bytes in src are known. A byte sequence the charset does
// not define is an error naming its offset.
func decodeWith(src []byte, skip int, name, from string) (*Decoded, error) {
	enc, err := encodingOf(name)
	if err != nil {
		return nil, fmt.Errorf("charset %q: %v", name, err)
	}
	width := charWidth[name]
	if width == nil {
		if enc == nil || !isSingleByte(enc) {
			return nil, fmt.Errorf("charset %q is not supported: convert the text to UTF-8", name)
		}
		width = func([]byte) int { return 1 }
	}
	dec := enc.NewDecoder()
	out := make([]byte, 0, len(src)*3/2)
	m := &OffsetMap{}
	var buf [16]byte
	bad := 0
	for i := skip; i < len(src); {
		if src[i] < 0x80 && !strings.HasPrefix(name, "utf-16") {
			j := i + 1
			for j < len(src) && src[j] < 0x80 {
				j++
			}
			m.Add(len(out), j-i, i, j-i)
			out = append(out, src[i:j]...)
			i = j
			continue
		}
		w := min(width(src[i:]), len(src)-i)
		dec.Reset()
		n, _, err := dec.Transform(buf[:], src[i:i+w], true)
		if err != nil || n == 0 || bytes.Equal(buf[:n], []byte("\ufffd")) {
			if bad++; bad > len(src)/200+2 {
				return nil, fmt.Errorf("not %s: byte %d (0x%02x) starts no character", name, i, src[i])
			}
			copy(buf[:], "\ufffd")
			n = 3
		}
		m.Add(len(out), n, i, w)
		out = append(out, buf[:n]...)
		i += w
	}
	return &Decoded{Text: out, Map: m, Charset: name, From: from}, nil
}

// isSingleByte: the charmaps (windows-1252, ISO 8859, KOI8) decode one
// byte to one character.
func isSingleByte(e encoding.Encoding) bool {
	_, ok := e.(interface{ DecodeByte(byte) rune })
	return ok
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
