package graph

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/policygraph/policygraph/view"
)

// TestOneVersionCheckAtATime: while one reader asks the store for its
// version, the others answer from the current View instead of asking
// too. Before, every reader past recheckEvery asked: on PostgreSQL each
// took a connection of its own, and two servers under a CPU quota
// stalled for seconds (BenchmarkScaleOut). The first reader's check is
// held up (see stallVersionChecks) until the second has its answer.
func TestOneVersionCheckAtATime(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			st, _, v := loadedCopy(t, b)
			release := stallVersionChecks(t, st)
			defer release()
			st.views.checked.Store(0)
			first := make(chan error, 1)
			go func() {
				_, err := st.View(ctx)
				first <- err
			}()
			for !st.views.checking.Load() {
				select {
				case err := <-first:
					t.Fatalf("the first reader did not check the version (err %v)", err)
				default:
					time.Sleep(time.Millisecond)
				}
			}
			second := make(chan *view.View, 1)
			go func() {
				got, err := st.View(ctx)
				if err != nil {
					t.Error(err)
				}
				second <- got
			}()
			select {
			case got := <-second:
				if got != v {
					t.Error("the second reader got another View than the current one")
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the second reader waited for the first one's version check")
			}
			// Still in flight: the second reader did not merely come after it.
			select {
			case err := <-first:
				t.Fatalf("the first reader's check was not held up (err %v)", err)
			default:
			}
			release()
			if err := <-first; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// stallVersionChecks holds up st's reads of its version until the
// function it returns is called (once; later calls do nothing). On
// Cayley's key-value and memory backends the check reads under the
// handle's read lock, so holding its write lock is enough. Over
// PostgreSQL the check is the store's own SQL on a connection of the
// pool, under no lock of the process: another session takes the quads
// table in ACCESS EXCLUSIVE mode, which every read of it waits for.
func stallVersionChecks(t *testing.T, st *Store) (release func()) {
	t.Helper()
	if st.sql == nil {
		st.handle.Lock()
		return sync.OnceFunc(st.handle.Unlock)
	}
	db, err := sql.Open("postgres", st.sql.dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE quads IN ACCESS EXCLUSIVE MODE`); err != nil {
		tx.Rollback()
		db.Close()
		t.Fatal(err)
	}
	return sync.OnceFunc(func() {
		if err := tx.Rollback(); err != nil {
			t.Error(err)
		}
		db.Close()
	})
}
