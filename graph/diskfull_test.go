package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// smallFS mounts a tmpfs of size bytes at a new directory, or skips the
// test saying why it cannot.
func smallFS(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("disk-full test skipped: mounting a small filesystem needs root")
	}
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("disk-full test skipped: cannot mount a small filesystem here: %v %s", err, out)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill takes every free byte of the filesystem holding dir, and returns
// how to give them back.
func fill(t *testing.T, dir string) (free func()) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	for _, n := range []int{4096, 512, 1} { // the last scraps
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
	f.Close()
	return func() { os.Remove(f.Name()) }
}

// TestDiskFull: a write that meets a full disk is refused with
// ErrNoSpace and leaves nothing; once space is freed, the next writes are
// whole, and so is the store when opened again (issue 17: 12 of 12
// acknowledged creates after a disk-full PUT were unreadable).
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := smallFS(t, "48m")
	b := backend{"bolt", func(*testing.T) Config { return Config{Backend: "bolt", Path: filepath.Join(dir, "pg.db")} }}
	st, data, v := loadedCopy(t, b)
	clean, _, _ := loadedCopy(t, backend{"memory", func(*testing.T) Config { return Config{Backend: "memory"} }})

	free := fill(t, dir)
	failed := 0
	for i := range 64 {
		// New plans until one needs a page the disk cannot give: the
		// store's file may have room left for several.
		d := racePlan(t, v, fmt.Sprintf("full-%d", i), fmt.Sprintf("full-m-%d", i), "written to a full disk")
		_, err := st.PutDocument(ctx, d, "")
		if err == nil {
			// Stood after all: the clean store gets it too.
			if _, err := clean.PutDocument(ctx, d, ""); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !errors.Is(err, ErrNoSpace) {
			t.Fatalf("write to a full disk: %v, want ErrNoSpace", err)
		}
		failed++
		break
	}
	if failed == 0 {
		t.Fatal("no write met the full disk")
	}
	if got, want := export(t, st), export(t, clean); got != want {
		t.Errorf("the refused writes changed the graph:\n%s", firstDiff(got, want))
	}
	free()
	for i, w := range []func(*Store) error{
		func(s *Store) error {
			_, err := s.PutDocument(ctx, editedPlan(t, data, v, "beijing-new-infrastructure-2020", 1), "")
			return err
		},
		func(s *Store) error {
			_, err := s.PutDocument(ctx, racePlan(t, v, "after-full-plan", "after-full-measure", "after the disk was full"), "")
			return err
		},
		func(s *Store) error {
			_, err := s.PutDocument(ctx, editedPlan(t, data, v, "shanghai-new-infrastructure-2020", 2), "")
			return err
		},
	} {
		if err := w(st); err != nil {
			t.Fatalf("write %d after space was freed: %v", i, err)
		}
		if err := w(clean); err != nil {
			t.Fatal(err)
		}
	}
	want := export(t, clean)
	if got := export(t, st); got != want {
		t.Errorf("after a full disk the graph differs from a store that never filled:\n%s", firstDiff(got, want))
	}
	cfg := Config{Backend: st.backend, Path: st.path}
	st.Close()
	again := openStore(t, cfg)
	if rep, err := again.Repair(ctx); err != nil {
		t.Fatal(err)
	} else if rep.Changed() {
		t.Logf("Repair after the full disk: %s", rep)
	}
	if got := export(t, again); got != want {
		t.Errorf("opened again, the graph differs:\n%s", firstDiff(got, want))
	}
}
