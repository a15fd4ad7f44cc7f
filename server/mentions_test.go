package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/view"
)

// TestMentionScope: a total counted over three cities' plans is never shown
// as one city's own count. Per city, only counts scoped to that city come
// back; shared ones need include_shared=true and then say shared and list
// their scope; an answer that left some out says so.
func TestMentionScope(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	type answer struct {
		tableOf[view.ScopedMention]
		Coverage []coverageNote `json:"coverage"`
	}
	bj := decode[answer](t, get(t, s, "/v1/mentions?city=beijing&technology=5g"), http.StatusOK)
	if bj.Total != 0 {
		t.Errorf("Beijing's own 5G counts: %+v, want none (the 70 is the three plans' total)", bj.Rows)
	}
	if len(bj.Coverage) != 1 || bj.Coverage[0].Status != "shared_only" || !slices.Equal(bj.Coverage[0].Mentions, []string{"three-plans-5g"}) || !strings.Contains(bj.Coverage[0].Note, "include_shared=true") {
		t.Errorf("coverage note: %+v", bj.Coverage)
	}
	all := decode[answer](t, get(t, s, "/v1/mentions?city=beijing&technology=5g&include_shared=true"), http.StatusOK)
	if all.Total != 1 || !all.Rows[0].Shared || !slices.Equal(all.Rows[0].Scope, []string{"beijing", "fuzhou", "shanghai"}) || all.Coverage != nil {
		t.Errorf("shared 5G count: %+v", all.Rows)
	}
	own := decode[answer](t, get(t, s, "/v1/mentions?city=beijing&technology=blockchain"), http.StatusOK)
	if own.Total != 1 || own.Rows[0].Shared || own.Rows[0].Count != 8 || !slices.Equal(own.Rows[0].Scope, []string{"beijing"}) {
		t.Errorf("Beijing's own blockchain count: %+v", own.Rows)
	}
	// Without a city nothing is left out, and shared rows still say so.
	g5 := decode[answer](t, get(t, s, "/v1/mentions?technology=5g"), http.StatusOK)
	if g5.Total != 1 || !g5.Rows[0].Shared || g5.Coverage != nil {
		t.Errorf("5G counts: %+v", g5.Rows)
	}
	bad := decode[errorBody](t, get(t, s, "/v1/mentions?city=beijing&include_shared=maybe"), http.StatusBadRequest)
	if !strings.Contains(bad.Error.Message, "include_shared") {
		t.Errorf("bad include_shared: %+v", bad.Error)
	}
}
