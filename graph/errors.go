package graph

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
)

// ErrUnavailable wraps a failure to reach the store's server (PostgreSQL
// down, restarting or cut off): the request was fine and may be retried.
var ErrUnavailable = errors.New("the graph store cannot be reached")

// ErrNoSpace is a write the store could not make for want of disk space.
// Nothing of it was kept; the write may be retried once space is freed.
var ErrNoSpace = errors.New("the graph store has no space left for this write")

// IDConflictError is a document that defines an id another stored
// document already defines: ids are unique across documents.
type IDConflictError struct {
	ID    string // the graph id both define, e.g. "measure/fuzhou-x"
	Owner string // the graph id of the document that holds it
}

func (e *IDConflictError) Error() string {
	return fmt.Sprintf("%s is already defined by %s", e.ID, e.Owner)
}

// DanglingError is a document that links to a node no current document
// defines: deleted meanwhile, or never there.
type DanglingError struct {
	Document string // the graph id of the document that links
	Node     string // the node it links to, e.g. "plan/beijing-blockchain-2020"
}

func (e *DanglingError) Error() string {
	return fmt.Sprintf("%s links to %s, which no stored document defines (it may have been deleted meanwhile)", e.Document, e.Node)
}

// classify wraps errors of the store's transport in ErrUnavailable and
// disk-full errors in ErrNoSpace, so that callers tell them apart with
// errors.Is instead of reading messages. Other errors pass unchanged.
func classify(err error) error {
	switch {
	case err == nil, errors.Is(err, ErrUnavailable), errors.Is(err, ErrNoSpace):
		return err
	case noSpace(err):
		return fmt.Errorf("%w: %w", ErrNoSpace, err)
	case unreachable(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

func noSpace(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	msg := err.Error()
	// bolt and Cayley's SQL layer flatten errors into strings.
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "could not extend file") ||
		strings.Contains(msg, "disk quota exceeded")
}

// unreachable reports whether err says the store's server cannot be
// reached, as opposed to a bad request: database/sql reconnects by itself
// once it is back.
func unreachable(err error) bool {
	var ne *net.OpError
	if errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	// Cayley's SQL layer flattens driver errors into strings: "sql query failed: EOF".
	msg := err.Error()
	for _, s := range []string{"connection refused", "failed: EOF", "database system is shutting down", "database system is starting up",
		"terminating connection", "bad connection", "broken pipe", "connection reset", "the database system is in recovery mode"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
