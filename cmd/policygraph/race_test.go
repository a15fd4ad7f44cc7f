package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/graph/graphtest"
)

// raceRounds is how many rounds TestTwoServersRace runs:
// POLICYGRAPH_RACE_ROUNDS, or a few for an everyday go test ./...
func raceRounds() int {
	if n, err := strconv.Atoi(os.Getenv("POLICYGRAPH_RACE_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// claimPlan is a plan document id defining one measure of the given id.
func claimPlan(id, measure string) string {
	return fmt.Sprintf("id: %s\ncity: fuzhou\nissuer: fuzhou-government\ntitle: {en: Claim %s}\nsource: interchain-pulse-2020-06\nmeasures:\n"+
		"  - id: %s\n    kind: action\n    title: Claimed\n    technologies: [{id: blockchain, basis: explicit}]\n    evidence: {section: s, summary: Claimed by %s.}\n",
		id, id, measure, id)
}

type putResult struct {
	status int
	body   string
}

func put(t *testing.T, base, id, body string, header ...string) putResult {
	req, _ := http.NewRequest(http.MethodPut, base+"/v1/plans/"+id, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/yaml")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("PUT %s: %v", id, err)
		return putResult{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return putResult{resp.StatusCode, string(b)}
}

// both runs f against each server at once.
func both(bases [2]string, f func(i int, base string) putResult) [2]putResult {
	var out [2]putResult
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, b := range bases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = f(i, b)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// planTitle is the English title of plan id as server base answers it.
func planTitle(t *testing.T, base, id string) (title, version string) {
	resp, err := http.Get(base + "/v1/plans/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Title map[string]string `json:"title"`
	}
	if resp.StatusCode != http.StatusOK {
		return "", ""
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Title["en"], strings.Trim(resp.Header.Get("ETag"), `"`)
}

// agree waits until both servers answer plan id with title want.
func agree(t *testing.T, bases [2]string, id, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		a, _ := planTitle(t, bases[0], id)
		b, _ := planTitle(t, bases[1], id)
		if a == want && b == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s the servers answer %q and %q for %s, the store holds %q", a, b, id, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTwoServersRace runs two server processes over one PostgreSQL
// schema, the documented way to share a graph, and races them (issue 17):
// writes of one plan through both at once, one If-Match through both,
// two plans claiming one measure id, and a write through one read
// through the other. Before writes were serialised in the database, the
// plan's record was duplicated, both If-Match writes passed, both claims
// were stored and later writes were never seen by the other server.
func TestTwoServersRace(t *testing.T) {
	dsn := os.Getenv("POLICYGRAPH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POLICYGRAPH_TEST_POSTGRES is not set: the two-server race needs a shared PostgreSQL")
	}
	if testing.Short() {
		t.Skip("runs two real servers")
	}
	bin := buildBinary(t)
	dir := copyData(t)
	storeArgs := []string{"--db", "postgres", "--dbpath", graphtest.PostgresSchema(t, dsn)}
	var bases [2]string
	for i := range bases {
		cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--write-token", "t"}, storeArgs...)...)
		bases[i] = startAndWait(t, cmd)
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	st, err := graph.Open(context.Background(), graph.Config{Backend: "postgres", Path: storeArgs[3]})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ok := func(r putResult) bool { return r.status == http.StatusOK || r.status == http.StatusCreated }

	for round := range raceRounds() {
		// One plan through both servers at once: both stand, one wins whole.
		rs := both(bases, func(i int, base string) putResult {
			return put(t, base, "raced", genPlan("raced", i))
		})
		if !ok(rs[0]) || !ok(rs[1]) {
			t.Fatalf("round %d: racing writes answered %d %s / %d %s", round, rs[0].status, rs[0].body, rs[1].status, rs[1].body)
		}
		rep, err := st.Repair(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if rep.Changed() {
			t.Errorf("round %d: the race left %s", round, rep)
		}
		v, err := st.Fresh(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		title := v.Plan("raced").Titles["en"]
		if title != "Plan raced variant 0" && title != "Plan raced variant 1" {
			t.Fatalf("round %d: the store holds title %q", round, title)
		}
		agree(t, bases, "raced", title)

		// One If-Match through both: exactly one passes.
		_, ver := planTitle(t, bases[0], "raced")
		rs = both(bases, func(i int, base string) putResult {
			// Contents unlike the stored one: rewriting what is stored is a no-op that passes.
			body := strings.Replace(genPlan("raced", i), "title: {en: Plan", fmt.Sprintf("title: {en: Conditional %d plan", round), 1)
			return put(t, base, "raced", body, "If-Match", `"`+ver+`"`)
		})
		if ok(rs[0]) == ok(rs[1]) {
			t.Errorf("round %d: If-Match %s through both servers answered %d and %d, want one 2xx and one 412", round, ver, rs[0].status, rs[1].status)
		}
		for _, r := range rs {
			if !ok(r) && r.status != http.StatusPreconditionFailed {
				t.Errorf("round %d: the losing conditional write answered %d %s", round, r.status, r.body)
			}
		}

		// Two plans claiming one measure id: exactly one is stored.
		measure := fmt.Sprintf("claimed-%d", round)
		rs = both(bases, func(i int, base string) putResult {
			id := fmt.Sprintf("claim-%d-%d", round, i)
			return put(t, base, id, claimPlan(id, measure))
		})
		if ok(rs[0]) == ok(rs[1]) {
			t.Errorf("round %d: two plans claiming %s answered %d and %d, want one 2xx and one refusal", round, measure, rs[0].status, rs[1].status)
		}
		for _, r := range rs {
			if !ok(r) && r.status != http.StatusConflict && r.status != http.StatusUnprocessableEntity {
				t.Errorf("round %d: the losing claim answered %d %s", round, r.status, r.body)
			}
		}

		// A later write through one is seen through the other.
		later := genPlan("raced", round%2)
		later = strings.Replace(later, "title: {en: Plan raced variant", fmt.Sprintf("title: {en: Round %d plan raced variant", round), 1)
		if r := put(t, bases[round%2], "raced", later); !ok(r) {
			t.Fatalf("round %d: later write %d %s", round, r.status, r.body)
		}
		agree(t, bases, "raced", fmt.Sprintf("Round %d plan raced variant %d", round, round%2))
	}
}
