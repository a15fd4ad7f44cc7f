package graph

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// BeforeHistoryError is an as-of time earlier than every recorded write:
// the store cannot say what the graph was then.
type BeforeHistoryError struct {
	At, First time.Time // First is zero when nothing was recorded yet
	// Compacted says First is the horizon of a compaction.
	Compacted bool
}

func (e *BeforeHistoryError) Error() string {
	if e.Compacted {
		return fmt.Sprintf("as of %s: the versions of that time were compacted away (policygraph compact); the graph is known from %s on", e.At.UTC().Format(time.RFC3339), e.First.UTC().Format(time.RFC3339Nano))
	}
	if e.First.IsZero() {
		return fmt.Sprintf("as of %s: the store has recorded no write yet", e.At.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("as of %s: that is before the first recorded write (%s)", e.At.UTC().Format(time.RFC3339), e.First.UTC().Format(time.RFC3339Nano))
}

// asOfViews keeps the Views of past moments that readers asked for, a few
// at a time: each is as large as the current View.
type asOfViews struct {
	mu       sync.Mutex
	keys     []string // oldest first
	views    map[string]*view.View
	building chan struct{} // holds a token while a View is built: one at a time
	once     sync.Once
}

// lockBuild waits for the one build slot, or for ctx: a client asking
// for many moments at once queues, each within its own deadline.
func (c *asOfViews) lockBuild(ctx context.Context) (func(), error) {
	c.once.Do(func() { c.building = make(chan struct{}, 1) })
	select {
	case c.building <- struct{}{}:
		return func() { <-c.building }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// AsOfCache is how many Views of past moments a store keeps.
const AsOfCache = 4

func (c *asOfViews) get(key string) *view.View {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.views[key]
}

func (c *asOfViews) put(key string, v *view.View) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.views == nil {
		c.views = map[string]*view.View{}
	}
	if _, ok := c.views[key]; ok {
		return
	}
	c.views[key] = v
	c.keys = append(c.keys, key)
	for len(c.keys) > AsOfCache {
		delete(c.views, c.keys[0])
		c.keys = c.keys[1:]
	}
}

// ViewAsOf is a View of the graph as it was at t: every document at the
// version it had then, none deleted by then, none created after. It is
// built on demand and a few are kept (AsOfCache). A document stored
// before history was kept counts as it was first recorded. A t before the
// first recorded write is a BeforeHistoryError.
func (s *Store) ViewAsOf(ctx context.Context, t time.Time) (_ *view.View, err error) {
	defer func() { err = classify(err) }()
	records, err := s.allRecords(ctx)
	if err != nil {
		return nil, err
	}
	chosen, key, err := chooseAsOf(records, t)
	if err != nil {
		return nil, err
	}
	if err := s.checkCompacted(ctx, t); err != nil {
		return nil, err
	}
	if v := s.asOf.get(key); v != nil {
		return v, nil
	}
	unlock, err := s.asOf.lockBuild(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if v := s.asOf.get(key); v != nil {
		return v, nil
	}
	qs, err := s.quadsAsOf(ctx, records, chosen)
	if err != nil {
		return nil, err
	}
	v := view.New(qs, "as-of:"+key)
	s.asOf.put(key, v)
	return v, nil
}

// checkCompacted refuses a t before the last compaction's horizon.
func (s *Store) checkCompacted(ctx context.Context, t time.Time) error {
	until, err := s.compactedUntil(ctx)
	if err != nil {
		return err
	}
	if t.Before(until) {
		return &BeforeHistoryError{At: t, First: until, Compacted: true}
	}
	return nil
}

// chooseAsOf picks, per document, the version it had at t, and names
// the state of the whole store then: two moments with the same writes
// before them see the same graph.
func chooseAsOf(records map[string][]Version, t time.Time) (map[string]Version, string, error) {
	var first, last time.Time
	n := 0
	chosen := map[string]Version{}
	for id, vs := range records {
		for _, v := range vs {
			if !v.Time.IsZero() && (first.IsZero() || v.Time.Before(first)) {
				first = v.Time
			}
			if v.Time.After(t) {
				continue
			}
			n++
			if v.Time.After(last) {
				last = v.Time
			}
			if c, ok := chosen[id]; !ok || v.Number > c.Number {
				chosen[id] = v
			}
		}
	}
	if first.IsZero() || t.Before(first) {
		return nil, "", &BeforeHistoryError{At: t, First: first}
	}
	return chosen, last.Format(time.RFC3339Nano) + "/" + strconv.Itoa(n), nil
}

type viewKey struct{}

// WithView makes Query, run with the returned context, read v (a View of
// a past moment, see ViewAsOf) instead of the current View.
func WithView(ctx context.Context, v *view.View) context.Context {
	return context.WithValue(ctx, viewKey{}, v)
}

// ViewQuads lists v's quads in N-Quads text order, as Store.AllQuads.
func ViewQuads(v *view.View) []quad.Quad {
	out := make([]quad.Quad, v.Quads())
	for i := range out {
		out[i] = v.Quad(int32(i))
	}
	sortQuads(out)
	return out
}

// SourcesAsOf lists the documents as they were written, at the versions
// they had at t (see ViewAsOf), for export to files.
func (s *Store) SourcesAsOf(ctx context.Context, t time.Time) (_ []StoredSource, err error) {
	defer func() { err = classify(err) }()
	records, err := s.allRecords(ctx)
	if err != nil {
		return nil, err
	}
	chosen, _, err := chooseAsOf(records, t)
	if err != nil {
		return nil, err
	}
	if err := s.checkCompacted(ctx, t); err != nil {
		return nil, err
	}
	current, err := s.Sources(ctx)
	if err != nil {
		return nil, err
	}
	var out []StoredSource
	for _, c := range current {
		if len(records[c.ID]) == 0 {
			out = append(out, c) // stored before history was kept
		}
	}
	for id, v := range chosen {
		if v.Deleted() {
			continue
		}
		rec, err := s.subjectQuads(ctx, v.label)
		if err != nil {
			return nil, err
		}
		src := StoredSource{ID: id, Path: v.Path, Origin: v.Origin, Version: v.Hash}
		for _, q := range rec {
			if q.Label == schema.HistoryGraph && q.Predicate == schema.SourceText {
				src.Source = []byte(quad.ToString(q.Object))
			}
		}
		out = append(out, src)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// quadsAsOf lists the quads of the chosen versions, and of the current
// documents with no recorded history, labelled with their documents'
// graph IRIs.
func (s *Store) quadsAsOf(ctx context.Context, records map[string][]Version, chosen map[string]Version) ([]quad.Quad, error) {
	all, visible, err := s.scan(ctx)
	if err != nil {
		return nil, err
	}
	labels := map[quad.Value]bool{}
	for _, v := range chosen {
		if !v.Deleted() {
			labels[v.label] = true
		}
	}
	out := all[:0]
	for _, q := range all {
		if isBookkeeping(q.Label) || isPin(q) {
			continue
		}
		id, isDoc := schema.GraphID(q.Label)
		switch {
		case labels[q.Label], !isDoc && visible(q.Label):
		case isDoc && len(records[id]) == 0 && visible(q.Label):
			// Stored before history was kept, never written since.
		default:
			continue
		}
		if isDoc {
			q.Label = schema.GraphIRI(id)
		}
		out = append(out, q)
	}
	return out, nil
}
