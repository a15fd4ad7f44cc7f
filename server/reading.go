package server

import (
	"strconv"
	"strings"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// reader writes what a question was read as, in the question's language,
// with the entities' names in that language.
type reader struct {
	v    *view.View
	lang string
}

func newReader(v *view.View, lang string) reader { return reader{v, lang} }

func (r reader) name(t schema.Type, id string) string {
	if id == "" {
		return ""
	}
	var e *view.Entity
	if t == schema.City {
		if c := r.v.City(id); c != nil {
			e = &c.Entity
		}
	} else {
		e = r.v.Term(t, id)
	}
	if e == nil {
		return id
	}
	return e.Name(r.lang)
}

func (r reader) names(t schema.Type, ids []string) string {
	ns := make([]string, len(ids))
	for i, id := range ids {
		ns[i] = r.name(t, id)
	}
	sep := map[string]string{"en": " and ", "zh": "和", "ja": "と"}[r.lang]
	return strings.Join(ns, sep)
}

// pick chooses the text for the reader's language.
func (r reader) pick(en, zh, ja string) string {
	switch r.lang {
	case "zh":
		return zh
	case "ja":
		return ja
	}
	return en
}

func (r reader) citiesUsing(tech string, domains []string, year int) string {
	t, d := r.name(schema.Technology, tech), r.names(schema.Domain, domains)
	var s string
	switch {
	case tech != "" && d != "":
		s = r.pick("Cities with a measure applying "+t+" to "+d, "有将"+t+"应用于"+d+"的措施的城市", t+"を"+d+"に活用する施策のある都市")
	case tech != "":
		s = r.pick("Cities with a measure using "+t, "有应用"+t+"的措施的城市", t+"を活用する施策のある都市")
	default:
		s = r.pick("Cities with a measure in "+d, "有"+d+"领域措施的城市", d+"分野の施策のある都市")
	}
	if year != 0 {
		y := strconv.Itoa(year)
		s += r.pick(", in plans covering "+y, "（"+y+"年的规划）", "（"+y+"年の計画）")
	}
	return s
}

func (r reader) citiesMentioning(tech string) string {
	t := r.name(schema.Technology, tech)
	return r.pick("Cities whose own plans mention "+t+" (a count above zero)", "自身规划提到"+t+"的城市（次数大于零）", "自らの計画で"+t+"に言及している都市（回数が0より多い）")
}

func (r reader) mentions(tech, city string) string {
	t, c := r.name(schema.Technology, tech), r.name(schema.City, city)
	if city == "" {
		return r.pick("How often plans mention "+t, "规划提到"+t+"的次数", "計画が"+t+"に言及した回数")
	}
	return r.pick("How often "+c+"'s own plans mention "+t, c+"自身规划提到"+t+"的次数", c+"の計画が"+t+"に言及した回数")
}

func (r reader) ranking(tech, city string, least bool) string {
	order := r.pick("most", "最多", "多い")
	if least {
		order = r.pick("least", "最少", "少ない")
	}
	what := r.pick("technologies", "技术", "技術")
	if tech != "" {
		what = r.name(schema.Technology, tech)
	}
	s := r.pick("Mention counts of "+what+", "+order+" first", what+"的提及次数，"+order+"的在前", what+"の言及回数（"+order+"順）")
	if city != "" {
		s += r.pick(", covering "+r.name(schema.City, city), "（涵盖"+r.name(schema.City, city)+"）", "（"+r.name(schema.City, city)+"を含む）")
	}
	return s
}

func (r reader) measures(cities []string, tech string, domains []string) string {
	parts := []string{}
	if len(cities) > 0 {
		parts = append(parts, r.names(schema.City, cities))
	}
	if tech != "" {
		parts = append(parts, r.name(schema.Technology, tech))
	}
	if len(domains) > 0 {
		parts = append(parts, r.names(schema.Domain, domains))
	}
	return r.pick("Measures: "+strings.Join(parts, ", "), "措施："+strings.Join(parts, "，"), "施策："+strings.Join(parts, "、"))
}

func (r reader) support(city, tech string) string {
	c, t := r.name(schema.City, city), r.name(schema.Technology, tech)
	return strings.TrimSpace(r.pick("Support instruments for "+t+" "+inCity(c), c+"对"+t+"的支持措施", c+"の"+t+"への支援策"))
}

func inCity(c string) string {
	if c == "" {
		return ""
	}
	return "in " + c
}

func (r reader) when(city, tech string) string {
	c := r.name(schema.City, city)
	if c == "" {
		c = r.pick("every city", "各城市", "各都市")
	}
	s := r.pick("Dates of "+c+"'s plans", c+"规划的日期", c+"の計画の日付")
	if tech != "" {
		s += r.pick(" with measures on "+r.name(schema.Technology, tech), "（含"+r.name(schema.Technology, tech)+"措施）", "（"+r.name(schema.Technology, tech)+"の施策を含む）")
	}
	return s
}

func (r reader) plans(city string) string {
	if city == "" {
		return r.pick("Every city's plans", "所有城市的规划", "全都市の計画")
	}
	c := r.name(schema.City, city)
	return r.pick(c+"'s plans", c+"的规划", c+"の計画")
}

func (r reader) compare(cities []string, tech string) string {
	return r.pick("Compare "+r.names(schema.City, cities)+" on "+r.name(schema.Technology, tech)+", domain by domain",
		"按领域比较"+r.names(schema.City, cities)+"的"+r.name(schema.Technology, tech),
		r.names(schema.City, cities)+"の"+r.name(schema.Technology, tech)+"を分野ごとに比較")
}
