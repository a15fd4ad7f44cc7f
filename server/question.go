package server

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/agnivade/levenshtein"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// A question is what the parser read in a plain question: the entities it
// names (found with the lexicon the API resolves names with), years, the
// cue words that say what is asked, and the words it could not place.
type question struct {
	raw      string
	lang     string // en, zh or ja: the language the reading is written in
	entities []found
	years    []int
	top      int // "top 3", 前三, 上位3: how many rows a ranking keeps; 0 for all
	cues     map[string]bool
	unknown  []string // words that look like names but name nothing the graph holds
	unused   []string
}

// found is one entity named in the question.
type found struct {
	typ        schema.Type
	id, text   string
	start, end int // rune offsets in the folded question
	typo       bool
}

func (q *question) ids(t schema.Type) []string {
	var out []string
	for _, f := range q.entities {
		if f.typ == t && !containsString(out, f.id) {
			out = append(out, f.id)
		}
	}
	return out
}

func (q *question) first(t schema.Type) string {
	if ids := q.ids(t); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// The types a question may name.
var questionTypes = []schema.Type{schema.City, schema.Province, schema.Technology, schema.Domain, schema.Plan}

// cueWords maps each intent to the words that signal it, in English,
// Chinese and Japanese. Latin cues match whole words or their prefix
// (mention matches mentions, mentioned); CJK cues match anywhere.
var cueWords = map[string][]string{
	"mention": {"mention", "name", "names", "named", "cite", "refer", "talk about", "提到", "提及", "提起", "谈到", "言及", "触れ"},
	"use":     {"use", "uses", "using", "used", "apply", "applies", "applying", "applied", "deploy", "adopt", "build", "应用", "运用", "使用", "采用", "利用", "用于", "用在", "活用", "適用", "応用", "導入", "使って", "使う", "使用", "應用", "運用", "用於", "採用", "用"},
	"when":    {"when", "date", "dates", "year", "何时", "什么时候", "哪年", "哪一年", "何時", "什麼時候", "何年", "いつ"},
	"count":   {"how many", "how often", "how much", "number of", "times", "多少", "几次", "次数", "何回", "何度", "回数"},
	"most":    {"most", "最多", "最も", "一番", "最常"},
	"least":   {"least", "fewest", "最少", "最も少な"},
	"support": {"support", "subsidy", "subsidies", "subsidise", "subsidize", "incentive", "incentives", "grant", "grants", "pay", "pays", "offer", "offers", "fund", "funding", "reward", "补贴", "补助", "支持", "扶持", "奖励", "资助", "補貼", "補助金", "補助", "支援", "助成", "奨励"},
	"compare": {"compare", "comparison", "versus", "vs", "比较", "对比", "比較"},
	"plans":   {"plan", "plans", "document", "documents", "publish", "published", "issue", "issued", "规划", "计划", "方案", "文件", "政策", "发布", "出台", "印发", "規劃", "計劃", "發布", "計画", "発表", "公表", "策定"},
	"measure": {"measure", "measures", "action", "actions", "do", "doing", "done", "措施", "举措", "舉措", "做了什么", "做什么", "施策", "取り組み", "取組", "何をして", "どう"},
	"cities":  {"which cities", "what cities", "which city", "any city", "cities", "city", "where", "who", "哪些城市", "哪个城市", "哪座城市", "哪個城市", "城市", "都市"},
	"yesno":   {"does", "do", "did", "is", "are", "has", "have", "was", "were", "是否", "有没有", "吗", "ですか", "ますか", "でしょうか"},
}

// fillers are words that carry no entity and no intent.
var fillers = strings.Fields(`a an the of in on for to with by and or at from its their his her it this that
these those what which who whom how about any all there here be been being can could would should will
shall than then them they we you i me my our your please tell show list give find new infrastructure did has had have does is are was were do
city cities s technology technologies sector sectors field fields domain domains area areas
firm firms company companies enterprise enterprises business businesses each between three both
me us across ones one kind kinds get got
如何 怎样 哪些 哪个 哪种 什么 的 了 在 是 有 和 与 及 对 把 将 于 给 向 为 被 中 里 方面 领域 行业 技术 市 都 请 一下 多 次 得到 情况 三个 企业 哪 个 种
の は が を に で と も や か ます です する して した された いる ある 市 分野 技術 について における どの どこ 何 ような ように 3 企業 へ
ください 教えて てください 多く されて されました ましたか ている ていますか んな ど いくら もの しま い 出し 出`)

var topRe = regexp.MustCompile(`(?:\btop |前|上位)([0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|[一二两三四五六七八九十])`)

var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

// numberValue reads digits or a number word of topRe.
func numberValue(s string) int {
	if n, ok := numberWords[s]; ok {
		return n
	}
	n, _ := strconv.Atoi(s)
	return n
}

var yearRe = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:年|[^0-9]|$)`)

// fold normalizes a question for matching: full-width to half-width, lower
// case, possessive 's and punctuation to spaces. Offsets are in runes.
func fold(s string) []rune {
	s = view.Normalize(s)
	s = strings.NewReplacer("'s ", " ", "’s ", " ", "'s", " ", "’s", " ").Replace(s + " ")
	out := []rune(s)
	for i, r := range out {
		if unicode.IsPunct(r) && r != '-' || unicode.IsSymbol(r) {
			out[i] = ' '
		}
	}
	return out
}

func isLatin(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// boundary reports whether a match of key at [start,end) in q sits on word
// boundaries where it has Latin letters at its edges (so "ai" never
// matches inside "said"); CJK has no spaces and needs none.
func boundary(q []rune, start, end int) bool {
	if isLatin(q[start]) && start > 0 && isLatin(q[start-1]) {
		return false
	}
	if isLatin(q[end-1]) && end < len(q) && isLatin(q[end]) {
		return false
	}
	return true
}

// questionLexicon is the View's lexicon arranged for reading questions:
// names by their first character, so a question is matched against the
// names that can start at each of its characters, and Latin names by word
// count for typo matching. Built once per graph version.
type questionLexicon struct {
	byFirst map[rune][]lexName
	latin   map[int][]lexName
}

type lexName struct {
	e     view.LexiconEntry
	runes []rune
}

func newQuestionLexicon(v *view.View) *questionLexicon {
	lx := &questionLexicon{byFirst: map[rune][]lexName{}, latin: map[int][]lexName{}}
	for _, e := range v.Lexicon(questionTypes...) {
		n := lexName{e, []rune(e.Key)}
		if len(n.runes) < 2 {
			continue
		}
		lx.byFirst[n.runes[0]] = append(lx.byFirst[n.runes[0]], n)
		if isLatin(n.runes[0]) {
			words := strings.Count(e.Key, " ") + 1
			lx.latin[words] = append(lx.latin[words], n)
		}
	}
	return lx
}

// parseQuestion reads raw with the lexicon lx.
func parseQuestion(lx *questionLexicon, raw string) *question {
	q := &question{raw: raw, lang: questionLang(raw), cues: map[string]bool{}}
	text := fold(raw)
	used := make([]bool, len(text))

	// Entities, longest names first so 工业互联网 wins over 工业 and
	// "industrial internet" over "industry".
	type cand struct {
		e          view.LexiconEntry
		start, end int
	}
	var cands []cand
	for i := range text {
		for _, n := range lx.byFirst[text[i]] {
			e, k := n.e, n.runes
			if i+len(k) > len(text) || !runesAt(text, k, i) {
				continue
			}
			end := i + len(k)
			if end < len(text) && text[end] == 's' && isLatin(k[len(k)-1]) && boundary(text, i, end+1) {
				end++ // English plural: data centers
			}
			if boundary(text, i, end) {
				cands = append(cands, cand{e, i, end})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		li, lj := cands[i].end-cands[i].start, cands[j].end-cands[j].start
		if li != lj {
			return li > lj
		}
		return cands[i].start < cands[j].start
	})
	for _, c := range cands {
		if anyUsed(used, c.start, c.end) {
			continue
		}
		markUsed(used, c.start, c.end)
		q.entities = append(q.entities, found{typ: c.e.Type, id: c.e.ID, text: string(text[c.start:c.end]), start: c.start, end: c.end})
	}

	// Years: 2021, 2021年.
	for _, m := range yearRe.FindAllStringSubmatchIndex(string(text), -1) {
		y, _ := strconv.Atoi(string(text)[m[2]:m[3]])
		q.years = append(q.years, y)
		s, e := len([]rune(string(text)[:m[2]])), len([]rune(string(text)[:m[3]]))
		markUsed(used, s, e)
	}

	// "top 3", 前三, 上位3 bound a ranking.
	if m := topRe.FindStringSubmatchIndex(string(text)); m != nil {
		q.top = numberValue(string(text)[m[2]:m[3]])
		s, e := len([]rune(string(text)[:m[0]])), len([]rune(string(text)[:m[1]]))
		markUsed(used, s, e)
		q.cues["most"] = true
	}

	// Cue words.
	for intent, words := range cueWords {
		for _, w := range words {
			k := []rune(w)
			for i := 0; i+len(k) <= len(text); i++ {
				if !runesAt(text, k, i) {
					continue
				}
				end := i + len(k)
				if isLatin(k[0]) {
					// Latin cues match a word start; inflections may follow.
					if i > 0 && isLatin(text[i-1]) {
						continue
					}
					for end < len(text) && isLatin(text[end]) {
						end++
					}
					// Short cues match only themselves: "do" is not "does".
					if end-i > len(k)+3 || len(k) < 4 && end-i != len(k) {
						continue
					}
				}
				if intent == "yesno" && !yesNoAt(text, i, end) {
					continue
				}
				q.cues[intent] = true
				markUsed(used, i, end)
			}
		}
	}

	// A question word makes 吗 or ですか a politeness, not a yes-or-no.
	if q.cues["yesno"] && q.lang != "en" {
		for _, wh := range []string{"哪", "什么", "怎么", "多少", "几", "何", "どの", "どこ", "どう", "どんな", "いつ", "いくら"} {
			if strings.Contains(string(text), wh) {
				delete(q.cues, "yesno")
				break
			}
		}
	}

	// Latin words left over: a typo of a name (blockchian), a filler, or
	// a name the graph does not hold.
	words := latinWords(text, used)
	// Two-word names first (artifical intelligence, data centres).
	for i := 0; i+1 < len(words); i++ {
		a, b := words[i], words[i+1]
		if containsString(fillers, a.text) || containsString(fillers, b.text) || anyUsed(used, a.start, b.end) {
			continue
		}
		if f, ok := typoEntity(lx, a.text+" "+b.text); ok {
			f.start, f.end = a.start, b.end
			q.entities = append(q.entities, f)
			markUsed(used, a.start, b.end)
		}
	}
	for _, w := range words {
		if anyUsed(used, w.start, w.end) {
			continue
		}
		if containsString(fillers, w.text) {
			markUsed(used, w.start, w.end)
			continue
		}
		if f, ok := typoEntity(lx, w.text); ok {
			f.start, f.end = w.start, w.end
			q.entities = append(q.entities, f)
			markUsed(used, w.start, w.end)
			continue
		}
	}
	// Leftovers: CJK fillers dropped, the rest reported.
	rest := []rune{}
	for i, r := range text {
		if used[i] {
			rest = append(rest, ' ')
		} else {
			rest = append(rest, r)
		}
	}
	for _, chunk := range strings.Fields(string(rest)) {
		for _, part := range splitFillers(chunk) {
			if part == "" || containsString(fillers, part) {
				continue
			}
			q.unused = append(q.unused, part)
			if looksLikeName(raw, part) {
				q.unknown = append(q.unknown, part)
			}
		}
	}
	sort.SliceStable(q.entities, func(i, j int) bool { return q.entities[i].start < q.entities[j].start })
	return q
}

// yesNoAt: English auxiliaries ask yes or no only at the start of the
// question ("does Beijing…", not "what does Beijing…"); 是否, 吗 and
// ですか anywhere.
func yesNoAt(text []rune, start, end int) bool {
	if !isLatin(text[start]) {
		return true
	}
	return strings.TrimSpace(string(text[:start])) == ""
}

// splitFillers cuts CJK filler characters and words out of a chunk.
func splitFillers(chunk string) []string {
	if isLatin([]rune(chunk)[0]) {
		return []string{chunk}
	}
	for _, f := range fillers {
		if !isLatin([]rune(f)[0]) {
			chunk = strings.ReplaceAll(chunk, f, " ")
		}
	}
	return strings.Fields(chunk)
}

// looksLikeName guesses that a word the parser could not place names a
// place or thing: capitalised in the question (Hangzhou), or a CJK word of
// two or more characters placed where a name goes (杭州的…, 杭州市…).
func looksLikeName(raw, word string) bool {
	r := []rune(word)
	if isLatin(r[0]) {
		for _, f := range strings.FieldsFunc(raw, func(c rune) bool { return !isLatin(c) }) {
			if strings.EqualFold(f, word) && unicode.IsUpper([]rune(f)[0]) {
				return true
			}
		}
		return false
	}
	if len(r) < 2 {
		return false
	}
	for _, after := range []string{"的", "市", "の", "は", "在", "对"} {
		if strings.Contains(raw, word+after) {
			return true
		}
	}
	return false
}

type word struct {
	text       string
	start, end int
}

func latinWords(text []rune, used []bool) []word {
	var out []word
	for i := 0; i < len(text); {
		if !isLatin(text[i]) && text[i] != '-' || used[i] {
			i++
			continue
		}
		j := i
		for j < len(text) && (isLatin(text[j]) || text[j] == '-') && !used[j] {
			j++
		}
		w := strings.Trim(string(text[i:j]), "-")
		if w != "" {
			out = append(out, word{w, i, j})
		}
		i = j
	}
	return out
}

// typoEntity finds the entity a misspelt Latin word names, by edit
// distance as the 404 suggestions do: one edit for words of four to six
// letters, two from seven. Ties or nothing close: no entity.
func typoEntity(lx *questionLexicon, w string) (found, bool) {
	n := len(w)
	if n < 4 {
		return found{}, false
	}
	limit := 1
	if n >= 7 {
		limit = 2
	}
	best, bestD, tie := found{}, limit+1, false
	for _, nm := range lx.latin[strings.Count(w, " ")+1] {
		e := nm.e
		if len(e.Key) > n+limit || len(e.Key) < n-limit {
			continue // more edits apart than the limit
		}
		d := levenshtein.ComputeDistance(w, e.Key)
		switch {
		case d < bestD:
			best, bestD, tie = found{typ: e.Type, id: e.ID, text: w, typo: true}, d, false
		case d == bestD && e.ID != best.id:
			tie = true
		}
	}
	return best, bestD <= limit && !tie
}

func runesAt(text, k []rune, i int) bool {
	for j, r := range k {
		if text[i+j] != r {
			return false
		}
	}
	return true
}

func anyUsed(used []bool, s, e int) bool {
	for i := s; i < e; i++ {
		if used[i] {
			return true
		}
	}
	return false
}

func markUsed(used []bool, s, e int) {
	for i := s; i < e; i++ {
		used[i] = true
	}
}

// questionLang is the language the question is written in: Japanese when it
// has kana, Chinese when it has Han characters, else English.
func questionLang(s string) string {
	han := false
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			return "ja"
		case unicode.Is(unicode.Han, r):
			han = true
		}
	}
	if han {
		return "zh"
	}
	return "en"
}
