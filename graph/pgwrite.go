package graph

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/lib/pq"
)

// Cayley's PostgreSQL backend writes a transaction one row at a time: an
// INSERT per node and per quad, each a round trip. A plan of a few
// hundred quads so costs hundreds of statements, and loading L tens of
// minutes. The store opens PostgreSQL through a registration of its own,
// Cayley's in every respect (tables, dialect, queries, deletes) but for
// how added nodes and quads are sent: many rows to a statement, the way
// Cayley's CockroachDB backend sends them, in the SQL PostgreSQL takes.
// The tables are the same, so a store written either way is read and
// written by the other.
const batchedPostgres = "postgres-batched"

func init() {
	csql.Register(batchedPostgres, csql.Registration{
		Driver:             "postgres",
		HashType:           `BYTEA`,
		BytesType:          `BYTEA`,
		HorizonType:        `BIGSERIAL`,
		TimeType:           `timestamp with time zone`,
		QueryDialect:       postgres.QueryDialect,
		ConditionalIndexes: true,
		FillFactor:         true,
		Error:              postgres.ConvError,
		Estimated: func(table string) string {
			return "SELECT reltuples::BIGINT AS estimate FROM pg_class WHERE relname='" + table + "';"
		},
		RunTx: runTxBatched,
	})
}

// maxParams keeps a statement under PostgreSQL's limit of 65,535 bound
// parameters (a variable so that a test splits a small write).
var maxParams = 60000

// runTxBatched adds nodes (or counts their new references) and quads in
// tx as Cayley's PostgreSQL RunTx does, with as many rows to a statement
// as the parameter limit allows.
func runTxBatched(tx *sql.Tx, nodes []graphlog.NodeUpdate, quads []graphlog.QuadUpdate, opts graph.IgnoreOpts) error {
	// One statement per kind of value, since each fills other columns.
	type row []any
	byKind := map[csql.ValueType][]row{}
	var kinds []csql.ValueType
	for _, n := range nodes {
		if n.RefInc < 0 {
			return fmt.Errorf("node update with %d references: not an addition", n.RefInc)
		}
		kind, values, err := csql.NodeValues(csql.NodeHash{ValueHash: n.Hash}, n.Val)
		if err != nil {
			return err
		}
		if _, ok := byKind[kind]; !ok {
			kinds = append(kinds, kind)
		}
		byKind[kind] = append(byKind[kind], append(row{n.RefInc}, values...))
	}
	for _, kind := range kinds {
		head := "INSERT INTO nodes(refs, hash, " + strings.Join(kind.Columns(), ", ") + ") VALUES "
		// SplitDeltas gives each node once, as ON CONFLICT DO UPDATE needs:
		// it may not touch one row twice in a statement.
		tail := " ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs"
		if err := insertRows(tx, head, tail, byKind[kind], nil); err != nil {
			return err
		}
	}
	if len(quads) == 0 {
		return nil
	}
	rows := make([]row, len(quads))
	for i, q := range quads {
		if q.Del {
			return errors.New("quad deletion handed to the insert of added quads")
		}
		r := make(row, 0, 4)
		for _, h := range q.Quad.Dirs() {
			r = append(r, csql.NodeHash{ValueHash: h}.SQLValue())
		}
		rows[i] = r
	}
	head := "INSERT INTO quads(subject_hash, predicate_hash, object_hash, label_hash, ts) VALUES "
	if !opts.IgnoreDup {
		return insertRows(tx, head, "", rows, nil, "now()")
	}
	// A quad already stored is not added again, but its nodes were
	// counted above as if it were, and would never be freed once every
	// quad naming them is gone (Cayley's own RunTx leaves them so): take
	// those counts back for the quads the insert did not add.
	added := map[[4]string]int{}
	if err := insertRows(tx, head, " ON CONFLICT DO NOTHING RETURNING subject_hash, predicate_hash, object_hash, label_hash", rows, func(r *sql.Rows) error {
		var k [4][]byte
		if err := r.Scan(&k[0], &k[1], &k[2], &k[3]); err != nil {
			return err
		}
		added[[4]string{string(k[0]), string(k[1]), string(k[2]), string(k[3])}]++
		return nil
	}, "now()"); err != nil {
		return err
	}
	back := map[string]int{}
	for _, r := range rows {
		var k [4]string
		for i, v := range r {
			if b, ok := v.([]byte); ok {
				k[i] = string(b)
			}
		}
		if added[k] > 0 {
			added[k]--
			continue
		}
		for _, h := range k {
			if h != "" {
				back[h]++
			}
		}
	}
	if len(back) == 0 {
		return nil
	}
	hashes := make([][]byte, 0, len(back))
	counts := make([]int64, 0, len(back))
	for h, n := range back {
		hashes, counts = append(hashes, []byte(h)), append(counts, int64(n))
	}
	_, err := tx.Exec(`UPDATE nodes SET refs = nodes.refs - back.n FROM unnest($1::bytea[], $2::bigint[]) AS back(hash, n) WHERE nodes.hash = back.hash`,
		pq.ByteaArray(hashes), pq.Int64Array(counts))
	return err
}

// insertRows runs head, rows as placeholders (then extra, literal, in
// each row) and tail, in as few statements as the parameter limit allows;
// each row a statement returns goes to returned, when not nil.
func insertRows[R ~[]any](tx *sql.Tx, head, tail string, rows []R, returned func(*sql.Rows) error, extra ...string) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := max(1, maxParams/width)
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(len(rows), start+per)]
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*width)
		for i, r := range chunk {
			if len(r) != width {
				return fmt.Errorf("insert: a row of %d values among rows of %d", len(r), width)
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", len(args)+j+1)
			}
			for _, e := range extra {
				b.WriteString(", ")
				b.WriteString(e)
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		b.WriteString(tail)
		if err := execRows(tx, b.String(), args, returned); err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) && pe.Code == "23505" {
				return &graph.DeltaError{Err: graph.ErrQuadExists}
			}
			return err
		}
	}
	return nil
}

func execRows(tx *sql.Tx, stmt string, args []any, returned func(*sql.Rows) error) error {
	if returned == nil {
		_, err := tx.Exec(stmt, args...)
		return err
	}
	rs, err := tx.Query(stmt, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := returned(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}
