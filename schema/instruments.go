package schema

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// InstrumentGroup is one of the three groups of policy instruments that
// Chinese policy-text research codes measures by (after Rothwell and
// Zegveld): supply-side instruments push innovation with resources,
// demand-side ones pull it through markets, environment-side ones shape
// the conditions both act in.
type InstrumentGroup struct {
	ID    string
	Names map[string]string
}

// InstrumentType is one kind of policy instrument in the typology. It
// classifies measures; it is not the SupportInstrument node type, which
// records one concrete offer (a subsidy with its rate and cap).
type InstrumentType struct {
	ID    string
	Group string
	Names map[string]string
}

// The instrument groups.
var InstrumentGroups = []InstrumentGroup{
	{"supply", map[string]string{"en": "Supply-side instruments", "zh": "供给型政策工具", "ja": "供給側の政策手段"}},
	{"demand", map[string]string{"en": "Demand-side instruments", "zh": "需求型政策工具", "ja": "需要側の政策手段"}},
	{"environment", map[string]string{"en": "Environment-side instruments", "zh": "环境型政策工具", "ja": "環境側の政策手段"}},
}

// InstrumentTypes is the typology, group by group.
var InstrumentTypes = []InstrumentType{
	{"subsidy", "supply", map[string]string{"en": "Subsidy", "zh": "财政补贴", "ja": "補助金"}},
	{"fund", "supply", map[string]string{"en": "Investment fund", "zh": "产业基金", "ja": "投資ファンド"}},
	{"talent", "supply", map[string]string{"en": "Talent development", "zh": "人才培养", "ja": "人材育成"}},
	{"platform", "supply", map[string]string{"en": "Public service platform", "zh": "公共服务平台", "ja": "公共サービス基盤"}},
	{"research", "supply", map[string]string{"en": "Research and technology support", "zh": "科技研发支持", "ja": "研究開発支援"}},
	{"infrastructure", "supply", map[string]string{"en": "Public infrastructure construction", "zh": "基础设施建设", "ja": "インフラ整備"}},
	{"pilot", "demand", map[string]string{"en": "Demonstration and pilot", "zh": "示范试点", "ja": "モデル事業・試行"}},
	{"procurement", "demand", map[string]string{"en": "Government procurement", "zh": "政府采购", "ja": "政府調達"}},
	{"application", "demand", map[string]string{"en": "Application promotion", "zh": "应用推广", "ja": "応用普及"}},
	{"tax-relief", "environment", map[string]string{"en": "Tax relief", "zh": "税收优惠", "ja": "税制優遇"}},
	{"finance", "environment", map[string]string{"en": "Financial support", "zh": "金融支持", "ja": "金融支援"}},
	{"standard", "environment", map[string]string{"en": "Standard setting", "zh": "标准规范", "ja": "標準化"}},
	{"regulation", "environment", map[string]string{"en": "Regulation", "zh": "法规管制", "ja": "規制"}},
	{"planning", "environment", map[string]string{"en": "Goal planning", "zh": "目标规划", "ja": "目標計画"}},
}

// UsesInstrument links a measure to an instrument type it employs (the
// object is InstrumentTypeIRI of the type's id).
var UsesInstrument = pred("instrumentType")

const instrumentBase = nsBase + "instrument-type/"

// InstrumentTypeIRI is the IRI of the instrument type id: part of the
// schema, like a class, not a node of the data.
func InstrumentTypeIRI(id string) quad.IRI { return quad.IRI(instrumentBase + id) }

// InstrumentTypeOfIRI is the inverse of InstrumentTypeIRI.
func InstrumentTypeOfIRI(v quad.Value) (string, bool) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return "", false
	}
	return strings.CutPrefix(string(iri), instrumentBase)
}

// InstrumentTypeIDs are the ids of every instrument type, in typology order.
func InstrumentTypeIDs() []string {
	out := make([]string, len(InstrumentTypes))
	for i, t := range InstrumentTypes {
		out[i] = t.ID
	}
	return out
}

// ResolveInstrument reads what a researcher typed for an instrument: a
// type or a group, by id or by a name in any language, in any case. It
// returns the ids of the types meant (every type of a group), or nothing
// and the closest ids.
func ResolveInstrument(raw string) ([]string, []string) {
	key := strings.ToLower(strings.TrimSpace(raw))
	var candidates []string
	for _, t := range InstrumentTypes {
		if key == t.ID || matchesName(key, t.Names) {
			return []string{t.ID}, nil
		}
		candidates = append(candidates, t.ID)
	}
	for _, g := range InstrumentGroups {
		if key == g.ID || matchesName(key, g.Names) {
			var ids []string
			for _, t := range InstrumentTypes {
				if t.Group == g.ID {
					ids = append(ids, t.ID)
				}
			}
			return ids, nil
		}
		candidates = append(candidates, g.ID)
	}
	return nil, Suggest(key, candidates, 3)
}

func matchesName(key string, names map[string]string) bool {
	for _, n := range names {
		if strings.ToLower(n) == key {
			return true
		}
	}
	return false
}
