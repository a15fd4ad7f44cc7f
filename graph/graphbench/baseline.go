package graphbench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/writer"
	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/schema"
)

// CayleyBatch is the batch size of the baseline writer: Cayley's batched
// writer is fastest into bolt around 10k quads per transaction.
const CayleyBatch = 10000

// CayleyWrite is the loading baseline: the documents' quads written
// straight through Cayley's batched quad writer into a new store of cfg,
// with no parsing, checking or bookkeeping. It returns the time the
// writing took and the quads written: all of them, or the first batches
// holding at least limit when limit > 0.
func CayleyWrite(cfg graph.Config, docs []*schema.Document, limit int) (time.Duration, int, error) {
	name := cfg.Backend
	if name == "mem" || name == "memory" {
		name = "memstore"
	}
	if cayley.IsPersistent(name) {
		if err := cayley.InitQuadStore(name, cfg.Path, nil); err != nil && !errors.Is(err, cayley.ErrDatabaseExists) {
			return 0, 0, err
		}
	}
	qs, err := cayley.NewQuadStore(name, cfg.Path, graph.CayleyOptions(name))
	if err != nil {
		return 0, 0, err
	}
	defer qs.Close()
	start := time.Now()
	w, err := writer.NewSingle(qs, cayley.IgnoreOpts{IgnoreDup: true})
	if err != nil {
		return 0, 0, err
	}
	bw := cayley.NewWriter(w)
	batch := make([]quad.Quad, 0, CayleyBatch)
	n := 0
	flush := func() error {
		_, err := bw.WriteQuads(batch)
		n += len(batch)
		batch = batch[:0]
		return err
	}
	for _, d := range docs {
		for _, q := range d.Quads {
			batch = append(batch, q)
			if len(batch) == CayleyBatch {
				if err := flush(); err != nil {
					return 0, 0, err
				}
				if limit > 0 && n >= limit {
					return time.Since(start), n, bw.Close()
				}
			}
		}
	}
	if err := flush(); err != nil {
		return 0, 0, err
	}
	if err := bw.Close(); err != nil {
		return 0, 0, err
	}
	return time.Since(start), n, nil
}

// Throughput sends GETs to urls (round robin) over conns connections for
// length after a half-second warm-up, each connection sending its next
// request when the last answer is read, and returns answers per second.
// Any answer other than 200 stops it with an error.
func Throughput(ctx context.Context, urls []string, conns int, length time.Duration) (float64, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	defer client.CloseIdleConnections()
	const warmup = 500 * time.Millisecond
	var (
		n        atomic.Int64
		counting atomic.Bool
		failed   atomic.Value
		next     atomic.Int64
		wg       sync.WaitGroup
	)
	stop := time.Now().Add(warmup + length)
	time.AfterFunc(warmup, func() { counting.Store(true) })
	for range conns {
		wg.Go(func() {
			for time.Now().Before(stop) && ctx.Err() == nil {
				url := urls[int(next.Add(1))%len(urls)]
				resp, err := client.Get(url)
				if err != nil {
					failed.Store(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
					failed.Store(fmt.Errorf("%s: %d", url, resp.StatusCode))
					return
				}
				if counting.Load() {
					n.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return 0, err
	}
	return float64(n.Load()) / length.Seconds(), nil
}
