package extract

import (
	"bytes"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// corpus generates size bytes of mixed Chinese, Japanese and English plan
// text, denser in terms than real plans (a term every 34 bytes against
// one every 140 in ../shared/eval-real), so the figures are a floor.
func corpus(size int) []byte {
	zh := []string{"推进", "区块链", "在", "金融", "领域的应用示范，", "加快", "5G网络", "和", "工业互联网", "建设，", "布局", "智能计算中心", "与", "数据中心", "，提升", "政务服务", "水平。", "强化", "公共安全", "保障，完善", "社会信用", "体系建设。", "推动经济社会高质量发展，夯实新型基础设施底座。"}
	ja := []string{"市は", "ブロックチェーン", "を", "医療", "と", "貿易", "に活用し、", "人工知能", "や", "クラウドコンピューティング", "の導入を進める。", "スマートシティ", "の実現に向けて、関係部門が連携する。"}
	en := []string{"The city will deploy ", "blockchain", " in ", "finance", " and ", "smart city", " services, expand ", "data centers", " and ", "AI", " research, and said it would maintain ", "cybersecurity", " standards. "}
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for b.Len() < size {
		var parts []string
		switch r.IntN(3) {
		case 0:
			parts = zh
		case 1:
			parts = ja
		default:
			parts = en
		}
		for _, p := range parts {
			if r.IntN(4) > 0 { // drop some words so the text varies
				b.WriteString(p)
			}
		}
		if r.IntN(5) == 0 {
			b.WriteString("\n\n")
		}
	}
	return b.Bytes()
}

// planCorpus is corpus at the density of real plans: each generated
// passage followed by prose that names no term, so that a term comes
// about every 140 bytes, as in the real page openings of
// ../shared/eval-real (57,679 bytes, 419 labelled mentions).
func planCorpus(size int) []byte {
	filler := []string{
		"各级各部门要加强组织领导，明确责任分工，细化工作举措，确保各项任务按期落到实处。",
		"市有关单位要按照职责分工抓好落实，定期报送工作进展情况，及时研究解决推进中遇到的问题。",
		"関係部門は進捗状況を定期的に確認し、必要に応じて計画の見直しを行うとしている。",
		"The departments concerned will review progress every quarter, publish the results and revise the targets where needed. ",
	}
	dense := corpus(size/4 + 1)
	var b bytes.Buffer
	k := 0
	for _, line := range bytes.SplitAfter(dense, []byte("。")) {
		b.Write(line)
		for range 3 {
			b.WriteString(filler[k%len(filler)])
			k++
		}
		if b.Len() >= size {
			break
		}
	}
	return b.Bytes()
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// run times f over text and reports, beside the wall-clock MB/s, the
// megabytes per second of CPU time used: on a machine shared with other
// work this is the figure for "a core" (run with -cpu 1).
func run(b *testing.B, text []byte, f func()) {
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		f()
	}
	if cpu := cpuTime() - c0; cpu > 0 {
		b.ReportMetric(float64(len(text))*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

// BenchmarkFind measures matching and counting, the figure the README
// reports: go test ./loader/extract -run '^$' -bench Find -benchtime 3x -cpu 1
func BenchmarkFind(b *testing.B) {
	lx, _ := realLexicon(b)
	text := corpus(50 << 20)
	run(b, text, func() {
		hits := lx.Find(text)
		_ = Count(hits, "technology")
	})
}

// BenchmarkExtract is the whole draft: languages per sentence, matching,
// sentences and clauses, links, measures and their evidence.
func BenchmarkExtract(b *testing.B) {
	lx, _ := realLexicon(b)
	text := corpus(50 << 20)
	doc := PlainDoc(text)
	run(b, text, func() { Extract(lx, doc, Options{Plan: "bench"}) })
}

// BenchmarkExtractPlan is BenchmarkExtract at the density of real plans.
func BenchmarkExtractPlan(b *testing.B) {
	lx, _ := realLexicon(b)
	text := planCorpus(50 << 20)
	doc := PlainDoc(text)
	run(b, text, func() { Extract(lx, doc, Options{Plan: "bench"}) })
}

// TestPlanCorpusDensity keeps planCorpus at the density it claims: its
// filler names no term, and a term comes every 100 to 200 bytes.
func TestPlanCorpusDensity(t *testing.T) {
	lx, _ := realLexicon(t)
	text := planCorpus(1 << 20)
	per := len(text) / max(len(lx.Find(text)), 1)
	if per < 100 || per > 200 {
		t.Errorf("a term every %d bytes, want 100 to 200", per)
	}
}
