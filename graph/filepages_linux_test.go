package graph

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestViewBuildReleasesFilePages: after a View is built from bolt, the
// pages of the bolt file that the build read are no longer counted in
// the process's resident set, and the store still reads right after.
func TestViewBuildReleasesFilePages(t *testing.T) {
	for _, backend := range []string{"bolt", "bbolt"} {
		t.Run(backend, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "pg.db")
			st := openStore(t, Config{Backend: backend, Path: dir})
			apply(t, st, loadDir(t, dataDir))
			// Touch every page as a build does, then build.
			v, err := st.BuildView(t.Context(), "before")
			if err != nil {
				t.Fatal(err)
			}
			if got := mappedRss(t, dir); got == 0 {
				t.Fatal("reading the store left no page of the bolt file resident; the test shows nothing")
			}
			st.releaseFilePages()
			if got := mappedRss(t, dir); got != 0 {
				t.Errorf("after the release %d kB of the bolt file are resident, want 0", got)
			}
			again, err := st.BuildView(t.Context(), "after")
			if err != nil {
				t.Fatal(err)
			}
			if viewJSON(t, again) != viewJSON(t, v) {
				t.Error("the store reads differently after its pages were released")
			}
		})
	}
}

// mappedRss sums the Rss of this process's mappings of files under dir,
// in kB, from /proc/self/smaps.
func mappedRss(t *testing.T, dir string) int {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	total, in := 0, false
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			// A mapping's first line; anonymous ones name no file.
			in = len(f) >= 6 && strings.HasPrefix(f[5], real+"/")
		case in && len(f) >= 2 && f[0] == "Rss:":
			n, _ := strconv.Atoi(f[1])
			total += n
		}
	}
	return total
}
