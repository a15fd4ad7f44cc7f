package view

import "slices"

// columnChunk is how many elements of a column an edit copies at least.
const columnChunk = 1024

// column is an array by position whose versions share the chunks an
// edit did not write: the View's positions only grow, so the index of
// a patched View is its base's with a few elements set and a few
// appended.
type column[T any] struct {
	chunks []*columnPart[T]
	n      int
}

type columnPart[T any] struct {
	owner *editToken
	xs    []T
}

// columnOf is xs as a column; xs is kept, not copied.
func columnOf[T any](xs []T) column[T] {
	c := column[T]{n: len(xs)}
	for i := 0; i < len(xs); i += columnChunk {
		j := min(i+columnChunk, len(xs))
		c.chunks = append(c.chunks, &columnPart[T]{xs: xs[i:j:j]})
	}
	return c
}

func (c column[T]) len() int { return c.n }

// ref is the i-th element, to be read only.
func (c column[T]) ref(i int) *T { return &c.chunks[i/columnChunk].xs[i%columnChunk] }

func (c column[T]) at(i int) T { return *c.ref(i) }

// columnEdit makes the next version of a column.
type columnEdit[T any] struct {
	c     column[T]
	token *editToken
}

func (c column[T]) edit() *columnEdit[T] {
	return &columnEdit[T]{c: column[T]{chunks: slices.Clone(c.chunks), n: c.n}, token: &editToken{}}
}

// part is chunk k, made writable by this edit.
func (e *columnEdit[T]) part(k int) *columnPart[T] {
	p := e.c.chunks[k]
	if p.owner != e.token {
		p = &columnPart[T]{owner: e.token, xs: slices.Grow(slices.Clone(p.xs), columnChunk-len(p.xs))}
		e.c.chunks[k] = p
	}
	return p
}

// ref is the i-th element, to be written.
func (e *columnEdit[T]) ref(i int) *T { return &e.part(i / columnChunk).xs[i%columnChunk] }

func (e *columnEdit[T]) append(x T) {
	if e.c.n%columnChunk == 0 {
		e.c.chunks = append(e.c.chunks, &columnPart[T]{owner: e.token, xs: make([]T, 0, columnChunk)})
	}
	p := e.part(e.c.n / columnChunk)
	p.xs = append(p.xs, x)
	e.c.n++
}

func (e *columnEdit[T]) done() column[T] { return e.c }
