package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/cayleygraph/quad"
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
	_, err := addBatched(tx, nodes, quads, opts)
	return err
}

// addBatched is runTxBatched that also returns the hashes of the nodes
// whose counts it took back (see below), which may have fallen to none.
func addBatched(tx *sql.Tx, nodes []graphlog.NodeUpdate, quads []graphlog.QuadUpdate, opts graph.IgnoreOpts) ([][]byte, error) {
	// One statement for every kind of value: each row names all of
	// Cayley's value columns, NULL but for its kind's. Cayley's insert of
	// a kind names only that kind's, which leaves the others NULL: the
	// same rows, in one statement where there were one per kind (seven
	// for a plan, each a round trip and a plan of its own).
	nodeRows := make([][]any, 0, len(nodes))
	for _, n := range nodes {
		if n.RefInc < 0 {
			return nil, fmt.Errorf("node update with %d references: not an addition", n.RefInc)
		}
		kind, values, err := csql.NodeValues(csql.NodeHash{ValueHash: n.Hash}, n.Val)
		if err != nil {
			return nil, err
		}
		r := make([]any, 2+len(nodeValueColumns))
		r[0], r[1] = n.RefInc, values[0]
		for i, col := range kind.Columns() {
			at, ok := nodeValueColumn[col]
			if !ok {
				return nil, fmt.Errorf("node column %q unknown", col)
			}
			r[2+at] = values[1+i]
		}
		nodeRows = append(nodeRows, r)
	}
	// SplitDeltas gives each node once, as ON CONFLICT DO UPDATE needs:
	// it may not touch one row twice in a statement.
	if err := insertRows(tx, "INSERT INTO nodes(refs, hash, "+strings.Join(nodeValueColumns, ", ")+") VALUES ",
		" ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs", nodeRows, nil); err != nil {
		return nil, err
	}
	if len(quads) == 0 {
		return nil, nil
	}
	type row []any
	rows := make([]row, len(quads))
	for i, q := range quads {
		if q.Del {
			return nil, errors.New("quad deletion handed to the insert of added quads")
		}
		r := make(row, 0, 4)
		for _, h := range q.Quad.Dirs() {
			r = append(r, csql.NodeHash{ValueHash: h}.SQLValue())
		}
		rows[i] = r
	}
	head := "INSERT INTO quads(subject_hash, predicate_hash, object_hash, label_hash, ts) VALUES "
	if !opts.IgnoreDup {
		return nil, insertRows(tx, head, "", rows, nil, "now()")
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
		return nil, err
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
		return nil, nil
	}
	hashes := make([][]byte, 0, len(back))
	counts := make([]int64, 0, len(back))
	for h, n := range back {
		hashes, counts = append(hashes, []byte(h)), append(counts, int64(n))
	}
	_, err := tx.Exec(`UPDATE nodes SET refs = nodes.refs - back.n FROM unnest($1::bytea[], $2::bigint[]) AS back(hash, n) WHERE nodes.hash = back.hash`,
		pq.ByteaArray(hashes), pq.Int64Array(counts))
	return hashes, err
}

// nodeValueColumns are the columns of Cayley's nodes table that hold a
// value, one kind's or another's (csql.ValueType.Columns), and
// nodeValueColumn their places in it.
var nodeValueColumns = strings.Split(nodeColumns, ", ")

var nodeValueColumn = func() map[string]int {
	m := map[string]int{}
	for i, c := range nodeValueColumns {
		m[c] = i
	}
	return m
}()

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

// txBeginner is where a write's transaction runs: the connection that
// holds the write lock, or the pool.
type txBeginner interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}

// applyDeltas applies in to Cayley's PostgreSQL tables in one
// transaction, with the effect of Cayley's SQL QuadStore.ApplyDeltas (and
// our RunTx above) row for row: nodes added or counted, quads added,
// quads removed, counts taken back, nodes no quad names removed. Cayley's
// own sends a DELETE and an UPDATE per removed quad and node, and then
// `DELETE FROM nodes WHERE refs <= 0`, a scan of the whole nodes table
// (20-35 ms at L, in every write that removes a quad, as every PUT
// does). Here removals and counts are one statement each, and only the
// nodes whose counts this transaction lowered are looked at: every other
// node kept the count it had when the last transaction left the table,
// and every transaction leaves no node without a quad. The transaction
// runs on conn, and nothing here keeps state beside the tables. Cayley's
// own also forgets its cached counts of quads and nodes, which only
// Stats(ctx, true) fills; nothing here calls it.
//
// A transaction that stamps a new version (stamp, when not "") announces
// it on versionChannel as it commits (see listenVersions).
func applyDeltas(conn txBeginner, in []graph.Delta, opts graph.IgnoreOpts, stamp string) (err error) {
	deltas := graphlog.SplitDeltas(in)
	// Not a request's context: a write cut off while it commits could
	// not tell whether it landed.
	tx, err := conn.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("begin the write: %w", err)
	}
	// Rolled back unless committed, also when a step panics: a
	// transaction left open on conn holds it, and the write lock's
	// release, which closes it, would wait for ever.
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	lowered, err := addBatched(tx, deltas.IncNode, deltas.QuadAdd, opts)
	if err != nil {
		return err
	}
	// A node whose additions and removals cancel out is inserted at no
	// count when it is new: it is looked at with the lowered ones.
	for _, n := range deltas.IncNode {
		if n.RefInc == 0 {
			lowered = append(lowered, csql.NodeHash{ValueHash: n.Hash}.SQLValue().([]byte))
		}
	}
	fix, err := deleteQuads(tx, deltas.QuadDel, opts)
	if err != nil {
		return err
	}
	// A removal that found no quad takes no reference away: its nodes'
	// counts are given back, whether they fell on balance or not.
	change := fix
	for _, n := range deltas.DecNode {
		change[n.Hash] += n.RefInc
	}
	hashes := make([][]byte, 0, len(change))
	counts := make([]int64, 0, len(change))
	for h, inc := range change {
		if inc == 0 {
			continue
		}
		hashes = append(hashes, csql.NodeHash{ValueHash: h}.SQLValue().([]byte))
		counts = append(counts, int64(inc))
		if inc < 0 {
			lowered = append(lowered, hashes[len(hashes)-1])
		}
	}
	if len(hashes) > 0 {
		if _, err := tx.Exec(`UPDATE nodes SET refs = nodes.refs + d.n FROM unnest($1::bytea[], $2::bigint[]) AS d(hash, n) WHERE nodes.hash = d.hash`,
			pq.ByteaArray(hashes), pq.Int64Array(counts)); err != nil {
			return err
		}
	}
	if len(lowered) > 0 {
		if _, err := tx.Exec(`DELETE FROM nodes WHERE hash = ANY($1) AND refs <= 0`, pq.ByteaArray(lowered)); err != nil {
			return err
		}
	}
	if stamp != "" {
		// Delivered once the transaction commits, and never if it does not.
		if _, err := tx.Exec(`SELECT pg_notify(`+versionChannel+`, $1)`, stamp); err != nil {
			return err
		}
	}
	committed = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit the write: %w", err)
	}
	return nil
}

// versionChannel is the PostgreSQL notification channel of the store in
// the connection's schema: several stores share a database, each in a
// schema of its own.
const versionChannel = `'policygraph_' || md5(current_schema())`

// listenVersions tells heard, until the listener is closed, every
// version stamp a write announces (see applyDeltas), and "" after its
// connection was lost and made again, when some may have gone unheard.
// A server over PostgreSQL would otherwise learn of another's write only
// at its next version check (recheckEvery), and only once a request
// comes to make one. It waits for the database as long as it must: call
// it in a goroutine of its own.
func (v *sqlValues) listenVersions(heard func(stamp string)) {
	// The database may be away when the first View is asked for: wait
	// for it, as the listener waits to reconnect.
	var channel string
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 10*time.Second) {
		if err := v.db.QueryRow(`SELECT ` + versionChannel).Scan(&channel); err == nil {
			break
		}
		time.Sleep(wait)
		v.mu.Lock()
		closed := v.closed
		v.mu.Unlock()
		if closed {
			return
		}
	}
	l := pq.NewListener(v.dsn, 100*time.Millisecond, 10*time.Second, nil)
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		l.Close()
		return
	}
	v.listener = l
	v.mu.Unlock()
	if err := l.Listen(channel); err != nil {
		return // closed, or refused: the version checks still run
	}
	// A write that committed between the first View and the LISTEN went
	// unheard: check once.
	heard("")
	for n := range l.Notify { // closed by Close
		if n == nil {
			heard("")
			continue
		}
		heard(n.Extra)
	}
}

// deleteQuads removes quads in tx in one statement per kind (quads and
// triples, whose label is NULL), and returns, per node hash, the
// references of the quads it did not find, which their removal must not
// take away. With !opts.IgnoreMissing, a quad not found fails the write.
func deleteQuads(tx *sql.Tx, quads []graphlog.QuadUpdate, opts graph.IgnoreOpts) (map[refs.ValueHash]int, error) {
	fix := map[refs.ValueHash]int{}
	if len(quads) == 0 {
		return fix, nil
	}
	var cols [4]pq.ByteaArray
	var triples [3]pq.ByteaArray
	want := map[refs.QuadHash]int{}
	for _, d := range quads {
		want[d.Quad]++
		if !d.Quad.Label.Valid() {
			for i, dir := range quad.Directions[:3] {
				triples[i] = append(triples[i], csql.NodeHash{ValueHash: d.Quad.Get(dir)}.SQLValue().([]byte))
			}
			continue
		}
		for i, dir := range quad.Directions {
			cols[i] = append(cols[i], csql.NodeHash{ValueHash: d.Quad.Get(dir)}.SQLValue().([]byte))
		}
	}
	found := func(r *sql.Rows) error {
		var k [4][]byte
		if err := r.Scan(&k[0], &k[1], &k[2], &k[3]); err != nil {
			return err
		}
		var h refs.QuadHash
		for i, dir := range quad.Directions {
			if k[i] != nil {
				var v refs.ValueHash
				copy(v[:], k[i])
				h.Set(dir, v)
			}
		}
		want[h]--
		return nil
	}
	// Rows of the arrays joined to the quads by the unique index of each
	// kind; a quad named twice is found, and removed, once.
	if len(cols[0]) > 0 {
		if err := execRows(tx, `DELETE FROM quads q USING unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::bytea[]) AS d(s, p, o, l)
			WHERE q.subject_hash = d.s AND q.predicate_hash = d.p AND q.object_hash = d.o AND q.label_hash = d.l
			RETURNING q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash`,
			[]any{cols[0], cols[1], cols[2], cols[3]}, found); err != nil {
			return nil, err
		}
	}
	if len(triples[0]) > 0 {
		if err := execRows(tx, `DELETE FROM quads q USING unnest($1::bytea[], $2::bytea[], $3::bytea[]) AS d(s, p, o)
			WHERE q.subject_hash = d.s AND q.predicate_hash = d.p AND q.object_hash = d.o AND q.label_hash IS NULL
			RETURNING q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash`,
			[]any{triples[0], triples[1], triples[2]}, found); err != nil {
			return nil, err
		}
	}
	for h, missing := range want {
		if missing <= 0 {
			continue
		}
		if !opts.IgnoreMissing {
			return nil, &graph.DeltaError{Err: graph.ErrQuadNotExist}
		}
		for _, dir := range quad.Directions {
			if v := h.Get(dir); v.Valid() {
				fix[v] += missing
			}
		}
	}
	return fix, nil
}
