package loader

import "github.com/policygraph/policygraph/schema"

// The types below are the data/ file formats. A field's yaml tag is its key;
// `pg:"required"` marks keys that must be present. Unknown keys are errors.
//
// data/vocabulary/*.yaml hold Vocabulary sections, data/plans/*.yaml one
// PlanFile each, data/mentions/*.yaml one MentionsFile each.

// Names maps a language tag (en, zh, zh-Hant, ja) to a name.
type Names map[string]string

// Aliases maps a language tag to the other names readers use.
type Aliases map[string][]string

// Vocabulary is one vocabulary file; every section is optional.
type Vocabulary struct {
	Sources       []SourceDef       `yaml:"sources,omitempty"`
	Organizations []OrganizationDef `yaml:"organizations,omitempty"`
	Provinces     []ProvinceDef     `yaml:"provinces,omitempty"`
	Cities        []CityDef         `yaml:"cities,omitempty"`
	Technologies  []TermDef         `yaml:"technologies,omitempty"`
	Domains       []TermDef         `yaml:"domains,omitempty"`
	Scopes        []ScopeDef        `yaml:"scopes,omitempty"`
}

// SourceDef is a document facts are taken from.
type SourceDef struct {
	ID       string `yaml:"id" pg:"required"`
	Names    Names  `yaml:"names" pg:"required"`
	Author   string `yaml:"author,omitempty"`
	Written  string `yaml:"written,omitempty"`
	Language string `yaml:"language,omitempty"`
	Location string `yaml:"location,omitempty"`
	// Address is the http(s) address of the source as published.
	Address string `yaml:"address,omitempty"`
	Note    string `yaml:"note,omitempty"`
}

// OrganizationDef is an issuer of documents.
type OrganizationDef struct {
	ID      string  `yaml:"id" pg:"required"`
	Names   Names   `yaml:"names" pg:"required"`
	Aliases Aliases `yaml:"aliases,omitempty"`
}

// ProvinceDef is a province-level division.
type ProvinceDef struct {
	ID      string  `yaml:"id" pg:"required"`
	Code    string  `yaml:"code" pg:"required"`
	Names   Names   `yaml:"names" pg:"required"`
	Aliases Aliases `yaml:"aliases,omitempty"`
}

// CityDef is a jurisdiction that issues plans (kept in the cities section,
// whatever its level): the nation, a province, a municipality or a city,
// with its GB/T 2260 code, the province-level division it lies in and the
// jurisdiction directly above it. Only the nation has no code, province
// or parent.
type CityDef struct {
	ID       string  `yaml:"id" pg:"required"`
	Level    string  `yaml:"level" pg:"required"`
	Code     string  `yaml:"code,omitempty"`
	Province string  `yaml:"province,omitempty"`
	Parent   string  `yaml:"parent,omitempty"`
	Names    Names   `yaml:"names" pg:"required"`
	Aliases  Aliases `yaml:"aliases,omitempty"`
}

// TermDef is a technology or a domain.
type TermDef struct {
	ID string `yaml:"id" pg:"required"`
	// Broader is the technology concept directly above this one (only
	// technologies have a hierarchy; a top category has none).
	Broader string  `yaml:"broader,omitempty"`
	Names   Names   `yaml:"names" pg:"required"`
	Aliases Aliases `yaml:"aliases,omitempty"`
	// NotMentions are phrases that contain a name of a term of this type
	// without naming one (agency names, 行政区 for 行政): text extraction
	// lets them claim their span first. Name resolution ignores them.
	NotMentions Aliases `yaml:"not_mentions,omitempty"`
}

// ScopeDef is a definition of which technologies count as new infrastructure.
type ScopeDef struct {
	ID           string   `yaml:"id" pg:"required"`
	Names        Names    `yaml:"names" pg:"required"`
	DefinedBy    string   `yaml:"defined_by" pg:"required"`
	Date         string   `yaml:"date" pg:"required"`
	Technologies []string `yaml:"technologies" pg:"required"`
	New          []string `yaml:"new,omitempty"`
	Evidence     Evidence `yaml:"evidence" pg:"required"`
}

// Evidence ties a fact to its source. Source defaults to the file's source.
type Evidence struct {
	Source    string `yaml:"source,omitempty"`
	Section   string `yaml:"section" pg:"required"`
	Summary   string `yaml:"summary" pg:"required"`
	Quote     string `yaml:"quote,omitempty"`
	Offset    *int   `yaml:"offset,omitempty"`
	OffsetEnd *int   `yaml:"offset_end,omitempty"`
}

// Note is a remark on a document, with the section it comes from.
type Note struct {
	Section string `yaml:"section" pg:"required"`
	Text    string `yaml:"text" pg:"required"`
}

// Period is the span of years a plan covers.
type Period struct {
	Start int `yaml:"start" pg:"required"`
	End   int `yaml:"end" pg:"required"`
}

// Related names another plan and how this one relates to it.
type Related struct {
	Plan     string `yaml:"plan" pg:"required"`
	Relation string `yaml:"relation" pg:"required"`
}

// PlanFile is one policy document with its measures and mention counts.
type PlanFile struct {
	ID   string `yaml:"id" pg:"required"`
	City string `yaml:"city" pg:"required"`
	// Issuer is the issuing body; absent when the source does not say.
	Issuer string `yaml:"issuer,omitempty"`
	Title  Names  `yaml:"title" pg:"required"`
	// DocumentNumber is the issuing number (发文字号) the document bears.
	DocumentNumber string `yaml:"document_number,omitempty"`
	// Signed is the date the document bears (成文日期).
	Signed    string `yaml:"signed,omitempty"`
	Adopted   string `yaml:"adopted,omitempty"`
	Published string `yaml:"published,omitempty"`
	Reviewed  string `yaml:"reviewed,omitempty"`
	// Effective and Expires are the dates the document itself gives for
	// taking effect and ceasing to (施行 / 有效期至); absent when it gives none.
	Effective string       `yaml:"effective,omitempty"`
	Expires   string       `yaml:"expires,omitempty"`
	Period    *Period      `yaml:"period,omitempty"`
	Related   []Related    `yaml:"related,omitempty"`
	Source    string       `yaml:"source" pg:"required"`
	Evidence  *Evidence    `yaml:"evidence,omitempty"`
	Notes     []Note       `yaml:"notes,omitempty"`
	Measures  []MeasureDef `yaml:"measures,omitempty"`
	Mentions  []MentionDef `yaml:"mentions,omitempty"`
	// Status "draft" marks a plan proposed by extraction: its issuer and
	// source may be left empty until a researcher knows them.
	Status string `yaml:"status,omitempty"`
	// Extractor names the extractor and its version that proposed the
	// plan's extracted links (e.g. policygraph-extract/1).
	Extractor string `yaml:"extractor,omitempty"`
	// Targets are the plan's quantitative goals (targets.go).
	Targets []TargetDef `yaml:"targets,omitempty"`
}

// StatusDraft is the status of a plan proposed by extraction.
const StatusDraft = "draft"

// TechLink is a measure's link to a technology with its basis.
type TechLink struct {
	ID    string `yaml:"id" pg:"required"`
	Basis string `yaml:"basis" pg:"required"`
}

// fromText reads the shorthand `blockchain`: a technology the plan names.
func (l *TechLink) fromText(s string) { l.ID, l.Basis = s, string(schema.Explicit) }

// MeasureDef is one measure of a plan.
type MeasureDef struct {
	ID      string `yaml:"id" pg:"required"`
	Kind    string `yaml:"kind" pg:"required"`
	Title   string `yaml:"title" pg:"required"`
	Context string `yaml:"context,omitempty"`
	// Keywords are the plan's own key terms for the measure, in the
	// source's language: names of things, not sentences.
	Keywords     []string        `yaml:"keywords,omitempty"`
	Technologies []TechLink      `yaml:"technologies,omitempty"`
	Domains      []string        `yaml:"domains,omitempty"`
	SupportedBy  []string        `yaml:"supported_by,omitempty"`
	Support      []InstrumentDef `yaml:"support,omitempty"`
	// Instruments are the instrument types of the measure (ids of
	// schema.InstrumentTypes: subsidy, pilot, …).
	Instruments []string `yaml:"instruments,omitempty"`
	Evidence    Evidence `yaml:"evidence" pg:"required"`
	// Extracted is what text extraction found for a draft measure, kept
	// for its reviewer; it adds no link to the graph.
	Extracted []ExtractedDef `yaml:"extracted,omitempty"`
}

// ExtractedDef is one technology or domain text extraction found for a
// measure: where (byte offsets into the source file), how sure it is, and
// whether it was linked to the measure (a domain only in a neighbouring
// clause or the paragraph is listed with a low confidence, not linked).
type ExtractedDef struct {
	Type       string  `yaml:"type" pg:"required"` // technology | domain
	ID         string  `yaml:"id" pg:"required"`
	Text       string  `yaml:"text" pg:"required"`
	Offset     int     `yaml:"offset"`
	OffsetEnd  int     `yaml:"offset_end"`
	Confidence float64 `yaml:"confidence"`
	Linked     bool    `yaml:"linked"`
	Where      string  `yaml:"where" pg:"required"` // clause | sentence | paragraph
	// Review is a reviewer's decision on the link, once made.
	Review *Review `yaml:"review,omitempty"`
}

// Review is a reviewer's decision on an extracted link.
type Review struct {
	Action string `yaml:"action" pg:"required"` // accept | reject | edit
	By     string `yaml:"by" pg:"required"`
	At     string `yaml:"at" pg:"required"` // RFC 3339
}

// Review actions.
const (
	ReviewAccept = "accept"
	ReviewReject = "reject"
	ReviewEdit   = "edit"
)

// Cap is the most an instrument pays, per recipient.
type Cap struct {
	Amount   int64  `yaml:"amount" pg:"required"`
	Currency string `yaml:"currency" pg:"required"`
	Per      string `yaml:"per" pg:"required"`
}

// Schedule is how a payment is split over years, e.g. split "4:3:3" over 3 years.
type Schedule struct {
	Split string `yaml:"split" pg:"required"`
	Years int    `yaml:"years" pg:"required"`
}

// InstrumentDef is a support instrument a measure offers.
type InstrumentDef struct {
	ID          string    `yaml:"id" pg:"required"`
	Kind        string    `yaml:"kind" pg:"required"`
	Technology  string    `yaml:"technology" pg:"required"`
	Rate        *float64  `yaml:"rate,omitempty"`
	Base        string    `yaml:"base,omitempty"`
	Cap         *Cap      `yaml:"cap,omitempty"`
	Schedule    *Schedule `yaml:"schedule,omitempty"`
	Eligibility string    `yaml:"eligibility,omitempty"`
	Summary     string    `yaml:"summary" pg:"required"`
}

// MentionScope is the cities and documents a count covers.
type MentionScope struct {
	Cities    []string `yaml:"cities,omitempty"`
	Documents []string `yaml:"documents,omitempty"`
}

// MentionDef is how often some documents name a technology.
type MentionDef struct {
	ID         string       `yaml:"id" pg:"required"`
	Technology string       `yaml:"technology" pg:"required"`
	Count      *int         `yaml:"count" pg:"required"`
	Qualifier  string       `yaml:"qualifier" pg:"required"`
	Uncertain  bool         `yaml:"uncertain,omitempty"`
	Scope      MentionScope `yaml:"scope" pg:"required"`
	Note       string       `yaml:"note,omitempty"`
	Evidence   Evidence     `yaml:"evidence" pg:"required"`
}

// MentionsFile holds counts that span several documents.
type MentionsFile struct {
	ID       string       `yaml:"id" pg:"required"`
	Source   string       `yaml:"source" pg:"required"`
	Mentions []MentionDef `yaml:"mentions" pg:"required"`
}
