package extract

import (
	"unicode"
	"unicode/utf8"
)

// simplifiedOnly and traditionalOnly are characters common in plan text
// that one script writes and the other does not, pair by pair
// (这/這, 们/們, 国/國 …): which kind a Chinese text holds more of tells
// Simplified from Traditional.
const (
	simplifiedOnly  = "这们国发时会经为对进业动产实现设区与务数络网术应开关电问体机关计划门车联级优质资产环境农乡医疗贸易兴产业层办财营织证书县带广东龙厅总统规层项创读选举员长传给结线顾导达运边过还这际陆风飞马鸟麦黄齐龄"
	traditionalOnly = "這們國發時會經為對進業動產實現設區與務數絡網術應開關電問體機關計劃門車聯級優質資產環境農鄉醫療貿易興產業層辦財營織證書縣帶廣東龍廳總統規層項創讀選舉員長傳給結線顧導達運邊過還這際陸風飛馬鳥麥黃齊齡"
)

// scriptOf is 1 for a Simplified-only, -1 for a Traditional-only
// character of the common CJK block (U+4E00–U+9FFF), by code point.
var scriptOf = func() *[0xa000 - 0x4e00]int8 {
	var m [0xa000 - 0x4e00]int8
	for _, r := range simplifiedOnly {
		m[r-0x4e00] = 1
	}
	for _, r := range traditionalOnly {
		if m[r-0x4e00] == 1 { // written the same in both: no evidence
			m[r-0x4e00] = 0
			continue
		}
		m[r-0x4e00] = -1
	}
	return &m
}()

// isHan and isKana test the blocks plan text uses, faster than the
// unicode tables (rare ideographs beyond them fall back to those).
func isHan(r rune) bool {
	return r >= 0x4e00 && r <= 0x9fff || r >= 0x3400 && r <= 0x4dbf || r >= 0xf900 && r <= 0xfaff || r >= 0x20000 && unicode.Is(unicode.Han, r)
}

func isKana(r rune) bool {
	return r >= 0x3041 && r <= 0x30ff && r != 0x30fb && r != 0x30fc && r != 0x30a0
}

// counts of the scripts in a text.
type scripts struct{ han, kana, latin, simp, trad int }

func (c *scripts) add(text []byte) {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		i += n
		switch {
		case r < 128:
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				c.latin++
			}
		case r < 0x3000:
		case isKana(r):
			c.kana++
		case isHan(r):
			c.han++
			if r >= 0x4e00 && r <= 0x9fff {
				switch scriptOf[r-0x4e00] {
				case 1:
					c.simp++
				case -1:
					c.trad++
				}
			}
		}
	}
}

// lang is the language tag the counts point to: ja for any share of kana
// worth the name, zh-Hant for Chinese with more Traditional than
// Simplified characters, zh for other Chinese, en for Latin text.
func (c scripts) lang() string {
	switch {
	case c.kana > 0 && c.kana*20 >= c.han:
		return "ja"
	case c.han > 0 && c.han*4 >= c.latin:
		if c.trad > c.simp {
			return "zh-Hant"
		}
		return "zh"
	}
	return "en"
}

// DetectLang guesses the language of text from its scripts: kana makes
// it Japanese; Han characters make it Chinese, Traditional (zh-Hant)
// when its characters are more often the Traditional forms.
func DetectLang(text []byte) string {
	var c scripts
	c.add(text)
	return c.lang()
}
