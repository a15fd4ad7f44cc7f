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
	f.Add([]byte("<p>&ldquo;区块链&rdquo;&nbsp;在&#37329;融领域。</p><p>数据中心&#x3002;</p>"))
	f.Add([]byte("人(rén)工智能(néng)與醫(yī)療,加快(kuài)發展(zhǎn)。"))
	f.Add([]byte("<meta charset=gbk>\xc7\xf8\xbf\xe9\xc1\xb4\xbd\xf0\xc8\xda"))
	f.Add([]byte("一是推进5G﹔二是在政务领域应用区块链；(一)建设数据中心,推进IPv6。"))
	f.Add([]byte("到2022年,新建5G基站3.4万个,打造2个至3个园区;25年までに25万5千カ所。By 2025, between 2 and 3 parks, 1,000 racks."))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Prepare(src, "", false)
		if err != nil {
			return // not a text in a charset we read: an error, not a draft
		}
		d := Extract(lx, doc, Options{Plan: "p"})
		last := 0
		for _, m := range d.Mentions {
			if m.Start < last || m.End < m.Start || m.End > len(src) {
				t.Fatalf("mention %s at %d..%d after %d in %d bytes", m.ID, m.Start, m.End, last, len(src))
			}
			last = m.Start
		}
		for _, l := range d.Links {
			if l.Technology < 0 || l.Technology >= len(d.Mentions) || l.Domain < 0 || l.Domain >= len(d.Mentions) || l.Confidence <= 0 || l.Confidence > 1 {
				t.Fatalf("link %+v of %d mentions", l, len(d.Mentions))
			}
		}
		for i, x := range d.Targets {
			tg := d.Plan.Targets[i]
			if x.Start < 0 || x.End > len(src) || x.Start >= x.End || x.Clause.Start > x.Start || x.Clause.End < x.End ||
				*tg.Evidence.Offset != x.Start || *tg.Evidence.OffsetEnd != x.End || x.Value < 0 || x.ValueMax != 0 && x.ValueMax <= x.Value {
				t.Fatalf("target %+v in %d bytes", x, len(src))
			}
		}
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
