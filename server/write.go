package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// fieldError is one problem in an uploaded document.
type fieldError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

var planID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// requireWriter lets a request through only with a configured token, and
// records the token's name as the writer (see writer). Writes are off
// without one; tokens are compared in constant time.
func (s *Server) requireWriter() gin.HandlerFunc {
	return func(c *gin.Context) {
		if len(s.writers.names) == 0 {
			s.fail(c, &apiError{Status: http.StatusForbidden, Code: "writes_disabled",
				Message: "writes are disabled: start the server with --write-token (or POLICYGRAPH_WRITE_TOKEN) to allow them"})
			return
		}
		got, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		name, known := s.writers.writerOf(got)
		if !ok || !known {
			c.Header("WWW-Authenticate", `Bearer realm="policygraph"`)
			s.fail(c, &apiError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "a write needs Authorization: Bearer <token>"})
			return
		}
		c.Set(writerKey, name)
		c.Next()
	}
}

const writerKey = "policygraph.writer"

// catalog is the graph's ids outside one document's own graph.
type catalog struct {
	v     *view.View
	graph string
}

func (c catalog) IDs(t schema.Type) []string { return c.v.IDsOutside(t, c.graph) }

func (c catalog) Has(t schema.Type, id string) bool { return c.v.HasOutside(t, id, c.graph) }

func pathPlanID(c *gin.Context) (string, error) {
	id := c.Param("id")
	if !planID.MatchString(id) {
		return "", badRequest("bad plan id %q: use lower-case letters, digits and single hyphens", id)
	}
	return id, nil
}

// putPlan creates or replaces one plan document, validated like a data
// file, in one transaction.
func (s *Server) putPlan() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathPlanID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		body, err := readBody(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		match, err := ifMatch(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		createOnly, err := ifNoneMatchAny(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if createOnly && match != "" {
			s.fail(c, badRequest("If-Match and If-None-Match: * together can never both hold: send one"))
			return
		}
		if err := checkYAMLShape(body); err != nil {
			s.fail(c, badRequest("%v", err))
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		doc, err := loader.ParsePlan("request body", body, id, catalog{v, "plan/" + id})
		var verrs loader.Errors
		if errors.As(err, &verrs) {
			s.fail(c, invalidDocument(verrs))
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		ctx, err := changeContext(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		put := func() (graph.PutResult, error) { return s.store.PutDocument(ctx, doc, match) }
		if createOnly {
			put = func() (graph.PutResult, error) { return s.store.CreateDocument(ctx, doc) }
		}
		res, err := put()
		if err != nil {
			s.fail(c, err)
			return
		}
		s.refreshAfter(c, &graph.Written{Puts: []*schema.Document{doc}})
		status := http.StatusOK
		if res.Created {
			status = http.StatusCreated
		}
		c.Header("ETag", `"`+res.Version+`"`)
		c.JSON(status, gin.H{"plan": id, "version": res.Version, "created": res.Created, "quads": len(doc.Quads)})
	}
}

// maxListedErrors is how many problems of a document an answer lists;
// the rest are counted. A body of a megabyte of bad list items has
// hundreds of thousands, and listing them all made answers of 275 MB.
const maxListedErrors = 100

// invalidDocument is the 422 for a document's problems: the first
// maxListedErrors of them, and how many more there are.
func invalidDocument(verrs loader.Errors) *apiError {
	shown := verrs[:min(len(verrs), maxListedErrors)]
	fes := make([]fieldError, len(shown))
	for i, e := range shown {
		fes[i] = fieldError{Line: e.Line, Column: e.Col, Field: e.Field, Message: e.Msg}
	}
	msg := shown[0].Error()
	if len(verrs) > 1 {
		msg = fmt.Sprintf("%d problems in the document; the first: %s", len(verrs), msg)
	}
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_document",
		Message: msg, Errors: fes, MoreErrors: len(verrs) - len(shown)}
}

// refresh waits for the View of what a write just stored, so that its
// writer's next question sees it; other readers keep the previous View
// until then. The write stands either way: a failure is only logged.
func (s *Server) refresh(c *gin.Context) { s.refreshAfter(c, nil) }

// refreshAfter is refresh knowing what the write changed (w, when not
// nil), so the View can be patched from it without reading it back.
func (s *Server) refreshAfter(c *gin.Context, w *graph.Written) {
	// Not cut short by the request's deadline: the write is done, and a
	// build abandoned halfway would leave the writer reading the old View.
	ctx := context.WithoutCancel(c.Request.Context())
	var err error
	if w != nil {
		_, err = s.store.FreshAfter(ctx, *w)
	} else {
		_, err = s.store.Fresh(ctx)
	}
	if err != nil {
		s.log.Warn("view after write", "err", err)
	}
}

// deletePlan removes one plan document in one transaction.
func (s *Server) deletePlan() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathPlanID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		match, err := ifMatch(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		ctx, err := changeContext(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		var cascade graph.Cascade
		switch mode := c.Query("cascade"); mode {
		case "":
		case "relations":
			v, err := s.view(c)
			if err != nil {
				s.fail(c, err)
				return
			}
			cascade = cascadeRelations(v, id)
		default:
			s.fail(c, badRequest("bad cascade %q: the one cascade is \"relations\" (removes the related entries that name the plan from the plans that list it)", mode))
			return
		}
		if err := s.store.DeleteDocument(ctx, "plan/"+id, match, cascade); err != nil {
			s.fail(c, err)
			return
		}
		if cascade == nil {
			// Nothing but the plan was written.
			s.refreshAfter(c, &graph.Written{Deletes: []string{"plan/" + id}})
		} else {
			s.refresh(c)
		}
		c.JSON(http.StatusOK, gin.H{"plan": id, "deleted": true})
	}
}

// plan answers one plan with its version, for conditional writes.
func (s *Server) plan() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathPlanID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if t, past := asOf(c); past {
			s.planAsOf(c, id, t)
			return
		}
		// The version is read first and the View after, waiting for a View
		// at least that new: an ETag must never come with an older body, or
		// a client editing that body would pass If-Match and undo a write.
		doc, stored, err := s.store.DocumentSource(c.Request.Context(), "plan/"+id)
		if err != nil {
			s.fail(c, err)
			return
		}
		v, err := s.store.Fresh(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		p := v.Plan(id)
		if !stored || p == nil {
			ids := v.IDsOutside(schema.Plan, "")
			s.fail(c, notFound(schema.Suggest(id, ids, 3), "unknown plan %q", id))
			return
		}
		ver := doc.Version
		c.Header("ETag", `"`+ver+`"`)
		c.Header("Vary", "Accept")
		if inm := c.GetHeader("If-None-Match"); inm != "" && etagListed(inm, ver) {
			c.Status(http.StatusNotModified)
			return
		}
		s.planDocument(c, id, doc.Source)
	}
}

// planDocument answers a plan document: as it was written for Accept:
// application/yaml, for an editor to change and PUT back, and otherwise
// as JSON in its canonical form, which PUT takes back as the same version.
func (s *Server) planDocument(c *gin.Context, id string, src []byte) {
	if len(src) == 0 {
		s.fail(c, &apiError{Status: http.StatusConflict, Code: "no_text", Message: fmt.Sprintf("plan %q was stored without its text; load it again from its file", id)})
		return
	}
	if wantsYAML(c) {
		c.Data(http.StatusOK, "application/yaml; charset=utf-8", src)
		return
	}
	j, err := loader.PlanJSON(src)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", j)
}

// cascadeRelations edits the plans whose related entries name plan id,
// removing those entries, so that the plan can be deleted with them in one
// transaction. Any other reference (a mention count scoped to the plan)
// still refuses the delete: removing it would change what the count says.
func cascadeRelations(v *view.View, id string) graph.Cascade {
	return func(refs []graph.Referrer) ([]*schema.Document, error) {
		var blocking []graph.Referrer
		byDoc := map[string]graph.Referrer{}
		var order []string
		for _, r := range refs {
			if !r.Relation {
				blocking = append(blocking, r)
				continue
			}
			if _, seen := byDoc[r.Document]; !seen {
				order = append(order, r.Document)
			}
			byDoc[r.Document] = r
		}
		if len(blocking) > 0 {
			return nil, &graph.ReferencedError{ID: "plan/" + id, Referrers: blocking}
		}
		var out []*schema.Document
		for _, docID := range order {
			r := byDoc[docID]
			planID, ok := strings.CutPrefix(docID, "plan/")
			if !ok {
				return nil, &graph.ReferencedError{ID: "plan/" + id, Referrers: []graph.Referrer{r}}
			}
			src, err := loader.RemoveRelated(r.Source, id)
			if err != nil {
				return nil, &apiError{Status: http.StatusConflict, Code: "referenced", Message: fmt.Sprintf("%s refers to plan %q: %v", docID, id, err)}
			}
			doc, err := loader.ParsePlan(r.Path, src, planID, catalog{v, docID})
			if err != nil {
				return nil, fmt.Errorf("cascade: %s without its related entry for %s: %w", docID, id, err)
			}
			doc.Path = r.Path
			out = append(out, doc)
		}
		return out, nil
	}
}

// wantsYAML reports whether the client asks for the document as written.
func wantsYAML(c *gin.Context) bool { return strings.Contains(c.GetHeader("Accept"), "yaml") }

// etagListed reports whether an If-None-Match list names version (or is *).
func etagListed(list, version string) bool {
	for _, tag := range strings.Split(list, ",") {
		tag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(tag), "W/"), `"`)
		if tag == "*" || tag == version {
			return true
		}
	}
	return false
}
