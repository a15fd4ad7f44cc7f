package graph

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want error // nil: passed through unchanged
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, ErrUnavailable},
		{fmt.Errorf("read graph: %w", driver.ErrBadConn), ErrUnavailable},
		{errors.New("pq: the database system is shutting down"), ErrUnavailable},
		{errors.New("read node: sql query failed: EOF\nquery: SELECT subject_hash FROM quads"), ErrUnavailable},
		{fmt.Errorf("commit: %w", syscall.ENOSPC), ErrNoSpace},
		{errors.New("write /x/indexes.bolt: no space left on device"), ErrNoSpace},
		{errors.New("pq: could not extend file \"base/1/2\": No space left on device"), ErrNoSpace},
		{errors.New("unknown technology"), nil},
	} {
		got := classify(tc.err)
		if tc.want == nil {
			if got != tc.err {
				t.Errorf("classify(%v) = %v, want it unchanged", tc.err, got)
			}
			continue
		}
		if !errors.Is(got, tc.want) || !errors.Is(got, tc.err) && got.Error() == "" {
			t.Errorf("classify(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
