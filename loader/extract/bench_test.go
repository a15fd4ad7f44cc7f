package extract

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// corpus generates size bytes of mixed Chinese, Japanese and English plan
// text in which terms appear at about the rate real plans show.
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

// BenchmarkFind measures matching and counting, the figure the README
// reports: go test ./loader/extract -run '^$' -bench Find -benchtime 3x
func BenchmarkFind(b *testing.B) {
	lx, _ := realLexicon(b)
	text := corpus(50 << 20)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		hits := lx.Find(text)
		_ = Count(hits, "technology")
	}
}

// BenchmarkExtract adds sentence and paragraph splitting and draft building.
func BenchmarkExtract(b *testing.B) {
	lx, _ := realLexicon(b)
	text := corpus(50 << 20)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		Extract(lx, PlainDoc(text), Options{Plan: "bench"})
	}
}
