package view

import (
	"slices"
	"strconv"
)

// FieldChange is one field with different values in two versions.
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// LinkRef is a measure's link to a technology (with its basis) or a domain.
type LinkRef struct {
	Measure    string `json:"measure"`
	Technology string `json:"technology,omitempty"`
	Domain     string `json:"domain,omitempty"`
	Basis      string `json:"basis,omitempty"`
}

// LinkChange is a technology link whose basis changed.
type LinkChange struct {
	Measure    string `json:"measure"`
	Technology string `json:"technology"`
	From       string `json:"from"`
	To         string `json:"to"`
}

// MeasureChange is a measure in both versions with fields that differ.
type MeasureChange struct {
	Measure string        `json:"measure"`
	Fields  []FieldChange `json:"fields"`
}

// CountChange is a mention count added, removed or changed; From or To
// is nil where the count is absent.
type CountChange struct {
	Mention    string `json:"mention"`
	Technology string `json:"technology"`
	From       *int64 `json:"from"`
	To         *int64 `json:"to"`
}

// PlanDiff is what changed in a plan document from one version to another.
type PlanDiff struct {
	Fields   []FieldChange `json:"fields"` // the plan's own: dates, title, issuer…
	Measures struct {
		Added   []string        `json:"added"`
		Removed []string        `json:"removed"`
		Changed []MeasureChange `json:"changed"`
	} `json:"measures"`
	Links struct {
		Added   []LinkRef    `json:"added"`
		Removed []LinkRef    `json:"removed"`
		Changed []LinkChange `json:"changed"`
	} `json:"links"`
	Counts []CountChange `json:"counts"`
}

// Diff compares the plan documents of two Views of one document, each
// built from one version of it.
func Diff(a, b *View) PlanDiff {
	d := PlanDiff{Fields: []FieldChange{}, Counts: []CountChange{}}
	d.Measures.Added, d.Measures.Removed, d.Measures.Changed = []string{}, []string{}, []MeasureChange{}
	d.Links.Added, d.Links.Removed, d.Links.Changed = []LinkRef{}, []LinkRef{}, []LinkChange{}
	var pa, pb Plan
	if len(a.Plans) > 0 {
		pa = *a.Plans[0]
	}
	if len(b.Plans) > 0 {
		pb = *b.Plans[0]
	}
	d.Fields = fieldChanges(planFields(&pa), planFields(&pb))

	ma, mb := measuresByID(a), measuresByID(b)
	for _, m := range a.Measures {
		if mb[m.ID] == nil {
			d.Measures.Removed = append(d.Measures.Removed, m.ID)
		}
	}
	for _, m := range b.Measures {
		old := ma[m.ID]
		if old == nil {
			d.Measures.Added = append(d.Measures.Added, m.ID)
			continue
		}
		if fc := fieldChanges(measureFields(old), measureFields(m)); len(fc) > 0 {
			d.Measures.Changed = append(d.Measures.Changed, MeasureChange{Measure: m.ID, Fields: fc})
		}
	}

	la, lb := links(a), links(b)
	for _, k := range sortedKeys(la) {
		l := la[k]
		nl, ok := lb[k]
		switch {
		case !ok:
			d.Links.Removed = append(d.Links.Removed, l)
		case l.Basis != nl.Basis:
			d.Links.Changed = append(d.Links.Changed, LinkChange{Measure: l.Measure, Technology: l.Technology, From: l.Basis, To: nl.Basis})
		}
	}
	for _, k := range sortedKeys(lb) {
		if _, ok := la[k]; !ok {
			d.Links.Added = append(d.Links.Added, lb[k])
		}
	}

	ca, cb := counts(a), counts(b)
	ids := map[string]bool{}
	for k := range ca {
		ids[k] = true
	}
	for k := range cb {
		ids[k] = true
	}
	for _, k := range sortedKeys(ids) {
		x, y := ca[k], cb[k]
		if x != nil && y != nil && x.Count == y.Count && x.Technology == y.Technology {
			continue
		}
		c := CountChange{Mention: k}
		if x != nil {
			c.From, c.Technology = &x.Count, x.Technology
		}
		if y != nil {
			c.To, c.Technology = &y.Count, y.Technology
		}
		d.Counts = append(d.Counts, c)
	}
	return d
}

type field struct{ name, value string }

func planFields(p *Plan) []field {
	return []field{{"title_en", p.Titles["en"]}, {"title_zh", p.Titles["zh"]}, {"city", p.City}, {"issuer", p.Issuer},
		{"document_number", p.Number}, {"signed", p.Signed}, {"adopted", p.Adopted}, {"published", p.Published},
		{"reviewed", p.Reviewed}, {"period_start", year(p.PeriodStart)}, {"period_end", year(p.PeriodEnd)},
		{"source", p.Evidence.Source}, {"related", relationsText(p.Related)}}
}

func measureFields(m *Measure) []field {
	return []field{{"title", m.Title}, {"kind", m.Kind}, {"context", m.Context}, {"section", m.Evidence.Section},
		{"summary", m.Evidence.Summary}, {"quote", m.Evidence.Quote}}
}

func year(y int64) string {
	if y == 0 {
		return ""
	}
	return strconv.FormatInt(y, 10)
}

func relationsText(rs []Relation) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Relation + ":" + r.Plan
	}
	slices.Sort(parts)
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	return out
}

func fieldChanges(a, b []field) []FieldChange {
	out := []FieldChange{}
	for i := range a {
		if a[i].value != b[i].value {
			out = append(out, FieldChange{Field: a[i].name, From: a[i].value, To: b[i].value})
		}
	}
	return out
}

func measuresByID(v *View) map[string]*Measure {
	out := make(map[string]*Measure, len(v.Measures))
	for _, m := range v.Measures {
		out[m.ID] = m
	}
	return out
}

// links keys every link of v by measure and target.
func links(v *View) map[string]LinkRef {
	out := map[string]LinkRef{}
	for _, m := range v.Measures {
		for _, t := range m.Technologies {
			out[m.ID+"\x00technology\x00"+t.Technology] = LinkRef{Measure: m.ID, Technology: t.Technology, Basis: string(t.Basis)}
		}
		for _, dom := range m.Domains {
			out[m.ID+"\x00domain\x00"+dom] = LinkRef{Measure: m.ID, Domain: dom}
		}
	}
	return out
}

func counts(v *View) map[string]*Mention {
	out := map[string]*Mention{}
	for _, m := range v.Mentions {
		out[m.ID] = m
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
