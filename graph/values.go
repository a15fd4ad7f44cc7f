package graph

import (
	"context"
	"fmt"
	"sync"

	"github.com/cayleygraph/cayley/clog"
	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/quad"
)

// canonical gives a value read back from a store the form the loader
// wrote: backends differ (the SQL backend returns integers as typed
// strings with a short "xsd:" type), and diffs, exports and views must not.
func canonical(v quad.Value) quad.Value {
	ts, ok := v.(quad.TypedString)
	if !ok {
		return v
	}
	ts.Type = ts.Type.Full()
	if pv, err := ts.ParseValue(); err == nil {
		return pv
	}
	return ts
}

func canonicalQuad(q quad.Quad) quad.Quad {
	q.Subject = canonical(q.Subject)
	q.Object = canonical(q.Object)
	return q
}

// quad reads the quad ref points at, in canonical form. ok is false for
// the remains of a quad a key-value backend deleted but still lists with
// parts that no longer resolve; callers skip those.
func (s *Store) quad(ref graph.Ref) (q quad.Quad, ok bool, err error) {
	q, err = s.qs.Quad(ref)
	if err != nil {
		return q, false, err
	}
	if q.Subject == nil || q.Predicate == nil || q.Object == nil || q.Label == nil {
		return q, false, nil
	}
	return canonicalQuad(q), true, nil
}

// quadsOf lists the quads of shape. The iterator is drained and closed
// before any quad is read: on bolt an open iterator holds a read
// transaction, and opening a second one while a writer waits to grow the
// file deadlocks both.
func (s *Store) quadsOf(ctx context.Context, shape iterator.Shape) ([]quad.Quad, error) {
	it := shape.Iterate()
	var refs []graph.Ref
	for it.Next(ctx) {
		refs = append(refs, it.Result())
	}
	err := it.Err()
	it.Close()
	if err != nil {
		return nil, err
	}
	out := make([]quad.Quad, 0, len(refs))
	for _, r := range refs {
		q, ok, err := s.quad(r)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, q)
		}
	}
	return out, nil
}

// quietLog drops Cayley's own log lines: every failure they describe
// also comes back to us as an error, which we wrap and report once.
type quietLog struct{}

func (quietLog) Infof(string, ...any)    {}
func (quietLog) Warningf(string, ...any) {}
func (quietLog) Errorf(string, ...any)   {}
func (quietLog) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}
func (quietLog) V(int) bool { return false }
func (quietLog) SetV(int)   {}

var quietOnce sync.Once

func quietCayley() { quietOnce.Do(func() { clog.SetLogger(quietLog{}) }) }
