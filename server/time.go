package server

import (
	"time"

	"github.com/gin-gonic/gin"
	"github.com/policygraph/policygraph/view"
)

// timeParams are the date parameters every question over plans or
// measures takes.
var timeParams = []string{"in_force", "published_after", "published_before"}

// timeFilter reads in_force, published_after and published_before; a date
// that is not a real YYYY-MM-DD day is a 400 naming its parameter.
func timeFilter(c *gin.Context) (view.TimeFilter, error) {
	var f view.TimeFilter
	for i, dst := range []*string{&f.InForce, &f.PublishedAfter, &f.PublishedBefore} {
		name := timeParams[i]
		raw, ok := c.GetQuery(name)
		if !ok {
			continue
		}
		if _, err := time.Parse(time.DateOnly, raw); err != nil {
			return f, badRequest("bad %s %q: write a date as YYYY-MM-DD with a real month and day, e.g. %s=2021-06-01", name, raw, name)
		}
		*dst = raw
	}
	return f, nil
}
