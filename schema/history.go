package schema

import "github.com/cayleygraph/quad"

// The history of documents: every write of a document records a version
// in HistoryGraph, whose subject is the label the version's quads are
// stored under (a delete gets a label of its own, with no quads). The
// quads of earlier versions stay in the store under their labels, which
// no reader of the current graph sees (the meta graph names only the
// current label of each document).
var (
	// HistoryGraph holds the version records.
	HistoryGraph = quad.IRI(graphBase + "history")
	// VersionOf links a version record to its document's graph IRI.
	VersionOf = pred("versionOf")
	// VersionNumber is a version's number within its document, from 1.
	VersionNumber = pred("versionNumber")
	// ChangedAt is when a version was written (RFC 3339, UTC).
	ChangedAt = pred("changedAt")
	// ChangedBy names who wrote a version: a write token's name, or
	// WriterFiles for a load of the data directory.
	ChangedBy = pred("changedBy")
	// ChangeMessage is the writer's optional note on a version.
	ChangeMessage = pred("changeMessage")
	// ChangeAction is what a version did: one of the Actions.
	ChangeAction = pred("changeAction")
)

// Actions of a version record.
const (
	ActionCreate  = "create"
	ActionReplace = "replace"
	ActionDelete  = "delete"
)

// WriterFiles is the writer of versions loaded from the data directory.
const WriterFiles = "data"

// CompactedUntil, on DatasetNode, is the time before which compaction
// removed versions: the graph as of an earlier time can no longer be
// told (meta graph).
var CompactedUntil = pred("compactedUntil")
