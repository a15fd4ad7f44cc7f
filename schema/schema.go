package schema

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// Base is the one base IRI under which every node, type, predicate and
// named graph of policygraph lives.
const Base = "https://policygraph.org/"

const (
	nsBase    = Base + "ns#"
	idBase    = Base + "id/"
	graphBase = Base + "graph/"
	rdfType   = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	skosBase  = "http://www.w3.org/2004/02/skos/core#"
	xsdDate   = "http://www.w3.org/2001/XMLSchema#date"
)

// Type is a node type. Its string is the short name used in ids and in the
// API ("city", "plan", …).
type Type string

// The node types.
const (
	// City is a jurisdiction that issues plans, at any Level: the nation, a
	// province, a municipality or a city, with its GB/T 2260 code and the
	// jurisdiction above it. The type keeps the short name "city" that the
	// API's parameters and ids have always used.
	City Type = "city"
	// Province is the province-level division a jurisdiction lies in.
	Province Type = "province"
	// Plan is one policy document (an action plan, a measures document).
	Plan Type = "plan"
	// Measure is one action item of a plan, or a claim a source makes
	// about a city's plan.
	Measure Type = "measure"
	// Technology is a concept of new infrastructure: one of the NDRC's three
	// categories, a sub-category, or a technology a plan names. Concepts
	// form one hierarchy through Broader.
	Technology Type = "technology"
	// Domain is a field a technology is applied to (finance, medical, …).
	Domain Type = "domain"
	// Source is a document the facts are taken from (the article).
	Source Type = "source"
	// Organization is an issuer of documents (NDRC, a city government).
	Organization Type = "organization"
	// SupportInstrument is what a plan offers firms: a subsidy, a cultivation list.
	SupportInstrument Type = "support"
	// MentionCount is how often some documents name a technology.
	MentionCount Type = "mention"
	// Scope is a definition of which technologies count as new infrastructure.
	Scope Type = "scope"
	// Target is a quantitative goal of a plan (see targets.go).
	Target Type = "target"
)

// Types lists every node type, in the order the API documents them.
var Types = []Type{City, Province, Plan, Measure, Technology, Domain, Source, Organization, SupportInstrument, MentionCount, Scope, Target}

// ClassIRI is the rdf:type object of nodes of type t, e.g. ns#City.
func (t Type) ClassIRI() quad.IRI {
	return quad.IRI(nsBase + className[t])
}

var className = map[Type]string{
	City: "City", Province: "Province", Plan: "Plan", Measure: "Measure",
	Technology: "Technology", Domain: "Domain", Source: "Source",
	Organization: "Organization", SupportInstrument: "SupportInstrument",
	MentionCount: "MentionCount", Scope: "Scope", Target: "Target",
}

// IRI is the node IRI of the entity of type t with short id id,
// e.g. https://policygraph.org/id/technology/blockchain.
func (t Type) IRI(id string) quad.IRI {
	return quad.IRI(idBase + string(t) + "/" + id)
}

// ParseIRI splits a node IRI made by Type.IRI into its type and id.
func ParseIRI(v quad.Value) (Type, string, bool) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return "", "", false
	}
	rest, ok := strings.CutPrefix(string(iri), idBase)
	if !ok {
		return "", "", false
	}
	t, id, ok := strings.Cut(rest, "/")
	if !ok || id == "" {
		return "", "", false
	}
	if _, known := className[Type(t)]; !known {
		return "", "", false
	}
	return Type(t), id, true
}

// TypeOfClass is the inverse of ClassIRI.
func TypeOfClass(v quad.Value) (Type, bool) {
	for t := range className {
		if t.ClassIRI() == v {
			return t, true
		}
	}
	return "", false
}

// Predicate is an edge or property name.
type Predicate = quad.IRI

func pred(name string) Predicate { return quad.IRI(nsBase + name) }

// Predicates. Objects are node IRIs unless the comment names a literal.
var (
	// TypeOf is rdf:type, linking a node to its class.
	TypeOf = quad.IRI(rdfType)

	// Name is a display name: a string tagged with its language (en, zh, ja).
	Name = pred("name")
	// Alias is another name a reader may type, tagged with its language.
	Alias = pred("alias")
	// NotMention is a phrase, tagged with its language, that holds a name
	// of a technology or domain without naming one (an agency's name,
	// 行政区): text extraction lets it claim its span first.
	NotMention = pred("notMention")
	// Code is an identifier from an outside standard (GB/T 2260 for cities).
	Code = pred("code")
	// InProvince links a jurisdiction to the province-level division it lies in.
	InProvince = pred("inProvince")
	// LevelOf is a jurisdiction's level (a string: one of Levels).
	LevelOf = pred("level")
	// Within links a jurisdiction to the one directly above it (a city to
	// its province, a province or municipality to the nation).
	Within = pred("within")
	// Broader links a technology concept to the one concept directly above
	// it (5g to communication-network-infrastructure to
	// information-infrastructure). It is SKOS's broader, so that the
	// hierarchy reads as a SKOS concept scheme in any export.
	Broader = quad.IRI(skosBase + "broader")

	// HasPlan links a city to a plan it published.
	HasPlan = pred("hasPlan")
	// Title is a plan's title, tagged with its language.
	Title = pred("title")
	// IssuedBy links a document to the organization that issued it.
	IssuedBy = pred("issuedBy")
	// DocumentNumber is a document's issuing number (发文字号, e.g. 沪府〔2020〕27号).
	DocumentNumber = pred("documentNumber")
	// Signed is the date (xsd:date) a document bears (成文日期).
	Signed = pred("signed")
	// Adopted is the date (xsd:date) a plan was passed by a meeting.
	Adopted = pred("adopted")
	// Published is the date (xsd:date) a plan was made public.
	Published = pred("published")
	// Reviewed is the date (xsd:date) a plan was reviewed by a government meeting.
	Reviewed = pred("reviewed")
	// Effective is the date (xsd:date) a plan says it takes effect (施行日期).
	Effective = pred("effective")
	// Expires is the date (xsd:date) a plan says it ceases to have effect (有效期至).
	Expires = pred("expires")
	// PeriodStart and PeriodEnd are the first and last years (integers) a plan covers.
	PeriodStart = pred("periodStart")
	PeriodEnd   = pred("periodEnd")
	// CompanionOf links two documents published together as a set.
	CompanionOf = pred("companionOf")
	// SpecialPlanOf links a dedicated plan to the general plan it accompanies.
	SpecialPlanOf = pred("specialPlanOf")

	// HasMeasure links a plan to one of its measures.
	HasMeasure = pred("hasMeasure")
	// InCity links a measure or instrument to its city, for queries that skip the plan.
	InCity = pred("inCity")
	// Kind is a string classifying a measure ("action", "comparison") or an instrument.
	Kind = pred("kind")
	// UsesTechnology links a measure to a technology its plan names.
	UsesTechnology = pred("usesTechnology")
	// InferredTechnology links a measure to a technology only an analyst associates with it.
	InferredTechnology = pred("inferredTechnology")
	// ExtractedTechnology links a draft measure to a technology found by text extraction.
	ExtractedTechnology = pred("extractedTechnology")
	// AppliesTo links a measure to a domain it applies technology to.
	AppliesTo = pred("appliesTo")
	// SupportedBy links a comparison claim to the action measures that back it.
	SupportedBy = pred("supportedBy")
	// Offers links a measure to a support instrument it creates.
	Offers = pred("offers")

	// EvidenceSource links a fact to the source it is taken from.
	EvidenceSource = pred("source")
	// Section is the part of the source a fact comes from (a string).
	Section = pred("section")
	// Summary is a one-line summary of a fact in the dataset's own words.
	Summary = pred("summary")
	// Context is where in its plan a measure sits (a string).
	Context = pred("context")
	// Keyword is a key term of a measure as its source writes it
	// (目录链, 国际数据港): a name of a thing, so that a search in the
	// source's language finds a measure described in English.
	Keyword = pred("keyword")
	// Note is a remark on a fact, e.g. where the source contradicts itself.
	Note = pred("note")
	// Quote is verbatim text from a document (extracted evidence).
	Quote = pred("quote")
	// Offset is a byte offset (integer) of a quote in its file; OffsetEnd is exclusive.
	Offset    = pred("offset")
	OffsetEnd = pred("offsetEnd")

	// Technology links a count or instrument to the technology it concerns.
	TechnologyOf = pred("technology")
	// Count is an integer number of mentions.
	Count = pred("count")
	// QualifierOf says how Count reads: "exact" or "more_than".
	QualifierOf = pred("qualifier")
	// Uncertain is true (boolean) when the source garbles what a fact is about.
	Uncertain = pred("uncertain")
	// ScopeCity and ScopeDocument are the cities and documents a count covers.
	ScopeCity     = pred("scopeCity")
	ScopeDocument = pred("scopeDocument")

	// Rate is a subsidy's share (a decimal, 0.1 for 10%) of Base.
	Rate = pred("rate")
	// RateBase is what Rate is a share of (a string, e.g. "paid-in capital").
	RateBase = pred("rateBase")
	// CapAmount is the largest payment (integer, in CapCurrency) per CapPer.
	CapAmount   = pred("capAmount")
	CapCurrency = pred("capCurrency")
	CapPer      = pred("capPer")
	// Schedule is how a payment is split over time, e.g. "4:3:3".
	Schedule = pred("schedule")
	// ScheduleYears is how many years the schedule spans (integer).
	ScheduleYears = pred("scheduleYears")
	// Eligibility says in words who qualifies.
	Eligibility = pred("eligibility")

	// Author, Publisher and Language describe a source (strings).
	Author   = pred("author")
	Language = pred("language")
	// Written is when a source was written (a string: a year-month or a date).
	Written = pred("written")
	// Location is where a copy of a source is kept (a path or URL string).
	Location = pred("location")
	// Address is the web address (an IRI) of a source as published, so
	// that a reader can open the original.
	Address = pred("address")

	// DefinedBy links a scope to the organization that defined it.
	DefinedBy = pred("definedBy")
	// Date is the date (xsd:date) a scope was defined.
	Date = pred("date")
	// IncludesTechnology links a scope to a technology it names.
	IncludesTechnology = pred("includesTechnology")
	// NewTechnology links a scope to a technology the source calls new in it.
	NewTechnology = pred("newTechnology")

	// ContentHash is the hash of a named graph's source file (meta graph).
	ContentHash = pred("contentHash")
	// Origin says where a named graph came from ("file", "api") (meta graph).
	Origin = pred("origin")
	// Version is a stamp on DatasetNode that every write changes, so that a
	// server process can tell cheaply whether its derived views are stale.
	Version = pred("version")
	// StoredAs is the stamped label a document's quads carry (meta graph).
	StoredAs = pred("storedAs")
	// SourceText is the document as written, kept in the meta graph.
	SourceText = pred("sourceText")
	// Path is the data-directory-relative file a named graph was loaded from.
	Path = pred("path")
	// Pending links DatasetNode to the label of a write whose quads are
	// stored but not yet named by the meta graph: set by the write's first
	// transaction, cleared by its last, so a write cut short in between is
	// found at the next start without a scan (meta graph).
	Pending = pred("pendingWrite")
	// Deleted records, on a document graph deleted through the API, the
	// content hash of the file version it had, so that reloading the data
	// directory does not bring it back until that file changes (meta graph).
	Deleted = pred("deletedVersion")
	// FileVersion records, on a document from a file that was then written
	// through the API, the content hash of that file version: the API
	// version is kept on reload while the file still has that hash, and
	// the file wins once it changes (meta graph).
	FileVersion = pred("fileVersion")
	// Swept marks a store whose leftovers of writes made before Pending
	// existed were swept once (meta graph, on DatasetNode).
	Swept = pred("swept")
)

// TechnologyPredicate is the predicate linking a measure to a technology
// with basis b.
func TechnologyPredicate(b Basis) Predicate {
	switch b {
	case Inferred:
		return InferredTechnology
	case Extracted:
		return ExtractedTechnology
	}
	return UsesTechnology
}

// TechnologyPredicates are the predicates of every basis, in the order of Bases.
var TechnologyPredicates = []Predicate{UsesTechnology, InferredTechnology, ExtractedTechnology}

// BasisOfPredicate is the inverse of TechnologyPredicate.
func BasisOfPredicate(p quad.Value) (Basis, bool) {
	for i, q := range TechnologyPredicates {
		if q == p {
			return Bases[i], true
		}
	}
	return "", false
}

// DateValue is a date literal (YYYY-MM-DD) as stored in the graph.
func DateValue(d string) quad.Value {
	return quad.TypedString{Value: quad.String(d), Type: quad.IRI(xsdDate)}
}

// Graph names (quad labels). Each data file is one named graph so that a
// document can be replaced in one transaction.
var (
	// MetaGraph holds bookkeeping: content hashes and origins of the other graphs.
	MetaGraph = quad.IRI(graphBase + "meta")
)

// GraphIRI is the named graph of the data file with the given graph id
// (e.g. "plan/fuzhou-action-plan-2020", "vocabulary").
func GraphIRI(id string) quad.IRI { return quad.IRI(graphBase + id) }

// StampedGraphIRI is the label a document's quads are stored under: its
// graph IRI plus a stamp unique to one write. Cayley's key-value backends
// cannot store a quad again once it was deleted (the re-added quad loses
// its parts), so every write of a document uses quads never stored before.
// GraphID reads through the stamp.
func StampedGraphIRI(id, stamp string) quad.IRI { return quad.IRI(graphBase + id + "~" + stamp) }

// GraphID is the inverse of GraphIRI (and of StampedGraphIRI).
func GraphID(v quad.Value) (string, bool) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return "", false
	}
	id, ok := strings.CutPrefix(string(iri), graphBase)
	if i := strings.IndexByte(id, '~'); i >= 0 {
		id = id[:i]
	}
	return id, ok
}

// PinGraph holds transient pins that keep nodes alive across a
// replacement on key-value backends (see graph.Store.pin); Pin is their predicate.
var (
	PinGraph = quad.IRI(graphBase + "pins")
	Pin      = pred("pin")
)

// DatasetNode is the meta-graph node carrying the hash of the whole data directory.
var DatasetNode = quad.IRI(graphBase + "dataset")
