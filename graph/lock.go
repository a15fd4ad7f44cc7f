package graph

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// checkNotLocked fails fast when another process holds a bolt store open.
// Cayley opens bolt files without a timeout, so a second server on the
// same file would otherwise wait forever for the lock.
func checkNotLocked(backend, dir string) error {
	if backend != "bolt" && backend != "bbolt" {
		return nil
	}
	f, err := os.OpenFile(filepath.Join(dir, "indexes.bolt"), os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil // a new store: nothing to hold it yet
	}
	if err != nil {
		return fmt.Errorf("open %s store at %s: %w", backend, dir, err)
	}
	defer f.Close()
	held, err := heldElsewhere(f)
	if err != nil {
		return fmt.Errorf("open %s store at %s: %w", backend, dir, err)
	}
	if held {
		return fmt.Errorf("open %s store at %s: another process has it open (a bolt store serves one process; use --db postgres to share a graph)", backend, dir)
	}
	return nil
}
