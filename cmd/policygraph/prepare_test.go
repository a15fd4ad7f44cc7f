package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadDataCreatesNoStore: a load of a data directory that cannot be
// read, or whose files or vocabulary are wrong, is refused before the
// store is opened: no store file is left behind, and every problem is
// listed. A backend given no address is told which flag it needs.
func TestBadDataCreatesNoStore(t *testing.T) {
	tests := []struct {
		name string
		// data breaks a copy of the fixture and returns the --data to load.
		data func(t *testing.T, dir string) string
		// store is the store's flags, when not a new bolt file.
		store  []string
		status int
		stderr []string
	}{
		{"no such directory", func(t *testing.T, dir string) string { return filepath.Join(dir, "nosuch") },
			nil, 1, []string{"read data directory", "nosuch"}},
		{"a file outside the folders", func(t *testing.T, dir string) string {
			write(t, filepath.Join(dir, "notes.yaml"), "id: notes\n")
			return dir
		}, nil, 1, []string{"notes.yaml:1:1: data file outside vocabulary/, plans/ and mentions/", "1 error(s); nothing was written"}},
		{"a vocabulary that does not parse, and a plan that is wrong", func(t *testing.T, dir string) string {
			write(t, filepath.Join(dir, "vocabulary", "technologies.yaml"), "technologies: [\n")
			write(t, filepath.Join(dir, "plans", "zzz-late-plan.yaml"), "id: zzz-late-plan\nnot-a-field: 1\n")
			return dir
		}, nil, 1, []string{"vocabulary/technologies.yaml:", "zzz-late-plan.yaml:", "nothing was written"}},
		{"postgres with no address", func(t *testing.T, dir string) string { return dir },
			[]string{"--db", "postgres"}, 2, []string{"--db postgres needs --dbpath (or POLICYGRAPH_DBPATH)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "pg.db")
			store := tt.store
			if store == nil {
				store = []string{"--db", "bolt", "--dbpath", db}
			}
			args := append([]string{"load", "--data", tt.data(t, copyData(t))}, store...)
			status, _, stderr := runCLI(t, nil, args...)
			if status != tt.status {
				t.Errorf("status %d, want %d (stderr %q)", status, tt.status, stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Errorf("a store file was left at %s (%v)", db, err)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
