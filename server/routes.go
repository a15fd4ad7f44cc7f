package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// routes is the whole API on one screen.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.recovery(), s.logRequests(), s.cors(), s.checkQuery())

	// Every /v1 route refuses query parameters openapi.json does not list.
	v1 := e.Group("/v1", s.knownParams(), s.asOfView())
	// Questions whose answers are kept per graph version: a kept answer is
	// sent before any work is set up, bounded work only on a miss.
	kept := v1.Group("", s.cached(), s.bound())
	kept.GET("/cities", s.cities())
	kept.GET("/measures", s.measures())
	kept.GET("/plans", s.plans())
	kept.GET("/mentions", s.mentions())
	kept.GET("/support", s.support())
	kept.GET("/targets", s.targets())
	// Its cost grows with the cities listed: heavy on a miss.
	kept.GET("/compare", s.heavy(), s.compare())
	kept.GET("/nodes/*id", s.node())
	kept.GET("/search", s.search())
	kept.GET("/timeline", s.timeline())
	kept.GET("/panel", s.panel())
	kept.GET("/similar", s.similar())

	work := v1.Group("", s.bound())
	work.GET("/health", s.health())
	// Not kept: its answer depends on Accept and If-None-Match.
	work.GET("/plans/:id", s.plan())
	work.GET("/plans/:id/cite", s.cite())
	work.PUT("/plans/:id", s.requireWriter(), s.requireType(planTypes...), s.putPlan())
	work.DELETE("/plans/:id", s.requireWriter(), s.deletePlan())
	work.GET("/plans/:id/history", s.history())
	work.GET("/plans/:id/diff", s.diff())
	work.POST("/plans/:id/review", s.requireWriter(), s.requireType(jsonTypes...), s.review())
	work.GET("/review", s.reviewQueue())
	work.GET("/ask", s.heavy(), s.ask())
	work.POST("/query", s.requireType(jsonTypes...), s.heavy(), s.script(), s.query())
	work.POST("/extract", s.heavy(), s.extractDraft())
	work.GET("/export", s.heavy(), s.export())
	e.GET("/openapi.json", s.openapi())
	// Every node's IRI path, resolvable: its page, or its JSON on request.
	e.GET("/id/:type/:id", s.permalink())

	// The web explorer.
	e.GET("/", s.explorer())
	e.StaticFS("/assets", s.assets())

	e.NoRoute(func(c *gin.Context) {
		s.fail(c, notFound(nil, "no route %s %s; the API is described at /openapi.json", c.Request.Method, c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		s.fail(c, &apiError{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Message: c.Request.Method + " is not allowed on " + c.Request.URL.Path})
	})
}
