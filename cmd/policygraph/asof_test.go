package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExportAsOf: export --as-of writes the graph as it was then: before
// a plan was added, without it, in N-Quads and as data/ files.
func TestExportAsOf(t *testing.T) {
	dir := copyData(t)
	db := filepath.Join(t.TempDir(), "pg.db")
	store := []string{"--db", "bolt", "--dbpath", db}
	if status, _, stderr := runCLI(t, nil, append([]string{"load", "--data", dir}, store...)...); status != 0 {
		t.Fatal(stderr)
	}
	before := time.Now().UTC().Format(time.RFC3339Nano)
	src, err := os.ReadFile(filepath.Join(dir, "plans", "beijing-blockchain-2020.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	added := strings.Replace(string(src), "id: beijing-blockchain-2020", "id: beijing-blockchain-copy-2020", 1)
	added = strings.Replace(added, "related:\n  - {plan: beijing-new-infrastructure-2020, relation: special-plan}\n", "", 1)
	if err := os.WriteFile(filepath.Join(dir, "plans", "beijing-blockchain-copy-2020.yaml"), []byte(added), 0o644); err != nil {
		t.Fatal(err)
	}
	if status, _, stderr := runCLI(t, nil, append([]string{"load", "--data", dir}, store...)...); status != 0 {
		t.Fatal(stderr)
	}
	_, now, _ := runCLI(t, nil, append([]string{"export"}, store...)...)
	status, then, stderr := runCLI(t, nil, append([]string{"export", "--as-of", before}, store...)...)
	if status != 0 || !strings.Contains(now, "beijing-blockchain-copy-2020") || strings.Contains(then, "beijing-blockchain-copy-2020") || !strings.Contains(then, "beijing-blockchain-2020") {
		t.Fatalf("export as of before the copy: status %d, %s", status, stderr)
	}
	out := t.TempDir()
	if status, _, stderr := runCLI(t, nil, append([]string{"export", "--format", "yaml", "--out", out, "--as-of", before}, store...)...); status != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "plans", "beijing-blockchain-copy-2020.yaml")); !os.IsNotExist(err) {
		t.Errorf("the files as of before the copy hold it: %v", err)
	}
	if status, _, stderr := runCLI(t, nil, "validate", "--data", out); status != 0 {
		t.Errorf("the files as of then do not validate: %s", stderr)
	}
}

// TestCompactCommand: compaction happens only when asked, says what it
// removed, and leaves the current graph alone.
func TestCompactCommand(t *testing.T) {
	dir := copyData(t)
	store := []string{"--db", "bolt", "--dbpath", filepath.Join(t.TempDir(), "pg.db")}
	path := filepath.Join(dir, "plans", "beijing-blockchain-2020.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"One", "Two", "Three"} {
		edited := strings.Replace(string(src), "  en: Beijing Blockchain", "  en: "+title+" Beijing Blockchain", 1)
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		if status, _, stderr := runCLI(t, nil, append([]string{"load", "--data", dir}, store...)...); status != 0 {
			t.Fatalf("load %d: %s", i, stderr)
		}
	}
	_, before, _ := runCLI(t, nil, append([]string{"export"}, store...)...)
	for _, tc := range []struct {
		args   []string
		status int
		out    string
	}{
		{nil, 0, "keeps every version (no --keep); nothing removed"},
		{[]string{"--keep", "0"}, 2, "keep at least 1 version"},
		{[]string{"--keep", "soon"}, 2, `bad --keep "soon"`},
		{[]string{"--keep", "1", "--dry-run"}, 0, "would remove 2 versions of 1 documents"},
		{[]string{"--keep", "1"}, 0, "removed 2 versions of 1 documents"},
		{[]string{"--keep", "1"}, 0, "removed 0 versions of 0 documents"},
	} {
		status, out, stderr := runCLI(t, nil, append(append([]string{"compact"}, tc.args...), store...)...)
		if status != tc.status || !strings.Contains(out+stderr, tc.out) {
			t.Errorf("compact %v: %d %q %q; want %d and %q", tc.args, status, out, stderr, tc.status, tc.out)
		}
	}
	if _, after, _ := runCLI(t, nil, append([]string{"export"}, store...)...); after != before {
		t.Error("compaction changed the current graph")
	}
}
