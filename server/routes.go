package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// routes is the whole API on one screen.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.recovery(), s.logRequests(), s.cors(), s.bound())

	v1 := e.Group("/v1")
	v1.GET("/health", s.health())
	v1.GET("/cities", s.cached(), s.cities())
	v1.GET("/measures", s.cached(), s.measures())
	v1.GET("/plans", s.cached(), s.plans())
	v1.GET("/plans/:id", s.cached(), s.plan())
	v1.PUT("/plans/:id", s.requireWriter(), s.putPlan())
	v1.DELETE("/plans/:id", s.requireWriter(), s.deletePlan())
	v1.GET("/mentions", s.cached(), s.mentions())
	v1.GET("/support", s.cached(), s.support())
	v1.GET("/compare", s.cached(), s.compare())
	v1.GET("/nodes/*id", s.cached(), s.node())
	v1.GET("/search", s.cached(), s.search())
	v1.GET("/ask", s.heavy(), s.ask())
	v1.POST("/query", s.heavy(), s.query())
	v1.POST("/extract", s.heavy(), s.extractDraft())
	v1.GET("/export", s.heavy(), s.export())
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
