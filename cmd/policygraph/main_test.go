package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runCLI runs the whole program in-process and returns its exit status and output.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, &out, &errOut)
	return exitCode(err, &errOut), out.String(), errOut.String()
}

// copyData copies the real data directory so a test may break it.
func copyData(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS("../../testdata/data")); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		stderr string
	}{
		{nil, 2, "Usage:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"validate", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"validate", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"export", "--db", "memory", "--format", "rdfxml"}, 2, `unknown --format "rdfxml"`},
		{[]string{"export", "--db", "memory", "--as-of", "yesterday"}, 2, `bad --as-of "yesterday"`},
		{[]string{"export", "--db", "memory", "--as-of", "2026-01-01T00:00:00Z"}, 1, "the store has recorded no write yet"},
		{[]string{"load", "--data", "../../testdata/data", "--db", "nosuchdb"}, 1, `unknown backend "nosuchdb"`},
		{[]string{"serve", "--query-timeout", "0s"}, 2, "--query-timeout must be positive"},
		{[]string{"serve", "--write-timeout", "-1s"}, 2, "--write-timeout must be positive"},
		{[]string{"serve", "--memory-limit", "2GB"}, 2, `--memory-limit: "2GB" is not a size`},
		{[]string{"serve", "--write-token", "alice=one", "--write-token", "alice=two"}, 2, `--write-token: write token 2: the name "alice" is given twice`},
		{[]string{"serve", "--write-token", "alice=same", "--write-token", "bob=same"}, 2, `tokens "alice" and "bob" have the same secret`},
		{[]string{"validate", "--data", "/nonexistent"}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			status, _, stderr := runCLI(t, nil, tt.args...)
			if status != tt.status || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("status %d, stderr %q; want %d and %q", status, stderr, tt.status, tt.stderr)
			}
		})
	}
	for _, cmd := range []string{"validate", "load", "export", "serve"} {
		status, _, stderr := runCLI(t, nil, cmd, "--help")
		if status != 0 || !strings.Contains(stderr, "Usage: policygraph "+cmd) {
			t.Errorf("%s --help: status %d, %q", cmd, status, stderr)
		}
	}
}

func TestValidateLoadExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pg.db")
	env := map[string]string{"POLICYGRAPH_DB": "bolt", "POLICYGRAPH_DBPATH": db}
	status, out, stderr := runCLI(t, env, "validate", "--data", "../../testdata/data")
	if status != 0 || !strings.Contains(out, "is valid: ") {
		t.Fatalf("validate: %d %q %q", status, out, stderr)
	}
	status, out, stderr = runCLI(t, env, "load", "--data", "../../testdata/data")
	if status != 0 || !strings.Contains(out, "7 documents") {
		t.Fatalf("load: %d %q %q", status, out, stderr)
	}
	// Not a terminal: one summary line, no progress line.
	if strings.Count(out, "\n") != 1 || strings.Contains(out, "\r") {
		t.Errorf("load printed more than its summary: %q", out)
	}
	_, before, _ := runCLI(t, env, "export")
	if !strings.Contains(before, `"10"^^<http://www.w3.org/2001/XMLSchema#integer>`) {
		t.Errorf("export lacks Fuzhou's count of 10")
	}

	// A typo anywhere: every error at its place, exit 1, the store untouched.
	broken := copyData(t)
	p := filepath.Join(broken, "plans", "fuzhou-new-infrastructure-2020.yaml")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "id: blockchain", "id: blockchian", 1)
	bad = strings.Replace(bad, "published: 2020-06-02", "published: 2020-06-31", 1)
	if bad == string(src) {
		t.Fatal("nothing to break in the Fuzhou plan")
	}
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"validate", "load"} {
		status, _, stderr = runCLI(t, env, cmd, "--data", broken)
		if status != 1 || !strings.Contains(stderr, `unknown technology "blockchian" (did you mean "blockchain"?)`) ||
			!strings.Contains(stderr, `bad date "2020-06-31"`) || !strings.Contains(stderr, p+":") {
			t.Errorf("%s of broken data: status %d, stderr %q", cmd, status, stderr)
		}
	}
	if _, after, _ := runCLI(t, env, "export"); after != before {
		t.Errorf("a failed load changed the store")
	}
	status, out, _ = runCLI(t, env, "export", "--format", "jsonld")
	var doc any
	if status != 0 || json.Unmarshal([]byte(out), &doc) != nil {
		t.Errorf("JSON-LD export: status %d", status)
	}
}

// TestServeBinary builds the real binary, serves the dataset on a free
// port and asks it the README's first question over TCP.
func TestServeBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "policygraph")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", "../../testdata/data", "--dbpath", filepath.Join(dir, "pg.db"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	}()
	base := ""
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "policygraph: serving "); ok {
			base = strings.Fields(rest)[0]
			break
		}
	}
	go func() { io.Copy(io.Discard, stdout); done <- cmd.Wait() }()
	if base == "" {
		t.Fatalf("no address announced; stderr: %s", stderr.String())
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(base + "/v1/cities?technology=blockchain&domain=finance")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Rows []struct {
			City, Basis string
			Measures    []string
		}
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	got := map[string]string{}
	for _, r := range body.Rows {
		got[r.City] = r.Basis
	}
	if len(got) != 2 || got["fuzhou"] != "explicit" || got["shanghai"] != "inferred" {
		t.Errorf("cities applying blockchain to finance: %v", got)
	}
	// The terminal client against the running server.
	ask, err := exec.Command(bin, "ask", "--server", base, "--format", "csv", "which cities use blockchain").Output()
	if err != nil || !strings.Contains(string(ask), "beijing,Beijing,explicit") || !strings.Contains(string(ask), "shanghai,Shanghai,inferred") {
		t.Errorf("ask --server: %v\n%s", err, ask)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no graceful exit after SIGTERM")
	}
	if !strings.Contains(stderr.String(), "path=\"/v1/cities?technology=blockchain&domain=finance\"") {
		t.Errorf("no request log line: %s", stderr.String())
	}
}

func TestExtractCommand(t *testing.T) {
	file := "../../loader/extract/testdata/plan_zh.txt"
	status, out, stderr := runCLI(t, nil, "extract", file, "--data", "../../testdata/data", "--city", "fuzhou", "--plan", "fz-draft")
	if status != 0 || !strings.Contains(out, "city: fuzhou") || !strings.Contains(out, "basis: extracted") || !strings.Contains(out, "technology: blockchain\n    count: 4") {
		t.Errorf("extract: status %d, stderr %q\n%s", status, stderr, out)
	}
	status, out, _ = runCLI(t, nil, "extract", "--format", "json", "--data", "../../testdata/data", file, file)
	var drafts []map[string]any
	if status != 0 || json.Unmarshal([]byte(out), &drafts) != nil || len(drafts) != 2 {
		t.Errorf("two files as JSON: status %d\n%s", status, out)
	}
	for _, bad := range [][]string{{"extract"}, {"extract", "--lang", "fr", file}, {"extract", "--format", "xml", file}} {
		if status, _, _ := runCLI(t, nil, bad...); status != 2 {
			t.Errorf("%v: status %d, want 2", bad, status)
		}
	}
	if status, _, stderr := runCLI(t, nil, "extract", "--data", "../../testdata/data", "/nonexistent.txt"); status != 1 || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: %d %q", status, stderr)
	}
}

func TestQueryAsk(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pg.db")
	env := map[string]string{"POLICYGRAPH_DBPATH": db}
	if status, _, stderr := runCLI(t, env, "load", "--data", "../../testdata/data"); status != 0 {
		t.Fatalf("load: %s", stderr)
	}
	status, out, stderr := runCLI(t, env, "ask", "which cities apply blockchain to finance?")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if status != 0 || len(lines) != 5 || !strings.HasPrefix(lines[0], "read as /v1/cities?") ||
		!strings.HasPrefix(lines[3], "fuzhou ") || !strings.Contains(lines[3], "explicit") || !strings.Contains(lines[4], "inferred") {
		t.Errorf("ask: status %d, stderr %q\n%s", status, stderr, out)
	}
	status, out, _ = runCLI(t, env, "ask", "--format", "csv", "北京发布了哪些规划")
	if status != 0 || !strings.Contains(out, "beijing-blockchain-2020") || !strings.Contains(out, "beijing-new-infrastructure-2020") {
		t.Errorf("ask CSV: %d\n%s", status, out)
	}
	status, _, stderr = runCLI(t, env, "ask", "tell me a joke")
	if status != 1 || !strings.Contains(stderr, "which cities apply blockchain to finance?") {
		t.Errorf("unreadable question: %d %q", status, stderr)
	}
	q := `g.V("<https://policygraph.org/id/city/fuzhou>").Out("<https://policygraph.org/ns#hasPlan>").All()`
	status, out, _ = runCLI(t, env, "query", q, "--format", "json")
	var res struct {
		Result []map[string]map[string]string `json:"result"`
	}
	if status != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Result) != 2 {
		t.Errorf("query: %d\n%s", status, out)
	}
	if status, _, _ := runCLI(t, env, "query"); status != 2 {
		t.Errorf("query without a query: status %d", status)
	}
}

// TestExportYAMLRoundTrip: the graph written back as data/ files loads
// into the same graph.
func TestExportYAMLRoundTrip(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pg.db")
	env := map[string]string{"POLICYGRAPH_DBPATH": db}
	if status, _, stderr := runCLI(t, env, "load", "--data", "../../testdata/data"); status != 0 {
		t.Fatal(stderr)
	}
	_, before, _ := runCLI(t, env, "export")
	out := filepath.Join(t.TempDir(), "data")
	status, msg, stderr := runCLI(t, env, "export", "--format", "yaml", "--out", out)
	if status != 0 || !strings.Contains(msg, "wrote 13 files") {
		t.Fatalf("export yaml: %d %q %q", status, msg, stderr)
	}
	env2 := map[string]string{"POLICYGRAPH_DBPATH": filepath.Join(t.TempDir(), "pg2.db")}
	if status, _, stderr := runCLI(t, env2, "load", "--data", out); status != 0 {
		t.Fatal(stderr)
	}
	if _, after, _ := runCLI(t, env2, "export"); after != before {
		t.Error("exported files load into a different graph")
	}
	if status, _, _ := runCLI(t, env, "export", "--format", "yaml"); status != 2 {
		t.Errorf("--format yaml without --out: status %d", status)
	}
}
