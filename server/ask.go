package server

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// askForms are example questions, one per form /v1/ask answers; an
// unreadable question is answered with them.
var askForms = []string{
	"which cities apply blockchain to finance? / 哪些城市将区块链应用于金融？ / ブロックチェーンを金融に活用している都市は？",
	"which cities mention blockchain? / 哪些城市提到区块链？ / ブロックチェーンに言及している都市は？",
	"what does Beijing do with blockchain? / 北京的区块链措施有哪些？ / 北京のブロックチェーン施策は？",
	"how often is 5G mentioned? / 5G被提及多少次？ / 5Gは何回言及されている？",
	"which technology is mentioned most? / 哪种技术被提及最多？ / 最も言及された技術は？",
	"does Shanghai's plan mention blockchain? / 上海是否提到区块链？ / 上海はブロックチェーンに言及していますか？",
	"when did Beijing publish its plan? / 北京何时发布规划？ / 北京の計画はいつ発表された？",
	"which plans did Fuzhou publish? / 福州发布了哪些方案？ / 福州はどの計画を発表した？",
	"what does Fuzhou pay blockchain firms? / 福州对区块链企业有哪些补贴？ / 福州のブロックチェーン補助金は？",
	"compare the three cities on blockchain / 比较三个城市的区块链 / 3都市のブロックチェーンを比較",
}

// interpretation is what a question was read as: the typed query it became
// (as the endpoint and parameters that answer the same), a reading in the
// question's language, and the words it did not use.
type interpretation struct {
	Form     string            `json:"form"`
	Endpoint string            `json:"endpoint"`
	Params   map[string]string `json:"params"`
	Query    string            `json:"query"`
	Reading  string            `json:"reading"`
	Unused   []string          `json:"unused"`
	Typos    map[string]string `json:"typos,omitempty"` // word → the id it was read as
	// AppliedByAsk names the params the endpoint does not take, which ask
	// applied itself (year, several domains); query leaves them out.
	AppliedByAsk []string `json:"applied_by_ask,omitempty"`
}

// An askAnswer is a composed question: its interpretation and how to write
// its rows (through the same row types and columns the endpoints use).
type askAnswer struct {
	in    *interpretation
	extra gin.H
	write func(s *Server, c *gin.Context, extra gin.H)
}

func rowsAnswer[T any](rows []T, cols []column[T]) func(*Server, *gin.Context, gin.H) {
	return func(s *Server, c *gin.Context, extra gin.H) { tableWith(s, c, rows, cols, extra) }
}

// interpret reads a question and composes its answer from the graph's
// query functions, the same the endpoints call.
func interpret(v *view.View, lx *questionLexicon, raw string) (*askAnswer, error) {
	q := parseQuestion(lx, raw)
	// A word longer than any name names nothing; say so before suggesting.
	for _, w := range q.unused {
		if err := checkName(v, "a word of the question", w); err != nil {
			return nil, err
		}
	}
	if len(q.unknown) > 0 {
		var sugg []string
		for _, w := range q.unknown {
			for _, t := range []schema.Type{schema.City, schema.Technology, schema.Domain} {
				_, s := v.Resolve(t, w)
				sugg = append(sugg, s...)
			}
		}
		if len(sugg) == 0 {
			for _, c := range v.Cities {
				sugg = append(sugg, c.ID)
			}
		}
		return nil, notFound(sugg, "the question names %s, which the graph does not hold; it holds the cities %s", quoteAll(q.unknown), strings.Join(cityIDs(v), ", "))
	}
	a := compose(v, q)
	if a == nil {
		return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: "unreadable_question",
			Message: "could not read the question " + strconv.Quote(raw) + "; ask it in one of the forms listed", Forms: askForms}
	}
	if left := a.leftOver(q); len(left) > 0 {
		return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: "unused_entities",
			Message: "the question names " + strings.Join(left, ", ") + ", which a question of this form (" + a.in.Form + ") cannot use; ask without it or in another form",
			Forms:   askForms}
	}
	a.in.Unused = q.unused
	if a.in.Unused == nil {
		a.in.Unused = []string{}
	}
	for _, f := range q.entities {
		if f.typo {
			if a.in.Typos == nil {
				a.in.Typos = map[string]string{}
			}
			a.in.Typos[f.text] = f.id
		}
	}
	// query is the request to the endpoint that answers the same, with the
	// parameters it takes; the rest (a year, a second domain) ask applies
	// itself and lists in applied_by_ask, so query never names a parameter
	// the endpoint would refuse.
	vals := url.Values{}
	takes := queryParams()["GET "+a.in.Endpoint]
	for k, val := range a.in.Params {
		if containsString(takes, k) && (k == "cities" || !strings.Contains(val, ",")) {
			vals.Set(k, val)
		} else {
			a.in.AppliedByAsk = append(a.in.AppliedByAsk, k)
		}
	}
	sort.Strings(a.in.AppliedByAsk)
	a.in.Query = a.in.Endpoint
	if len(vals) > 0 {
		a.in.Query += "?" + vals.Encode()
	}
	return a, nil
}

// leftOver names the entities and years of q that the composed answer did
// not put to use.
func (a *askAnswer) leftOver(q *question) []string {
	var out []string
	usedTypes := map[schema.Type]bool{}
	for k := range a.in.Params {
		switch k {
		case "city", "cities":
			usedTypes[schema.City] = true
			usedTypes[schema.Province] = true
		case "technology":
			usedTypes[schema.Technology] = true
		case "domain":
			usedTypes[schema.Domain] = true
		case "plan":
			usedTypes[schema.Plan] = true
		}
	}
	for _, f := range q.entities {
		if !usedTypes[f.typ] {
			out = append(out, string(f.typ)+" "+strconv.Quote(f.text))
		}
	}
	if len(q.years) > 0 && a.in.Params["year"] == "" {
		out = append(out, "year "+strconv.Itoa(q.years[0]))
	}
	// More than one technology where the form takes one.
	if techs := q.ids(schema.Technology); len(techs) > 1 {
		out = append(out, "technologies "+strings.Join(techs[1:], ", ")+" (one at a time)")
	}
	return out
}

// questionCities is the cities q names, a province standing for its cities.
func questionCities(v *view.View, q *question) []string {
	out := q.ids(schema.City)
	for _, p := range q.ids(schema.Province) {
		for _, c := range v.Cities {
			if c.Province == p && !slices.Contains(out, c.ID) {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

func cityIDs(v *view.View) []string {
	var out []string
	for _, c := range v.Cities {
		out = append(out, c.ID)
	}
	return out
}

// compose classifies q into one of the forms the API answers and runs it;
// nil when q fits none. Order matters: the narrower intents first.
func compose(v *view.View, q *question) *askAnswer {
	cities := questionCities(v, q)
	tech := q.first(schema.Technology)
	domains := q.ids(schema.Domain)
	plan := q.first(schema.Plan)
	year := 0
	if len(q.years) > 0 {
		year = q.years[0]
	}
	city := ""
	if len(cities) == 1 {
		city = cities[0]
	}
	r := newReader(v, q.lang)
	in := func(form, endpoint string) *interpretation {
		return &interpretation{Form: form, Endpoint: endpoint, Params: map[string]string{}}
	}
	set := func(i *interpretation, k, val string) {
		if val != "" {
			i.Params[k] = val
		}
	}
	yes := q.cues["yesno"]
	mentionCue := q.cues["mention"] || (q.cues["count"] || q.cues["most"] || q.cues["least"]) && !q.cues["measure"] && !q.cues["use"] && !q.cues["support"]

	switch {
	case q.cues["compare"] && tech != "":
		i := in("compare", "/v1/compare")
		set(i, "technology", tech)
		cs := cities
		if len(cs) > 0 {
			set(i, "cities", strings.Join(cs, ","))
		} else {
			cs = cityIDs(v)
		}
		i.Reading = r.compare(cs, tech)
		mx := v.Compare(cs, tech, "")
		return &askAnswer{in: i, write: func(s *Server, c *gin.Context, extra gin.H) {
			asCSV, err := wantsCSV(c)
			if err != nil {
				s.fail(c, err)
				return
			}
			if asCSV {
				writeCSV(c, mx.Cells, cellColumns)
				return
			}
			body := gin.H{"matrix": mx}
			for k, x := range extra {
				body[k] = x
			}
			c.JSON(http.StatusOK, body)
		}}

	case q.cues["support"] && (tech != "" || city != ""):
		i := in("support", "/v1/support")
		set(i, "technology", tech)
		set(i, "city", city)
		i.Reading = r.support(city, tech)
		rows := v.SupportOf(tech, city)
		return &askAnswer{in: i, extra: yesNo(yes, len(rows) > 0), write: rowsAnswer(rows, supportColumns)}

	case q.cues["when"] && !mentionCue:
		i := in("when", "/v1/plans")
		set(i, "city", city)
		set(i, "plan", plan)
		rows := plansFor(v, city, plan, tech, year)
		if tech != "" {
			set(i, "technology", tech)
		}
		if year != 0 {
			set(i, "year", strconv.Itoa(year))
		}
		i.Reading = r.when(city, tech)
		return &askAnswer{in: i, write: rowsAnswer(rows, planColumns)}

	case mentionCue && (tech != "" || q.cues["most"] || q.cues["least"]):
		i := in("mentions", "/v1/mentions")
		set(i, "technology", tech)
		set(i, "city", city)
		rows := v.CityMentions(tech, city, false)
		switch {
		case q.cues["most"] || q.cues["least"]:
			i.Form = "ranking"
			rows = v.CityMentions(tech, city, true)
			least := q.cues["least"]
			sort.SliceStable(rows, func(a, b int) bool {
				if least {
					return rows[a].Count < rows[b].Count
				}
				return rows[a].Count > rows[b].Count
			})
			if q.top > 0 && q.top < len(rows) {
				rows = rows[:q.top]
			}
			if q.top > 0 {
				set(i, "top", strconv.Itoa(q.top))
			}
			i.Reading = r.ranking(tech, city, least)
		case city == "" && (q.cues["cities"] || !q.cues["count"]):
			// Which cities mention it: each city's own count, above zero.
			i.Form = "cities_mentioning"
			var own []view.ScopedMention
			var none []string
			seen := map[string]bool{}
			for _, c := range v.Cities {
				if seen[c.ID] {
					continue
				}
				seen[c.ID] = true
				positive := false
				for _, m := range v.CityMentions(tech, c.ID, false) {
					if m.Count > 0 {
						own = append(own, m)
						positive = true
					}
				}
				if !positive {
					none = append(none, c.ID)
				}
			}
			rows = own
			i.Reading = r.citiesMentioning(tech)
			extra := gin.H{"not_mentioning": none}
			if ids := positiveMentions(v, tech); len(own) == 0 && len(ids) > 0 {
				extra["coverage"] = []coverageNote{{Status: sharedOnly, Mentions: ids, Note: "no city has a count of its own for " + tech +
					"; the graph holds only counts over several places' documents together: see /v1/mentions?technology=" + url.QueryEscape(tech)}}
			}
			return &askAnswer{in: i, extra: extra, write: rowsAnswer(rows, mentionColumns)}
		default:
			i.Reading = r.mentions(tech, city)
		}
		positive := slices.IndexFunc(rows, func(m view.ScopedMention) bool { return m.Count > 0 }) >= 0
		extra := yesNo(yes, positive)
		extra = merge(extra, coverageField(mentionCoverage(v, tech, city, i.Form == "ranking")))
		return &askAnswer{in: i, extra: extra, write: rowsAnswer(rows, mentionColumns)}

	case q.cues["plans"] && !q.cues["measure"] && tech == "" && len(domains) == 0:
		i := in("plans", "/v1/plans")
		set(i, "city", city)
		if year != 0 {
			set(i, "year", strconv.Itoa(year))
		}
		rows := plansFor(v, city, plan, "", year)
		i.Reading = r.plans(city)
		extra := merge(yesNo(yes, len(rows) > 0), coverageField(v.Coverage(view.MeasureFilter{City: city}, nil)))
		return &askAnswer{in: i, extra: extra, write: rowsAnswer(rows, planColumns)}

	case q.cues["cities"] && len(cities) == 0 && (tech != "" || len(domains) > 0):
		i := in("cities_using", "/v1/cities")
		set(i, "technology", tech)
		set(i, "domain", strings.Join(domains, ","))
		if year != 0 {
			set(i, "year", strconv.Itoa(year))
		}
		rows := citiesFor(v, tech, domains, year)
		i.Reading = r.citiesUsing(tech, domains, year)
		extra := yesNo(yes, len(rows) > 0)
		var answered []string
		for _, r := range rows {
			answered = append(answered, r.City)
		}
		extra = merge(extra, coverageField(v.Coverage(view.MeasureFilter{Technology: tech, Domain: firstOf(domains)}, answered)))
		return &askAnswer{in: i, extra: extra, write: rowsAnswer(rows, cityColumns)}

	case tech != "" || len(domains) > 0 || len(cities) > 0 || plan != "":
		i := in("measures", "/v1/measures")
		set(i, "city", strings.Join(cities, ","))
		set(i, "technology", tech)
		set(i, "plan", plan)
		set(i, "domain", strings.Join(domains, ","))
		if year != 0 {
			set(i, "year", strconv.Itoa(year))
		}
		var rows []view.MeasureRow
		if len(cities) > 1 {
			// Several cities: each city's measures, city by city.
			for _, c := range cities {
				rows = append(rows, measuresFor(v, view.MeasureFilter{City: c, Technology: tech, Plan: plan}, domains, year)...)
			}
		} else {
			rows = measuresFor(v, view.MeasureFilter{City: city, Technology: tech, Plan: plan}, domains, year)
		}
		i.Reading = r.measures(cities, tech, domains)
		extra := yesNo(yes, len(rows) > 0)
		extra = merge(extra, coverageField(v.Coverage(view.MeasureFilter{City: city, Technology: tech, Domain: firstOf(domains)}, measureCities(rows))))
		return &askAnswer{in: i, extra: extra, write: rowsAnswer(rows, measureColumns)}
	}
	return nil
}

// positiveMentions are the ids of the counts above zero of tech ("" none).
func positiveMentions(v *view.View, tech string) []string {
	if tech == "" {
		return nil
	}
	var ids []string
	for _, m := range v.MentionsOf(tech, "") {
		if m.Count > 0 {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

func firstOf(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

func yearNote(y int) string {
	if y == 0 {
		return ""
	}
	return " in plans covering " + strconv.Itoa(y)
}

func yesNo(asked, answer bool) gin.H {
	if !asked {
		return nil
	}
	return gin.H{"answer": answer}
}

func merge(a, b gin.H) gin.H {
	out := gin.H{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func quoteAll(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = strconv.Quote(w)
	}
	return strings.Join(q, ", ")
}

// planCovers reports whether plan p speaks for year y: adopted or published
// in it, or running through it.
func planCovers(p *view.Plan, y int) bool {
	ys := strconv.Itoa(y)
	if strings.HasPrefix(p.Adopted, ys) || strings.HasPrefix(p.Published, ys) {
		return true
	}
	return p.PeriodStart > 0 && p.PeriodStart <= int64(y) && (p.PeriodEnd == 0 || int64(y) <= p.PeriodEnd)
}

func plansFor(v *view.View, city, plan, tech string, year int) []*view.Plan {
	var out []*view.Plan
	for _, p := range v.PlansOf(city) {
		if plan != "" && p.ID != plan || year != 0 && !planCovers(p, year) {
			continue
		}
		if tech != "" && len(v.FindMeasures(view.MeasureFilter{Plan: p.ID, Technology: tech})) == 0 {
			continue
		}
		out = append(out, p)
	}
	return out
}

// measuresFor is FindMeasures with every domain named (all must apply) and
// the year the plan covers.
func measuresFor(v *view.View, f view.MeasureFilter, domains []string, year int) []view.MeasureRow {
	if len(domains) > 0 {
		f.Domain = domains[0]
	}
	var out []view.MeasureRow
	for _, m := range v.FindMeasures(f) {
		if !hasAll(m.Domains, domains) {
			continue
		}
		if year != 0 {
			if p := v.Plan(m.Plan); p == nil || !planCovers(p, year) {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// citiesFor is CitiesWith for several domains (a city qualifies with a
// measure in each) and a year.
func citiesFor(v *view.View, tech string, domains []string, year int) []view.CityRow {
	var out []view.CityRow
	ds := domains
	if len(ds) == 0 {
		ds = []string{""}
	}
	for _, row := range v.CitiesWith(view.MeasureFilter{Technology: tech, Domain: ds[0]}) {
		ok := true
		for _, d := range ds[1:] {
			if len(v.FindMeasures(view.MeasureFilter{City: row.City, Technology: tech, Domain: d})) == 0 {
				ok = false
			}
		}
		if year != 0 {
			var keep []string
			for _, id := range row.Measures {
				if m := v.Measure(id); m != nil {
					if p := v.Plan(m.Plan); p != nil && planCovers(p, year) {
						keep = append(keep, id)
					}
				}
			}
			row.Measures = keep
			ok = ok && len(keep) > 0
		}
		if ok {
			out = append(out, row)
		}
	}
	return out
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// ask answers a plain question by composing the typed queries it reads as;
// the answer carries that interpretation beside the rows.
func (s *Server) ask() gin.HandlerFunc {
	return func(c *gin.Context) {
		q := c.Query("q")
		if strings.TrimSpace(q) == "" {
			s.fail(c, badRequest("missing q: the question to answer"))
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		a, err := interpret(v, s.texts.lexicon(v), q)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Header("X-Interpretation", a.in.Query)
		a.write(s, c, merge(gin.H{"question": q, "interpretation": a.in}, a.extra))
	}
}
