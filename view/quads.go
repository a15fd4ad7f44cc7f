package view

import "github.com/cayleygraph/quad"

// The View's quads as positions, for readers that walk them without
// copying (graph runs Cayley's query languages over them).

// QuadValues is the i-th quad as the positions of its subject, predicate,
// object and label in the View's values (see Value).
func (v *View) QuadValues(i int32) [4]int32 { return v.quads.at(i) }

// Value is the value at position i.
func (v *View) Value(i int32) quad.Value { return v.values.at(i) }

// Values is how many values the View lists: each value the quads hold
// once, unless ValuesDistinct says otherwise.
func (v *View) Values() int { return v.values.len() }

// ValuesDistinct reports whether every value is listed once and held by
// a quad: true of a View New built; a patched View may list a value a
// second time or one no quad holds any more.
func (v *View) ValuesDistinct() bool { return !v.patched }

// Out lists the positions of the quads whose subject is val.
func (v *View) Out(val quad.Value) []int32 {
	ps, _ := v.out.get(val)
	return ps
}

// In lists the positions of the quads whose object is val, a node (see
// IsNode): literal objects are not indexed.
func (v *View) In(val quad.Value) []int32 {
	ps, _ := v.in.get(val)
	return ps
}

// IsNode reports whether val is a node (an IRI or a blank node) rather
// than a literal.
func IsNode(val quad.Value) bool { return isNode(val) }
