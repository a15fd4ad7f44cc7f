package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// health reports that the store answers, which backend it is, and its size.
func (s *Server) health() gin.HandlerFunc {
	return func(c *gin.Context) {
		n, err := s.store.Quads(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ok", "backend": s.store.Backend(), "quads": n})
	}
}
