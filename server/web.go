package server

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The explorer is part of the binary and needs nothing from the network:
// its libraries and the map's geometry are vendored, each with its licence
// (see web/refresh-vendor.sh).
//
//go:embed web/index.html web/*.js web/app.css web/vendor
var webFiles embed.FS

func (s *Server) explorer() gin.HandlerFunc {
	page, err := webFiles.ReadFile("web/index.html")
	if err != nil {
		panic("server: explorer page missing from the binary: " + err.Error())
	}
	return func(c *gin.Context) {
		c.Data(http.StatusOK, "text/html; charset=utf-8", page)
	}
}

func (s *Server) assets() http.FileSystem {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic("server: explorer assets missing from the binary: " + err.Error())
	}
	return http.FS(sub)
}
