package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/graph"
)

// lateBadPlan sorts after every other plan and relates to a plan no file
// defines: a load finds that only once every file is read, after it has
// written the documents before it.
var lateBadPlan = func() string {
	b, err := os.ReadFile("../../testdata/late-plan.yaml")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// TestLoadFailingLateChangesNothing: a load whose one error is found
// after more than a batch of documents was written leaves the store
// exactly as it was: the same graph, and nothing left for Repair.
func TestLoadFailingLateChangesNothing(t *testing.T) {
	for name, store := range killStores(t) {
		t.Run(name, func(t *testing.T) {
			args := store(t)
			env := map[string]string{"POLICYGRAPH_DB": args[1], "POLICYGRAPH_DBPATH": args[3]}
			if status, out, stderr := runCLI(t, env, "load", "--data", "../../testdata/data"); status != 0 {
				t.Fatalf("load: %d %q %q", status, out, stderr)
			}
			_, before, _ := runCLI(t, env, "export")
			// 120 new plans are more than a batch: written before the last file is read.
			dir := bigData(t, 120)
			if err := os.WriteFile(filepath.Join(dir, "plans", "zzz-late-plan.yaml"), []byte(lateBadPlan), 0o644); err != nil {
				t.Fatal(err)
			}
			status, _, stderr := runCLI(t, env, "load", "--data", dir)
			if status != 1 || !strings.Contains(stderr, `zzz-late-plan.yaml:7:12: related[0].plan: unknown plan "no-such-plan"`) ||
				!strings.Contains(stderr, "1 error(s); nothing was written") {
				t.Fatalf("load of the late error: status %d, stderr %q", status, stderr)
			}
			if _, after, _ := runCLI(t, env, "export"); after != before {
				t.Errorf("the failed load changed the graph")
			}
			st, err := graph.Open(context.Background(), graph.Config{Backend: args[1], Path: args[3]})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if rep, err := st.Repair(context.Background()); err != nil || rep.Changed() {
				t.Errorf("the failed load left remains: %s (%v)", rep, err)
			}
		})
	}
}
