package view

import "sort"

// hierarchy is a tree of ids by their one parent: technology concepts by
// their broader concept, jurisdictions by the one they lie within.
type hierarchy map[string][]string // parent → children, in id order

func (h hierarchy) add(id, parent string) {
	if parent != "" {
		kids := append(h[parent], id)
		sort.Strings(kids)
		h[parent] = kids
	}
}

// below is id and everything under it, id first and the rest in
// depth-first id order. The loader refuses cycles; the visited set keeps a
// graph written by other means from looping.
func (h hierarchy) below(id string) []string {
	out := []string{}
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
		for _, k := range h[n] {
			walk(k)
		}
	}
	walk(id)
	return out
}

// set is below as a set; nil for "" (no filter).
func (h hierarchy) set(id string) map[string]bool {
	if id == "" {
		return nil
	}
	s := map[string]bool{}
	for _, x := range h.below(id) {
		s[x] = true
	}
	return s
}

// Narrower is the technology concept id and every concept under it (all
// of new infrastructure's technologies for information-infrastructure).
func (v *View) Narrower(id string) []string { return v.concepts.below(id) }

// Under is the jurisdiction id and every jurisdiction within it.
func (v *View) Under(id string) []string { return v.places.below(id) }
