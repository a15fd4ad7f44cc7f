package server

import (
	"net/http"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// nodeLookupOrder decides which entity a bare name means when several
// types share it (the city and the province "beijing").
var nodeLookupOrder = []schema.Type{
	schema.City, schema.Technology, schema.Domain, schema.Plan, schema.Measure,
	schema.SupportInstrument, schema.MentionCount, schema.Organization, schema.Province, schema.Source, schema.Scope,
}

// nodeIRI turns the {id} of /v1/nodes/{id} into an IRI: a full IRI, a
// "type/id" reference, or a bare id, name or alias of any type.
func nodeIRI(v *view.View, ref string) (quad.IRI, error) {
	if strings.HasPrefix(ref, schema.Base) {
		if err := checkName(v, "the node id", strings.TrimPrefix(ref, schema.Base)); err != nil {
			return "", err
		}
		return quad.IRI(ref), nil
	}
	if t, id, ok := strings.Cut(ref, "/"); ok {
		if err := checkName(v, "the node id", id); err != nil {
			return "", err
		}
		for _, known := range schema.Types {
			if string(known) == t {
				if v.Get(known, id) == nil {
					if rid, _ := v.Resolve(known, id); rid != "" {
						id = rid
					}
				}
				return known.IRI(id), nil
			}
		}
		return "", badRequest("bad node %q: the part before / must be a type (%s)", ref, typeList())
	}
	if err := checkName(v, "the node id", ref); err != nil {
		return "", err
	}
	var sugg []string
	for _, t := range nodeLookupOrder {
		if v.Get(t, ref) != nil {
			return t.IRI(ref), nil
		}
	}
	for _, t := range nodeLookupOrder {
		id, s := v.Resolve(t, ref)
		if id != "" {
			return t.IRI(id), nil
		}
		for _, x := range s {
			sugg = append(sugg, string(t)+"/"+x)
		}
	}
	if len(sugg) > 5 {
		sugg = sugg[:5]
	}
	return "", notFound(sugg, "unknown node %q", ref)
}

func typeList() string {
	ts := make([]string, len(schema.Types))
	for i, t := range schema.Types {
		ts[i] = string(t)
	}
	return strings.Join(ts, ", ")
}

// node answers a node's type, properties and edges for exploration.
func (s *Server) node() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		ref := strings.TrimPrefix(c.Param("id"), "/")
		iri, err := nodeIRI(v, ref)
		if err != nil {
			s.fail(c, err)
			return
		}
		buf := answerBuffers.Get().(*[]byte)
		defer func() {
			// The most linked nodes answer megabytes: their buffers are not kept.
			if cap(*buf) <= maxKeptAnswerBuffer {
				answerBuffers.Put(buf)
			}
		}()
		if b, ok := v.AppendNodeJSON((*buf)[:0], iri); ok {
			*buf = b
			c.Data(http.StatusOK, "application/json; charset=utf-8", b)
			return
		}
		// No quad touches it, or a value JSON cannot hold: Node and
		// encoding/json answer as they always did.
		n := v.Node(iri)
		if n == nil {
			s.fail(c, notFound(nil, "unknown node %q", ref))
			return
		}
		c.JSON(http.StatusOK, n)
	}
}

const maxKeptAnswerBuffer = 1 << 20

// answerBuffers are the buffers node and cities answers are encoded into; what is
// written is copied by the writer (and by the answer cache), so a buffer
// is free again once the handler returns.
var answerBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}
