package graph

import (
	"context"
	"fmt"
	"sync"

	"github.com/cayleygraph/cayley/clog"
	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/query/shape"
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

// quadsOf lists the quads of shape. The iterator is drained and closed
// before any value is read: on bolt an open iterator holds a read
// transaction, and opening a second one while a writer waits to grow the
// file deadlocks both.
//
// Values are read once each and in batches (see values), not four
// lookups per quad as Cayley's QuadStore.Quad does: a value such as a
// predicate or a city is shared by thousands of quads, and on PostgreSQL
// every lookup is a round trip. Reading a million-quad store this way is
// several times faster and keeps one copy of each value in memory.
//
// Quads with a predicate in skip are left out before their values are read.
func (s *Store) quadsOf(ctx context.Context, shape iterator.Shape, skip ...quad.Value) ([]quad.Quad, error) {
	skipped := map[any]bool{}
	for _, p := range skip {
		if r, err := s.qs.ValueOf(p); err == nil && r != nil {
			skipped[r.Key()] = true
		}
	}
	it := shape.Iterate()
	index := map[any]int32{}
	var (
		unique []graph.Ref
		links  [][4]int32
	)
	for it.Next(ctx) {
		ref := it.Result()
		if len(skipped) > 0 {
			if p, err := s.qs.QuadDirection(ref, quad.Predicate); err == nil && p != nil && skipped[p.Key()] {
				continue
			}
		}
		var l [4]int32
		for i, d := range quad.Directions {
			r, err := s.qs.QuadDirection(ref, d)
			if err != nil || r == nil {
				l[i] = -1
				continue
			}
			k := r.Key()
			n, ok := index[k]
			if !ok {
				n = int32(len(unique))
				index[k] = n
				unique = append(unique, r)
			}
			l[i] = n
		}
		links = append(links, l)
	}
	err := it.Err()
	it.Close()
	if err == nil {
		// Some iterators end quietly when ctx is done: a list cut short
		// must not pass for all of it (a write would remove only part of
		// what it replaces).
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	vals, err := s.values(ctx, unique)
	if err != nil {
		return nil, err
	}
	out := make([]quad.Quad, 0, len(links))
	for _, l := range links {
		var q [4]quad.Value
		for i, n := range l {
			if n >= 0 {
				q[i] = vals[n]
			}
		}
		// A key-value backend still lists the remains of a deleted quad
		// whose parts no longer resolve; skip those.
		if q[0] == nil || q[1] == nil || q[2] == nil || q[3] == nil {
			continue
		}
		out = append(out, quad.Quad{Subject: q[0], Predicate: q[1], Object: q[2], Label: q[3]})
	}
	return out, nil
}

// quadsWithSubjectPredicate lists the quads with subject subj and
// predicate pred. Cayley's key-value backends keep a removed quad listed
// in the indexes it was in, and read it to skip it: by subject alone, the
// dataset node lists a pending mark for every document ever written
// (thousands after a load of L, so about 10 ms a version check), by
// subject and predicate, in their index of both, only its version stamps.
// Elsewhere the quads are found by subject.
func (s *Store) quadsWithSubjectPredicate(ctx context.Context, subj, pred quad.Value) ([]quad.Quad, error) {
	if s.sql != nil {
		sh, ok := hashOf(s.qs, subj)
		ph, ok2 := hashOf(s.qs, pred)
		if !ok || !ok2 {
			return nil, nil
		}
		// One query by the index of both (see sqlValues.quadsWhere).
		out, err := s.sql.quadsWhere(ctx, "q.subject_hash = $1 AND q.predicate_hash = $2", sh, ph)
		if err != nil {
			return nil, fmt.Errorf("read the %s of %s: %w", pred, subj, err)
		}
		return out, nil
	}
	s.rlock()
	defer s.runlock()
	sref, err := s.qs.ValueOf(subj)
	if err != nil || sref == nil {
		return nil, err
	}
	pref, err := s.qs.ValueOf(pred)
	if err != nil || pref == nil {
		return nil, err
	}
	var it iterator.Shape = s.qs.QuadIterator(quad.Subject, sref)
	qs := graph.Unwrap(s.qs)
	if o, ok := qs.(shape.Optimizer); ok && s.kv {
		// The backend picks its index for both, if it has one.
		all := shape.QuadsAction{Result: quad.Subject, Filter: map[quad.Direction]graph.Ref{quad.Subject: sref, quad.Predicate: pref}}
		if opt, ok := o.OptimizeShape(ctx, all); ok {
			if nf, ok := opt.(shape.NodesFrom); ok {
				if scan, ok := nf.Quads.(kv.IndexScan); ok {
					it = scan.BuildIterator(qs)
				}
			}
		}
	}
	have, err := s.quadsOf(ctx, it)
	if err != nil {
		return nil, fmt.Errorf("read the %s of %s: %w", pred, subj, err)
	}
	out := have[:0]
	for _, q := range have {
		if q.Predicate == pred {
			out = append(out, q)
		}
	}
	return out, nil
}

// valueBatch is how many values one read transaction or query resolves.
const valueBatch = 4096

// values resolves refs to canonical values, nil where a ref no longer
// names one.
func (s *Store) values(ctx context.Context, refs []graph.Ref) ([]quad.Value, error) {
	out := make([]quad.Value, 0, len(refs))
	for lo := 0; lo < len(refs); lo += valueBatch {
		batch := refs[lo:min(lo+valueBatch, len(refs))]
		var (
			vs  []quad.Value
			err error
		)
		if s.sql != nil {
			vs, err = s.sql.values(ctx, batch)
		} else {
			vs, err = graph.ValuesOf(ctx, s.qs, batch)
		}
		if err != nil {
			return nil, fmt.Errorf("read values: %w", err)
		}
		for _, v := range vs {
			if v != nil {
				v = canonical(v)
			}
			out = append(out, v)
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
