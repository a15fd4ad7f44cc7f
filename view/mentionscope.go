package view

import (
	"slices"
	"sort"
)

// ScopedMention is a mention count with the scope it was counted over made
// plain: a count over three cities' plans is not any one city's count.
type ScopedMention struct {
	*Mention
	// Scope is every city the count covers: its own cities and the cities
	// of its documents, sorted.
	Scope []string `json:"scope"`
	// Shared says the count is not the asked city's own: its scope is more
	// than that city (or, with no city asked, more than one city).
	Shared bool `json:"shared"`
}

// MentionScope lists the cities m's count covers.
func (v *View) MentionScope(m *Mention) []string {
	scope := slices.Clone(m.Cities)
	for _, d := range m.Documents {
		if p := v.Plan(d); p != nil && p.City != "" && !slices.Contains(scope, p.City) {
			scope = append(scope, p.City)
		}
	}
	sort.Strings(scope)
	return scope
}

// CityMentions lists the mention counts of technology (any when "") for
// city (any when ""). With a city, only counts whose whole scope is that
// city are that city's own; the others that cover it (the three-plan
// totals) come only with includeShared, marked Shared.
func (v *View) CityMentions(technology, city string, includeShared bool) []ScopedMention {
	out := []ScopedMention{}
	for _, m := range v.MentionsOf(technology, city) {
		scope := v.MentionScope(m)
		shared := len(scope) > 1
		if city != "" {
			// Own means counted over this city's documents alone; a
			// count of another place that city covers is not its own either.
			shared = len(scope) != 1 || scope[0] != city
		}
		if city != "" && shared && !includeShared {
			continue
		}
		out = append(out, ScopedMention{Mention: m, Scope: scope, Shared: shared})
	}
	return out
}

// MentionsAt keeps the counts of ms that f places in time: those whose
// every document is a plan passing f (in force on the day, issued in the
// range). A count is one number for all its documents together and cannot
// be divided among them, so a count over several documents of which only
// some pass is neither kept nor credited in part: it is returned in
// split. A count over no document (cities only) has no plan to date it
// and is returned in undated. With a zero f every count is kept.
func (v *View) MentionsAt(ms []ScopedMention, f TimeFilter) (kept []ScopedMention, split, undated []string) {
	if f.IsZero() {
		return ms, nil, nil
	}
	kept = []ScopedMention{}
	for _, m := range ms {
		if len(m.Documents) == 0 {
			undated = append(undated, m.ID)
			continue
		}
		passing := 0
		for _, d := range m.Documents {
			if f.Passes(v.Plan(d)) {
				passing++
			}
		}
		switch passing {
		case len(m.Documents):
			kept = append(kept, m)
		case 0:
		default:
			split = append(split, m.ID)
		}
	}
	return kept, split, undated
}
