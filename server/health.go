package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// health reports that the store answers, which backend it is, and the
// size of the graph readers see, from the current View: no store scan
// (counting quads took 150–270 ms at 137k quads), only the View's
// version check, at most every 100 ms, which also finds an outage. The
// count is the View's, so leftovers of failed writes are not in it.
// indexing says whether the text indexes of the current View (search,
// similarity) are still being made or mended in the background: until
// then a search or similar may wait for them, and the server spends CPU
// on them between requests.
func (s *Server) health() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.warming.Load() {
			// Up, not ready: the first View, the search index and the
			// lexicon are being built (Serve); a search would wait for them.
			c.Header("Retry-After", "1")
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "warming", "backend": s.store.Backend()})
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		body := gin.H{"status": "ok", "backend": s.store.Backend(), "quads": v.Quads(), "version": v.Version, "indexing": s.store.Indexing()}
		if n := len(s.cfg.DataErrors); n > 0 {
			// Up, but not with what data/ says: the files did not load.
			body["status"] = "stale"
			body["data"] = gin.H{"errors": n, "first_errors": s.cfg.DataErrors[:min(n, 10)],
				"serving": "the graph last loaded, version " + v.Version}
		}
		c.JSON(http.StatusOK, body)
	}
}
