package loader

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
)

const draftPlan = `id: draft-b
city: fuzhou
issuer: ""
title: {zh: 草案}
source: ""
status: draft
extractor: policygraph-extract/1
measures:
  - id: draft-b-1
    kind: draft
    title: 区块链金融
    technologies:
      - {id: blockchain, basis: extracted}
    domains: [finance]
    evidence: {section: p1, summary: 区块链金融。}
    extracted:
      - {type: technology, id: blockchain, text: 区块链, offset: 0, offset_end: 9, confidence: 0.95, linked: true, where: clause}
      - {type: domain, id: finance, text: 金融, offset: 9, offset_end: 15, confidence: 0.8, linked: true, where: clause}
`

// TestDraftStatus: status: draft lets issuer and source be empty, and
// relaxes nothing else.
func TestDraftStatus(t *testing.T) {
	ds, err := Load(copyMini(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, edit, want string
	}{
		{"as extracted", "", ""},
		{"without the status", "status: draft\n", `source: must not be empty`},
		{"another status", "status: draft\n|status: final\n", `unknown status "final"`},
		{"an empty city", "city: fuzhou\n|city: \"\"\n", "city: must not be empty"},
		{"an unknown issuer", "issuer: \"\"\n|issuer: nobody\n", `unknown organization "nobody"`},
	} {
		src := draftPlan
		if tc.edit != "" {
			from, to, _ := strings.Cut(tc.edit, "|")
			src = strings.Replace(src, from, to, 1)
		}
		doc, err := ParsePlan("body", []byte(src), "draft-b", ds)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			for _, q := range doc.Quads {
				if q.Predicate == schema.IssuedBy || q.Predicate == schema.EvidenceSource {
					t.Errorf("%s: a draft without issuer or source stores %v", tc.name, q)
				}
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func provenanceQuads(t *testing.T, src []byte) map[string]string {
	t.Helper()
	ds, err := Load(copyMini(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParsePlan("body", src, "draft-b", ds)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, q := range doc.Quads {
		if s, ok := q.Subject.(quad.IRI); ok && strings.Contains(string(s), "/link/") {
			out[string(s)[len(schema.Base):]+" "+string(q.Predicate.(quad.IRI))[len(schema.Base+"ns#"):]] = quad.ToString(q.Object)
		}
	}
	return out
}

// TestReviewPlan: decisions change the links and record who and when;
// a bad batch changes nothing.
func TestReviewPlan(t *testing.T) {
	before := provenanceQuads(t, []byte(draftPlan))
	if before["link/draft-b-1/technology/blockchain method"] != schema.MethodExtracted ||
		before["link/draft-b-1/domain/finance confidence"] != `"8E-01"^^<xsd:double>` ||
		before["link/draft-b-1/technology/blockchain extractorVersion"] != "policygraph-extract/1" {
		t.Fatalf("provenance of a draft: %v", before)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	_, err := ReviewPlan([]byte(draftPlan), []Decision{{Measure: "draft-b-1", Technology: "blockchain", Action: "accept"}, {Measure: "draft-b-1", Domain: "health", Action: "reject"}}, "alice", at)
	var re *ReviewError
	if !errors.As(err, &re) || re.Kind != ReviewNotFound || re.Error() != "decisions[1] (measure draft-b-1, domain/health): the measure has no link to domain/health" {
		t.Fatalf("a batch with a bad decision: %v", err)
	}
	out, err := ReviewPlan([]byte(draftPlan), []Decision{{Measure: "draft-b-1", Technology: "blockchain", Action: "accept"}, {Measure: "draft-b-1", Domain: "finance", Action: "reject"}}, "alice", at)
	if err != nil {
		t.Fatal(err)
	}
	after := provenanceQuads(t, out)
	if after["link/draft-b-1/technology/blockchain method"] != schema.MethodReviewed || after["link/draft-b-1/technology/blockchain reviewedBy"] != "alice" ||
		after["link/draft-b-1/technology/blockchain reviewedAt"] != "2026-12-01T10:00:00Z" {
		t.Errorf("provenance after review: %v", after)
	}
	if _, kept := after["link/draft-b-1/domain/finance method"]; kept {
		t.Errorf("a rejected link keeps its provenance: %v", after)
	}
	if !strings.Contains(string(out), "basis: explicit") || strings.Contains(string(out), "domains:") {
		t.Errorf("reviewed document:\n%s", out)
	}
	_, err = ReviewPlan(out, []Decision{{Measure: "draft-b-1", Technology: "blockchain", Action: "reject"}}, "bob", at)
	if !errors.As(err, &re) || re.Kind != ReviewConflict || !strings.Contains(re.Msg, "reviewed already (accept by alice at 2026-12-01T10:00:00Z)") {
		t.Errorf("a second decision: %v", err)
	}
}
