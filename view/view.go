// Package view is the graph as typed records with indexes, built from a
// list of quads, and the questions the server answers from them: which
// measures and cities match, comparisons, nodes, names, search, time and
// diffusion. It knows no store: graph reads the quads and keeps a View
// per version; a View never changes once built.
package view

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"weak"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

// View is a read-only picture of the graph as typed records with indexes,
// built from the store's quads. The server answers its tabular questions
// from a View instead of walking Cayley iterators per request; the store
// stays the one record, and a View is rebuilt whenever the store's version
// changes (graph.Store.View keeps one per version).
type View struct {
	Version string

	Cities        []*City
	Provinces     []*Entity
	Plans         []*Plan
	Measures      []*Measure
	Technologies  []*Entity
	Domains       []*Entity
	Organizations []*Entity
	Sources       []*Source
	Instruments   []*Instrument
	Mentions      []*Mention
	Scopes        []*Scope
	Targets       []*Target

	entities map[schema.Type]*sharded[string, any]
	names    *nameIndex
	// graphOf is the named graph each entity's type quad lives in.
	graphOf *sharded[quad.Value, string]
	// quads are the current quads, each as the positions of its four
	// values in values (a quarter of the memory of quad.Quads); out and
	// in index them by subject and by node object, so a node's
	// neighbourhood is two map lookups. All four are shared with the
	// View a patch makes, but for the pages and shards it changes
	// (cow.go).
	quads   paged[[4]int32]
	values  paged[quad.Value]
	out, in *sharded[quad.Value, []int32]

	// memo holds what callers derive from this View once and keep for
	// as long as the View lives (see Memo).
	memo sync.Map

	// patched is set on a View made by Patch, whose values may list one
	// value twice, or one no quad holds any more (see Patch).
	patched bool
	// change and base are what Patch made v from (see Change and Base).
	change *Change
	base   weak.Pointer[View]

	// concepts and places are the technology hierarchy (Broader) and the
	// jurisdiction hierarchy (Within): a question about one includes
	// everything under it.
	concepts, places hierarchy

	// time holds the dates and text vectors of the diffusion questions.
	time *timeIndex

	// index and nodes make measure questions and node answers cost what
	// their answers hold (index.go, nodejson.go).
	index *queryIndex
	nodes *nodeIndex
}

// Entity is a named node: a technology, a domain, a province, an organization.
type Entity struct {
	ID      string              `json:"id"`
	Type    schema.Type         `json:"type"`
	Names   map[string]string   `json:"names"`
	Aliases map[string][]string `json:"aliases,omitempty"`
	// Broader is a technology concept's broader concept ("" at the top).
	Broader string `json:"broader,omitempty"`
	// NotMentions are the phrases text extraction reads as naming no
	// technology or domain (see schema.NotMention).
	NotMentions map[string][]string `json:"-"`
}

// Name is the entity's name in lang, falling back to English and then the id.
func (e *Entity) Name(lang string) string {
	if n := e.Names[lang]; n != "" {
		return n
	}
	if n := e.Names["en"]; n != "" {
		return n
	}
	return e.ID
}

// City is a jurisdiction (the nation, a province, a municipality or a
// city) with its administrative code, the jurisdiction it lies within,
// and its own plans.
type City struct {
	Entity
	Level    schema.Level `json:"level"`
	Code     string       `json:"code"`
	Province string       `json:"province"`
	Parent   string       `json:"parent,omitempty"`
	Plans    []string     `json:"plans"`
}

// Evidence is where a fact comes from.
type Evidence struct {
	Source    string `json:"source"`
	Section   string `json:"section,omitempty"`
	Summary   string `json:"summary,omitempty"`
	Quote     string `json:"quote,omitempty"`
	Offset    *int64 `json:"offset,omitempty"`
	OffsetEnd *int64 `json:"offset_end,omitempty"`
}

// Relation is a link from one plan to another.
type Relation struct {
	Plan     string `json:"plan"`
	Relation string `json:"relation"`
}

// Plan is one policy document.
type Plan struct {
	ID          string            `json:"id"`
	City        string            `json:"city"`
	Titles      map[string]string `json:"titles"`
	Issuer      string            `json:"issuer"`
	Number      string            `json:"document_number,omitempty"`
	Signed      string            `json:"signed,omitempty"`
	Adopted     string            `json:"adopted,omitempty"`
	Published   string            `json:"published,omitempty"`
	Reviewed    string            `json:"reviewed,omitempty"`
	Effective   string            `json:"effective,omitempty"`
	Expires     string            `json:"expires,omitempty"`
	PeriodStart int64             `json:"period_start,omitempty"`
	PeriodEnd   int64             `json:"period_end,omitempty"`
	Related     []Relation        `json:"related"`
	Evidence    Evidence          `json:"evidence"`
	Notes       []string          `json:"notes,omitempty"`
	Measures    []string          `json:"measures"`
	// Dating is when the plan was issued and is in force (see time.go).
	Dating
}

// TechLink is a measure's link to a technology with its basis.
type TechLink struct {
	Technology string       `json:"technology"`
	Basis      schema.Basis `json:"basis"`
}

// Measure is an action item of a plan or a claim about it.
type Measure struct {
	ID           string     `json:"id"`
	Title        string     `json:"title"`
	Kind         string     `json:"kind"`
	City         string     `json:"city"`
	Plan         string     `json:"plan"`
	Context      string     `json:"context,omitempty"`
	Keywords     []string   `json:"keywords,omitempty"`
	Technologies []TechLink `json:"technologies"`
	Domains      []string   `json:"domains"`
	SupportedBy  []string   `json:"supported_by,omitempty"`
	Support      []string   `json:"support,omitempty"`
	Evidence     Evidence   `json:"evidence"`
	// Provenance says, for each link, how it came to be.
	Provenance []Provenance `json:"provenance"`
	// InstrumentTypes classify the measure by the typology of
	// schema.InstrumentTypes (subsidy, pilot, …).
	InstrumentTypes []string `json:"instrument_types,omitempty"`
}

// Instrument is a support instrument (a subsidy, a cultivation list).
type Instrument struct {
	ID            string   `json:"id"`
	Kind          string   `json:"kind"`
	City          string   `json:"city"`
	Plan          string   `json:"plan"`
	Measure       string   `json:"measure"`
	Technology    string   `json:"technology"`
	Rate          *float64 `json:"rate"`
	RateBase      string   `json:"rate_base,omitempty"`
	CapAmount     *int64   `json:"cap_amount"`
	CapCurrency   string   `json:"cap_currency,omitempty"`
	CapPer        string   `json:"cap_per,omitempty"`
	Schedule      string   `json:"schedule,omitempty"`
	ScheduleYears int64    `json:"schedule_years,omitempty"`
	Eligibility   string   `json:"eligibility,omitempty"`
	Summary       string   `json:"summary"`
	Source        string   `json:"source"`
}

// Mention is a recorded mention count.
type Mention struct {
	ID         string   `json:"id"`
	Technology string   `json:"technology"`
	Count      int64    `json:"count"`
	Qualifier  string   `json:"qualifier"`
	Uncertain  bool     `json:"uncertain"`
	Cities     []string `json:"cities"`
	Documents  []string `json:"documents"`
	Note       string   `json:"note,omitempty"`
	Evidence   Evidence `json:"evidence"`
}

// Source is a document facts come from.
type Source struct {
	Entity
	Author   string `json:"author,omitempty"`
	Written  string `json:"written,omitempty"`
	Language string `json:"language,omitempty"`
	Location string `json:"location,omitempty"`
	Address  string `json:"address,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Scope is a definition of the technologies of new infrastructure.
type Scope struct {
	Entity
	DefinedBy    string   `json:"defined_by"`
	Date         string   `json:"date"`
	Technologies []string `json:"technologies"`
	New          []string `json:"new"`
	Evidence     Evidence `json:"evidence"`
}

// props is every property of one node: predicate → objects in store order.
type props map[quad.Value][]quad.Value

func (p props) str(pr schema.Predicate) string {
	if vs := p[pr]; len(vs) > 0 {
		return schema.Text(vs[0])
	}
	return ""
}

// texts is every value of pr, as text, in store order.
func (p props) texts(pr schema.Predicate) []string {
	vs := p[pr]
	if len(vs) == 0 {
		return nil
	}
	// Exactly as long as it holds: records live as long as their View,
	// and append's spare capacity would live with them.
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, schema.Text(v))
	}
	return out
}

func (p props) id(pr schema.Predicate) string {
	if vs := p[pr]; len(vs) > 0 {
		if _, id, ok := schema.ParseIRI(vs[0]); ok {
			return id
		}
	}
	return ""
}

func (p props) ids(pr schema.Predicate) []string {
	// Never nil (an empty list is [] in JSON), and no longer than it
	// holds (see texts); make of 0 allocates nothing.
	vs := p[pr]
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if _, id, ok := schema.ParseIRI(v); ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func (p props) int(pr schema.Predicate) (int64, bool) {
	if vs := p[pr]; len(vs) > 0 {
		if i, ok := vs[0].(quad.Int); ok {
			return int64(i), true
		}
	}
	return 0, false
}

func (p props) langs(pr schema.Predicate) map[string]string {
	out := map[string]string{}
	for _, v := range p[pr] {
		if ls, ok := v.(quad.LangString); ok {
			out[ls.Lang] = string(ls.Value)
		}
	}
	return out
}

func (p props) aliases() map[string][]string { return p.langLists(schema.Alias) }

// langLists are the values of pr by language tag, sorted.
func (p props) langLists(pr quad.IRI) map[string][]string {
	out := map[string][]string{}
	for _, v := range p[pr] {
		if ls, ok := v.(quad.LangString); ok {
			out[ls.Lang] = append(out[ls.Lang], string(ls.Value))
		}
	}
	for _, l := range out {
		sort.Strings(l)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (p props) entity(t schema.Type, id string) Entity {
	return Entity{ID: id, Type: t, Names: p.langs(schema.Name), Aliases: p.aliases(), NotMentions: p.langLists(schema.NotMention)}
}

func (p props) evidence() Evidence {
	e := Evidence{Source: p.id(schema.EvidenceSource), Section: p.str(schema.Section), Summary: p.str(schema.Summary), Quote: p.str(schema.Quote)}
	if o, ok := p.int(schema.Offset); ok {
		e.Offset = &o
	}
	if o, ok := p.int(schema.OffsetEnd); ok {
		e.OffsetEnd = &o
	}
	return e
}

// packLists moves every list of m into one array, each list capped at
// its length. Built by append, the lists hold a quarter to a half again
// of spare capacity, and one allocation each, for as long as the View
// lives. Capped, an append to a list copies it instead of writing over
// its neighbour's; a patch makes every list it edits anew (edited), so
// the array stays shared by the Views patched from this one.
func packLists(m map[quad.Value][]int32) {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	all := make([]int32, 0, n)
	for k, l := range m {
		at := len(all)
		all = append(all, l...)
		m[k] = all[at:len(all):len(all)]
	}
}

// New builds the View of the current quads qs, which version names.
// qs are the documents' quads only: the store's bookkeeping (its meta
// and history graphs, pins) is left out by the caller.
func New(qs []quad.Quad, version string) *View {
	v := newRecords(qs, version)
	v.concepts, v.places = hierarchy{}, hierarchy{}
	for _, t := range v.Technologies {
		v.concepts.add(t.ID, t.Broader)
	}
	for _, c := range v.Cities {
		v.places.add(c.ID, c.Parent)
	}
	v.names = newNameIndex(v)
	v.time = newTimeIndex(v)
	v.index = newQueryIndex(v)
	v.nodes = newNodeIndex(v)
	return v
}

// newRecords is the View of qs as far as its quads and records: New
// without the hierarchies and the indexes derived from the records, which
// a patch mends from the old View's instead (its records built again are
// made here, over just the quads they are made of).
func newRecords(qs []quad.Quad, version string) *View {
	nodes := map[quad.Value]props{}
	graphOf := map[quad.Value]string{}
	out, in := map[quad.Value][]int32{}, map[quad.Value][]int32{}
	refs := newPaged[[4]int32](len(qs))
	var values []quad.Value
	valueAt := map[quad.Value]int32{}
	// Neighbouring quads mostly repeat a value in the same place (the
	// same subject, predicate and document); remembering the last one per
	// place saves most of the map lookups.
	var last [4]quad.Value
	var lastAt [4]int32
	for i, q := range qs {
		for d, val := range [4]quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			ref := &refs.table[i>>pageBits][i&pageMask]
			if last[d] != nil && last[d] == val {
				ref[d] = lastAt[d]
				continue
			}
			n, ok := valueAt[val]
			if !ok {
				n = int32(len(values))
				valueAt[val] = n
				values = append(values, val)
			}
			ref[d], last[d], lastAt[d] = n, val, n
		}
		out[q.Subject] = append(out[q.Subject], int32(i))
		if isNode(q.Object) {
			in[q.Object] = append(in[q.Object], int32(i))
		}
		if q.Predicate == schema.TypeOf {
			graphOf[q.Subject], _ = schema.GraphID(q.Label)
		}
		p := nodes[q.Subject]
		if p == nil {
			p = props{}
			nodes[q.Subject] = p
		}
		p[q.Predicate] = append(p[q.Predicate], q.Object)
	}
	// Backends list quads in different orders; objects in text order make
	// every list and "first value" of a record the same on all of them.
	for _, p := range nodes {
		for _, vs := range p {
			if len(vs) > 1 {
				sortByText(vs)
			}
		}
	}
	packLists(out)
	packLists(in)
	v := &View{Version: version, graphOf: newSharded(graphOf, hashValue), quads: refs, values: pagedOf(values),
		out: newSharded(out, hashValue), in: newSharded(in, hashValue)}
	entities := map[schema.Type]map[string]any{}
	for _, t := range schema.Types {
		entities[t] = map[string]any{}
	}
	subjects := make([]quad.Value, 0, len(nodes))
	for s := range nodes {
		subjects = append(subjects, s)
	}
	// Subjects in IRI order make every list of the view sorted by id.
	sortByText(subjects)
	planOf := map[string]string{}
	confidences := map[quad.Float]*float64{}
	for _, s := range subjects {
		p := nodes[s]
		t, id, ok := schema.ParseIRI(s)
		if !ok || len(p[schema.TypeOf]) == 0 {
			continue
		}
		if tt, ok := schema.TypeOfClass(p[schema.TypeOf][0]); !ok || tt != t {
			continue
		}
		var rec any
		switch t {
		case schema.City:
			c := &City{Entity: p.entity(t, id), Level: schema.Level(p.str(schema.LevelOf)), Code: p.str(schema.Code),
				Province: p.id(schema.InProvince), Parent: p.id(schema.Within), Plans: p.ids(schema.HasPlan)}
			v.Cities = append(v.Cities, c)
			rec = c
		case schema.Province, schema.Technology, schema.Domain, schema.Organization:
			e := p.entity(t, id)
			if t == schema.Technology {
				e.Broader = p.id(schema.Broader)
			}
			switch t {
			case schema.Province:
				v.Provinces = append(v.Provinces, &e)
			case schema.Technology:
				v.Technologies = append(v.Technologies, &e)
			case schema.Domain:
				v.Domains = append(v.Domains, &e)
			default:
				v.Organizations = append(v.Organizations, &e)
			}
			rec = &e
		case schema.Source:
			src := &Source{Entity: p.entity(t, id), Author: p.str(schema.Author), Written: p.str(schema.Written),
				Language: p.str(schema.Language), Location: p.str(schema.Location), Address: p.str(schema.Address), Note: p.str(schema.Note)}
			v.Sources = append(v.Sources, src)
			rec = src
		case schema.Scope:
			sc := &Scope{Entity: p.entity(t, id), DefinedBy: p.id(schema.DefinedBy), Date: p.str(schema.Date),
				Technologies: p.ids(schema.IncludesTechnology), New: p.ids(schema.NewTechnology), Evidence: p.evidence()}
			v.Scopes = append(v.Scopes, sc)
			rec = sc
		case schema.Plan:
			pl := &Plan{ID: id, Titles: p.langs(schema.Title), Issuer: p.id(schema.IssuedBy),
				Number: p.str(schema.DocumentNumber), Signed: p.str(schema.Signed), Adopted: p.str(schema.Adopted), Published: p.str(schema.Published), Reviewed: p.str(schema.Reviewed),
				Effective: p.str(schema.Effective), Expires: p.str(schema.Expires),
				Evidence: p.evidence(), Measures: p.ids(schema.HasMeasure), Related: []Relation{}}
			pl.PeriodStart, _ = p.int(schema.PeriodStart)
			pl.PeriodEnd, _ = p.int(schema.PeriodEnd)
			for _, r := range schema.Relations {
				for _, other := range p.ids(schema.RelationPredicate(r)) {
					pl.Related = append(pl.Related, Relation{Plan: other, Relation: string(r)})
				}
			}
			for _, n := range p[schema.Note] {
				pl.Notes = append(pl.Notes, schema.Text(n))
			}
			for _, m := range pl.Measures {
				planOf[m] = id
			}
			v.Plans = append(v.Plans, pl)
			rec = pl
		case schema.Measure:
			m := &Measure{ID: id, Title: p.langs(schema.Title)["en"], Kind: p.str(schema.Kind), City: p.id(schema.InCity),
				Context: p.str(schema.Context), Keywords: p.texts(schema.Keyword), Domains: p.ids(schema.AppliesTo), SupportedBy: p.ids(schema.SupportedBy),
				Support: p.ids(schema.Offers), Evidence: p.evidence()}
			// Counted first so that the list is allocated once, at its
			// length (see texts).
			links := 0
			for _, pr := range schema.TechnologyPredicates {
				links += len(p[pr])
			}
			m.Technologies = make([]TechLink, 0, links)
			for i, pr := range schema.TechnologyPredicates {
				for _, tech := range p.ids(pr) {
					m.Technologies = append(m.Technologies, TechLink{Technology: tech, Basis: schema.Bases[i]})
				}
			}
			sort.SliceStable(m.Technologies, func(i, j int) bool { return m.Technologies[i].Technology < m.Technologies[j].Technology })
			m.Provenance = provenanceOf(m, p, nodes, confidences)
			m.InstrumentTypes = p.instrumentTypes()
			v.Measures = append(v.Measures, m)
			rec = m
		case schema.SupportInstrument:
			in := &Instrument{ID: id, Kind: p.str(schema.Kind), City: p.id(schema.InCity), Technology: p.id(schema.TechnologyOf),
				RateBase: p.str(schema.RateBase), CapCurrency: p.str(schema.CapCurrency), CapPer: p.str(schema.CapPer),
				Schedule: p.str(schema.Schedule), Eligibility: p.str(schema.Eligibility), Summary: p.str(schema.Summary),
				Source: p.id(schema.EvidenceSource)}
			if vs := p[schema.Rate]; len(vs) > 0 {
				if f, ok := vs[0].(quad.Float); ok {
					r := float64(f)
					in.Rate = &r
				}
			}
			if a, ok := p.int(schema.CapAmount); ok {
				in.CapAmount = &a
			}
			in.ScheduleYears, _ = p.int(schema.ScheduleYears)
			v.Instruments = append(v.Instruments, in)
			rec = in
		case schema.MentionCount:
			mc := &Mention{ID: id, Technology: p.id(schema.TechnologyOf), Qualifier: p.str(schema.QualifierOf),
				Cities: p.ids(schema.ScopeCity), Documents: p.ids(schema.ScopeDocument), Note: p.str(schema.Note), Evidence: p.evidence()}
			mc.Count, _ = p.int(schema.Count)
			if vs := p[schema.Uncertain]; len(vs) > 0 {
				b, _ := vs[0].(quad.Bool)
				mc.Uncertain = bool(b)
			}
			v.Mentions = append(v.Mentions, mc)
			rec = mc
		case schema.Target:
			tg := p.target(id)
			v.Targets = append(v.Targets, tg)
			rec = tg
		default:
			continue
		}
		entities[t][id] = rec
	}
	for _, c := range v.Cities {
		for _, pl := range c.Plans {
			if p, ok := entities[schema.Plan][pl].(*Plan); ok {
				p.City = c.ID
			}
		}
	}
	for _, m := range v.Measures {
		m.Plan = planOf[m.ID]
		for _, s := range m.Support {
			if in, ok := entities[schema.SupportInstrument][s].(*Instrument); ok {
				in.Measure, in.Plan = m.ID, m.Plan
			}
		}
	}
	v.entities = map[schema.Type]*sharded[string, any]{}
	for t, m := range entities {
		v.entities[t] = newSharded(m, hashString)
	}
	v.linkTargets()
	return v
}

// Quad is the i-th current quad.
func (v *View) Quad(i int32) quad.Quad {
	r := v.quads.at(i)
	return quad.Quad{Subject: v.values.at(r[0]), Predicate: v.values.at(r[1]), Object: v.values.at(r[2]), Label: v.values.at(r[3])}
}

// sortByText sorts values by their N-Quads text. Each text is made once:
// made per comparison, as sorting a million-quad graph did, they were a
// third of building its View.
func sortByText(vs []quad.Value) {
	type keyed struct {
		key string
		v   quad.Value
	}
	ks := make([]keyed, len(vs))
	for i, v := range vs {
		ks[i] = keyed{v.String(), v}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	for i, k := range ks {
		vs[i] = k.v
	}
}

// Get returns the record of the entity of type t with id, or nil.
func (v *View) Get(t schema.Type, id string) any {
	rec, _ := v.entities[t].get(id)
	return rec
}

// City returns the city with id, or nil.
func (v *View) City(id string) *City {
	c, _ := v.Get(schema.City, id).(*City)
	return c
}

// Plan returns the plan with id, or nil.
func (v *View) Plan(id string) *Plan {
	p, _ := v.Get(schema.Plan, id).(*Plan)
	return p
}

// Measure returns the measure with id, or nil.
func (v *View) Measure(id string) *Measure {
	m, _ := v.Get(schema.Measure, id).(*Measure)
	return m
}

// Term returns the technology, domain, province or organization with id, or nil.
func (v *View) Term(t schema.Type, id string) *Entity {
	e, _ := v.Get(t, id).(*Entity)
	return e
}

// HasOutside reports whether a named graph other than graph holds id as
// a t: what a document sent alone is checked against, one id at a time.
func (v *View) HasOutside(t schema.Type, id, graph string) bool {
	if v.Get(t, id) == nil {
		return false
	}
	g, _ := v.graphOf.get(t.IRI(id))
	return g != graph
}

// IDsOutside lists the ids of type t held by any named graph but graph:
// what a replacement of graph may refer to and must not define again.
func (v *View) IDsOutside(t schema.Type, graph string) []string {
	var out []string
	for id := range v.entities[t].all() {
		if g, _ := v.graphOf.get(t.IRI(id)); g != graph {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Memo returns what make made for key on this View, calling make on the
// first ask only: how a caller keeps something derived from one version
// (Cayley's reading of it, an encoded answer) without a cache that
// outlives the View. Concurrent first asks may both call make; one
// result is kept and returned to both.
func (v *View) Memo(key any, make func() any) any {
	if x, ok := v.memo.Load(key); ok {
		return x
	}
	x, _ := v.memo.LoadOrStore(key, make())
	return x
}
