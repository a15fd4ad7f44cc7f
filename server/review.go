package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// reviewRow is one extracted link in GET /v1/review.
type reviewRow struct {
	Plan       string   `json:"plan"`
	Measure    string   `json:"measure"`
	Technology string   `json:"technology,omitempty"`
	Domain     string   `json:"domain,omitempty"`
	Basis      string   `json:"basis,omitempty"` // of a technology link
	Confidence *float64 `json:"confidence"`
	Extractor  string   `json:"extractor,omitempty"`
	// Sentence is the sentence the link was read from, Quote the clause,
	// Offset and OffsetEnd the clause's byte offsets in the source text.
	Sentence   string `json:"sentence"`
	Quote      string `json:"quote,omitempty"`
	Offset     *int64 `json:"offset"`
	OffsetEnd  *int64 `json:"offset_end"`
	Method     string `json:"method"`
	ReviewedBy string `json:"reviewed_by,omitempty"`
	ReviewedAt string `json:"reviewed_at,omitempty"`
}

var reviewColumns = []column[reviewRow]{
	{"plan", func(r reviewRow) string { return r.Plan }},
	{"measure", func(r reviewRow) string { return r.Measure }},
	{"technology", func(r reviewRow) string { return r.Technology }},
	{"domain", func(r reviewRow) string { return r.Domain }},
	{"basis", func(r reviewRow) string { return r.Basis }},
	{"confidence", func(r reviewRow) string {
		if r.Confidence == nil {
			return ""
		}
		return strconv.FormatFloat(*r.Confidence, 'g', -1, 64)
	}},
	{"sentence", func(r reviewRow) string { return r.Sentence }},
	{"offset", func(r reviewRow) string { return int64Text(r.Offset) }},
	{"offset_end", func(r reviewRow) string { return int64Text(r.OffsetEnd) }},
	{"method", func(r reviewRow) string { return r.Method }},
	{"reviewed_by", func(r reviewRow) string { return r.ReviewedBy }},
	{"reviewed_at", func(r reviewRow) string { return r.ReviewedAt }},
}

func int64Text(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// reviewQueue lists extracted links: pending (the default) are those no
// one reviewed yet, reviewed those someone accepted or edited.
func (s *Server) reviewQueue() gin.HandlerFunc {
	return func(c *gin.Context) {
		want := schema.MethodExtracted
		switch st := c.DefaultQuery("status", "pending"); st {
		case "pending":
		case "reviewed":
			want = schema.MethodReviewed
		default:
			s.fail(c, badRequest("bad status %q: use pending or reviewed", st))
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		plan := c.Query("plan")
		if plan != "" && v.Plan(plan) == nil {
			s.fail(c, notFound(schema.Suggest(plan, v.IDsOutside(schema.Plan, ""), 3), "unknown plan %q", plan))
			return
		}
		rows := []reviewRow{}
		for _, m := range v.Measures {
			if plan != "" && m.Plan != plan {
				continue
			}
			basis := map[string]string{}
			for _, t := range m.Technologies {
				basis[t.Technology] = string(t.Basis)
			}
			for _, p := range m.Provenance {
				if p.Method != want {
					continue
				}
				rows = append(rows, reviewRow{Plan: m.Plan, Measure: m.ID, Technology: p.Technology, Domain: p.Domain,
					Basis: basis[p.Technology], Confidence: p.Confidence, Extractor: p.Extractor,
					Sentence: m.Evidence.Summary, Quote: m.Evidence.Quote, Offset: m.Evidence.Offset, OffsetEnd: m.Evidence.OffsetEnd,
					Method: p.Method, ReviewedBy: p.ReviewedBy, ReviewedAt: p.ReviewedAt})
			}
		}
		table(s, c, rows, reviewColumns)
	}
}

// maxDecisions bounds one review request.
const maxDecisions = 1000

// review applies a reviewer's decisions on a plan's extracted links, all
// in one write attributed to the token's name, or none of them.
func (s *Server) review() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathPlanID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		var req struct {
			Decisions []loader.Decision `json:"decisions"`
		}
		if err := decodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
		if len(req.Decisions) > maxDecisions {
			s.fail(c, badRequest("%d decisions; the most in one request is %d", len(req.Decisions), maxDecisions))
			return
		}
		ctx, err := changeContext(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		stored, ok, err := s.store.DocumentSource(ctx, "plan/"+id)
		if err != nil {
			s.fail(c, err)
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if !ok {
			s.fail(c, notFound(schema.Suggest(id, v.IDsOutside(schema.Plan, ""), 3), "unknown plan %q", id))
			return
		}
		who := c.GetString(writerKey)
		src, err := loader.ReviewPlan(stored.Source, req.Decisions, who, time.Now())
		var re *loader.ReviewError
		if errors.As(err, &re) {
			status := map[string]int{loader.ReviewBad: http.StatusBadRequest, loader.ReviewNotFound: http.StatusNotFound, loader.ReviewConflict: http.StatusConflict}[re.Kind]
			code := map[string]string{loader.ReviewBad: "bad_decision", loader.ReviewNotFound: "not_found", loader.ReviewConflict: "not_pending"}[re.Kind]
			s.fail(c, &apiError{Status: status, Code: code, Message: fmt.Sprintf("plan %s: %s; no decision was applied", id, re.Error())})
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		doc, err := loader.ParsePlan(stored.Path, src, id, catalog{v, "plan/" + id})
		if err != nil {
			s.fail(c, fmt.Errorf("review of %s: the reviewed plan does not validate: %w", id, err))
			return
		}
		doc.Path = stored.Path
		if changeOfMessage(c) == "" {
			ctx = graph.WithChange(ctx, graph.Change{Who: who, Message: fmt.Sprintf("review: %d decision(s)", len(req.Decisions))})
		}
		res, err := s.store.PutDocument(ctx, doc, stored.Version)
		if errors.Is(err, graph.ErrStale) {
			s.fail(c, &apiError{Status: http.StatusConflict, Code: "changed", Message: fmt.Sprintf("plan %s changed while the review was applied; no decision was applied: read the queue again", id)})
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		s.refresh(c)
		c.Header("ETag", `"`+res.Version+`"`)
		c.JSON(http.StatusOK, gin.H{"plan": id, "version": res.Version, "applied": len(req.Decisions), "reviewer": who})
	}
}

// changeOfMessage is the message a write was sent with, if any.
func changeOfMessage(c *gin.Context) string {
	return c.GetHeader("X-Change-Message") + c.Query("message")
}
