package schema

import "github.com/cayleygraph/quad"

// The change log: every write records, under its version stamp, which
// documents it changed, so that a server holding the graph as of an
// earlier stamp learns what to read again from a few records instead of
// from every document's label. Each record names the stamp before it, so
// a reader walks from the current stamp back to its own. Only the last
// few records are kept; ChangeGraph itself lists them (ChangeRecord), so
// a writer finds the oldest to remove without a scan.
var (
	// ChangeGraph holds the change records, and is the subject of the
	// list of them.
	ChangeGraph = quad.IRI(graphBase + "changes")
	// ChangeRecord links ChangeGraph to each kept record.
	ChangeRecord = pred("changeRecord")
	// ChangeAfter is, on a record, the version stamp the write replaced.
	ChangeAfter = pred("changeAfter")
	// ChangeStored is, on a record, the label a document's quads are now
	// stored under (a stamped graph IRI, see StampedGraphIRI).
	ChangeStored = pred("changeStored")
	// ChangeRemoved is, on a record, the graph IRI of a document the
	// write removed.
	ChangeRemoved = pred("changeRemoved")
	// ChangeUntold marks a record of a write that does not list what it
	// changed (an import, a repair, or more documents than a reader would
	// read one by one): a reader builds its graph anew.
	ChangeUntold = pred("changeUntold")
)

// ChangeIRI is the change record of the write that stamped version stamp.
func ChangeIRI(stamp string) quad.IRI { return quad.IRI(Base + "change/" + stamp) }
