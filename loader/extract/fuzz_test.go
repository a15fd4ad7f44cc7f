package extract

import (
	"testing"
	"unicode/utf8"
)

// FuzzExtract: any text gives a draft whose evidence offsets point at the
// sentence they quote; never a panic.
func FuzzExtract(f *testing.F) {
	lx, _ := realLexicon(f)
	f.Add([]byte("鼓励在金融等行业开展区块链应用示范。\n\n建设数据中心。"))
	f.Add([]byte("The mayor said AI and data centers.\r\nIoT; 5G!"))
	f.Add([]byte("<p>区块链&amp;金融</p>"))
	f.Add([]byte{0xe5, 0x8c})
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Prepare(src, "", false)
		if err != nil {
			return // not a text in a charset we read: an error, not a draft
		}
		d := Extract(lx, doc, Options{Plan: "p"})
		for _, m := range d.Plan.Measures {
			s, e := *m.Evidence.Offset, *m.Evidence.OffsetEnd
			if s < 0 || e > len(src) || s > e {
				t.Fatalf("offsets %d..%d outside %d bytes", s, e, len(src))
			}
			if doc.Map == nil && string(src[s:e]) != m.Evidence.Quote {
				t.Fatalf("offsets give %q, quote %q", src[s:e], m.Evidence.Quote)
			}
			if utf8.Valid(src) && !utf8.ValidString(m.Evidence.Quote) {
				t.Fatalf("quote cut inside a character")
			}
		}
	})
}
