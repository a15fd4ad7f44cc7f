package graph

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
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
	// bolt takes a shared or exclusive flock; a probe that cannot get an
	// exclusive one means someone has the file open.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("open %s store at %s: another process has it open (a bolt store serves one process; use --db postgres to share a graph)", backend, dir)
		}
		return fmt.Errorf("open %s store at %s: %w", backend, dir, err)
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
