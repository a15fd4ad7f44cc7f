// Package schema is policygraph's vocabulary: the base IRI, the node types,
// every predicate, the named graphs and the closed value sets (bases,
// qualifiers, relations). It is the only place where an IRI is spelled out;
// every other package builds IRIs through it.
//
// The graph it describes is
//
//	City ─hasPlan→ Plan ─hasMeasure→ Measure ─usesTechnology/inferredTechnology→ Technology
//	                                   └─appliesTo→ Domain
//
// with evidence (Source, section, summary) on every fact taken from a source.
package schema
