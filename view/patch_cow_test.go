package view

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// corpus is the fixture's documents, by graph IRI, in load order, to be
// changed step by step.
type corpus struct {
	docs  map[quad.IRI][]quad.Quad
	order []quad.IRI
}

func loadCorpus(t *testing.T) corpus {
	t.Helper()
	ds, err := loader.Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	c := corpus{docs: map[quad.IRI][]quad.Quad{}}
	for _, g := range ds.Graphs {
		iri := schema.GraphIRI(g.ID)
		c.docs[iri] = g.Quads
		c.order = append(c.order, iri)
	}
	return c
}

// with is c with changes made (nil quads: the document deleted).
func (c corpus) with(changes map[quad.IRI][]quad.Quad) corpus {
	out := corpus{docs: map[quad.IRI][]quad.Quad{}, order: slices.Clone(c.order)}
	for g, qs := range c.docs {
		out.docs[g] = qs
	}
	for g, qs := range changes {
		if qs == nil {
			delete(out.docs, g)
			continue
		}
		if !slices.Contains(out.order, g) {
			out.order = append(out.order, g)
		}
		out.docs[g] = qs
	}
	return out
}

func (c corpus) view(version string) *View { return New(all(c.docs, c.order), version) }

// patch patches v with changes, failing the test if it is not patched.
func patch(t *testing.T, v *View, changes map[quad.IRI][]quad.Quad, version string) *View {
	t.Helper()
	var graphs []quad.IRI
	var added []quad.Quad
	for g, qs := range changes {
		graphs = append(graphs, g)
		added = append(added, qs...)
	}
	nv := v.Patch(graphs, added, version)
	if nv == nil {
		t.Fatalf("version %s: not patched", version)
	}
	return nv
}

// plans are the fixture's plan documents.
func (c corpus) plans() []quad.IRI {
	var out []quad.IRI
	for _, g := range c.order {
		if strings.Contains(string(g), "plan/") {
			out = append(out, g)
		}
	}
	return out
}

// revised is qs with every title changed by tag.
func revised(qs []quad.Quad, tag string) []quad.Quad {
	out := make([]quad.Quad, 0, len(qs))
	for _, q := range qs {
		if ls, ok := q.Object.(quad.LangString); ok && q.Predicate == schema.Title {
			ls.Value += quad.String(" " + tag)
			q.Object = ls
		}
		out = append(out, q)
	}
	return out
}

// TestPatchChain: many patches, each made from the last, as a server's
// current View is over a day of writes (plans retitled, deleted, made
// anew and restored, so quads move and values are added time and
// again), end at the View New builds; so does every tenth on the way.
// It runs again with the name index in chunks of three entries, so that
// patches rewrite, split and drop chunks.
func TestPatchChain(t *testing.T) {
	for _, chunkLen := range []int{nameChunkLen, 3} {
		t.Run(fmt.Sprintf("chunk=%d", chunkLen), func(t *testing.T) {
			c := loadCorpus(t)
			original := c
			plans := c.plans()
			if len(plans) < 3 {
				t.Fatalf("the fixture has %d plans; the test wants three", len(plans))
			}
			v := c.view("0")
			v.names = chunkedNameIndex(v, chunkLen)
			for i := 1; i <= 40; i++ {
				// Each plan in turn is retitled (or restored so), replaced by a
				// copy under other ids, brought back, and deleted.
				g := plans[(i/4)%len(plans)]
				copyOf := schema.GraphIRI(string(g) + "-copy")
				var changes map[quad.IRI][]quad.Quad
				switch i % 4 {
				case 0:
					changes = map[quad.IRI][]quad.Quad{g: revised(original.docs[g], fmt.Sprint(i))}
				case 1:
					changes = map[quad.IRI][]quad.Quad{g: nil, copyOf: copied(original.docs[g], strings.TrimPrefix(string(copyOf), string(schema.GraphIRI(""))))}
				case 2:
					changes = map[quad.IRI][]quad.Quad{copyOf: nil, g: revised(original.docs[g], fmt.Sprint(i))}
				case 3:
					changes = map[quad.IRI][]quad.Quad{g: nil}
				}
				c = c.with(changes)
				v = patch(t, v, changes, fmt.Sprint(i))
				if i%10 == 0 || chunkLen < nameChunkLen {
					if d := differences(v, c.view(v.Version)); d != "" {
						t.Fatalf("after %d patches the View differs from a new one: %s", i, d)
					}
				}
			}
			if chunkLen < nameChunkLen && len(v.names.chunks) < 10 {
				t.Fatalf("the name index has %d chunks of %d: the test wants many", len(v.names.chunks), chunkLen)
			}
		})
	}
}

// TestPatchKeepsValues: a plan written again as it was, or in one of
// two variants by turns (as BenchmarkPatch writes it), adds no value to
// the View after the first writes of each: a value written again keeps
// its position, so a server's View does not grow with every write. The
// Views stay what New builds.
func TestPatchKeepsValues(t *testing.T) {
	c := loadCorpus(t)
	g := c.plans()[0]
	for _, tc := range []struct {
		name     string
		variants [][]quad.Quad
	}{
		{"the same plan", [][]quad.Quad{c.docs[g]}},
		{"two variants by turns", [][]quad.Quad{revised(c.docs[g], "a"), revised(c.docs[g], "b")}},
		{"deleted and restored", [][]quad.Quad{nil, c.docs[g]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, cur := c.view("0"), c
			var settled int
			for i := 1; i <= 12; i++ {
				changes := map[quad.IRI][]quad.Quad{g: tc.variants[i%len(tc.variants)]}
				cur = cur.with(changes)
				v = patch(t, v, changes, fmt.Sprint(i))
				if i == len(tc.variants) {
					settled = v.Values()
				}
				if i > len(tc.variants) && v.Values() != settled {
					t.Fatalf("after %d writes the View lists %d values, %d after %d", i, v.Values(), settled, len(tc.variants))
				}
			}
			if d := differences(v, cur.view(v.Version)); d != "" {
				t.Fatalf("the patched View differs from a new one: %s", d)
			}
		})
	}
}

// TestPatchLeavesBase: Views patched from a View, and from those, and a
// second patch of the same View (two writers' branches of one base),
// leave every View they were made from as it was: its records, quads,
// indexes and answers are still those New builds from its own quads.
func TestPatchLeavesBase(t *testing.T) {
	c0 := loadCorpus(t)
	plans := c0.plans()
	v0 := c0.view("0")
	step := func(i int) map[quad.IRI][]quad.Quad {
		g := plans[i%len(plans)]
		return map[quad.IRI][]quad.Quad{g: revised(c0.docs[g], fmt.Sprint("r", i))}
	}
	c1 := c0.with(step(1))
	v1 := patch(t, v0, step(1), "1")
	// A chain on top of v1, and a second branch from v0 and from v1.
	ci, vi := c1, v1
	for i := 2; i < 8; i++ {
		ci, vi = ci.with(step(i)), patch(t, vi, step(i), fmt.Sprint(i))
	}
	deleted := map[quad.IRI][]quad.Quad{plans[0]: nil}
	w0 := patch(t, v0, deleted, "w0")
	w1 := patch(t, v1, deleted, "w1")
	for _, tc := range []struct {
		name string
		v    *View
		c    corpus
	}{
		{"the base", v0, c0},
		{"the first patch, patched again", v1, c1},
		{"the end of the chain", vi, ci},
		{"a second patch of the base", w0, c0.with(deleted)},
		{"a second patch of the first", w1, c1.with(deleted)},
	} {
		if d := differences(tc.v, tc.c.view(tc.v.Version)); d != "" {
			t.Errorf("%s differs from a new View of its quads: %s", tc.name, d)
		}
	}
}

// TestPagedClone: a clone written to, grown and shortened leaves its
// original's elements as they were, across page boundaries.
func TestPagedClone(t *testing.T) {
	n := 3*pageLen + 7
	xs := make([]int, n)
	for i := range xs {
		xs[i] = i
	}
	a := pagedOf(xs)
	b := a.clone()
	b.set(5, -5)
	b.set(int32(pageLen+1), -1)
	for i := range pageLen + 10 {
		b.append(-100 - i)
	}
	c := b.clone()
	c.truncate(pageLen - 3)
	c.append(-7)
	b.freeze()
	c.freeze()
	for i := range n {
		if a.at(int32(i)) != i {
			t.Fatalf("the original's element %d is %d", i, a.at(int32(i)))
		}
	}
	if a.len() != n || b.len() != n+pageLen+10 || c.len() != pageLen-2 {
		t.Fatalf("lengths %d, %d, %d", a.len(), b.len(), c.len())
	}
	for i, want := range map[int]int{5: -5, pageLen + 1: -1, pageLen + 2: pageLen + 2, n: -100, n + pageLen + 9: -100 - pageLen - 9} {
		if got := b.at(int32(i)); got != want {
			t.Errorf("clone: element %d is %d, want %d", i, got, want)
		}
	}
	if c.at(5) != -5 || c.at(int32(pageLen-3)) != -7 || b.at(int32(pageLen-3)) != pageLen-3 {
		t.Errorf("the clone of the clone: %d, %d; the clone %d", c.at(5), c.at(int32(pageLen-3)), b.at(int32(pageLen-3)))
	}
	defer func() {
		if recover() == nil {
			t.Errorf("a published array was written")
		}
	}()
	b.set(0, 1)
}

// TestShardedClone: a clone's sets and deletes are its own.
func TestShardedClone(t *testing.T) {
	m := map[string]int{}
	for i := range 1000 {
		m[fmt.Sprint(i)] = i
	}
	a := newSharded(m, hashString)
	b := a.clone()
	b.set("0", -1)
	b.set("new", 7)
	b.del("1")
	b.del("absent")
	b.freeze()
	for k, want := range m {
		if got, ok := a.get(k); !ok || got != want {
			t.Fatalf("the original's %s is %d, %v", k, got, ok)
		}
	}
	if _, ok := a.get("new"); ok || a.len() != 1000 {
		t.Errorf("the original has %d entries, new among them: %v", a.len(), ok)
	}
	if got, _ := b.get("0"); got != -1 {
		t.Errorf("the clone's 0 is %d", got)
	}
	if _, ok := b.get("1"); ok || b.len() != 1000 {
		t.Errorf("the clone has %d entries, 1 among them: %v", b.len(), ok)
	}
	n := 0
	for range b.all() {
		n++
	}
	if n != b.len() {
		t.Errorf("the clone lists %d entries, counts %d", n, b.len())
	}
}

// TestListEdits: the binary-search edits of a sorted list give what
// filtering and sorting give, for lists of positions and of records.
func TestListEdits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var list, gone, add []int32
		for i := range int32(r.IntN(300)) {
			switch r.IntN(5) {
			case 0:
				gone = append(gone, i)
				list = append(list, i)
			case 1:
				add = append(add, i)
			case 2: // the quad there written again
				gone, add = append(gone, i), append(add, i)
				list = append(list, i)
			default:
				list = append(list, i)
			}
		}
		r.Shuffle(len(gone), func(i, j int) { gone[i], gone[j] = gone[j], gone[i] })
		var want []int32
		for _, x := range list {
			if !slices.Contains(gone, x) {
				want = append(want, x)
			}
		}
		want = append(want, add...)
		slices.Sort(want)
		if got := edited(list, slices.Clone(gone), slices.Clone(add)); !slices.Equal(got, want) {
			t.Fatalf("round %d: edited %v - %v + %v = %v, want %v", round, list, gone, add, got, want)
		}
		// Without the positions both lose and gain, the edit is the same.
		g, a := cancelled(slices.Clone(gone), slices.Clone(add))
		for _, x := range g {
			if slices.Contains(a, x) {
				t.Fatalf("round %d: %d is still both gone and added", round, x)
			}
		}
		if got := edited(list, g, a); !slices.Equal(got, want) {
			t.Fatalf("round %d: edited %v - %v + %v = %v, want %v", round, list, g, a, got, want)
		}
	}
	ids := []string{"", "a", "a-b", "a.b", "a0", "a>", "ab", "b", "a-b-c", "a~", "a/b", "A"}
	key := func(id string) string { return schema.Measure.IRI(id).String() }
	sorted := slices.Clone(ids)
	slices.SortFunc(sorted, func(a, b string) int { return strings.Compare(key(a), key(b)) })
	for _, a := range ids {
		for _, b := range ids {
			if got, want := compareIDs(a, b), strings.Compare(key(a), key(b)); got != want {
				t.Errorf("compareIDs(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
	// Records: drop some, add others (a measure listed twice stays twice).
	var list []*Measure
	for _, id := range sorted {
		list = append(list, &Measure{ID: id})
		if id == "ab" {
			list = append(list, &Measure{ID: id})
		}
	}
	drop := map[string]bool{"a-b": true, "ab": true, "b": true, "zz": true}
	add := []*Measure{{ID: "a-b"}, {ID: "ab"}, {ID: "ab"}, {ID: "zz"}}
	var got []string
	for _, m := range merged(list, add, drop, measureID) {
		got = append(got, m.ID)
	}
	var want []string
	for _, id := range sorted {
		if drop[id] && id != "b" {
			want = append(want, id)
		}
		if id == "ab" || !drop[id] {
			want = append(want, id)
		}
	}
	want = append(want, "zz")
	if !slices.Equal(got, want) {
		t.Errorf("merged: %q, want %q", got, want)
	}
	// Records built again under the ids dropped take their places.
	again := []*Measure{{ID: "a-b"}, {ID: "ab"}, {ID: "ab"}, {ID: "b"}}
	drop = map[string]bool{"a-b": true, "ab": true, "b": true}
	out := merged(list, again, drop, measureID)
	if len(out) != len(list) {
		t.Fatalf("merged again: %d records, want %d", len(out), len(list))
	}
	k := 0
	for i, m := range out {
		switch {
		case m.ID != list[i].ID:
			t.Errorf("merged again: %q at %d, want %q", m.ID, i, list[i].ID)
		case drop[m.ID] && m != again[k]:
			t.Errorf("merged again: the record at %d is not the one built again", i)
		case !drop[m.ID] && m != list[i]:
			t.Errorf("merged again: the record at %d is not the old one", i)
		}
		if drop[m.ID] {
			k++
		}
	}
	for _, m := range list {
		if slices.Contains(again, m) {
			t.Error("merged again wrote the list it was given")
		}
	}
}
