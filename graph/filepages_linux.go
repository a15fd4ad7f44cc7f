package graph

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// releaseFilePages takes the pages of a bolt file out of this process's
// resident set after a View was built. Building reads every quad, which
// makes every page of the memory-mapped file resident; the View then
// answers from memory and the file is read again only by writes and
// history, yet the pages stay counted in the server's RSS (as RssFile)
// until the kernel needs them. MADV_DONTNEED on a read-only shared file
// mapping only drops the process's page table entries: the data stays in
// the page cache and on disk, and a later read faults it back in.
//
// The mapping's address range is read from /proc/self/maps, so it must
// not change meanwhile: bolt maps its file again only when a write grows
// it or when the store is reopened after a failed write. Holding the
// write lock (without waiting: a running write just means the next build
// releases) and the handle shared rules out both.
func (s *Store) releaseFilePages() {
	if s.backend != "bolt" && s.backend != "bbolt" {
		return
	}
	if !s.writes.TryLock() {
		return
	}
	defer s.writes.Unlock()
	s.handle.RLock()
	defer s.handle.RUnlock()
	// Cayley keeps the bolt file inside the directory the path names.
	dir, err := filepath.Abs(s.path)
	if err != nil {
		return
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		start, end, ok := fileMapping(sc.Bytes(), dir)
		if ok {
			// Best effort: a failure leaves the pages resident, as before.
			_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_DONTNEED)
		}
	}
}

// fileMapping parses one line of /proc/self/maps ("start-end perms offset
// dev inode path") and reports the range when it maps a file under dir
// read-only.
func fileMapping(line []byte, dir string) (start, end uintptr, ok bool) {
	f := bytes.Fields(line)
	if len(f) < 6 || !strings.HasPrefix(string(f[5]), dir+"/") || len(f[1]) < 2 || f[1][1] == 'w' {
		return 0, 0, false
	}
	lo, hi, found := bytes.Cut(f[0], []byte("-"))
	if !found {
		return 0, 0, false
	}
	a, err1 := strconv.ParseUint(string(lo), 16, 64)
	b, err2 := strconv.ParseUint(string(hi), 16, 64)
	if err1 != nil || err2 != nil || b <= a {
		return 0, 0, false
	}
	return uintptr(a), uintptr(b), true
}
