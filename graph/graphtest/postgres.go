// Package graphtest holds what tests of several packages need to set up
// stores: today a PostgreSQL schema of a test's own.
package graphtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	_ "github.com/lib/pq" // the driver Cayley's postgres backend uses
)

// PostgresSchema makes a schema of its own for one test in the database
// dsn names, drops it when the test ends, and returns a DSN whose
// search_path points at it, so tests never see each other's quads.
func PostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	_, out := newSchema(t, dsn)
	return out
}

// newSchema is PostgresSchema that also returns the schema's name.
func newSchema(t testing.TB, dsn string) (name, out string) {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	name = "pgtest_" + hex.EncodeToString(b[:])
	if _, err := db.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + name + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return name, WithSearchPath(t, dsn, name)
}

// WithSearchPath is dsn with its search_path set to schema.
func WithSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// CopySchema is PostgresSchema holding a copy of every table of the
// schema from (but those named in skip): rows, defaults, sequences,
// indexes and constraints, with fresh planner statistics. Copying a
// loaded store takes a small part of loading it again.
func CopySchema(t testing.TB, dsn, from string, skip ...string) string {
	t.Helper()
	to, out := newSchema(t, dsn)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	strs := func(query string, args ...any) [][]string {
		rows, err := db.Query(query, args...)
		if err != nil {
			t.Fatalf("copy schema %s: %v", from, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			row := make([]string, len(cols))
			ptrs := make([]any, len(cols))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	exec := func(stmt string) {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("copy schema %s: %s: %v", from, stmt, err)
		}
	}
	// Names of the old schema inside definitions become the new one's.
	moved := func(def string) string { return strings.ReplaceAll(def, from+".", to+".") }
	var tables []string
	for _, r := range strs(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`, from) {
		if !slices.Contains(skip, r[0]) {
			tables = append(tables, r[0])
		}
	}
	for _, tb := range tables {
		// Rows first and indexes after: building an index over every row
		// at once is much faster than keeping it up row by row.
		exec(fmt.Sprintf(`CREATE TABLE %s.%s (LIKE %s.%s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`, to, tb, from, tb))
		exec(fmt.Sprintf(`INSERT INTO %s.%s SELECT * FROM %s.%s`, to, tb, from, tb))
	}
	// A serial column's default still names the old schema's sequence.
	for _, r := range strs(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND column_default LIKE 'nextval(%'`, to) {
		seq := fmt.Sprintf("%s.%s_%s_seq", to, r[0], r[1])
		exec(fmt.Sprintf(`CREATE SEQUENCE %s OWNED BY %s.%s.%s`, seq, to, r[0], r[1]))
		exec(fmt.Sprintf(`SELECT setval('%s', COALESCE((SELECT max(%s) FROM %s.%s), 0) + 1, false)`, seq, r[1], to, r[0]))
		exec(fmt.Sprintf(`ALTER TABLE %s.%s ALTER COLUMN %s SET DEFAULT nextval('%s')`, to, r[0], r[1], seq))
	}
	// Indexes no constraint makes, then the constraints (keys before the
	// foreign keys that need them).
	for _, r := range strs(`SELECT i.indexdef, i.tablename FROM pg_indexes i WHERE i.schemaname = $1
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_class ic ON ic.oid = c.conindid
			WHERE ic.relname = i.indexname AND c.connamespace = $1::regnamespace)`, from) {
		if slices.Contains(tables, r[1]) {
			exec(moved(r[0]))
		}
	}
	for _, r := range strs(`SELECT cl.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
		WHERE c.connamespace = $1::regnamespace AND c.contype IN ('p', 'u', 'f') ORDER BY c.contype DESC`, from) {
		if slices.Contains(tables, r[0]) {
			exec(fmt.Sprintf(`ALTER TABLE %s.%s ADD CONSTRAINT %s %s`, to, r[0], r[1], moved(r[2])))
		}
	}
	for _, tb := range tables {
		exec(fmt.Sprintf(`ANALYZE %s.%s`, to, tb))
	}
	return out
}
