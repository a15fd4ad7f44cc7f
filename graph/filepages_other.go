//go:build !linux

package graph

// releaseFilePages is a no-op where /proc/self/maps is not to be read.
func (s *Store) releaseFilePages() {}
