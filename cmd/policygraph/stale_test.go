package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeKeepsTheLastGoodGraph: serve over a store holding a graph,
// with a data directory that no longer validates (or is gone), serves the
// graph last loaded and says why; --strict refuses, and so does a store
// with nothing to serve (issue 13).
func TestServeKeepsTheLastGoodGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildBinary(t)
	data := copyData(t)
	db := filepath.Join(t.TempDir(), "pg.db")
	if out, err := exec.Command(bin, "load", "--data", data, "--dbpath", db).CombinedOutput(); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	plan := filepath.Join(data, "plans", "beijing-blockchain-2020.yaml")
	src, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plan, bytes.Replace(src, []byte("reviewed:"), []byte("reviewd:"), 1), 0o644); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(bin, "serve", "--strict", "--addr", "127.0.0.1:0", "--data", data, "--dbpath", db).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "beijing-blockchain-2020.yaml:") || !strings.Contains(string(out), `unknown key "reviewd"`) {
		t.Errorf("serve --strict over bad data: %v\n%s", err, out)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if out, err := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--dbpath", empty).CombinedOutput(); err == nil {
		t.Errorf("serve of bad data into an empty store started:\n%s", out)
	}

	for _, dir := range []string{data, filepath.Join(t.TempDir(), "gone")} {
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--dbpath", db)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		base := startAndWait(t, cmd)
		resp, err := http.Get(base + "/v1/cities?technology=blockchain&domain=finance")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("--data %s: %v %v", dir, err, resp)
		}
		if resp != nil {
			resp.Body.Close()
		}
		var health struct {
			Status, Version string
			Data            struct {
				Errors  int
				Serving string
			}
		}
		// Health says warming until the search index is built too.
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if resp, err := http.Get(base + "/v1/health"); err == nil {
				json.NewDecoder(resp.Body).Decode(&health)
				resp.Body.Close()
			}
			if health.Status != "warming" || time.Now().After(deadline) {
				break
			}
		}
		if health.Status != "stale" || health.Data.Errors != 1 || !strings.Contains(health.Data.Serving, health.Version) || health.Version == "" {
			t.Errorf("--data %s: health %+v, want stale with 1 error and the version served", dir, health)
		}
		cmd.Process.Kill()
		cmd.Wait()
		if !strings.Contains(stderr.String(), "serving the graph last loaded instead") {
			t.Errorf("--data %s: stderr does not say what is served:\n%s", dir, stderr.String())
		}
	}
}
