//go:build !unix

package graph

import "os"

// heldElsewhere cannot tell without flock: bolt's own lock is the only
// guard there, and a second process waits for it.
func heldElsewhere(*os.File) (bool, error) { return false, nil }
