package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// TargetHit is a quantitative target found in a text: a number with its
// multiplier applied and its unit made canonical (3萬個 → 30000 个,
// 2700亿元 → 270000000000 元, 25万カ所 → 250000 个), the year of its
// sentence (到2022年, by 2025, 25年までに), and the technology of its clause.
type TargetHit struct {
	Technology string
	Metric     string
	Value      float64
	// ValueMax is the upper end of a range (2个至3个), 0 when none.
	ValueMax float64
	Unit     string
	Year     int
	Bound    string
	// Start and End are the number with its unit; Clause the part of the
	// sentence it stands in (text offsets, or original ones in a Draft).
	Start, End int
	Clause     Span
	// mult is the multiplier the number was written with (1e4 for 万).
	mult float64
}

// Chinese and Japanese numbers: digits (full-width ones are folded by
// Decode's callers only for markup, so both are read), a multiplier and a
// unit. 25万5千 is one number.
var zhNumber = regexp.MustCompile(`([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*(万亿|萬億|千亿|千億|亿|億|万|萬|千)?(?:([0-9０-９]+)\s*(千))?\s*(以上)?\s*(` + zhUnits + `)`)

const zhUnits = `个百分点|個百分點|平方公里|公里|千米|个|個|人|名|カ所|か所|ヵ所|ヶ所|箇所|座|家|社|户|戶|台|架|套|元|%|％|Tbps|T`

var enNumber = regexp.MustCompile(`(?i)\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:trillion|billion|million|thousand))?(\s*(?:yuan|percent|%|km|kilometres|kilometers))?`)

var multiplier = map[string]float64{
	"": 1, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千亿": 1e11, "千億": 1e11, "万亿": 1e12, "萬億": 1e12,
	"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}

// canonicalUnit is the unit a target is recorded in, whatever the script.
var canonicalUnit = map[string]string{
	"个": "个", "個": "个", "カ所": "个", "か所": "个", "ヵ所": "个", "ヶ所": "个", "箇所": "个",
	"家": "家", "社": "家", "户": "户", "戶": "户", "座": "座", "台": "台", "架": "架", "套": "套",
	"元": "元", "yuan": "元", "%": "%", "％": "%", "percent": "%",
	"公里": "公里", "千米": "公里", "km": "公里", "kilometres": "公里", "kilometers": "公里", "平方公里": "平方公里",
	"Tbps": "Tbps", "T": "Tbps", "人": "人", "名": "人",
}

// Years: 到2022年, 2022年底, 25年までに; in English, any year of this century.
var (
	zhYear = regexp.MustCompile(`(?:^|[^0-9０-９\-—–~～.])((?:19|20)[0-9]{2}|[0-9]{2}(?:年まで))\s*年?`)
	enYear = regexp.MustCompile(`\b((?:19|20)\d{2})\b`)
)

// Words that make a clause a statement of what is (已覆盖, 目前, 截至) or
// a sum of others' figures, not a goal; words that make it a goal again
// (预计, 力争, 新建) within such a sentence.
var (
	statusWords = []string{"已", "目前", "截至", "截止", "现有", "現有", "处于", "處於", "取得", "すでに", "既に", "already", "so far", "analysts", "推計", "estimate"}
	goalWords   = []string{"预计", "預計", "力争", "力爭", "争取", "爭取", "计划", "計劃", "目标", "目標", "新建", "新增", "建成", "到20", "至20", "将", "將", "实现", "實現", "までに", "目指", "投じ", " will ", " by 20"}
	// Counts of a document's parts, of jurisdictions and of projects: what
	// a plan is made of, not what it will build.
	notTargets = regexp.MustCompile(`^(?:重点|重點|重大|大)?(?:任务|任務|方面|方向|板块|板塊|措施|政策|条|條|项|項|项目|項目|工程包|省区市|省區市|省市|省份|城市|部门|部門)|^[^，,]{0,6}(?:项目|項目)|(?i)^\s*(?:major\s+)?projects?\b|^\s*(?:provinces|cities)\b`)
	// A number in a range (2个至3个, 1-2年, between 22 and 26 trillion) is no one value.
	rangeAfter  = regexp.MustCompile(`^\s*(?:个|個|家|座)?\s*(?:至|到|-|—|–|~|～|或)\s*[0-9０-９]`)
	rangeBefore = regexp.MustCompile(`(?:[0-9０-９]\s*(?:个|個|家|座)?\s*(?:至|到|-|—|–|~|～|或)\s*|(?i)between\s+(?:US\$)?|(?i)between\s+\S+\s+(?:and|to)\s+)$`)
	// The lower end of a range whose upper end is the number after it:
	// 2个至3个, 3至5个, 1万至2万个, between 2 and 3.
	rangeLower = regexp.MustCompile(`(?:([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*(万亿|萬億|亿|億|万|萬|千)?\s*(?:个|個|家|座|户|戶|台|架|套)?\s*(?:至|到|-|—|–|~|～)\s*|(?i)between\s+(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|thousand)?\s+(?:and|to)\s+)$`)
	// A count of projects or tasks named before the number (项目总计95个).
	countOfParts = regexp.MustCompile(`(?:项目|項目|工程包|任务|任務|措施)[^，,]{0,4}$`)
	atLeast      = regexp.MustCompile(`(?i)(超过|超過|以上|不少于|不少於|不低于|不低於|至少|突破|more than|over|at least)`)
	about        = regexp.MustCompile(`(?i)(约|約|左右|近|about|around|approximately|some)`)
)

// subClauses splits a sentence at every top-level comma, semicolon and
// colon (not at the comma of 50,000): a target's metric and technology
// are those of the few words around it.
func subClauses(text []byte, s Span) []Span {
	var out []Span
	start := s.Start
	for i := s.Start; i < s.End; {
		r, n := utf8.DecodeRune(text[i:s.End])
		split := strings.ContainsRune("，；;：﹔", r)
		if r == ',' || r == ':' {
			digitBefore := i > s.Start && text[i-1] >= '0' && text[i-1] <= '9'
			digitAfter := i+1 < s.End && text[i+1] >= '0' && text[i+1] <= '9'
			split = !(digitBefore && digitAfter)
		}
		if split {
			if a, b := trim(text, start, i); b > a {
				out = append(out, Span{a, b})
			}
			start = i + n
		}
		i += n
	}
	if a, b := trim(text, start, s.End); b > a {
		out = append(out, Span{a, b})
	}
	return out
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// foldDigits turns full-width digits and points into ASCII.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + r - '０'
		case r == '．':
			return '.'
		}
		return r
	}, s)
}

// findTargets finds the quantitative targets of a text, sentence by
// sentence; hits are the text's term hits (for the technology of each
// target's clause).
func findTargets(text []byte, sents []sentenceInfo, hits []Hit) []TargetHit {
	var out []TargetHit
	for _, si := range sents {
		s := si.Span
		sentence := string(text[s.Start:s.End])
		if !strings.ContainsAny(sentence, "0123456789０１２３４５６７８９") {
			continue
		}
		en := si.tag == "en"
		status := containsAny(sentence, statusWords)
		years := sentenceYears(text, s, en)
		var prev *TargetHit
		for _, c := range subClauses(text, s) {
			clause := string(text[c.Start:c.End])
			// A figure already reached, unless the clause sets a goal in a
			// sentence that also looks back (目前已梳理…，预计总投资…).
			if containsAny(clause, statusWords) || status && !containsAny(" "+clause+" ", goalWords) {
				continue
			}
			for _, n := range numbersIn(text, c, en) {
				if n.Start >= c.End {
					break
				}
				after, before := string(text[n.End:c.End]), string(text[c.Start:n.Start])
				if notTargets.MatchString(after) || strings.TrimSpace(after) == "" && countOfParts.MatchString(before) || rangeAfter.MatchString(string(text[n.End:s.End])) {
					continue
				}
				if rangeBefore.MatchString(string(text[s.Start:n.Start])) {
					// A range is one target from its lower end to this number.
					lo, start, ok := lowerEnd(text[s.Start:n.Start], n.mult)
					if !ok || lo >= n.Value || s.Start+start < c.Start {
						continue
					}
					n.Value, n.ValueMax, n.Start = lo, n.Value, s.Start+start
					before = string(text[c.Start:min(max(n.Start, c.Start), c.End)])
				}
				if strings.HasPrefix(after, "=") || strings.HasPrefix(after, "＝") {
					continue // an exchange rate: 1元=約18円
				}
				if isYearSpan(years, n) {
					continue
				}
				n.Clause = c
				n.Year = yearFor(years, n, c, itemStart(text, s, n.Start))
				context := before + string(text[n.Start:n.End])
				switch {
				case atLeast.MatchString(context) || strings.Contains(string(text[n.Start:n.End]), "以上") || strings.HasPrefix(after, "以上"):
					n.Bound = string(schema.AtLeast)
				case about.MatchString(before) || strings.HasPrefix(after, "左右"):
					n.Bound = string(schema.About)
				}
				n.Technology = clauseTechnology(hits, c, n)
				if n.Technology == "" && n.Unit != "元" {
					n.Technology = onlyTechnology(hits, s)
				}
				n.Metric = metricOf(before, after, n.Unit, clause)
				// 累计超过3万个 after 5G基站新增1.3万个: the same thing, counted again.
				if n.Technology == "" && prev != nil && strings.TrimSpace(stripCues(before)) == "" && strings.TrimSpace(after) == "" {
					n.Technology = prev.Technology
					n.Metric = prev.Metric
				}
				out = append(out, n)
				prev = &out[len(out)-1]
			}
		}
	}
	return out
}

// lowerEnd reads the lower end of a range that ends the text before a
// number written with multiplier mult (1至2万个: 1 is 10000 too), and
// where it starts in that text.
func lowerEnd(before []byte, mult float64) (float64, int, bool) {
	m := rangeLower.FindSubmatchIndex(before)
	if m == nil {
		return 0, 0, false
	}
	num, mul := 2, 4
	if m[2] < 0 {
		num, mul = 6, 8
	}
	if m[num] < 0 {
		return 0, 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(foldDigits(string(before[m[num]:m[num+1]])), ",", ""), 64)
	if err != nil {
		return 0, 0, false
	}
	if m[mul] >= 0 {
		v *= multiplier[strings.ToLower(string(before[m[mul]:m[mul+1]]))]
	} else if mult > 0 {
		v *= mult
	}
	return v, m[num], true
}

// yearSpan is a year named in a sentence.
type yearSpan struct {
	year       int
	start, end int
}

func sentenceYears(text []byte, s Span, en bool) []yearSpan {
	var out []yearSpan
	part := text[s.Start:s.End]
	re := zhYear
	if en {
		re = enYear
	}
	for _, m := range re.FindAllSubmatchIndex(part, -1) {
		g := string(part[m[2]:m[3]])
		twoDigit := strings.HasSuffix(g, "年まで")
		y, err := strconv.Atoi(strings.TrimSuffix(g, "年まで"))
		if err != nil {
			continue
		}
		switch {
		case twoDigit:
			y += 2000
		case !en:
			// A four-digit number without 年 is no year in Chinese text; a
			// date (2020年3月) says when something was said, not when it is due.
			if !strings.HasPrefix(string(part[m[3]:]), "年") || monthAfter.Match(part[m[1]:]) {
				continue
			}
		}
		if before := string(part[:m[2]]); strings.HasSuffix(before, "截至") || strings.HasSuffix(before, "截止") {
			continue
		}
		out = append(out, yearSpan{y, s.Start + m[2], s.Start + m[1]})
	}
	return out
}

var monthAfter = regexp.MustCompile(`^[0-9０-９]{1,2}月`)

func isYearSpan(ys []yearSpan, n TargetHit) bool {
	for _, y := range ys {
		if n.Start >= y.start && n.Start < y.end {
			return true
		}
	}
	return false
}

// relativeTime is a time an item gives itself instead of a year (三年内,
// 未来三年, each year): the sentence's year is not its year.
var relativeTime = regexp.MustCompile(`(?i)年内|年內|未来|未來|今后|今後|每年|within|over the next|each year`)

// itemStart is where the year of the item of a sentence holding pos may
// be named: the whole sentence (到2025年，A；B；C), except for an item after
// a semicolon that sets its own time (；三年内铺设…), which only itself.
func itemStart(text []byte, s Span, pos int) int {
	part := string(text[s.Start:pos])
	i := max(strings.LastIndex(part, "；"), strings.LastIndex(part, ";"), strings.LastIndex(part, "﹔"))
	if i >= 0 && relativeTime.MatchString(part[i:]) {
		return s.Start + i
	}
	return s.Start
}

// yearFor is the year of a target: the last year named before it in its
// sentence's item (到2022年，建成…), else the first after it in its clause
// (… by 2025).
func yearFor(ys []yearSpan, n TargetHit, c Span, from int) int {
	y := 0
	for _, x := range ys {
		if x.end <= n.Start && x.start >= from {
			y = x.year
		}
	}
	if y != 0 {
		return y
	}
	for _, x := range ys {
		if x.start >= n.End && x.start < c.End {
			return x.year
		}
	}
	return 0
}

// numbersIn are the numbers of a clause that carry a unit (or, in
// English, stand where a count does: "reach 50,000").
func numbersIn(text []byte, c Span, en bool) []TargetHit {
	part := text[c.Start:c.End]
	var out []TargetHit
	if !en {
		for _, m := range zhNumber.FindAllSubmatchIndex(part, -1) {
			if m[2] > 0 {
				// 5G, 4G, B2B: a digit inside a word is no number.
				r, _ := utf8.DecodeLastRune(part[:m[2]])
				if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '.' || r >= '0' && r <= '9' {
					continue
				}
			}
			v, err := strconv.ParseFloat(foldDigits(string(part[m[2]:m[3]])), 64)
			if err != nil {
				continue
			}
			mul := ""
			if m[4] >= 0 {
				mul = string(part[m[4]:m[5]])
			}
			v *= multiplier[mul]
			if m[6] >= 0 { // 25万5千
				k, _ := strconv.ParseFloat(foldDigits(string(part[m[6]:m[7]])), 64)
				v += k * 1e3
			}
			unit := string(part[m[12]:m[13]])
			if strings.Contains(unit, "百分") {
				continue // a change in percentage points needs its base to read
			}
			if unit == "T" && !strings.Contains(string(part), "带宽") && !strings.Contains(string(part), "帶寬") {
				continue
			}
			out = append(out, TargetHit{Value: v, Unit: canonicalUnit[unit], Start: c.Start + m[0], End: c.Start + m[1], mult: multiplier[mul]})
		}
		return out
	}
	for _, m := range enNumber.FindAllSubmatchIndex(part, -1) {
		if m[3] < len(part) {
			r, _ := utf8.DecodeRune(part[m[3]:])
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == ')' || r == '.' && m[3]+1 < len(part) && part[m[3]+1] >= '0' && part[m[3]+1] <= '9' {
				continue // 5G, 1), 3.5
			}
		}
		if m[2] > 0 && (part[m[2]-1] == '$' || part[m[2]-1] == '(' || part[m[2]-1] >= 'A' && part[m[2]-1] <= 'z') {
			continue // US$3.11, (1), a word's digit
		}
		digits := strings.ReplaceAll(string(part[m[2]:m[3]]), ",", "")
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			continue
		}
		if !strings.Contains(digits, ".") && v >= 1900 && v <= 2100 && m[4] < 0 && m[6] < 0 {
			continue // a year
		}
		mult := 1.0
		if m[4] >= 0 {
			mult = multiplier[strings.ToLower(strings.TrimSpace(string(part[m[4]:m[5]])))]
			v *= mult
		}
		unit := "个"
		if m[6] >= 0 {
			unit = canonicalUnit[strings.ToLower(strings.TrimSpace(string(part[m[6]:m[7]])))]
		}
		if unit == "个" && !containsAny(" "+string(part)+" ", goalWords) && !strings.Contains(string(part), "reach") {
			continue // a bare count only where the clause sets a goal
		}
		out = append(out, TargetHit{Value: v, Unit: unit, Start: c.Start + m[0], End: c.Start + m[1], mult: mult})
	}
	return out
}

// clauseTechnology is the technology named in the target's clause nearest
// to the number, preferring one before it (5G基站新增1.3万个) to one after
// (新建3.4万个5G基站) at the same distance.
func clauseTechnology(hits []Hit, c Span, n TargetHit) string {
	best, bestDist, lastEnd := "", -1, -1
	for _, h := range within(hits, c) {
		if h.Type != schema.Technology {
			continue
		}
		d := n.Start - h.End
		if h.Start >= n.End {
			if n.Unit == "元" {
				break // money is for what is named before it (人工智能产业规模300亿元)
			}
			// After the number, the head of a compound is its last word
			// (5个云计算数据中心: data centres).
			if h.Start == lastEnd && best != "" {
				best, lastEnd = h.ID, h.End
				continue
			}
			d = 2 * (h.Start - n.End + 1)
		}
		if d < 0 {
			d = 0
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist, lastEnd = h.ID, d, h.End
		}
	}
	return best
}

// onlyTechnology is the one technology a sentence names, if it names one
// only: the subject of a list of goals whose items leave it unsaid
// (区块链企业…；推动3万家企业“上链”).
func onlyTechnology(hits []Hit, s Span) string {
	id := ""
	for _, h := range within(hits, s) {
		if h.Type != schema.Technology {
			continue
		}
		if id != "" && h.ID != id {
			return ""
		}
		id = h.ID
	}
	return id
}

var cues = regexp.MustCompile(`^(?:[^，,]*?(?:到|至|于|於)?\s*(?:19|20)[0-9]{2}\s*年(?:年底|年末|底|末)?)?\s*(?:力争|力爭|争取|爭取|计划|計劃|将|將|要|实现|實現|建成|新建|新增|累计|累計|超过|超過|达到|達到|达|達|突破|打造|培育|引进|引進|推动|推動|建设|建設|形成|铺设|鋪設|预计|預計|总计|總計)*`)

func stripCues(s string) string { return cues.ReplaceAllString(strings.TrimSpace(s), "") }

// metricOf names what a target counts, in the text's words: the words
// after the unit (新建3.4万个5G基站), else those before the number
// (5G基站新增1.3万个), cues and the year stripped; investment for money.
func metricOf(before, after, unit, clause string) string {
	if unit == "元" && (strings.Contains(clause, "投资") || strings.Contains(clause, "投資") || strings.Contains(clause, "投じ") || strings.Contains(strings.ToLower(clause), "invest")) {
		return "投资"
	}
	a := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(after, "以上"), "的"))
	a = strings.TrimSuffix(strings.TrimSuffix(a, "等"), "。")
	if a != "" && utf8.RuneCountInString(a) <= 20 {
		return a
	}
	b := strings.TrimSpace(stripCues(before))
	for _, w := range []string{"新增", "新建", "达到", "達到", "达", "達", "超过", "超過", "约", "約"} {
		b = strings.TrimSuffix(b, w)
	}
	if utf8.RuneCountInString(b) > 20 {
		r := []rune(b)
		b = string(r[len(r)-20:])
	}
	return strings.TrimSpace(b)
}

// draftTargets turns target hits (in original offsets) into the draft's
// targets: ids numbered in text order, the clause as evidence.
func draftTargets(prefix string, ts []TargetHit, quote func(Span) string) []loader.TargetDef {
	out := make([]loader.TargetDef, 0, len(ts))
	for i, t := range ts {
		v := t.Value
		var vmax *float64
		if t.ValueMax != 0 {
			x := t.ValueMax
			vmax = &x
		}
		o, oe := t.Start, t.End
		metric := t.Metric
		if metric == "" {
			metric = "?"
		}
		out = append(out, loader.TargetDef{
			ID: prefix + "-target-" + strconv.Itoa(i+1), Technology: t.Technology, Metric: metric,
			Value: &v, ValueMax: vmax, Unit: t.Unit, Year: t.Year, Bound: t.Bound,
			Evidence: loader.Evidence{Section: "target", Summary: "found by extraction; check value, unit, year and technology",
				Quote: quote(t.Clause), Offset: &o, OffsetEnd: &oe},
		})
	}
	return out
}
