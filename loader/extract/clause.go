package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clauses split a sentence where its parts apply technologies to fields
// apart from each other: at ；;﹔ and a colon, before list items (一是…二是…,
// （一）, (1), 1., 一、, ①), at a top-level comma followed by a verb that
// starts a new predicate (，推进… ，加快…), and in Japanese at spaces that
// separate list items. Commas inside brackets or quotes never split.
func Clauses(text []byte, s Span, lang Lang) []Span {
	var out []Span
	start := s.Start
	var prep bool
	emit := func(end int) {
		a, b := trim(text, start, end)
		if b > a {
			out = append(out, Span{a, b})
		}
		start = end
		prep = startsWithAny(text[end:s.End], prepositions)
	}
	depth := 0
	prev := rune(0)
	prep = startsWithAny(text[s.Start:s.End], prepositions)
	for i := s.Start; i < s.End; {
		r, n := utf8.DecodeRune(text[i:s.End])
		next := i + n
		if r < '(' || r > ')' && r < '0' || r > ':' && r < 0x2000 && r != '[' && r != ']' && r != '{' && r != '}' {
			// Latin letters and the like: nothing splits here, except a
			// Japanese list's spaces.
			if !(r == ' ' && lang == LangJa) && r != ',' && r != ';' {
				prev = r
				i = next
				continue
			}
		}
		switch {
		case openers[r]:
			depth++
		case depth > 0 && closesBracket[r]:
			depth--
		case r == '“' || r == '「' || r == '『':
			depth++
		case depth > 0 && (r == '”' || r == '」' || r == '』'):
			depth--
		}
		if depth == 0 {
			switch {
			case r == '；' || r == ';' || r == '﹔':
				emit(next)
			case r == '：' || r == ':' && !(next < s.End && text[next] >= '0' && text[next] <= '9'):
				emit(next)
			case r == '，' || r == ',' || r == '﹐':
				switch {
				case startsItem(text[next:s.End], r):
					emit(next)
				case prep:
					prep = false // the opening phrase ends here: what follows is its predicate
				case startsPredicate(text[next:s.End]):
					emit(next)
				}
			case lang == LangJa && (r == ' ' || r == '\u3000') && i > start && next < s.End:
				a, _ := utf8.DecodeRune(text[next:s.End])
				if (prev > unicode.MaxLatin1 || a > unicode.MaxLatin1) && !isSpace(a) && !isSpace(prev) {
					emit(next)
				}
			case i > start && itemRune(r) && startsItem(text[i:s.End], prev):
				emit(i)
			}
		}
		prev = r
		i = next
	}
	emit(s.End)
	return out
}

var openers = map[rune]bool{'(': true, '（': true, '《': true, '[': true, '【': true, '〔': true, '{': true}
var closesBracket = map[rune]bool{')': true, '）': true, '》': true, ']': true, '】': true, '〕': true, '}': true}

// itemWords open a list item: 一是, 二是 … 十是, 其一, 首先, 此外 / 另外.
var itemNumbers = "一二三四五六七八九十"

// itemRune: r may open a list item (checked before the costlier startsItem).
func itemRune(r rune) bool {
	return r >= '0' && r <= '9' || r == '(' || r == '（' || r >= '①' && r <= '⑳' || strings.ContainsRune(itemNumbers, r)
}

// startsItem reports whether b starts a list item, after the rune prev
// (a list item starts a text, or follows punctuation or a space).
func startsItem(b []byte, prev rune) bool {
	if prev != 0 && !unicode.IsPunct(prev) && !isSpace(prev) && !unicode.IsSymbol(prev) {
		return false
	}
	r, n := utf8.DecodeRune(b)
	switch {
	case r >= '①' && r <= '⑳':
		return true
	case strings.ContainsRune(itemNumbers, r):
		// 一是 … 十是, and 一、 as a heading's number
		k := n
		for k < len(b) {
			c, m := utf8.DecodeRune(b[k:])
			if !strings.ContainsRune(itemNumbers, c) {
				break
			}
			k += m
		}
		c, _ := utf8.DecodeRune(b[k:])
		return c == '是' || c == '、'
	case r == '(' || r == '（':
		k := n
		for k < len(b) && k < n+9 {
			c, m := utf8.DecodeRune(b[k:])
			if !(strings.ContainsRune(itemNumbers, c) || c >= '0' && c <= '9') {
				break
			}
			k += m
		}
		c, _ := utf8.DecodeRune(b[k:])
		return k > n && (c == ')' || c == '）')
	case r >= '0' && r <= '9':
		k := 0
		for k < len(b) && k < 3 && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		if k >= len(b) {
			return false
		}
		c, m := utf8.DecodeRune(b[k:])
		if c == '、' {
			return true
		}
		// "1. " or "1.在…": a dot not followed by a digit (5.0 is a number)
		if c == '.' || c == '．' {
			d, _ := utf8.DecodeRune(b[k+m:])
			return k+m < len(b) && !(d >= '0' && d <= '9')
		}
	}
	return false
}

// predicateVerbs start a new predicate after a comma in Chinese plan
// text: each names an action of its own ("…，推进区块链在政务领域应用").
// Prepositions that open a phrase of the next predicate (在, 以, 依托,
// 利用) are not here: after them the comma joins, not splits.
var predicateVerbs = []string{
	"推进", "推動", "推动", "加快", "加强", "加強", "建设", "建設", "打造", "建立", "构建", "構建", "完善", "提升", "提高",
	"实施", "實施", "开展", "開展", "支持", "鼓励", "鼓勵", "促进", "促進", "深化", "培育", "布局", "部署", "探索",
	"强化", "強化", "优化", "優化", "形成", "实现", "實現", "争取", "爭取", "确保", "確保", "引导", "引導", "创建", "創建",
	"建成", "推广", "推廣", "拓展", "落实", "落實", "组织", "組織", "扩大", "擴大", "新建", "开放", "開放", "引进", "引進",
	"聚焦", "发展", "發展", "加速", "规划", "規劃", "谋划", "謀劃", "搭建", "健全", "夯实", "夯實", "率先", "着力", "著力",
	"大力", "积极", "積極", "全面", "重点", "重點", "进一步", "進一步", "统筹", "統籌", "编制", "編制", "研究", "试点", "試點",
	"普及", "增强", "增強", "升级", "升級", "改造", "启动", "啟動", "上线", "建好", "用好", "做好", "持续", "持續", "同时", "同時",
	"并", "並", "还", "還", "另外", "此外", "其中", "是", "将", "將", "助力",
}

// prepositions open a phrase that belongs to the predicate after the
// next comma (围绕…，积极探索…; 为加快…，制定…): a clause they start does not
// end at its first comma, whatever follows it.
var prepositions = []string{"围绕", "圍繞", "为了", "為了", "按照", "根据", "根據", "依托", "依託", "基于", "基於", "通过", "通過",
	"利用", "面向", "立足", "针对", "針對", "结合", "結合", "为", "為", "以", "在", "对", "對"}

// purposeVerbs open a clause that says what the clause before it is for
// (…应用于数字政府，实现政务数据可信溯源): its domains are those the earlier
// clause's technologies serve.
var purposeVerbs = []string{"助力", "促进", "促進", "实现", "實現", "提升", "赋能", "賦能", "支撑", "支撐", "服务于", "服務於",
	"带动", "帶動", "提高", "推动", "推動", "增强", "增強"}

func startsWithAny(b []byte, words []string) bool {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for _, v := range words {
		if len(b) >= len(v) && string(b[:len(v)]) == v {
			return true
		}
	}
	return false
}

// startsPredicate reports whether b, the text after a comma, starts with
// a verb of predicateVerbs.
func startsPredicate(b []byte) bool {
	return startsWithAny(b, predicateVerbs)
}
