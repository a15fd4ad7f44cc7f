package server

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openapiJSON describes every route; a test checks it against routes().
//
//go:embed openapi.json
var openapiJSON []byte

func (s *Server) openapi() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Data(http.StatusOK, "application/json", openapiJSON)
	}
}
