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
	v1 := e.Group("/v1", s.knownParams())
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

	work := v1.Group("", s.bound())
	work.GET("/health", s.health())
	// Not kept: its answer depends on Accept and If-None-Match.
	work.GET("/plans/:id", s.plan())
	work.PUT("/plans/:id", s.requireWriter(), s.requireType(planTypes...), s.putPlan())
	work.DELETE("/plans/:id", s.requireWriter(), s.deletePlan())
	work.GET("/ask", s.heavy(), s.ask())
	work.POST("/query", s.requireType(jsonTypes...), s.heavy(), s.query())
	work.POST("/extract", s.heavy(), s.extractDraft())
	work.GET("/export", s.heavy(), s.export())
	e.GET("/openapi.json", s.openapi())

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
