//go:build unix

package graph

import (
	"errors"
	"os"
	"syscall"
)

// heldElsewhere reports whether another process holds f's flock: bolt
// takes a shared or exclusive one, so a probe that cannot get an
// exclusive lock means someone has the file open.
func heldElsewhere(f *os.File) (bool, error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return true, nil
		}
		return false, err
	}
	return false, syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
