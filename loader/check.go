package loader

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/policygraph/policygraph/schema"
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// requiredLanguages are the name languages every city, province,
// technology and domain must have.
var requiredLanguages = []string{"en", "zh", "ja"}

// definition is where an id was defined: the file as shown in errors,
// not the file itself, so that a streaming load keeps no parsed file
// longer than it takes to check and write it.
type definition struct {
	shown string
	at    pos
}

// checker validates decoded files against each other: ids are defined once,
// references point at defined ids, values are in range.
type checker struct {
	errs *Errors
	// draft is set while a draft plan is checked: its evidence may name
	// no source.
	draft bool
	ids   map[schema.Type]map[string]definition
	// cat, when not nil, holds the ids of a graph a document is checked
	// against (ParsePlan): asked per id, not copied into ids, since a
	// national graph holds millions.
	cat Catalog
	// names maps a type and a lower-cased name or alias to the id owning it,
	// so that two entities of one type never share a name a reader could type.
	names map[schema.Type]map[string]string
	// broader is each technology's broader concept, checked for cycles
	// once every vocabulary file is read.
	broader map[string]broaderRef
	// jurisdictions and parents are every jurisdiction and those with a
	// parent, checked against each other once every file is read.
	jurisdictions map[string]*CityDef
	parents       map[string]parentRef
	// later, when not nil, holds the references to ids of the types it
	// names that were unknown when checked: a streaming load checks each
	// plan before the plans after it are read, so a reference to another
	// plan or its measures can only be settled once every file is (see
	// settle).
	later map[schema.Type][]laterRef
}

// laterRef is a reference whose check waits for every file.
type laterRef struct {
	shown, field string
	at           pos
	id           string
}

// parentRef is where a jurisdiction names its parent.
type parentRef struct {
	file  *file
	def   *CityDef
	field string
}

// broaderRef is where a technology names its broader concept.
type broaderRef struct {
	file  *file
	id    *string
	field string
}

func newChecker(errs *Errors) *checker {
	c := &checker{errs: errs, ids: map[schema.Type]map[string]definition{}, names: map[schema.Type]map[string]string{}, broader: map[string]broaderRef{},
		jurisdictions: map[string]*CityDef{}, parents: map[string]parentRef{}}
	for _, t := range schema.Types {
		c.ids[t] = map[string]definition{}
		c.names[t] = map[string]string{}
	}
	return c
}

func (c *checker) errorf(f *file, ptr any, field, format string, args ...any) {
	p := f.dec.posOf(ptr)
	*c.errs = append(*c.errs, &Error{File: f.shown, Line: p.line, Col: p.col, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) check(files []*file) {
	for _, f := range files {
		c.define(f)
	}
	// The vocabulary first: its names are what suggestions for a plan's
	// unknown ids are looked up in.
	for _, f := range files {
		if f.vocab != nil {
			c.checkVocabulary(f, f.vocab)
		}
	}
	for _, f := range files {
		switch {
		case f.plan != nil:
			c.checkPlan(f, f.plan)
		case f.ments != nil:
			c.checkMentions(f, f.ments.Mentions, "mentions", f.ments.Source)
			c.ref(f, schema.Source, &f.ments.Source, "source")
		}
	}
	c.checkHierarchy()
	c.checkParents()
}

// checkHierarchy refuses a cycle of broader concepts: a query for a
// concept includes everything narrower, which a cycle makes endless. Each
// cycle is reported once, at the member whose id sorts first.
func (c *checker) checkHierarchy() {
	for _, id := range sortedKeys(c.broader) {
		seen := map[string]bool{id: true}
		path := []string{id}
		for at := *c.broader[id].id; ; at = *c.broader[at].id {
			path = append(path, at)
			if at == id {
				if slices.Min(path) == id {
					r := c.broader[id]
					c.errorf(r.file, r.id, r.field, "broader concepts form a cycle: %s", strings.Join(path, " → "))
				}
				break
			}
			if seen[at] {
				break // a cycle further up, reported at its own member
			}
			seen[at] = true
			if _, ok := c.broader[at]; !ok {
				break // a top concept
			}
		}
	}
}

// define records every id a file defines.
func (c *checker) define(f *file) {
	switch {
	case f.vocab != nil:
		v := f.vocab
		for i := range v.Sources {
			c.def(f, schema.Source, &v.Sources[i].ID, fmt.Sprintf("sources[%d].id", i))
		}
		for i := range v.Organizations {
			c.def(f, schema.Organization, &v.Organizations[i].ID, fmt.Sprintf("organizations[%d].id", i))
		}
		for i := range v.Provinces {
			c.def(f, schema.Province, &v.Provinces[i].ID, fmt.Sprintf("provinces[%d].id", i))
		}
		for i := range v.Cities {
			c.def(f, schema.City, &v.Cities[i].ID, fmt.Sprintf("cities[%d].id", i))
			c.jurisdictions[v.Cities[i].ID] = &v.Cities[i]
		}
		for i := range v.Technologies {
			c.def(f, schema.Technology, &v.Technologies[i].ID, fmt.Sprintf("technologies[%d].id", i))
		}
		for i := range v.Domains {
			c.def(f, schema.Domain, &v.Domains[i].ID, fmt.Sprintf("domains[%d].id", i))
		}
		for i := range v.Scopes {
			c.def(f, schema.Scope, &v.Scopes[i].ID, fmt.Sprintf("scopes[%d].id", i))
		}
	case f.plan != nil:
		p := f.plan
		if c.def(f, schema.Plan, &p.ID, "id") {
			if want := p.ID + ".yaml"; !strings.HasSuffix(f.path, "/"+want) {
				c.errorf(f, &p.ID, "id", "plan id %q does not match the file name: name the file %s", p.ID, want)
			}
		}
		for i := range p.Measures {
			m := &p.Measures[i]
			c.def(f, schema.Measure, &m.ID, fmt.Sprintf("measures[%d].id", i))
			for j := range m.Support {
				c.def(f, schema.SupportInstrument, &m.Support[j].ID, fmt.Sprintf("measures[%d].support[%d].id", i, j))
			}
		}
		for i := range p.Mentions {
			c.def(f, schema.MentionCount, &p.Mentions[i].ID, fmt.Sprintf("mentions[%d].id", i))
		}
		for i := range p.Targets {
			c.def(f, schema.Target, &p.Targets[i].ID, fmt.Sprintf("targets[%d].id", i))
		}
	case f.ments != nil:
		for i := range f.ments.Mentions {
			c.def(f, schema.MentionCount, &f.ments.Mentions[i].ID, fmt.Sprintf("mentions[%d].id", i))
		}
	}
}

func (c *checker) def(f *file, t schema.Type, id *string, field string) bool {
	if !idPattern.MatchString(*id) {
		c.errorf(f, id, field, "bad %s id %q: use lower-case letters, digits and single hyphens", t, *id)
		return false
	}
	if prev, dup := c.defined(t, *id); dup {
		c.errorf(f, id, field, "duplicate %s id %q (%s)", t, *id, prev)
		return false
	}
	c.ids[t][*id] = definition{f.shown, f.dec.posOf(id)}
	return true
}

// defined is where id of type t was defined, and whether it was: in a
// file checked, or in the catalog (shown as "already in the graph").
func (c *checker) defined(t schema.Type, id string) (definition, bool) {
	if d, ok := c.ids[t][id]; ok {
		return d, true
	}
	if c.cat != nil && c.cat.Has(t, id) {
		return definition{}, true
	}
	return definition{}, false
}

// ref checks that id names a defined entity of type t.
func (c *checker) ref(f *file, t schema.Type, id *string, field string) {
	if *id == "" {
		return // a missing required key is already reported
	}
	if _, ok := c.defined(t, *id); ok {
		return
	}
	if waits, ok := c.later[t]; ok {
		c.later[t] = append(waits, laterRef{shown: f.shown, field: field, at: f.dec.posOf(id), id: *id})
		return
	}
	c.unknown(f.shown, f.dec.posOf(id), t, *id, field)
}

// unknown reports the reference to id of type t at shown:at as naming
// nothing, with the defined id it most likely means.
func (c *checker) unknown(shown string, at pos, t schema.Type, id, field string) {
	known := make([]string, 0, len(c.ids[t]))
	for k := range c.ids[t] {
		known = append(known, k)
	}
	if c.cat != nil {
		known = append(known, c.cat.IDs(t)...)
	}
	// A name or alias in any language, in any case, is what a researcher
	// would type: suggest the id it names.
	suggest := schema.Suggest(id, known, 1)
	if owner, ok := c.names[t][strings.ToLower(strings.TrimSpace(id))]; ok {
		suggest = []string{owner}
	}
	*c.errs = append(*c.errs, &Error{File: shown, Line: at.line, Col: at.col, Field: field, Msg: fmt.Sprintf("unknown %s %q%s", t, id, didYouMean(suggest))})
}

// settle checks the references that waited for every file (see later).
func (c *checker) settle() {
	for t, refs := range c.later {
		for _, r := range refs {
			if _, ok := c.defined(t, r.id); !ok {
				c.unknown(r.shown, r.at, t, r.id, r.field)
			}
		}
	}
	c.later = nil
}

func (c *checker) refs(f *file, t schema.Type, ids []string, field string) {
	seen := map[string]bool{}
	for i := range ids {
		fi := fmt.Sprintf("%s[%d]", field, i)
		if seen[ids[i]] {
			c.errorf(f, &ids[i], fi, "%s %q listed twice", t, ids[i])
		}
		seen[ids[i]] = true
		c.ref(f, t, &ids[i], fi)
	}
}

func (c *checker) date(f *file, s *string, field string) {
	if *s == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, *s); err != nil {
		c.errorf(f, s, field, "bad date %q: write YYYY-MM-DD with a real month and day", *s)
	}
}

func (c *checker) oneOf(f *file, s *string, field, what string, allowed []string) {
	if *s == "" || slices.Contains(allowed, *s) {
		return
	}
	c.errorf(f, s, field, "unknown %s %q: use one of %s%s", what, *s, strings.Join(allowed, ", "), didYouMean(schema.Suggest(*s, allowed, 1)))
}

// names checks a names map and the aliases of entity id of type t.
func (c *checker) checkNames(f *file, t schema.Type, id string, names Names, aliases Aliases, field string, required []string) {
	for _, lang := range required {
		if _, ok := names[lang]; !ok && names != nil {
			c.errorf(f, mapKey{mapPtr(names), ""}, field+".names", "missing the %s name", lang)
		}
	}
	langs := schema.Languages
	claim := func(name string, ptr any, fi string) {
		key := strings.ToLower(strings.TrimSpace(name))
		if key == "" {
			return // the decoder said it is empty
		}
		if owner, taken := c.names[t][key]; taken && owner != id {
			c.errorf(f, ptr, fi, "%q is already a name of %s %q", name, t, owner)
			return
		}
		c.names[t][key] = id
	}
	claim(id, mapKey{mapPtr(names), ""}, field+".id")
	for _, lang := range sortedKeys(names) {
		fi := field + ".names." + lang
		if !slices.Contains(langs, lang) {
			c.errorf(f, mapKey{mapPtr(names), lang}, fi, "unknown language %q: use one of %s", lang, strings.Join(langs, ", "))
			continue
		}
		claim(names[lang], mapKey{mapPtr(names), lang}, fi)
	}
	for _, lang := range sortedKeys(aliases) {
		fi := field + ".aliases." + lang
		if !slices.Contains(langs, lang) {
			c.errorf(f, mapKey{mapPtr(aliases), lang}, fi, "unknown language %q: use one of %s", lang, strings.Join(langs, ", "))
			continue
		}
		for i, a := range aliases[lang] {
			claim(a, mapKey{mapPtr(aliases), lang}, fmt.Sprintf("%s[%d]", fi, i))
		}
	}
}

// checkNotMentions checks a term's not_mentions: known languages, no
// empty phrase. (Whether a phrase is also a name is the lexicon's check:
// extraction refuses a text that both names and does not name a term.)
func (c *checker) checkNotMentions(f *file, not Aliases, field string) {
	for _, lang := range sortedKeys(not) {
		fi := field + ".not_mentions." + lang
		if !slices.Contains(schema.Languages, lang) {
			c.errorf(f, mapKey{mapPtr(not), lang}, fi, "unknown language %q: use one of %s", lang, strings.Join(schema.Languages, ", "))
			continue
		}
		for i, a := range not[lang] {
			if strings.TrimSpace(a) == "" {
				c.errorf(f, mapKey{mapPtr(not), lang}, fmt.Sprintf("%s[%d]", fi, i), "must not be empty")
			}
		}
	}
}

func (c *checker) checkVocabulary(f *file, v *Vocabulary) {
	for i := range v.Sources {
		s := &v.Sources[i]
		c.checkNames(f, schema.Source, s.ID, s.Names, nil, fmt.Sprintf("sources[%d]", i), []string{"en"})
		if s.Address != "" {
			if u, err := url.Parse(s.Address); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				c.errorf(f, &s.Address, fmt.Sprintf("sources[%d].address", i), "bad address %q: write the page's http or https address", s.Address)
			}
		}
	}
	for i := range v.Organizations {
		o := &v.Organizations[i]
		c.checkNames(f, schema.Organization, o.ID, o.Names, o.Aliases, fmt.Sprintf("organizations[%d]", i), []string{"en", "zh"})
	}
	for i := range v.Provinces {
		p := &v.Provinces[i]
		fi := fmt.Sprintf("provinces[%d]", i)
		c.checkNames(f, schema.Province, p.ID, p.Names, p.Aliases, fi, requiredLanguages)
		c.code(f, &p.Code, fi+".code")
	}
	for i := range v.Cities {
		ct := &v.Cities[i]
		fi := fmt.Sprintf("cities[%d]", i)
		c.checkNames(f, schema.City, ct.ID, ct.Names, ct.Aliases, fi, requiredLanguages)
		c.checkJurisdiction(f, ct, fi)
	}
	for i := range v.Technologies {
		t := &v.Technologies[i]
		fi := fmt.Sprintf("technologies[%d]", i)
		c.checkNames(f, schema.Technology, t.ID, t.Names, t.Aliases, fi, requiredLanguages)
		c.checkNotMentions(f, t.NotMentions, fi)
		if t.Broader != "" {
			c.ref(f, schema.Technology, &t.Broader, fi+".broader")
			c.broader[t.ID] = broaderRef{f, &t.Broader, fi + ".broader"}
		}
	}
	for i := range v.Domains {
		d := &v.Domains[i]
		fi := fmt.Sprintf("domains[%d]", i)
		c.checkNames(f, schema.Domain, d.ID, d.Names, d.Aliases, fi, requiredLanguages)
		c.checkNotMentions(f, d.NotMentions, fi)
		if d.Broader != "" {
			c.errorf(f, &d.Broader, fi+".broader", "domains have no hierarchy: only technologies take a broader concept")
		}
	}
	for i := range v.Scopes {
		s := &v.Scopes[i]
		fi := fmt.Sprintf("scopes[%d]", i)
		c.checkNames(f, schema.Scope, s.ID, s.Names, nil, fi, []string{"en"})
		c.ref(f, schema.Organization, &s.DefinedBy, fi+".defined_by")
		c.date(f, &s.Date, fi+".date")
		c.refs(f, schema.Technology, s.Technologies, fi+".technologies")
		c.refs(f, schema.Technology, s.New, fi+".new")
		for j := range s.New {
			if !slices.Contains(s.Technologies, s.New[j]) {
				c.errorf(f, &s.New[j], fmt.Sprintf("%s.new[%d]", fi, j), "technology %q is new in the scope but not in its technologies", s.New[j])
			}
		}
		c.evidence(f, &s.Evidence, fi+".evidence", "")
	}
}

// checkJurisdiction checks a jurisdiction's level, code, province and
// parent: below the nation each needs all three, and the parent is a
// jurisdiction of a higher level. Cycles cannot arise: a parent's level is
// always strictly higher.
func (c *checker) checkJurisdiction(f *file, ct *CityDef, fi string) {
	c.oneOf(f, &ct.Level, fi+".level", "level", strs(schema.Levels))
	if !slices.Contains(schema.Levels, schema.Level(ct.Level)) {
		return // what the rest needs is the level, already reported
	}
	if schema.Level(ct.Level) == schema.Nation {
		for _, x := range []struct {
			v    *string
			name string
		}{{&ct.Province, "province"}, {&ct.Parent, "parent"}} {
			if *x.v != "" {
				c.errorf(f, x.v, fi+"."+x.name, "the nation has no %s", x.name)
			}
		}
		if ct.Code != "" {
			c.code(f, &ct.Code, fi+".code")
		}
		return
	}
	for _, x := range []struct {
		v    *string
		name string
	}{{&ct.Code, "code"}, {&ct.Province, "province"}, {&ct.Parent, "parent"}} {
		if *x.v == "" {
			c.errorf(f, ct, fi+"."+x.name, "a jurisdiction of level %q needs a %s", ct.Level, x.name)
		}
	}
	if ct.Code != "" {
		c.code(f, &ct.Code, fi+".code")
	}
	c.ref(f, schema.Province, &ct.Province, fi+".province")
	c.ref(f, schema.City, &ct.Parent, fi+".parent")
	c.parents[ct.ID] = parentRef{f, ct, fi}
}

// parentLevel is the level of the jurisdiction directly above one of
// each level: provinces and municipalities lie in the nation, cities in a
// province.
var parentLevel = map[schema.Level]schema.Level{
	schema.ProvinceLevel: schema.Nation, schema.Municipality: schema.Nation, schema.CityLevel: schema.ProvinceLevel,
}

// checkParents checks, once every jurisdiction is known, that each parent
// has the level above its child's and that a child's code lies in its
// parent's (GB/T 2260 codes share the province's first two digits).
func (c *checker) checkParents() {
	for _, id := range sortedKeys(c.parents) {
		r := c.parents[id]
		up, ok := c.jurisdictions[r.def.Parent]
		if !ok {
			continue // unknown, already reported
		}
		if want, known := parentLevel[schema.Level(r.def.Level)]; known && schema.Level(up.Level) != want {
			c.errorf(r.file, &r.def.Parent, r.field+".parent", "a jurisdiction of level %s lies within one of level %s, but %q is of level %s", r.def.Level, want, up.ID, up.Level)
			continue
		}
		if up.Code != "" && len(r.def.Code) == 6 && len(up.Code) == 6 && r.def.Code[:2] != up.Code[:2] {
			c.errorf(r.file, &r.def.Code, r.field+".code", "code %s does not lie in the code %s of its parent %q", r.def.Code, up.Code, up.ID)
		}
	}
}

// code checks a GB/T 2260 administrative division code: six digits.
func (c *checker) code(f *file, s *string, field string) {
	if len(*s) != 6 || strings.Trim(*s, "0123456789") != "" {
		c.errorf(f, s, field, "bad administrative division code %q: GB/T 2260 codes have six digits", *s)
	}
}

func (c *checker) evidence(f *file, e *Evidence, field, fileSource string) {
	if e.Source == "" && fileSource == "" && !c.draft {
		c.errorf(f, e, field+".source", "missing source: set it here or at the top of the file")
	}
	c.ref(f, schema.Source, &e.Source, field+".source")
	if e.Offset != nil && *e.Offset < 0 {
		c.errorf(f, e.Offset, field+".offset", "offset %d is negative", *e.Offset)
	}
	if e.Offset != nil && e.OffsetEnd != nil && *e.OffsetEnd < *e.Offset {
		c.errorf(f, e.OffsetEnd, field+".offset_end", "offset_end %d is before offset %d", *e.OffsetEnd, *e.Offset)
	}
	if (e.Offset == nil) != (e.OffsetEnd == nil) {
		c.errorf(f, e, field, "give offset and offset_end together")
	}
}

func (c *checker) checkPlan(f *file, p *PlanFile) {
	c.draft = p.Status == StatusDraft
	defer func() { c.draft = false }()
	if p.Status != "" {
		c.oneOf(f, &p.Status, "status", "status", []string{StatusDraft})
	}
	c.ref(f, schema.City, &p.City, "city")
	c.ref(f, schema.Organization, &p.Issuer, "issuer")
	c.ref(f, schema.Source, &p.Source, "source")
	for _, lang := range sortedKeys(p.Title) {
		if !slices.Contains(schema.Languages, lang) {
			c.errorf(f, mapKey{mapPtr(p.Title), lang}, "title."+lang, "unknown language %q: use one of %s", lang, strings.Join(schema.Languages, ", "))
		}
	}
	if p.Title != nil && len(p.Title) == 0 {
		c.errorf(f, &p.Title, "title", "a plan needs a title in at least one language")
	}
	c.date(f, &p.Signed, "signed")
	c.date(f, &p.Adopted, "adopted")
	c.date(f, &p.Published, "published")
	c.date(f, &p.Reviewed, "reviewed")
	c.checkValidity(f, p)
	if p.Period != nil && p.Period.End < p.Period.Start {
		c.errorf(f, &p.Period.End, "period.end", "period ends (%d) before it starts (%d)", p.Period.End, p.Period.Start)
	}
	for i := range p.Related {
		r := &p.Related[i]
		fi := fmt.Sprintf("related[%d]", i)
		c.ref(f, schema.Plan, &r.Plan, fi+".plan")
		if r.Plan == p.ID {
			c.errorf(f, &r.Plan, fi+".plan", "a plan cannot relate to itself")
		}
		c.oneOf(f, &r.Relation, fi+".relation", "relation", strs(schema.Relations))
	}
	if p.Evidence != nil {
		c.evidence(f, p.Evidence, "evidence", p.Source)
	}
	for i := range p.Measures {
		c.checkMeasure(f, &p.Measures[i], fmt.Sprintf("measures[%d]", i), p.Source)
	}
	c.checkMentions(f, p.Mentions, "mentions", p.Source)
	c.checkTargets(f, p)
}

func (c *checker) checkMeasure(f *file, m *MeasureDef, field, fileSource string) {
	c.oneOf(f, &m.Kind, field+".kind", "measure kind", strs(schema.MeasureKinds))
	keywords := map[string]bool{}
	for j := range m.Keywords {
		if k := m.Keywords[j]; keywords[k] {
			c.errorf(f, &m.Keywords[j], fmt.Sprintf("%s.keywords[%d]", field, j), "keyword %q listed twice", k)
		}
		keywords[m.Keywords[j]] = true
	}
	for j := range m.Extracted {
		x := &m.Extracted[j]
		fi := fmt.Sprintf("%s.extracted[%d]", field, j)
		c.oneOf(f, &x.Type, fi+".type", "extracted type", []string{string(schema.Technology), string(schema.Domain)})
		if x.Type == string(schema.Technology) || x.Type == string(schema.Domain) {
			c.ref(f, schema.Type(x.Type), &x.ID, fi+".id")
		}
		c.oneOf(f, &x.Where, fi+".where", "extracted where", []string{"clause", "sentence", "paragraph"})
		if x.Confidence < 0 || x.Confidence > 1 {
			c.errorf(f, &x.Confidence, fi+".confidence", "confidence %v is outside [0, 1]", x.Confidence)
		}
		if x.Offset < 0 || x.OffsetEnd < x.Offset {
			c.errorf(f, &x.OffsetEnd, fi+".offset_end", "offsets %d..%d are not a span", x.Offset, x.OffsetEnd)
		}
		if r := x.Review; r != nil {
			c.oneOf(f, &r.Action, fi+".review.action", "review action", []string{ReviewAccept, ReviewReject, ReviewEdit})
			if _, err := time.Parse(time.RFC3339, r.At); r.At != "" && err != nil {
				c.errorf(f, &r.At, fi+".review.at", "bad time %q: use RFC 3339, e.g. 2026-12-01T10:00:00Z", r.At)
			}
		}
	}
	seen := map[string]bool{}
	for j := range m.Technologies {
		t := &m.Technologies[j]
		fi := fmt.Sprintf("%s.technologies[%d]", field, j)
		c.ref(f, schema.Technology, &t.ID, fi+".id")
		if seen[t.ID] {
			c.errorf(f, &t.ID, fi+".id", "technology %q listed twice", t.ID)
		}
		seen[t.ID] = true
		c.oneOf(f, &t.Basis, fi+".basis", "basis", strs(schema.Bases))
	}
	c.refs(f, schema.Domain, m.Domains, field+".domains")
	c.refs(f, schema.Measure, m.SupportedBy, field+".supported_by")
	for j := range m.Support {
		c.checkInstrument(f, &m.Support[j], fmt.Sprintf("%s.support[%d]", field, j))
	}
	c.checkInstrumentTypes(f, m.Instruments, field+".instruments")
	c.evidence(f, &m.Evidence, field+".evidence", fileSource)
}

func (c *checker) checkInstrument(f *file, s *InstrumentDef, field string) {
	c.ref(f, schema.Technology, &s.Technology, field+".technology")
	if s.Rate != nil && (*s.Rate <= 0 || *s.Rate > 1) {
		c.errorf(f, s.Rate, field+".rate", "rate %g is not a share between 0 and 1 (write 0.1 for 10%%)", *s.Rate)
	}
	if s.Rate != nil && s.Base == "" {
		c.errorf(f, s.Rate, field+".base", "a rate needs a base: what it is a share of")
	}
	if s.Cap != nil {
		if s.Cap.Amount <= 0 {
			c.errorf(f, &s.Cap.Amount, field+".cap.amount", "cap amount %d is not positive", s.Cap.Amount)
		}
		if len(s.Cap.Currency) != 3 || strings.ToUpper(s.Cap.Currency) != s.Cap.Currency {
			c.errorf(f, &s.Cap.Currency, field+".cap.currency", "bad currency %q: use an ISO 4217 code such as CNY", s.Cap.Currency)
		}
	}
	if sc := s.Schedule; sc != nil {
		parts := strings.Split(sc.Split, ":")
		for _, part := range parts {
			if n, err := strconv.Atoi(part); err != nil || n <= 0 {
				c.errorf(f, &sc.Split, field+".schedule.split", "bad split %q: write positive shares separated by colons, e.g. 4:3:3", sc.Split)
				return
			}
		}
		if sc.Years != len(parts) {
			c.errorf(f, &sc.Years, field+".schedule.years", "split %q has %d shares but years is %d", sc.Split, len(parts), sc.Years)
		}
	}
}

func (c *checker) checkMentions(f *file, ms []MentionDef, field, fileSource string) {
	for i := range ms {
		m := &ms[i]
		fi := fmt.Sprintf("%s[%d]", field, i)
		c.ref(f, schema.Technology, &m.Technology, fi+".technology")
		presentNumber(c, f, &m.Count, fi+".count")
		if m.Count != nil && *m.Count < 0 {
			c.errorf(f, m.Count, fi+".count", "count %d is negative", *m.Count)
		}
		c.oneOf(f, &m.Qualifier, fi+".qualifier", "qualifier", strs(schema.Qualifiers))
		c.refs(f, schema.City, m.Scope.Cities, fi+".scope.cities")
		c.refs(f, schema.Plan, m.Scope.Documents, fi+".scope.documents")
		if len(m.Scope.Cities) == 0 && len(m.Scope.Documents) == 0 {
			c.errorf(f, &m.Scope, fi+".scope", "a count needs the cities or documents it covers")
		}
		c.evidence(f, &m.Evidence, fi+".evidence", fileSource)
	}
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// mapPtr identifies a decoded map for positions (see decoder.decodeMap).
func mapPtr[V any](m map[string]V) uintptr { return reflect.ValueOf(m).Pointer() }
