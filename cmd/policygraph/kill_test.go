package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphtest"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// killRounds is how many times each kill test kills the binary:
// POLICYGRAPH_KILL_ROUNDS, or a few for an everyday go test ./...
func killRounds() int {
	if n, err := strconv.Atoi(os.Getenv("POLICYGRAPH_KILL_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// killStores are the stores the kill tests run against: bolt always,
// PostgreSQL when POLICYGRAPH_TEST_POSTGRES holds a DSN (each run in a
// schema of its own).
func killStores(t *testing.T) map[string]func(t *testing.T) []string {
	out := map[string]func(t *testing.T) []string{
		"bolt": func(t *testing.T) []string {
			return []string{"--db", "bolt", "--dbpath", filepath.Join(t.TempDir(), "pg.db")}
		},
	}
	if dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES"); dsn != "" {
		out["postgres"] = func(t *testing.T) []string {
			return []string{"--db", "postgres", "--dbpath", graphtest.PostgresSchema(t, dsn)}
		}
	}
	return out
}

// bigData writes the real dataset plus n generated plans, enough that a
// load takes long enough to be killed in the middle.
func bigData(t *testing.T, n int) string {
	dir := copyData(t)
	for i := range n {
		id := fmt.Sprintf("gen-%03d", i)
		if err := os.WriteFile(filepath.Join(dir, "plans", id+".yaml"), []byte(genPlan(id, i%2)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// genPlan is a plan document; its two variants differ in every measure.
func genPlan(id string, variant int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\ncity: fuzhou\nissuer: fuzhou-government\ntitle: {en: Plan %s variant %d}\nsource: interchain-pulse-2020-06\nmeasures:\n", id, id, variant)
	for m := range 20 + variant {
		fmt.Fprintf(&b, "  - id: %s-v%d-m%d\n    kind: action\n    title: Measure %d\n    technologies: [{id: blockchain, basis: explicit}, {id: 5g, basis: inferred}]\n    domains: [finance, government]\n    evidence: {section: s%d, summary: Generated measure %d of %s.}\n", id, variant, m, m, m, m, id)
	}
	return b.String()
}

func buildBinary(t testing.TB) string {
	bin := filepath.Join(t.TempDir(), "policygraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// storeGraphs opens the store the flags name and returns its quads by
// named graph, as N-Quads lines.
func storeGraphs(t *testing.T, storeArgs []string) map[string]map[string]bool {
	t.Helper()
	cfg := graph.Config{Backend: storeArgs[1], Path: storeArgs[3]}
	st, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("the store does not open again: %v", err)
	}
	defer st.Close()
	qs, err := st.AllQuads(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, q := range qs {
		id, _ := schema.GraphID(q.Label)
		if out[id] == nil {
			out[id] = map[string]bool{}
		}
		out[id][q.NQuad()] = true
	}
	return out
}

// quadSet is a document's quads as N-Quads lines, as the store returns them.
func quadSet(t *testing.T, id string, qs []quad.Quad) map[string]bool {
	// Round-trip through a memory store so literals take the store's form.
	st, err := graph.Open(context.Background(), graph.Config{Backend: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	doc := &schema.Document{ID: id, Quads: qs, Origin: schema.FromFile}
	if _, err := st.Apply(context.Background(), "h", []*schema.Document{doc}, nil); err != nil {
		t.Fatal(err)
	}
	all, err := st.AllQuads(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, q := range all {
		out[q.NQuad()] = true
	}
	return out
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// TestKillDuringLoad kills `policygraph load` at random points; the store
// always opens again and holds each document whole or not at all.
func TestKillDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the real binary")
	}
	bin := buildBinary(t)
	dir := bigData(t, 120)
	ds, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, store := range killStores(t) {
		t.Run(name, func(t *testing.T) {
			want := map[string]map[string]bool{}
			for _, d := range ds.Graphs {
				want[d.ID] = quadSet(t, d.ID, d.Quads)
			}
			r := rand.New(rand.NewPCG(7, uint64(len(name))))
			var args []string
			for round := range killRounds() {
				// Every other round starts from an empty store, the rest
				// go on from what the last kill left.
				if round%2 == 0 {
					args = store(t)
				}
				cmd := exec.Command(bin, append([]string{"load", "--data", dir}, args...)...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(30+r.IntN(600)) * time.Millisecond)
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()
				got := storeGraphs(t, args)
				whole := 0
				for id, qs := range got {
					if id == "" {
						continue
					}
					if !sameSet(qs, want[id]) {
						t.Fatalf("round %d: %s holds %d quads, not the document's %d", round, id, len(qs), len(want[id]))
					}
					whole++
				}
				t.Logf("round %d: %d of %d documents stored, each whole", round, whole, len(want))
			}
			out, err := exec.Command(bin, append([]string{"load", "--data", dir}, args...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("load after the kills: %v\n%s", err, out)
			}
			got := storeGraphs(t, args)
			for id, qs := range want {
				if !sameSet(got[id], qs) {
					t.Errorf("after a full load %s is not whole", id)
				}
			}
		})
	}
}

// TestKillDuringPut kills `policygraph serve` while a client replaces a
// plan again and again; the plan is always one whole version.
func TestKillDuringPut(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the real binary")
	}
	bin := buildBinary(t)
	dir := copyData(t)
	var versions []map[string]bool
	for v := range 2 {
		ds, err := loader.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := loader.ParsePlan("v", []byte(genPlan("put-test", v)), "put-test", ds)
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, quadSet(t, doc.ID, doc.Quads))
	}
	for name, store := range killStores(t) {
		t.Run(name, func(t *testing.T) {
			args := store(t)
			r := rand.New(rand.NewPCG(11, uint64(len(name))))
			for round := range killRounds() {
				cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--write-token", "t"}, args...)...)
				base := startAndWait(t, cmd)
				stop := time.After(time.Duration(100+r.IntN(700)) * time.Millisecond)
				client := &http.Client{Timeout: 5 * time.Second}
			loop:
				for i := 0; ; i++ {
					select {
					case <-stop:
						break loop
					default:
					}
					req, _ := http.NewRequest(http.MethodPut, base+"/v1/plans/put-test", strings.NewReader(genPlan("put-test", i%2)))
					req.Header.Set("Authorization", "Bearer t")
					req.Header.Set("Content-Type", "application/yaml")
					if resp, err := client.Do(req); err == nil {
						resp.Body.Close()
					}
				}
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()
				got := storeGraphs(t, args)["plan/put-test"]
				if got != nil && !sameSet(got, versions[0]) && !sameSet(got, versions[1]) {
					t.Fatalf("round %d: the plan holds %d quads, neither version", round, len(got))
				}
			}
		})
	}
}

// startAndWait starts a serve command and returns the address it announces.
func startAndWait(t testing.TB, cmd *exec.Cmd) string {
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "policygraph: serving "); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			t.Fatal("the server exited before it served")
		}
		return a
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start in 30s")
	}
	return ""
}
