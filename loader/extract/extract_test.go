package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/loader"
)

// realLexicon is the lexicon of the real vocabulary in data/.
func realLexicon(t testing.TB) (*Lexicon, *loader.Dataset) {
	t.Helper()
	ds, err := loader.Load("../../data")
	if err != nil {
		t.Fatal(err)
	}
	lx, err := LexiconOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	return lx, ds
}

func TestFind(t *testing.T) {
	lx, _ := realLexicon(t)
	tests := []struct {
		text string
		want []string // type/id of every hit, in order
	}{
		{"推进工业互联网平台建设", []string{"technology/industrial-internet"}},
		{"建设卫星互联网和互联网数据中心", []string{"technology/satellite-internet", "technology/data-center"}},
		{"布局智能计算中心", []string{"technology/intelligent-computing-center"}},
		{"智能计算中心与数据中心协同", []string{"technology/intelligent-computing-center", "technology/data-center"}},
		{"维护公共安全和网络安全", []string{"domain/public-safety", "domain/security"}},
		{"區塊鏈賦能醫療", []string{"technology/blockchain", "domain/medical"}},
		{"ブロックチェーンを金融に活用する", []string{"technology/blockchain", "domain/finance"}},
		{"産業用インターネットと5Gの融合", []string{"technology/industrial-internet", "technology/5g"}},
		{"Blockchain pilots in finance and smart cities.", []string{"technology/blockchain", "domain/finance", "domain/smart-city"}},
		{"The mayor said data centers would maintain AI research.", []string{"technology/data-center", "technology/ai"}},
		{"ai is lower case and BLOCKCHAINS shout", nil},
		{"the internet and the network", nil},
		{"发展人工智能、云计算和物联网", []string{"technology/ai", "technology/cloud-computing", "technology/iot"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, h := range lx.Find([]byte(tt.text)) {
				got = append(got, string(h.Type)+"/"+h.ID)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSentences(t *testing.T) {
	text := "第一句。第二句！第三句？第四句；\nFirst one. Version 5.0 ships.\n「引用。」後\nno end"
	var got []string
	for _, s := range Sentences([]byte(text)) {
		got = append(got, text[s.Start:s.End])
	}
	want := []string{"第一句。", "第二句！", "第三句？", "第四句；", "First one.", "Version 5.0 ships.", "「引用。」", "後", "no end"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestExtractDraft runs the extractor on a Chinese plan text and checks
// counts, domains (same sentence, else same paragraph) and offsets.
func TestExtractDraft(t *testing.T) {
	lx, _ := realLexicon(t)
	src, err := os.ReadFile("testdata/plan_zh.txt")
	if err != nil {
		t.Fatal(err)
	}
	d := Extract(lx, PlainDoc(src), Options{City: "fuzhou", Plan: "fuzhou-draft", Lang: "auto", File: "plan_zh.txt"})
	if d.Lang != "zh" {
		t.Errorf("language %q, want zh", d.Lang)
	}
	counts := map[string]int{}
	for _, m := range d.Plan.Mentions {
		counts[m.Technology] = *m.Count
	}
	if counts["blockchain"] != 4 || counts["5g"] != 2 || counts["data-center"] != 1 || counts["industrial-internet"] != 1 || counts["intelligent-computing-center"] != 1 || counts["computing-infrastructure"] != 1 || len(counts) != 6 {
		t.Errorf("counts %v", counts)
	}
	for _, m := range d.Plan.Measures {
		quote := m.Evidence.Quote
		if got := string(src[*m.Evidence.Offset:*m.Evidence.OffsetEnd]); got != quote {
			t.Errorf("%s: offsets give %q, quote is %q", m.ID, got, quote)
		}
		if m.Kind != "draft" || m.Technologies[0].Basis != "extracted" {
			t.Errorf("%s: kind %s basis %s", m.ID, m.Kind, m.Technologies[0].Basis)
		}
	}
	byQuote := func(sub string) loader.MeasureDef {
		for _, m := range d.Plan.Measures {
			if strings.Contains(m.Evidence.Quote, sub) {
				return m
			}
		}
		t.Fatalf("no measure quoting %q", sub)
		return loader.MeasureDef{}
	}
	if m := byQuote("金融等行业"); strings.Join(m.Domains, ",") != "finance" {
		t.Errorf("finance sentence: domains %v", m.Domains)
	}
	// No domain in its own sentence: the paragraph's domain is listed for
	// the reviewer with a low confidence, and not linked.
	m := byQuote("区块链底层平台")
	if len(m.Domains) != 0 {
		t.Errorf("paragraph domains linked: %v", m.Domains)
	}
	var para []string
	for _, x := range m.Extracted {
		if x.Type == "domain" {
			if x.Linked || x.Where != "paragraph" || x.Confidence > 0.3 {
				t.Errorf("paragraph domain %+v", x)
			}
			para = append(para, x.ID)
		}
		if got := string(src[x.Offset:x.OffsetEnd]); got != x.Text {
			t.Errorf("extracted %s at %d..%d gives %q", x.Text, x.Offset, x.OffsetEnd, got)
		}
	}
	if len(para) == 0 || strings.Join(slices.Compact(para), ",") != "government" {
		t.Errorf("paragraph domains %v", para)
	}
}

// TestDraftValidates: a draft with its ids filled in passes validation
// and loads next to the real dataset.
func TestDraftValidates(t *testing.T) {
	lx, _ := realLexicon(t)
	src, err := os.ReadFile("testdata/plan_zh.txt")
	if err != nil {
		t.Fatal(err)
	}
	d := Extract(lx, PlainDoc(src), Options{Plan: "fuzhou-draft-2021", File: "plan_zh.txt"})
	d.Plan.City = "fuzhou"
	d.Plan.Issuer = "fuzhou-government"
	d.Plan.Source = "interchain-pulse-2020-06"
	d.Plan.Mentions[0].Scope.Cities = []string{"fuzhou"}
	y, err := d.Encode("yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../data")); err != nil {
		t.Fatal(err)
	}
	before, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plans", "fuzhou-draft-2021.yaml"), y, 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := loader.Load(dir)
	if err != nil {
		t.Fatalf("draft does not validate: %v\n%s", err, y)
	}
	if ds.Documents != before.Documents+1 {
		t.Errorf("%d documents after adding the draft", ds.Documents)
	}
	j, err := d.Encode("json")
	if err != nil || !strings.HasPrefix(string(j), "{") {
		t.Errorf("JSON draft: %v %s", err, j)
	}
	// Without ids the draft names what is missing.
	bare := Extract(lx, PlainDoc(src), Options{File: "plan_zh.txt"})
	y, _ = bare.Encode("yaml")
	if err := os.WriteFile(filepath.Join(dir, "plans", "fuzhou-draft-2021.yaml"), y, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load(dir); err == nil || !strings.Contains(err.Error(), "bad plan id") {
		t.Errorf("draft without ids: %v", err)
	}
}

func TestStripHTML(t *testing.T) {
	lx, _ := realLexicon(t)
	src := []byte("<html><head><style>p{}</style><script>var blockchain=1</script></head><body><h1>方案</h1><p>推进区块链在&amp;金融领域应用。</p><p>建设数据中心。</p></body></html>")
	st := StripHTML(src)
	text := st.Text
	if strings.Contains(string(text), "var") || !strings.Contains(string(text), "推进区块链在&金融领域应用。") {
		t.Fatalf("stripped: %q", text)
	}
	d := Extract(lx, &Doc{Text: text, Map: st.Map}, Options{})
	if len(d.Plan.Measures) != 2 {
		t.Fatalf("%d measures", len(d.Plan.Measures))
	}
	m := d.Plan.Measures[1]
	if got := string(src[*m.Evidence.Offset:*m.Evidence.OffsetEnd]); got != "建设数据中心。" {
		t.Errorf("offsets into the HTML give %q", got)
	}
	if m.Technologies[0].ID != "data-center" {
		t.Errorf("technology %v", m.Technologies)
	}
}
