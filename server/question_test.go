package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/view"
)

// askCases are plain questions in English, Chinese and Japanese, with
// typos, full-width punctuation and varied word order, each with the form
// and parameters it must be read as. The failing phrasings are
// among them.
var askCases = []struct {
	q, form string
	params  map[string]string
}{
	// English.
	{"which cities apply blockchain to finance?", "cities_using", map[string]string{"technology": "blockchain", "domain": "finance"}},
	{"Which cities apply blockchian to finance?", "cities_using", map[string]string{"technology": "blockchain", "domain": "finance"}},
	{"which cities apply blockchain to finance in 2021?", "cities_using", map[string]string{"technology": "blockchain", "domain": "finance", "year": "2021"}},
	{"which cities apply blockchain to finance and government?", "cities_using", map[string]string{"technology": "blockchain", "domain": "finance,government"}},
	{"Which cities use data centers?", "cities_using", map[string]string{"technology": "data-center"}},
	{"which cities use 5G", "cities_using", map[string]string{"technology": "5g"}},
	{"which cities use blockchain", "cities_using", map[string]string{"technology": "blockchain"}},
	{"Which cities mention blockchain?", "cities_mentioning", map[string]string{"technology": "blockchain"}},
	{"which cities mention blockchian", "cities_mentioning", map[string]string{"technology": "blockchain"}},
	{"what does Beijing do with blockchain?", "measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
	{"What measures does Shanghai have on AI?", "measures", map[string]string{"city": "shanghai", "technology": "ai"}},
	{"how often is 5G mentioned?", "mentions", map[string]string{"technology": "5g"}},
	{"How many times is artificial intelligence mentioned?", "mentions", map[string]string{"technology": "ai"}},
	{"how often does Beijing mention blockchain", "mentions", map[string]string{"technology": "blockchain", "city": "beijing"}},
	{"Does Shanghai's plan mention blockchain?", "mentions", map[string]string{"technology": "blockchain", "city": "shanghai"}},
	{"does Fuzhou mention blockchain", "mentions", map[string]string{"technology": "blockchain", "city": "fuzhou"}},
	{"which technology is mentioned most?", "ranking", map[string]string{}},
	{"when did Beijing publish its plan", "when", map[string]string{"city": "beijing"}},
	{"When was Fuzhou's plan published?", "when", map[string]string{"city": "fuzhou"}},
	{"which plans did Fuzhou publish?", "plans", map[string]string{"city": "fuzhou"}},
	{"what plans has Shanghai issued", "plans", map[string]string{"city": "shanghai"}},
	{"what does Fuzhou pay blockchain firms?", "support", map[string]string{"city": "fuzhou", "technology": "blockchain"}},
	{"what subsidies does Fuzhou offer for blockchain", "support", map[string]string{"city": "fuzhou", "technology": "blockchain"}},
	{"compare the three cities on blockchain", "compare", map[string]string{"technology": "blockchain"}},
	{"compare Beijing and Shanghai on blockchain", "compare", map[string]string{"technology": "blockchain", "cities": "beijing,shanghai"}},
	{"does Beijing use blockchain in finance?", "measures", map[string]string{"city": "beijing", "technology": "blockchain", "domain": "finance"}},
	{"blockchain measures in Beijing", "measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
	{"Beijing blockchian measures", "measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
	{"which cities apply AI to medical care", "cities_using", map[string]string{"technology": "ai", "domain": "medical"}},
	{"ＷＨＩＣＨ ＣＩＴＩＥＳ ＵＳＥ ＢＬＯＣＫＣＨＡＩＮ？", "cities_using", map[string]string{"technology": "blockchain"}},
	// Chinese.
	{"哪些城市将区块链应用于金融？", "cities_using", map[string]string{"technology": "blockchain", "domain": "finance"}},
	{"哪些城市在金融领域应用区块链？", "cities_using", map[string]string{"technology": "blockchain", "domain": "finance"}},
	{"哪些城市使用区块链", "cities_using", map[string]string{"technology": "blockchain"}},
	{"哪些城市提到区块链？", "cities_mentioning", map[string]string{"technology": "blockchain"}},
	{"哪些城市提及人工智能", "cities_mentioning", map[string]string{"technology": "ai"}},
	{"北京的区块链措施有哪些", "measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
	{"北京在区块链方面做了什么", "measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
	{"上海的人工智能举措", "measures", map[string]string{"city": "shanghai", "technology": "ai"}},
	{"5G被提及多少次？", "mentions", map[string]string{"technology": "5g"}},
	{"北京的规划提到区块链几次", "mentions", map[string]string{"technology": "blockchain", "city": "beijing"}},
	{"上海是否提到区块链？", "mentions", map[string]string{"technology": "blockchain", "city": "shanghai"}},
	{"哪种技术被提及最多？", "ranking", map[string]string{}},
	{"北京何时发布规划？", "when", map[string]string{"city": "beijing"}},
	{"北京的行动计划是什么时候发布的", "when", map[string]string{"city": "beijing"}},
	{"福州发布了哪些方案？", "plans", map[string]string{"city": "fuzhou"}},
	{"福州对区块链企业提供哪些支持？", "support", map[string]string{"city": "fuzhou", "technology": "blockchain"}},
	{"福州对区块链企业有哪些补贴", "support", map[string]string{"city": "fuzhou", "technology": "blockchain"}},
	{"比较三个城市的区块链", "compare", map[string]string{"technology": "blockchain"}},
	{"比较北京和上海的区块链", "compare", map[string]string{"technology": "blockchain", "cities": "beijing,shanghai"}},
	{"哪些城市将人工智能应用于医疗", "cities_using", map[string]string{"technology": "ai", "domain": "medical"}},
	// Japanese.
	{"ブロックチェーンを金融に活用している都市は？", "cities_using", map[string]string{"technology": "blockchain", "domain": "finance"}},
	{"どの都市がブロックチェーンを使っていますか", "cities_using", map[string]string{"technology": "blockchain"}},
	{"ブロックチェーンに言及している都市は？", "cities_mentioning", map[string]string{"technology": "blockchain"}},
	{"北京のブロックチェーン施策は？", "measures", map[string]string{"city": "beijing", "technology": "blockchain"}},
	{"5Gは何回言及されている？", "mentions", map[string]string{"technology": "5g"}},
	{"上海はブロックチェーンに言及していますか？", "mentions", map[string]string{"technology": "blockchain", "city": "shanghai"}},
	{"最も言及された技術は？", "ranking", map[string]string{}},
	{"北京の計画はいつ発表された？", "when", map[string]string{"city": "beijing"}},
	{"福州はどの計画を発表した？", "plans", map[string]string{"city": "fuzhou"}},
	{"福州のブロックチェーン補助金は？", "support", map[string]string{"city": "fuzhou", "technology": "blockchain"}},
	{"3都市のブロックチェーンを比較", "compare", map[string]string{"technology": "blockchain"}},
	{"人工知能を医療に応用している都市は", "cities_using", map[string]string{"technology": "ai", "domain": "medical"}},
}

// TestAskReadings: every phrasing is read as its form with its parameters.
func TestAskReadings(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	right := 0
	all := append(append(askCases[:0:0], askCases...), moreAskCases...)
	for _, tc := range all {
		w := get(t, s, "/v1/ask?q="+url.QueryEscape(tc.q))
		if w.Code != http.StatusOK {
			t.Errorf("ask %q: %d %s", tc.q, w.Code, w.Body.String())
			continue
		}
		res := decode[struct {
			Interpretation interpretation `json:"interpretation"`
		}](t, w, http.StatusOK)
		in := res.Interpretation
		ok := in.Form == tc.form && len(in.Params) == len(tc.params) && in.Reading != ""
		for k, v := range tc.params {
			ok = ok && in.Params[k] == v
		}
		if !ok {
			t.Errorf("ask %q: read as %s %v (%q, unused %v), want %s %v", tc.q, in.Form, in.Params, in.Reading, in.Unused, tc.form, tc.params)
			continue
		}
		// The equivalent request names only what its endpoint takes.
		if w := get(t, s, in.Query); w.Code == http.StatusBadRequest {
			t.Errorf("ask %q: query %s is refused: %s", tc.q, in.Query, w.Body.String())
		}
		right++
	}
	t.Logf("%d of %d phrasings read right", right, len(all))
}

// TestAskMentionIsNotUse: mention questions answer from mention counts and
// never list Shanghai, whose plan names blockchain zero times; use
// questions answer from measures and, when none exist but mentions do, say
// so; names the graph does not hold are a 404, never another city's rows.
func TestAskMentionIsNotUse(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	type answer struct {
		Rows []struct {
			ID     string   `json:"id"`
			Cities []string `json:"cities"`
			City   string   `json:"city"`
			Count  int64    `json:"count"`
		} `json:"rows"`
		Answer        *bool          `json:"answer"`
		NotMentioning []string       `json:"not_mentioning"`
		Coverage      []coverageNote `json:"coverage"`
	}
	for _, q := range []string{"Which cities mention blockchain?", "哪些城市提到区块链？", "ブロックチェーンに言及している都市は？"} {
		a := decode[answer](t, get(t, s, "/v1/ask?q="+url.QueryEscape(q)), http.StatusOK)
		var got []string
		for _, r := range a.Rows {
			for _, c := range r.Cities {
				if !containsString(got, c) {
					got = append(got, c)
				}
			}
		}
		if !containsString(got, "beijing") || !containsString(got, "fuzhou") || containsString(got, "shanghai") || !containsString(a.NotMentioning, "shanghai") {
			t.Errorf("%s: cities %v, not mentioning %v", q, got, a.NotMentioning)
		}
	}
	no := decode[answer](t, get(t, s, "/v1/ask?q="+url.QueryEscape("Does Shanghai's plan mention blockchain?")), http.StatusOK)
	if no.Answer == nil || *no.Answer || len(no.Rows) != 1 || no.Rows[0].Count != 0 {
		t.Errorf("does Shanghai mention blockchain: %+v", no)
	}
	yes := decode[answer](t, get(t, s, "/v1/ask?q="+url.QueryEscape("北京是否提到区块链")), http.StatusOK)
	if yes.Answer == nil || !*yes.Answer {
		t.Errorf("does Beijing mention blockchain: %+v", yes)
	}
	g5 := decode[answer](t, get(t, s, "/v1/ask?q="+url.QueryEscape("which cities use 5G")), http.StatusOK)
	if len(g5.Rows) != 0 || len(g5.Coverage) == 0 || slices.IndexFunc(g5.Coverage, func(n coverageNote) bool { return n.Status != "mentions_only" }) >= 0 {
		t.Errorf("which cities use 5G: %+v", g5)
	}
	use := decode[answer](t, get(t, s, "/v1/ask?q="+url.QueryEscape("which cities use blockchain")), http.StatusOK)
	if len(use.Rows) != 3 {
		t.Errorf("which cities use blockchain (measures, Shanghai's inferred included): %+v", use.Rows)
	}
	for _, q := range []string{"杭州的区块链措施有哪些", "what does Hangzhou do with blockchain", "杭州のブロックチェーン施策は？"} {
		e := decode[errorBody](t, get(t, s, "/v1/ask?q="+url.QueryEscape(q)), http.StatusNotFound)
		if e.Error.Code != "not_found" {
			t.Errorf("%s: %+v", q, e)
		}
	}
	e := decode[errorBody](t, get(t, s, "/v1/ask?q="+url.QueryEscape("which cities mention blockchain in finance")), http.StatusUnprocessableEntity)
	if e.Error.Code != "unused_entities" || !strings.Contains(e.Error.Message, "finance") {
		t.Errorf("unused domain: %+v", e)
	}
}

// TestAskRanking: a ranking orders mention counts and "top N" keeps N.
func TestAskRanking(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, q := range []string{"top 3 most mentioned technologies", "提及次数前三的技术"} {
		res := decode[tableOf[view.ScopedMention]](t, get(t, s, "/v1/ask?q="+url.QueryEscape(q)), http.StatusOK)
		if res.Total != 3 || res.Rows[0].Technology != "5g" || res.Rows[0].Count < res.Rows[1].Count || res.Rows[1].Count < res.Rows[2].Count {
			t.Errorf("%s: %+v", q, res.Rows)
		}
	}
	least := decode[tableOf[view.ScopedMention]](t, get(t, s, "/v1/ask?q="+url.QueryEscape("which technology is mentioned least")), http.StatusOK)
	if least.Total < 2 || least.Rows[0].Count > least.Rows[1].Count {
		t.Errorf("least: %+v", least.Rows)
	}
}
