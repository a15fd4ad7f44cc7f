package graph

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
// the same rows of Cayley's nodes table and decodes them as Cayley does;
// it only reads, and only values Cayley's own iterators named.
type sqlValues struct{ db *sql.DB }

func openSQLValues(dsn string) (*sqlValues, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	// Two for reads, and one a writer holds the write lock on (lockWrites)
	// while its own reads go on beside it.
	db.SetMaxOpenConns(3)
	return &sqlValues{db: db}, nil
}

func (v *sqlValues) Close() error { return v.db.Close() }

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
	rows, err := v.db.QueryContext(ctx, `SELECT hash, value, value_string, datatype, language, iri, bnode,
		value_int, value_bool, value_float, value_time FROM nodes WHERE hash = ANY($1)`, hashes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			hash, data []byte
			str, typ   sql.NullString
			lang       sql.NullString
			iri, bnode sql.NullBool
			vint       sql.NullInt64
			vbool      sql.NullBool
			vfloat     sql.NullFloat64
			vtime      sql.NullTime
		)
		if err := rows.Scan(&hash, &data, &str, &typ, &lang, &iri, &bnode, &vint, &vbool, &vfloat, &vtime); err != nil {
			return nil, err
		}
		var key [20]byte
		if len(hash) != len(key) {
			return nil, fmt.Errorf("node hash of %d bytes", len(hash))
		}
		copy(key[:], hash)
		val, err := decodeSQLValue(data, str, typ, lang, iri, bnode, vint, vbool, vfloat, vtime)
		if err != nil {
			return nil, err
		}
		for _, i := range at[key] {
			out[i] = val
		}
	}
	return out, rows.Err()
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
