package loader

import (
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

func graphLabel(id string) quad.Value { return schema.GraphIRI(id) }

// emitter collects the quads of one named graph.
type emitter struct {
	label quad.Value
	quads []quad.Quad
}

func (e *emitter) add(s quad.Value, p schema.Predicate, o quad.Value) {
	e.quads = append(e.quads, quad.Quad{Subject: s, Predicate: p, Object: o, Label: e.label})
}

func (e *emitter) str(s quad.Value, p schema.Predicate, o string) {
	if o != "" {
		e.add(s, p, quad.String(o))
	}
}

func (e *emitter) node(t schema.Type, id string) quad.IRI {
	n := t.IRI(id)
	e.add(n, schema.TypeOf, t.ClassIRI())
	return n
}

func (e *emitter) names(n quad.Value, p schema.Predicate, names Names) {
	for _, lang := range sortedKeys(names) {
		e.add(n, p, quad.LangString{Value: quad.String(names[lang]), Lang: lang})
	}
}

func (e *emitter) aliases(n quad.Value, aliases Aliases) {
	e.langLists(n, schema.Alias, aliases)
}

func (e *emitter) langLists(n quad.Value, p quad.IRI, lists Aliases) {
	for _, lang := range sortedKeys(lists) {
		for _, a := range lists[lang] {
			e.add(n, p, quad.LangString{Value: quad.String(a), Lang: lang})
		}
	}
}

func (e *emitter) evidence(n quad.Value, ev Evidence, fileSource string) {
	src := ev.Source
	if src == "" {
		src = fileSource
	}
	if src != "" { // a draft's may be unknown
		e.add(n, schema.EvidenceSource, schema.Source.IRI(src))
	}
	e.str(n, schema.Section, ev.Section)
	e.str(n, schema.Summary, ev.Summary)
	e.str(n, schema.Quote, ev.Quote)
	if ev.Offset != nil {
		e.add(n, schema.Offset, quad.Int(*ev.Offset))
		e.add(n, schema.OffsetEnd, quad.Int(*ev.OffsetEnd))
	}
}

func (e *emitter) vocabulary(v *Vocabulary) {
	for _, s := range v.Sources {
		n := e.node(schema.Source, s.ID)
		e.names(n, schema.Name, s.Names)
		e.str(n, schema.Author, s.Author)
		e.str(n, schema.Written, s.Written)
		e.str(n, schema.Language, s.Language)
		e.str(n, schema.Location, s.Location)
		if s.Address != "" {
			e.add(n, schema.Address, quad.IRI(s.Address))
		}
		e.str(n, schema.Note, s.Note)
	}
	for _, o := range v.Organizations {
		n := e.node(schema.Organization, o.ID)
		e.names(n, schema.Name, o.Names)
		e.aliases(n, o.Aliases)
	}
	for _, p := range v.Provinces {
		n := e.node(schema.Province, p.ID)
		e.names(n, schema.Name, p.Names)
		e.aliases(n, p.Aliases)
		e.str(n, schema.Code, p.Code)
	}
	for _, c := range v.Cities {
		n := e.node(schema.City, c.ID)
		e.names(n, schema.Name, c.Names)
		e.aliases(n, c.Aliases)
		e.str(n, schema.Code, c.Code)
		e.str(n, schema.LevelOf, c.Level)
		if c.Province != "" {
			e.add(n, schema.InProvince, schema.Province.IRI(c.Province))
		}
		if c.Parent != "" {
			e.add(n, schema.Within, schema.City.IRI(c.Parent))
		}
	}
	for _, t := range v.Technologies {
		n := e.node(schema.Technology, t.ID)
		e.names(n, schema.Name, t.Names)
		e.aliases(n, t.Aliases)
		e.langLists(n, schema.NotMention, t.NotMentions)
		if t.Broader != "" {
			e.add(n, schema.Broader, schema.Technology.IRI(t.Broader))
		}
	}
	for _, d := range v.Domains {
		n := e.node(schema.Domain, d.ID)
		e.names(n, schema.Name, d.Names)
		e.aliases(n, d.Aliases)
		e.langLists(n, schema.NotMention, d.NotMentions)
	}
	for _, s := range v.Scopes {
		n := e.node(schema.Scope, s.ID)
		e.names(n, schema.Name, s.Names)
		e.add(n, schema.DefinedBy, schema.Organization.IRI(s.DefinedBy))
		e.add(n, schema.Date, schema.DateValue(s.Date))
		for _, t := range s.Technologies {
			e.add(n, schema.IncludesTechnology, schema.Technology.IRI(t))
		}
		for _, t := range s.New {
			e.add(n, schema.NewTechnology, schema.Technology.IRI(t))
		}
		e.evidence(n, s.Evidence, "")
	}
}

func (e *emitter) plan(p *PlanFile) {
	n := e.node(schema.Plan, p.ID)
	city := schema.City.IRI(p.City)
	e.add(city, schema.HasPlan, n)
	e.names(n, schema.Title, p.Title)
	if p.Issuer != "" {
		e.add(n, schema.IssuedBy, schema.Organization.IRI(p.Issuer))
	}
	e.str(n, schema.DocumentNumber, p.DocumentNumber)
	for _, d := range []struct {
		p schema.Predicate
		v string
	}{{schema.Signed, p.Signed}, {schema.Adopted, p.Adopted}, {schema.Published, p.Published}, {schema.Reviewed, p.Reviewed},
		{schema.Effective, p.Effective}, {schema.Expires, p.Expires}} {
		if d.v != "" {
			e.add(n, d.p, schema.DateValue(d.v))
		}
	}
	if p.Period != nil {
		e.add(n, schema.PeriodStart, quad.Int(p.Period.Start))
		e.add(n, schema.PeriodEnd, quad.Int(p.Period.End))
	}
	for _, r := range p.Related {
		e.add(n, schema.RelationPredicate(schema.Relation(r.Relation)), schema.Plan.IRI(r.Plan))
	}
	if p.Evidence != nil {
		e.evidence(n, *p.Evidence, p.Source)
	} else if p.Source != "" {
		e.add(n, schema.EvidenceSource, schema.Source.IRI(p.Source))
	}
	for _, note := range p.Notes {
		e.add(n, schema.Note, quad.String(FormatNote(note)))
	}
	for _, m := range p.Measures {
		e.measure(n, city, m, p.Source)
		e.provenance(m, p.Extractor)
	}
	e.mentions(p.Mentions, p.Source)
	e.targets(n, city, p)
}

// FormatNote is how a note is stored: its section in brackets, then the text.
func FormatNote(n Note) string { return "[" + n.Section + "] " + n.Text }

// ParseNote is the inverse of FormatNote.
func ParseNote(s string) Note {
	if rest, ok := strings.CutPrefix(s, "["); ok {
		if sec, text, ok := strings.Cut(rest, "] "); ok {
			return Note{Section: sec, Text: text}
		}
	}
	return Note{Text: s}
}

func (e *emitter) measure(plan, city quad.IRI, m MeasureDef, fileSource string) {
	n := e.node(schema.Measure, m.ID)
	e.add(plan, schema.HasMeasure, n)
	e.add(n, schema.InCity, city)
	e.str(n, schema.Kind, m.Kind)
	e.add(n, schema.Title, quad.LangString{Value: quad.String(m.Title), Lang: "en"})
	e.str(n, schema.Context, m.Context)
	for _, k := range m.Keywords {
		e.str(n, schema.Keyword, k)
	}
	for _, t := range m.Technologies {
		e.add(n, schema.TechnologyPredicate(schema.Basis(t.Basis)), schema.Technology.IRI(t.ID))
	}
	for _, d := range m.Domains {
		e.add(n, schema.AppliesTo, schema.Domain.IRI(d))
	}
	for _, s := range m.SupportedBy {
		e.add(n, schema.SupportedBy, schema.Measure.IRI(s))
	}
	for _, it := range m.Instruments {
		e.add(n, schema.UsesInstrument, schema.InstrumentTypeIRI(it))
	}
	e.evidence(n, m.Evidence, fileSource)
	for _, s := range m.Support {
		i := e.node(schema.SupportInstrument, s.ID)
		e.add(n, schema.Offers, i)
		e.add(i, schema.InCity, city)
		e.str(i, schema.Kind, s.Kind)
		e.add(i, schema.TechnologyOf, schema.Technology.IRI(s.Technology))
		if s.Rate != nil {
			e.add(i, schema.Rate, quad.Float(*s.Rate))
		}
		e.str(i, schema.RateBase, s.Base)
		if s.Cap != nil {
			e.add(i, schema.CapAmount, quad.Int(s.Cap.Amount))
			e.str(i, schema.CapCurrency, s.Cap.Currency)
			e.str(i, schema.CapPer, s.Cap.Per)
		}
		if s.Schedule != nil {
			e.str(i, schema.Schedule, s.Schedule.Split)
			e.add(i, schema.ScheduleYears, quad.Int(s.Schedule.Years))
		}
		e.str(i, schema.Eligibility, s.Eligibility)
		e.str(i, schema.Summary, s.Summary)
		src := m.Evidence.Source
		if src == "" {
			src = fileSource
		}
		if src != "" {
			e.add(i, schema.EvidenceSource, schema.Source.IRI(src))
		}
	}
}

// provenance records, for each link of m that extraction proposed (an
// extracted entry linked to it), how it came to be (see schema.HasProvenance).
func (e *emitter) provenance(m MeasureDef, extractor string) {
	n := schema.Measure.IRI(m.ID)
	links := map[string]bool{}
	for _, t := range m.Technologies {
		links[string(schema.Technology)+"/"+t.ID] = true
	}
	for _, d := range m.Domains {
		links[string(schema.Domain)+"/"+d] = true
	}
	done := map[string]bool{}
	for _, x := range m.Extracted {
		key := x.Type + "/" + x.ID
		if !x.Linked || !links[key] || done[key] {
			continue
		}
		done[key] = true
		if x.Review != nil && x.Review.Action == ReviewReject {
			continue // rejected, and linked again by hand: curated
		}
		t := schema.Type(x.Type)
		l := schema.LinkIRI(m.ID, t, x.ID)
		e.add(n, schema.HasProvenance, l)
		e.add(l, schema.ProvenanceOf, t.IRI(x.ID))
		e.add(l, schema.Confidence, quad.Float(x.Confidence))
		e.str(l, schema.ExtractorVersion, extractor)
		if r := x.Review; r != nil {
			e.str(l, schema.Method, schema.MethodReviewed)
			e.str(l, schema.ReviewedBy, r.By)
			e.str(l, schema.ReviewedAt, r.At)
			continue
		}
		e.str(l, schema.Method, schema.MethodExtracted)
	}
}

func (e *emitter) mentions(ms []MentionDef, fileSource string) {
	for _, m := range ms {
		n := e.node(schema.MentionCount, m.ID)
		e.add(n, schema.TechnologyOf, schema.Technology.IRI(m.Technology))
		e.add(n, schema.Count, quad.Int(*m.Count))
		e.str(n, schema.QualifierOf, m.Qualifier)
		e.add(n, schema.Uncertain, quad.Bool(m.Uncertain))
		for _, c := range m.Scope.Cities {
			e.add(n, schema.ScopeCity, schema.City.IRI(c))
		}
		for _, d := range m.Scope.Documents {
			e.add(n, schema.ScopeDocument, schema.Plan.IRI(d))
		}
		e.str(n, schema.Note, m.Note)
		e.evidence(n, m.Evidence, fileSource)
	}
}

func (e *emitter) mentionsFile(f *MentionsFile) { e.mentions(f.Mentions, f.Source) }
