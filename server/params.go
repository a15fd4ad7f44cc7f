package server

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// entity resolves query parameter name, naming an entity of type t by id,
// name or alias in any language, to its id; "" when the parameter is absent.
func entity(c *gin.Context, v *view.View, name string, t schema.Type) (string, error) {
	raw := strings.TrimSpace(c.Query(name))
	if raw == "" {
		return "", nil
	}
	return resolve(v, name, t, raw)
}

// resolve turns raw, given as parameter param, into the id of an entity
// of type t; a name longer than any in the graph is refused unlooked-up.
func resolve(v *view.View, param string, t schema.Type, raw string) (string, error) {
	if err := checkName(v, param, raw); err != nil {
		return "", err
	}
	id, sugg := v.Resolve(t, raw)
	if id == "" {
		return "", notFound(sugg, "unknown %s %q", t, raw)
	}
	return id, nil
}

// maxListItems is the most items a list parameter may name.
const maxListItems = 100

// listParam reads a comma-separated list parameter: blank items dropped,
// repeated ones collapsed, in the order first given; more than max
// distinct items is a 400 naming the parameter and the cap.
func listParam(c *gin.Context, name string, max int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, raw := range c.QueryArray(name) {
		// Chinese and Japanese writers separate with ， and 、 as readily as ,.
		for _, item := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			item = strings.TrimSpace(item)
			if item == "" || seen[item] {
				continue
			}
			seen[item] = true
			out = append(out, item)
			if len(out) > max {
				return nil, badRequest("%s lists more than %d items, the most one request may name", name, max)
			}
		}
	}
	return out, nil
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
