//go:build unix

package graphbench

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time this process has used, user and system: on a
// machine shared with other work, wall times follow its load, and this
// does not.
func CPUTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
