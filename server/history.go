package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/schema"
)

// maxMessage bounds a change message, in characters.
const maxMessage = 500

// changeContext is the request's context carrying who writes (the
// token's name, see requireWriter) and their message, from the
// X-Change-Message header or the message parameter.
func changeContext(c *gin.Context) (context.Context, error) {
	header, param := c.GetHeader("X-Change-Message"), c.Query("message")
	if header != "" && param != "" && header != param {
		return nil, badRequest("the change message is given twice, differently (X-Change-Message and message): send one")
	}
	msg := header + param
	if header != "" && param != "" {
		msg = header
	}
	where := "message"
	if header != "" {
		where = "X-Change-Message"
	}
	if !utf8.ValidString(msg) {
		return nil, badRequest("%s is not UTF-8", where)
	}
	if n := utf8.RuneCountInString(msg); n > maxMessage {
		return nil, badRequest("%s has %d characters; the most is %d", where, n, maxMessage)
	}
	if i := strings.IndexFunc(msg, unicode.IsControl); i >= 0 {
		return nil, badRequest("%s has a control character at byte %d", where, i)
	}
	who := c.GetString(writerKey)
	return graph.WithChange(c.Request.Context(), graph.Change{Who: who, Message: strings.TrimSpace(msg)}), nil
}

// versionRow is one version in GET /v1/plans/{id}/history.
type versionRow struct {
	Version int     `json:"version"`
	Time    *string `json:"time"` // null: stored before history was kept
	Who     string  `json:"who"`
	Message string  `json:"message"`
	Action  string  `json:"action"`
	Hash    string  `json:"hash,omitempty"` // the version's ETag; none for a delete
	Current bool    `json:"current"`
}

// planHistory reads the recorded versions of plan id, or a 404.
func (s *Server) planHistory(c *gin.Context) (string, []graph.Version, error) {
	id, err := pathPlanID(c)
	if err != nil {
		return "", nil, err
	}
	vs, err := s.store.History(c.Request.Context(), "plan/"+id)
	if err != nil {
		return "", nil, err
	}
	if t, past := asOf(c); past {
		// The versions written by then.
		n := 0
		for n < len(vs) && !vs[n].Time.After(t) {
			n++
		}
		vs = vs[:n]
	}
	if len(vs) == 0 {
		v, verr := s.view(c)
		if verr != nil {
			return "", nil, verr
		}
		return "", nil, notFound(schema.Suggest(id, v.IDsOutside(schema.Plan, ""), 3), "plan %q has no history: it was never stored", id)
	}
	return id, vs, nil
}

// history lists the versions of one plan, oldest first.
func (s *Server) history() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, vs, err := s.planHistory(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		rows := make([]versionRow, len(vs))
		for i, v := range vs {
			rows[i] = versionRow{Version: v.Number, Who: v.Who, Message: v.Message, Action: v.Action, Hash: v.Hash, Current: i == len(vs)-1 && !v.Deleted()}
			if !v.Time.IsZero() {
				t := v.Time.UTC().Format(time.RFC3339Nano)
				rows[i].Time = &t
			}
		}
		c.JSON(http.StatusOK, gin.H{"plan": id, "versions": rows})
	}
}

// diff answers what changed in one plan between two versions: by default
// from the one before the latest to the latest.
func (s *Server) diff() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, vs, err := s.planHistory(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		last := vs[len(vs)-1].Number
		to, err := versionParam(c, "to", last, vs)
		if err != nil {
			s.fail(c, err)
			return
		}
		from, err := versionParam(c, "from", max(to.Number-1, 1), vs)
		if err != nil {
			s.fail(c, err)
			return
		}
		d, err := s.store.DiffPlan(c.Request.Context(), "plan/"+id, from, to)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"plan": id, "from": from.Number, "to": to.Number, "diff": d})
	}
}

// versionParam reads a version number parameter (def when absent).
func versionParam(c *gin.Context, name string, def int, vs []graph.Version) (graph.Version, error) {
	n := def
	if raw, ok := c.GetQuery(name); ok {
		var err error
		if n, err = strconv.Atoi(raw); err != nil || n < 1 {
			return graph.Version{}, badRequest("bad %s %q: a version number from /v1/plans/{id}/history (1, 2, …)", name, raw)
		}
	}
	for _, v := range vs {
		if v.Number == n {
			return v, nil
		}
	}
	return graph.Version{}, notFound(nil, "no version %d (%s): the plan has versions 1 to %d", n, name, vs[len(vs)-1].Number)
}
