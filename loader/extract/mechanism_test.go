package extract

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/policygraph/policygraph/schema"
)

// hitsOf lists "type/id:text" of every hit of a draft's mentions.
func mentionsOf(src []byte, d *Draft) []string {
	var out []string
	for _, m := range d.Mentions {
		out = append(out, string(m.Type)+"/"+m.ID+":"+string(src[m.Start:m.End]))
	}
	return out
}

func extractText(t *testing.T, src []byte, lang string) *Draft {
	t.Helper()
	lx, _ := realLexicon(t)
	doc, err := Prepare(src, "", false)
	if err != nil {
		t.Fatal(err)
	}
	return Extract(lx, doc, Options{Plan: "p", Lang: lang})
}

// TestNotDomains: agency names, navigation, administrative terms and
// "X industry" claim their span; technologies inside them still count.
func TestNotDomains(t *testing.T) {
	for _, tt := range []struct {
		text, lang string
		want       []string
	}{
		{"省工业和信息化厅负责推进5G建设。", "zh", []string{"technology/5g:5G"}},
		{"江门市政务服务数据管理局印发区块链应用计划。", "auto", []string{"technology/blockchain:区块链"}},
		{"The Ministry of Industry and Information Technology backs 5G.", "auto", []string{"technology/5g:5G"}},
		{"Beijing develops the blockchain industry.", "auto", []string{"technology/blockchain:blockchain"}},
		{"全市各行政区和行政村实现5G覆盖。", "zh", []string{"technology/5g:5G"}},
		{"全市各行政区和行政村实现5G覆盖。", "auto", []string{"technology/5g:5G"}},
		{"打造人工智能产业集群和产业链。", "auto", []string{"technology/ai:人工智能"}},
		// The same words as a field are domains.
		{"推进区块链在政务服务和工业领域的应用。", "auto", []string{"technology/blockchain:区块链", "domain/government:政务服务", "domain/industry:工业"}},
		// 行政 is a Japanese name of government: read in Japanese only.
		{"自治体は行政にブロックチェーンを活用する。", "auto", []string{"domain/government:行政", "technology/blockchain:ブロックチェーン"}},
		{"推进行政审批与区块链融合。", "zh", []string{"technology/blockchain:区块链"}},
	} {
		d := extractText(t, []byte(tt.text), tt.lang)
		if got := mentionsOf([]byte(tt.text), d); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%q (--lang %s): got %v, want %v", tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestNotMentionsInLexicon(t *testing.T) {
	terms := []Term{
		NewTerm(schema.Domain, "industry", map[string]string{"zh": "工业"}, nil, map[string][]string{"zh": {"工业和信息化厅"}}),
		NewTerm(schema.Technology, "x", map[string]string{"zh": "算力基础设施"}, map[string][]string{"zh": {"算力"}}, map[string][]string{"zh": {"算力基础设施"}}),
	}
	lx, err := NewLexicon(terms)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range lx.Find([]byte("工业和信息化厅 工业 算力基础设施")) {
		got = append(got, h.ID+":"+string([]byte("工业和信息化厅 工业 算力基础设施")[h.Start:h.End]))
	}
	// A not-mention that is a name of its own type makes that name one for
	// resolution only: the shorter name inside it still counts.
	if strings.Join(got, " ") != "industry:工业 x:算力" {
		t.Errorf("got %v", got)
	}
	_, err = NewLexicon([]Term{NewTerm(schema.Domain, "a", map[string]string{"en": "trade"}, nil, nil), NewTerm(schema.Domain, "b", map[string]string{"en": "trade"}, nil, nil)})
	if err == nil || !strings.Contains(err.Error(), `"trade" names both`) {
		t.Errorf("a text of two terms: %v", err)
	}
}

func TestSentencesAndClauses(t *testing.T) {
	text := "He said “we will.” Then, e.g. data centers, i.e. clouds. See No. 27 of 2020. Mr. J. Smith agreed.\n" +
		"一是推进5G建设﹔二是发展区块链；三是建设数据中心。\n" +
		"（一）加快千兆光网建设，推进IPv6部署，在政务领域应用区块链。\n" +
		"5G AI データセンター 自動運転\n"
	var got []string
	for _, s := range Sentences([]byte(text)) {
		got = append(got, text[s.Start:s.End])
	}
	want := []string{"He said “we will.”", "Then, e.g. data centers, i.e. clouds.", "See No. 27 of 2020.", "Mr. J. Smith agreed.",
		"一是推进5G建设﹔二是发展区块链；三是建设数据中心。", "（一）加快千兆光网建设，推进IPv6部署，在政务领域应用区块链。", "5G AI データセンター 自動運転"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences\n got %q\nwant %q", got, want)
	}
	clauses := func(s string, lang Lang) []string {
		var out []string
		for _, c := range Clauses([]byte(s), Span{0, len(s)}, lang) {
			out = append(out, s[c.Start:c.End])
		}
		return out
	}
	for _, tt := range []struct {
		s    string
		lang Lang
		want []string
	}{
		{want[4], LangZh, []string{"一是推进5G建设﹔", "二是发展区块链；", "三是建设数据中心。"}},
		{want[5], LangZh, []string{"（一）加快千兆光网建设，", "推进IPv6部署，在政务领域应用区块链。"}},
		{"5G AI データセンター 自動運転", LangJa, []string{"5G AI", "データセンター", "自動運転"}},
		{"1.建设数据中心；2.发展5G。", LangZh, []string{"1.建设数据中心；", "2.发展5G。"}},
		{"围绕打造政务服务，积极探索区块链应用，推进数据共享。", LangZh, []string{"围绕打造政务服务，积极探索区块链应用，", "推进数据共享。"}},
		{"发展（人工智能，区块链）应用，版本5.0发布。", LangZh, []string{"发展（人工智能，区块链）应用，版本5.0发布。"}},
	} {
		if got := clauses(tt.s, tt.lang); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("clauses of %q\n got %q\nwant %q", tt.s, got, tt.want)
		}
	}
}

// TestLinksByClause: a domain links to the technology of its own clause,
// not to every technology of the sentence; list items are not links.
func TestLinksByClause(t *testing.T) {
	src := []byte("加快5G网络建设，推进区块链在政务服务、金融等领域的应用，建设数据交易平台。\n" +
		"建设5G网络、千兆光网、政务专网。\n" +
		"积极探索将区块链技术应用于数字政府建设，实现政务数据可信溯源。\n")
	d := extractText(t, src, "auto")
	var got []string
	for _, l := range d.Links {
		tm, dm := d.Mentions[l.Technology], d.Mentions[l.Domain]
		got = append(got, tm.ID+"→"+dm.ID+":"+string(src[dm.Start:dm.End]))
		if l.Confidence <= 0 || l.Confidence > 1 {
			t.Errorf("link confidence %v", l.Confidence)
		}
	}
	want := []string{"blockchain→government:政务服务", "blockchain→finance:金融", "blockchain→government:数字政府", "blockchain→government:政务数据"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("links\n got %v\nwant %v", got, want)
	}
	for _, m := range d.Plan.Measures {
		for _, x := range m.Extracted {
			if x.Confidence < 0 || x.Confidence > 1 {
				t.Errorf("%s: %s confidence %v", m.ID, x.ID, x.Confidence)
			}
			if x.Type == "domain" && x.Linked != contains(m.Domains, x.ID) {
				t.Errorf("%s: %s linked %v, domains %v", m.ID, x.ID, x.Linked, m.Domains)
			}
		}
		if strings.Contains(m.Evidence.Quote, "5G网络建设") && len(m.Domains) != 0 {
			t.Errorf("5G took the blockchain clause's domains: %v", m.Domains)
		}
	}
}

// TestLinksJapanese: in Japanese a 、 after a verb's joining form goes on
// with the same predicate; one between list items does not.
func TestLinksJapanese(t *testing.T) {
	src := []byte("市はブロックチェーンを活用し、行政の効率化を進める。\n5GやAI、データセンターといった情報インフラのほか、スマート交通などが対象となる。\n")
	d := extractText(t, src, "auto")
	var got []string
	for _, l := range d.Links {
		got = append(got, d.Mentions[l.Technology].ID+"→"+d.Mentions[l.Domain].ID)
	}
	if strings.Join(got, " ") != "blockchain→government" {
		t.Errorf("links %v, want blockchain→government only", got)
	}
}

// TestOffsetsPlainAndHTML: every mention's and measure's offsets point at
// its text in the original bytes, through entities, tags and NBSP.
func TestOffsetsPlainAndHTML(t *testing.T) {
	lx, _ := realLexicon(t)
	plain := []byte("\u00a0 第一段落。\n推进区块链在金融领域的应用。建设数据中心。\n")
	html := []byte("<html><head><title>某市推进新型基础设施建设行动方案_某某网站</title></head><body><p>&ldquo;推进&nbsp;区块链&rdquo;在&amp;金融领域的应用。建设数据中心&#12290;</p>" +
		"<p>第二段&nbsp;&nbsp;人工智能赋能医疗。</p></body></html>")
	for _, src := range [][]byte{plain, html} {
		doc, err := Prepare(src, "", false)
		if err != nil {
			t.Fatal(err)
		}
		d := Extract(lx, doc, Options{Plan: "p"})
		if len(d.Mentions) < 3 {
			t.Fatalf("%d mentions in %q", len(d.Mentions), src)
		}
		for _, m := range d.Mentions {
			got := string(src[m.Start:m.End])
			if got != string(doc.Text[0:0]) && !strings.Contains("区块链 金融 数据中心 人工智能 医疗", got) {
				t.Errorf("mention %s at %d..%d gives %q", m.ID, m.Start, m.End, got)
			}
		}
		for _, m := range d.Plan.Measures {
			o, e := *m.Evidence.Offset, *m.Evidence.OffsetEnd
			quote := string(src[o:e])
			if doc.Map == nil && quote != m.Evidence.Quote {
				t.Errorf("plain: %q, quote %q", quote, m.Evidence.Quote)
			}
			if bytes.Equal(src, html) {
				// In HTML the original holds the entities: the passage
				// starts and ends where the quote's first and last characters do.
				first := []rune(m.Evidence.Quote)[0]
				if !strings.HasPrefix(quote, string(first)) && !strings.HasPrefix(quote, "&") {
					t.Errorf("html: passage %q for quote %q", quote, m.Evidence.Quote)
				}
			}
		}
	}
	// The sentence after an entity-laden one starts at its own first byte.
	doc, _ := Prepare(html, "", false)
	d := Extract(lx, doc, Options{})
	var dc string
	for _, m := range d.Plan.Measures {
		if strings.Contains(m.Evidence.Quote, "数据中心") {
			dc = string(html[*m.Evidence.Offset:*m.Evidence.OffsetEnd])
		}
	}
	if dc != "建设数据中心&#12290;" {
		t.Errorf("second sentence in the HTML: %q", dc)
	}
	if d.Plan.Title["zh"] != "某市推进新型基础设施建设行动方案" {
		t.Errorf("title %q", d.Plan.Title)
	}
}

func TestHTMLTitles(t *testing.T) {
	for _, tt := range []struct{ page, want string }{
		{"<html><head><title>绍兴市推进新型基础设施建设三年行动计划_绍兴市人民政府</title></head><body><h1>绍兴市人民政府</h1><p>正文</p></body></html>", "绍兴市推进新型基础设施建设三年行动计划"},
		{"<html><head><title>首页 | 新闻</title></head><body><h1>上海发布新基建行动方案</h1></body></html>", "上海发布新基建行动方案"},
		{"<html><head><title>China Energy Portal | NDRC clarifies the scope</title></head><body><div>Type to search</div></body></html>", "NDRC clarifies the scope"},
	} {
		if got := StripHTML([]byte(tt.page)).Title; got != tt.want {
			t.Errorf("title %q, want %q", got, tt.want)
		}
	}
}

func TestTitles(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"当前位置:首页 > 政策文件\n\u00a0上海市推进新型基础设施建设行动方案(2020-2022年)\u00a0\n正文", "上海市推进新型基础设施建设行动方案(2020-2022年)"},
		{"Type to search\nHome | News | About\nChina Specifies Scope of New Infrastructure\nOn April 20…", "China Specifies Scope of New Infrastructure"},
		{"沪府〔2020〕27号\n2020年4月29日\n关于印发《行动方案》的通知\n", "关于印发《行动方案》的通知"},
		{"歡迎訪問 今天是\n科技政策 | 廣東省人民政府關于加快數字化發展的意見\n正文從這裡開始。", "廣東省人民政府關于加快數字化發展的意見"},
		{"Published on: April 21, 2020\nNDRC clarifies the scope of new infrastructure\nThe NDRC said.", "NDRC clarifies the scope of new infrastructure"},
		{"各市人民政府:\n一、总体思路\n推进信息网络建设的若干举措\n", "推进信息网络建设的若干举措"},
	} {
		if got := TextTitle([]byte(tt.text)); got != tt.want {
			t.Errorf("title of %q: %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestPinyinGlosses: a reprint with pinyin after characters reads through,
// with offsets into the noisy original; ordinary brackets stay.
func TestPinyinGlosses(t *testing.T) {
	src := []byte("加快(kuài)數字化(huà)發展,推動人(rén)工智能(néng)與醫(yī)療融合,發展雲計算(AI)。")
	d := extractText(t, src, "auto")
	got := mentionsOf(src, d)
	want := []string{"technology/ai:人(rén)工智能(néng)", "domain/medical:醫(yī)療", "technology/cloud-computing:雲計算", "technology/ai:AI"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if d.Lang != "zh-Hant" {
		t.Errorf("language %s, want zh-Hant", d.Lang)
	}
	plain := []byte("建设数据中心(de)和(AI)平台")
	if text, m := ReadThrough(plain); m != nil || !bytes.Equal(text, plain) {
		t.Errorf("a text without tone-marked glosses changed: %q", text)
	}
}

func TestLanguagePerSentence(t *testing.T) {
	src := []byte("推进区块链在政务服务领域的应用。建设数据中心。发展人工智能产业。\n市はブロックチェーンを行政に活用する。\n推进行政区划调整和5G建设。")
	d := extractText(t, src, "auto")
	if d.Lang != "zh" {
		t.Errorf("a Chinese plan with one Japanese line: %s", d.Lang)
	}
	got := strings.Join(mentionsOf(src, d), " ")
	if !strings.Contains(got, "domain/government:行政 ") || strings.Count(got, "行政") != 1 {
		t.Errorf("行政 read in the Japanese line only: %s", got)
	}
	for text, want := range map[string]string{"區塊鏈賦能醫療，發展數據中心與網絡。": "zh-Hant", "区块链赋能医疗，发展数据中心与网络。": "zh", "ブロックチェーンを活用する": "ja", "Blockchain pilots.": "en"} {
		if got := DetectLang([]byte(text)); got != want {
			t.Errorf("%s: %s, want %s", text, got, want)
		}
	}
}

// TestCharsets: GBK/GB18030 and Big5 pages by BOM, header, meta or
// detection, with offsets into the original bytes.
func TestCharsets(t *testing.T) {
	lx, _ := realLexicon(t)
	zh := "<html><head><meta charset=\"gb2312\"><title>方案</title></head><body><p>推进区块链在金融领域的应用。</p></body></html>"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(zh))
	if err != nil {
		t.Fatal(err)
	}
	hant := "推進區塊鏈在金融領域的應用，建設數據中心。"
	big5, err := traditionalchinese.Big5.NewEncoder().Bytes([]byte(hant))
	if err != nil {
		t.Fatal(err)
	}
	gbPlain, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("建设数据中心，推进区块链在政务服务领域的应用。"))
	for _, tt := range []struct {
		name, ctype string
		src         []byte
		charset     string
		quote       string
	}{
		{"meta gb2312", "", gbk, "gb18030", "推进区块链在金融领域的应用。"},
		{"header big5", "text/plain; charset=big5", big5, "big5", "推進區塊鏈在金融領域的應用，"},
		{"detected big5", "", big5, "big5", "推進區塊鏈在金融領域的應用，"},
		{"detected gb18030", "", gbPlain, "gb18030", "推进区块链在政务服务领域的应用。"},
		{"bom utf-8", "", append([]byte("\xef\xbb\xbf"), "推进区块链在金融领域的应用。"...), "utf-8", "推进区块链在金融领域的应用。"},
	} {
		doc, err := Prepare(tt.src, tt.ctype, false)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if doc.Charset != tt.charset {
			t.Errorf("%s: charset %s, want %s", tt.name, doc.Charset, tt.charset)
		}
		d := Extract(lx, doc, Options{})
		found := false
		for _, m := range d.Plan.Measures {
			if m.Evidence.Quote != tt.quote {
				continue
			}
			found = true
			orig := tt.src[*m.Evidence.Offset:*m.Evidence.OffsetEnd]
			dec, err := Decode(orig, tt.ctype)
			if tt.charset != "utf-8" {
				dec, err = decodeWith(orig, 0, tt.charset, "test")
			}
			if err != nil || string(dec.Text) != tt.quote {
				t.Errorf("%s: the original bytes %x decode to %q (%v)", tt.name, orig, dec.Text, err)
			}
		}
		if !found {
			t.Errorf("%s: no measure quoting %q in %+v", tt.name, tt.quote, d.Plan.Measures)
		}
	}
	if _, err := Prepare([]byte("<meta charset=\"x-unknown\">\xff"), "", false); err == nil || !strings.Contains(err.Error(), "x-unknown") {
		t.Errorf("unknown charset: %v", err)
	}
	if _, err := Prepare([]byte("ok"), "text/html; charset=utf-8", false); err != nil {
		t.Errorf("utf-8 header: %v", err)
	}
	if _, err := Prepare([]byte("\xfd\xfe bad"), "text/plain; charset=utf-8", false); err == nil || !strings.Contains(err.Error(), "byte 0") {
		t.Errorf("not UTF-8 under a UTF-8 header: %v", err)
	}
}

func TestOffsetMapThen(t *testing.T) {
	// original "a&amp;bc" → html text "a&bc" → a text without "b": "a&c"
	html := &OffsetMap{}
	html.Add(0, 1, 0, 1) // a
	html.Add(1, 1, 1, 5) // & from &amp;
	html.Add(2, 2, 6, 2) // bc
	cut := &OffsetMap{}
	cut.Add(0, 2, 0, 2) // a&
	cut.Add(2, 1, 3, 1) // c
	m := cut.Then(html)
	for i, want := range []int{0, 1, 7} {
		if got := m.Start(i); got != want {
			t.Errorf("Start(%d) = %d, want %d", i, got, want)
		}
	}
	if m.End(2) != 6 || m.End(3) != 8 {
		t.Errorf("End(2) %d End(3) %d", m.End(2), m.End(3))
	}
	var none *OffsetMap
	if none.Start(5) != 5 || none.End(5) != 5 {
		t.Error("a nil map is the identity")
	}
}
