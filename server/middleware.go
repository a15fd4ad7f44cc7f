package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// logRequests writes one line per request.
func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !s.log.Enabled(c.Request.Context(), slog.LevelInfo) {
			c.Next()
			return
		}
		start := time.Now()
		c.Next()
		s.log.Info("request",
			"method", c.Request.Method,
			"path", c.Request.URL.RequestURI(),
			"status", c.Writer.Status(),
			"bytes", c.Writer.Size(),
			"ms", float64(time.Since(start).Microseconds())/1000,
			"remote", c.ClientIP())
	}
}

// bound gives every request the query timeout and caps its body at 1 MiB.
func (s *Server) bound() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.QueryTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
		}
		c.Next()
	}
}

// cors lets the one configured browser origin call the API.
func (s *Server) cors() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.cfg.CORSOrigin == "" {
			c.Next()
			return
		}
		if origin := c.GetHeader("Origin"); origin != "" && (s.cfg.CORSOrigin == "*" || origin == s.cfg.CORSOrigin) {
			c.Header("Access-Control-Allow-Origin", s.cfg.CORSOrigin)
			c.Header("Vary", "Origin")
			if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
				c.Header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
				c.Header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, If-Match, If-None-Match, X-Change-Message")
				c.Header("Access-Control-Max-Age", "600")
				c.AbortWithStatus(http.StatusNoContent)
				return
			}
		}
		c.Next()
	}
}

// heavy admits at most cfg.MaxHeavy requests at once to the routes that
// can run long (queries, questions, exports, extraction, comparisons);
// the rest are told to come back: 503 with Retry-After, so light reads
// stay fast. A slot is held until the answer is sent, and a client that
// stops reading it is cut off after cfg.WriteTimeout (stallWriter).
func (s *Server) heavy() gin.HandlerFunc {
	return func(c *gin.Context) {
		select {
		case s.heavySlots <- struct{}{}:
			defer func() { <-s.heavySlots }()
			c.Writer = &stallWriter{ResponseWriter: c.Writer, rc: http.NewResponseController(c.Writer), stall: s.cfg.WriteTimeout}
			c.Next()
		default:
			c.Header("Retry-After", "1")
			s.fail(c, &apiError{Status: http.StatusServiceUnavailable, Code: "busy",
				Message: "too many heavy requests at once; retry in a second"})
		}
	}
}

// script admits at most cfg.MaxScripts /v1/query scripts at once, inside
// heavy. A script waits up to scriptWait for a slot: a page or a notebook
// asking a few short queries at once has them answered in turn, while
// scripts that keep their slots for seconds send the rest back (503,
// Retry-After) rather than queue them without end.
func (s *Server) script() gin.HandlerFunc {
	return func(c *gin.Context) {
		wait := time.NewTimer(scriptWait)
		defer wait.Stop()
		select {
		case s.scriptSlots <- struct{}{}:
			defer func() { <-s.scriptSlots }()
			c.Next()
		case <-c.Request.Context().Done():
			c.Abort()
		case <-wait.C:
			c.Header("Retry-After", "1")
			s.fail(c, &apiError{Status: http.StatusServiceUnavailable, Code: "busy",
				Message: fmt.Sprintf("%d queries are running, as many as this server runs at once; retry in a second", cap(s.scriptSlots))})
		}
	}
}

// scriptWait is how long a script waits for a slot.
const scriptWait = 2 * time.Second

// stallWriter gives every write of an answer cfg.WriteTimeout to reach
// the client: the connection's write deadline moves on with each write,
// so a client that reads slowly gets its answer and one that stopped
// reading fails the next write, which ends the handler and frees its
// slot. (Eight clients asking for /v1/export and never reading held every
// slot for 70 s before.)
type stallWriter struct {
	gin.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
}

func (w *stallWriter) Write(b []byte) (int, error) {
	w.rc.SetWriteDeadline(time.Now().Add(w.stall)) // not supported by test recorders; then there is none
	return w.ResponseWriter.Write(b)
}

func (w *stallWriter) WriteString(s string) (int, error) {
	w.rc.SetWriteDeadline(time.Now().Add(w.stall))
	return w.ResponseWriter.WriteString(s)
}
