package server

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/schema"
)

// view is the graph as of this request.

// entity resolves query parameter name, naming an entity of type t by id,
// name or alias in any language, to its id; "" when the parameter is absent.
func entity(c *gin.Context, v *graph.View, name string, t schema.Type) (string, error) {
	raw := strings.TrimSpace(c.Query(name))
	if raw == "" {
		return "", nil
	}
	return resolve(v, t, raw)
}

func resolve(v *graph.View, t schema.Type, raw string) (string, error) {
	id, sugg := v.Resolve(t, raw)
	if id == "" {
		return "", notFound(sugg, "unknown %s %q", t, raw)
	}
	return id, nil
}

// basis reads the basis parameter: explicit, inferred, extracted, or any (the default, "").
func basis(c *gin.Context) (schema.Basis, error) {
	b := c.Query("basis")
	if b == "" || b == "any" {
		return "", nil
	}
	for _, x := range schema.Bases {
		if string(x) == b {
			return x, nil
		}
	}
	return "", badRequest("bad basis %q: use explicit, inferred, extracted or any", b)
}
