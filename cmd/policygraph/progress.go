package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"
)

// progress shows "N quads, R quads/s, Ts" on one terminal line while a
// load runs longer than a second; on anything but a terminal it is silent.
type progress struct {
	w     io.Writer
	start time.Time
	quads atomic.Int64
	stop  chan struct{}
	done  sync.WaitGroup
	shown bool
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// startProgress starts the reporter; report feeds it, finish ends it.
func startProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now(), stop: make(chan struct{})}
	if !isTerminal(w) {
		return p
	}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				if p.shown {
					fmt.Fprint(p.w, "\r\033[K")
				}
				return
			case <-tick.C:
				el := time.Since(p.start)
				if el < time.Second {
					continue
				}
				n := p.quads.Load()
				fmt.Fprintf(p.w, "\r\033[K%d quads, %.0f quads/s, %.1fs", n, float64(n)/el.Seconds(), el.Seconds())
				p.shown = true
			}
		}
	}()
	return p
}

func (p *progress) report(quads int) { p.quads.Store(int64(quads)) }

func (p *progress) finish() {
	close(p.stop)
	p.done.Wait()
}
