package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/lib/pq"
)

// sqlValues resolves many value hashes of Cayley's PostgreSQL backend in
// one query. Cayley's SQL quad store has no batch lookup: it reads values
// one query at a time behind a 1,024-entry cache, so reading a
// million-quad graph through it costs millions of round trips. This reads
// the same rows of Cayley's nodes table and decodes them as Cayley does.
// It also reads the few quads of a point lookup with their values in one
// query (quadsWhere), runs the store's write transactions (applyDeltas)
// and hears other processes' writes (listenVersions): the SQL graph sends
// beside Cayley's, over the same tables.
type sqlValues struct {
	db *sql.DB
	// locked is the connection holding the write lock (see lockWrites),
	// nil when no writer of this process holds it; the writer's
	// transactions run on it. Guarded by Store.writes.
	locked *sql.Conn
	dsn    string
	// mu guards listener (see listenVersions), stmts and closed.
	mu       sync.Mutex
	listener *pq.Listener
	closed   bool
	// stmts are the point reads of quadsWhere, prepared once: each
	// connection then parses and plans a read once, not at every call
	// (about a millisecond for the four joins; several a PUT).
	stmts map[string]*sql.Stmt
}

// writer is where a write's transaction runs: on the connection that
// holds the write lock, so that the writer needs no other, or the pool.
func (v *sqlValues) writer() txBeginner {
	if v.locked != nil {
		return v.locked
	}
	return v.db
}

func openSQLValues(dsn string) (*sqlValues, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	// Two for reads, and one a writer holds the write lock on (lockWrites)
	// while its own reads go on beside it. All three stay open once
	// made: with the default of two idle, the third was closed whenever
	// all three were in use at once (a write and a reader's version
	// check), and the next session reads its tables' catalog and
	// prepares every read anew (a first PUT's reads took 2-4 ms each,
	// later ones under one).
	db.SetMaxOpenConns(3)
	db.SetMaxIdleConns(3)
	return &sqlValues{db: db, dsn: dsn, stmts: map[string]*sql.Stmt{}}, nil
}

func (v *sqlValues) Close() error {
	v.mu.Lock()
	v.closed = true
	if v.listener != nil {
		v.listener.Close()
	}
	for _, st := range v.stmts {
		st.Close()
	}
	v.mu.Unlock()
	return v.db.Close()
}

// prepared is query prepared on v's connections (see stmts). The round
// trip runs outside mu, which Close and the listener take: a database
// that does not answer holds up only the read that asked.
func (v *sqlValues) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	v.mu.Lock()
	st, ok := v.stmts[query]
	v.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := v.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		st.Close()
		return nil, errors.New("sql: database is closed")
	}
	if was, ok := v.stmts[query]; ok {
		// Another read prepared it meanwhile.
		st.Close()
		return was, nil
	}
	v.stmts[query] = st
	return st, nil
}

func (v *sqlValues) values(ctx context.Context, refs []graph.Ref) ([]quad.Value, error) {
	out := make([]quad.Value, len(refs))
	at := make(map[[20]byte][]int, len(refs))
	hashes := make(pq.ByteaArray, 0, len(refs))
	for i, r := range refs {
		h, ok := r.(csql.NodeHash)
		if !ok || !h.Valid() {
			continue
		}
		if _, seen := at[h.ValueHash]; !seen {
			hashes = append(hashes, append([]byte(nil), h.ValueHash[:]...))
		}
		at[h.ValueHash] = append(at[h.ValueHash], i)
	}
	if len(hashes) == 0 {
		return out, nil
	}
	rows, err := v.db.QueryContext(ctx, `SELECT hash, `+nodeColumns+` FROM nodes WHERE hash = ANY($1)`, hashes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hash []byte
	var r nodeRow
	dest := append([]any{&hash}, r.dest()...)
	for rows.Next() {
		r = nodeRow{}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		var key [20]byte
		if len(hash) != len(key) {
			return nil, fmt.Errorf("node hash of %d bytes", len(hash))
		}
		copy(key[:], hash)
		val, err := r.value()
		if err != nil {
			return nil, err
		}
		for _, i := range at[key] {
			out[i] = val
		}
	}
	return out, rows.Err()
}

// nodeRow is one row of Cayley's nodes table, the columns nodeColumns
// names.
type nodeRow struct {
	data       []byte
	str, typ   sql.NullString
	lang       sql.NullString
	iri, bnode sql.NullBool
	vint       sql.NullInt64
	vbool      sql.NullBool
	vfloat     sql.NullFloat64
	vtime      sql.NullTime
}

// dest is what rows.Scan fills r from, in nodeColumns' order.
func (r *nodeRow) dest() []any {
	return []any{&r.data, &r.str, &r.typ, &r.lang, &r.iri, &r.bnode, &r.vint, &r.vbool, &r.vfloat, &r.vtime}
}

// value is the value of r.
func (r *nodeRow) value() (quad.Value, error) {
	return decodeSQLValue(r.data, r.str, r.typ, r.lang, r.iri, r.bnode, r.vint, r.vbool, r.vfloat, r.vtime)
}

// decodeSQLValue turns one row of Cayley's nodes table into the value
// Cayley's own NameOf returns for it: typed columns first, the serialized
// value for everything else.
func decodeSQLValue(data []byte, str, typ, lang sql.NullString, iri, bnode sql.NullBool,
	vint sql.NullInt64, vbool sql.NullBool, vfloat sql.NullFloat64, vtime sql.NullTime) (quad.Value, error) {
	switch {
	case str.Valid:
		// Cayley stores NUL as the four characters \x00 in text columns.
		s := strings.ReplaceAll(str.String, `\x00`, "\x00")
		switch {
		case iri.Bool:
			return quad.IRI(str.String), nil
		case bnode.Bool:
			return quad.BNode(str.String), nil
		case lang.Valid:
			return quad.LangString{Value: quad.String(s), Lang: lang.String}, nil
		case typ.Valid:
			return quad.TypedString{Value: quad.String(s), Type: quad.IRI(typ.String)}, nil
		}
		return quad.String(s), nil
	case vint.Valid:
		return quad.Int(vint.Int64), nil
	case vbool.Valid:
		return quad.Bool(vbool.Bool), nil
	case vfloat.Valid:
		return quad.Float(vfloat.Float64), nil
	case vtime.Valid:
		return quad.Time(vtime.Time.In(time.UTC)), nil
	}
	v, err := pquads.UnmarshalValue(data)
	if err != nil {
		return nil, fmt.Errorf("decode value: %w", err)
	}
	return v, nil
}

// nodeColumns are the columns of Cayley's nodes table that decodeSQLValue
// reads, in its order.
const nodeColumns = "value, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time"

// quadsSQL selects quads q with the values of their four parts, nodes
// n0 to n3.
var quadsSQL = func() string {
	var cols []string
	for i := range 4 {
		for _, c := range strings.Split(nodeColumns, ", ") {
			cols = append(cols, fmt.Sprintf("n%d.%s", i, c))
		}
	}
	return "SELECT " + strings.Join(cols, ", ") + ` FROM quads q JOIN nodes n0 ON n0.hash = q.subject_hash
		JOIN nodes n1 ON n1.hash = q.predicate_hash JOIN nodes n2 ON n2.hash = q.object_hash
		JOIN nodes n3 ON n3.hash = q.label_hash WHERE `
}()

// quadsWhere lists the quads that where selects (a condition on quads q
// over args), each with its values, in one query: Cayley's iterators and
// values (above) take one for the quads and another for their values, and
// the point reads of a write (a document's meta record, the version
// stamps, the change log) and of every version check are a handful of
// quads each. Quads without a label are not ours, and are left out as
// quadsOf leaves them out. where is one of a few fixed conditions, each
// prepared once (see stmts): it names its values by placeholder only.
func (v *sqlValues) quadsWhere(ctx context.Context, where string, args ...any) ([]quad.Quad, error) {
	st, err := v.prepared(ctx, quadsSQL+where)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quad.Quad
	var n [4]nodeRow
	dest := make([]any, 0, 40)
	for i := range n {
		dest = append(dest, n[i].dest()...)
	}
	for rows.Next() {
		n = [4]nodeRow{}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		var q [4]quad.Value
		for i := range n {
			val, err := n[i].value()
			if err != nil {
				return nil, err
			}
			q[i] = canonical(val)
		}
		out = append(out, quad.Quad{Subject: q[0], Predicate: q[1], Object: q[2], Label: q[3]})
	}
	return out, rows.Err()
}

// hashOf is the hash of Cayley's nodes table that names v.
func hashOf(qs graph.QuadStore, v quad.Value) ([]byte, bool) {
	ref, err := qs.ValueOf(v)
	if err != nil || ref == nil {
		return nil, false
	}
	h, ok := ref.(csql.NodeHash)
	if !ok || !h.Valid() {
		return nil, false
	}
	return h.SQLValue().([]byte), true
}
