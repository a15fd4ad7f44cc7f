package view

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/schema"
)

// TestPatchIsNew: a View patched through a series of replaced, deleted
// and restored documents is, record for record and index for index, the
// View New builds from the same quads; a change to the vocabulary is not
// patched.
func TestPatchIsNew(t *testing.T) {
	ds, err := loader.Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[quad.IRI][]quad.Quad{}
	var order []quad.IRI
	for _, g := range ds.Graphs {
		iri := schema.GraphIRI(g.ID)
		docs[iri] = g.Quads
		order = append(order, iri)
	}
	plan := func(name string) quad.IRI {
		for _, g := range order {
			if strings.HasSuffix(string(g), name) {
				return g
			}
		}
		t.Fatalf("no document %s", name)
		return ""
	}
	beijing, fuzhou, mentions := plan("plan/beijing-new-infrastructure-2020"), plan("plan/fuzhou-new-infrastructure-2020"), plan("mentions/three-plan-totals")
	original := map[quad.IRI][]quad.Quad{}
	for g, qs := range docs {
		original[g] = qs
	}
	// retitled renames every title of g's quads, and drops the quads of
	// one of its measures and every link to it.
	retitled := func(g quad.IRI) []quad.Quad {
		var victim quad.Value
		for _, q := range original[g] {
			if q.Predicate == schema.HasMeasure {
				victim = q.Object
			}
		}
		if victim == nil {
			t.Fatalf("%s has no measure", g)
		}
		var out []quad.Quad
		for _, q := range original[g] {
			if q.Subject == victim || q.Object == victim {
				continue
			}
			if ls, ok := q.Object.(quad.LangString); ok && q.Predicate == schema.Title {
				ls.Value += " (revised)"
				q.Object = ls
			}
			out = append(out, q)
		}
		return out
	}
	// planOf is the plan id of document g's quads, and its city's IRI.
	planOf := func(qs []quad.Quad) (string, quad.Value) {
		for _, q := range qs {
			if q.Predicate == schema.HasPlan {
				_, id, _ := schema.ParseIRI(q.Object)
				return id, q.Subject
			}
		}
		t.Fatal("no plan in the document")
		return "", nil
	}
	copyIRI := schema.GraphIRI("plan/copy")
	copyQuads := copied(original[fuzhou], "plan/copy")
	original[copyIRI] = copyQuads
	fuzhouPlan, _ := planOf(original[fuzhou])
	copyPlan, _ := planOf(copyQuads)
	_, beijingCity := planOf(original[beijing])
	// moved is the copy's quads, its plan now Beijing's.
	moved := slices.Clone(copyQuads)
	for i, q := range moved {
		if q.Predicate == schema.HasPlan {
			moved[i].Subject = beijingCity
		}
	}
	steps := []struct {
		name    string
		changes map[quad.IRI][]quad.Quad // nil: deleted
		// plans, when set, are the plans the change must name: those
		// written again and those whose city's link to them changed, not
		// the other plans of their cities.
		plans []string
	}{
		{"delete a plan", map[quad.IRI][]quad.Quad{beijing: nil}, nil},
		{"restore it", map[quad.IRI][]quad.Quad{beijing: original[beijing]}, nil},
		{"replace a plan", map[quad.IRI][]quad.Quad{fuzhou: retitled(fuzhou)}, nil},
		{"delete the mentions", map[quad.IRI][]quad.Quad{mentions: nil}, nil},
		{"two documents at once", map[quad.IRI][]quad.Quad{fuzhou: original[fuzhou], beijing: retitled(beijing), mentions: original[mentions]}, nil},
		{"a new document", map[quad.IRI][]quad.Quad{copyIRI: copyQuads}, []string{copyPlan}},
		// Fuzhou has two plans now: writing one again leaves the other.
		{"a plan of a city of two", map[quad.IRI][]quad.Quad{copyIRI: retitled(copyIRI)}, []string{copyPlan}},
		{"the other plan", map[quad.IRI][]quad.Quad{fuzhou: retitled(fuzhou)}, []string{fuzhouPlan}},
		{"a plan moved to another city", map[quad.IRI][]quad.Quad{copyIRI: moved}, []string{copyPlan}},
		{"and back", map[quad.IRI][]quad.Quad{copyIRI: copyQuads}, []string{copyPlan}},
	}
	v := New(all(docs, order), "0")
	first, firstDocs, firstOrder := v, maps.Clone(docs), slices.Clone(order)
	for i, step := range steps {
		before, beforeOrder := maps.Clone(docs), slices.Clone(order)
		var graphs []quad.IRI
		var added []quad.Quad
		for g, qs := range step.changes {
			graphs = append(graphs, g)
			added = append(added, qs...)
			if qs == nil {
				delete(docs, g)
			} else {
				if !slices.Contains(order, g) {
					order = append(order, g)
				}
				docs[g] = qs
			}
		}
		version := fmt.Sprint(i + 1)
		patched := v.Patch(graphs, added, version)
		if patched == nil {
			t.Fatalf("%s: not patched", step.name)
		}
		built := New(all(docs, order), version)
		if d := differences(patched, built); d != "" {
			t.Fatalf("%s: the patched View differs from a new one: %s", step.name, d)
		}
		if d := changeIsTold(v, patched); d != "" {
			t.Fatalf("%s: %s", step.name, d)
		}
		if step.plans != nil {
			c, _ := patched.Change()
			if got := slices.Sorted(maps.Keys(c.Records[schema.Plan])); !slices.Equal(got, step.plans) {
				t.Fatalf("%s: the change names plans %v, want %v", step.name, got, step.plans)
			}
		}
		if patched.Base() != v {
			t.Fatalf("%s: the patched View's base is not the View it was patched from", step.name)
		}
		// Every index of the View patched from, mended ones included,
		// still answers for the quads it was made of.
		if d := differences(v, New(all(before, beforeOrder), v.Version)); d != "" {
			t.Fatalf("%s: the View patched from changed: %s", step.name, d)
		}
		v = patched
	}
	if d := differences(first, New(all(firstDocs, firstOrder), first.Version)); d != "" {
		t.Fatalf("the first View changed after the patches on top of it: %s", d)
	}
	vocabulary := plan("vocabulary/technologies")
	renamed := slices.Clone(original[vocabulary])
	for i, q := range renamed {
		if ls, ok := q.Object.(quad.LangString); ok {
			ls.Value += "!"
			renamed[i].Object = ls
			break
		}
	}
	if v.Patch([]quad.IRI{vocabulary}, renamed, "x") != nil {
		t.Errorf("a change to the vocabulary was patched")
	}
}

func all(docs map[quad.IRI][]quad.Quad, order []quad.IRI) []quad.Quad {
	var qs []quad.Quad
	for _, g := range order {
		qs = append(qs, docs[g]...)
	}
	return qs
}

// copied is a plan's quads as another document's, its plan and measures
// under new ids.
func copied(qs []quad.Quad, id string) []quad.Quad {
	rename := func(v quad.Value) quad.Value {
		if t, old, ok := schema.ParseIRI(v); ok && (t == schema.Plan || t == schema.Measure) {
			return t.IRI(old + "-copy")
		}
		return v
	}
	out := make([]quad.Quad, len(qs))
	for i, q := range qs {
		out[i] = quad.Quad{Subject: rename(q.Subject), Predicate: q.Predicate, Object: rename(q.Object), Label: schema.GraphIRI(id)}
	}
	return out
}

// differences describes how a and b differ in their records, their
// quads and every index, or is "".
func differences(a, b *View) string {
	type part struct {
		name string
		of   func(v *View) any
	}
	ids := func(ms []*Measure) []string {
		out := []string{}
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	adjacency := func(v *View, m *sharded[quad.Value, []int32]) map[string][]string {
		out := map[string][]string{}
		for k, ps := range m.all() {
			var qs []string
			for _, p := range ps {
				qs = append(qs, v.Quad(p).NQuad())
			}
			slices.Sort(qs)
			out[k.String()] = qs
		}
		return out
	}
	parts := []part{
		{"records", func(v *View) any {
			return []any{v.Cities, v.Provinces, v.Plans, v.Measures, v.Technologies, v.Domains,
				v.Organizations, v.Sources, v.Instruments, v.Mentions, v.Scopes, v.Targets}
		}},
		{"entities", func(v *View) any {
			out := map[string]any{}
			for t, m := range v.entities {
				out[string(t)] = maps.Collect(m.all())
			}
			return out
		}},
		{"quads", func(v *View) any {
			var qs []string
			for i := range v.quads.len() {
				qs = append(qs, v.Quad(int32(i)).NQuad())
			}
			slices.Sort(qs)
			return qs
		}},
		{"out", func(v *View) any { return adjacency(v, v.out) }},
		{"in", func(v *View) any { return adjacency(v, v.in) }},
		{"graphOf", func(v *View) any {
			out := map[string]string{}
			for k, g := range v.graphOf.all() {
				out[k.String()] = g
			}
			return out
		}},
		{"hierarchies", func(v *View) any { return []any{v.concepts, v.places} }},
		{"names", func(v *View) any {
			ix := v.names
			byType := map[string]map[string]string{}
			for t, m := range ix.byType {
				if m.Len() > 0 {
					byType[string(t)] = sharedMap(m)
				}
			}
			// Entries by place; serials are a patch's own numbering, so
			// the lists by pair are compared as the places they name.
			var entries, searches []string
			for i, e := range ix.list() {
				if ix.place(e.serial) != int32(i) {
					return fmt.Sprintf("entry %d (%s %s) is placed at %d", i, e.typ, e.text, ix.place(e.serial))
				}
				entries = append(entries, fmt.Sprint(e.typ, " ", e.id, " ", e.text, " ", e.key, " ", e.label))
				if i%5 == 0 {
					id, sugg := v.Resolve(e.typ, e.text+"s")
					searches = append(searches, fmt.Sprint(v.Search(e.key[:len(e.key)/2+1], nil), id, sugg))
				}
			}
			grams := map[string][]int32{}
			ix.grams.All(func(g string, l Sorted[int32]) bool {
				var at []int32
				for _, s := range l.Slice() {
					at = append(at, ix.place(s))
				}
				slices.Sort(at)
				grams[g] = at
				return true
			})
			return []any{byType, entries, ix.longest, grams, searches}
		}},
		{"time", func(v *View) any {
			links := map[string][]string{}
			for k, ls := range v.time.links {
				for _, l := range ls.Slice() {
					links[k] = append(links[k], fmt.Sprint(l.m.ID, l.p.ID, l.tech, l.date, l.year, l.basis, v.time.cities[l.city].id))
				}
			}
			mentions := map[string][]string{}
			for k, ms := range v.time.mentionsAt {
				for _, m := range ms.Slice() {
					mentions[k] = append(mentions[k], fmt.Sprint(m.p.ID, m.year, m.count, v.time.cities[m.city].id))
				}
			}
			return []any{v.time.date, v.time.basis, v.time.firstYear, v.time.lastYear, links, mentions, fmt.Sprint(v.time.cities), v.time.number}
		}},
		{"query index", func(v *View) any {
			x := v.index
			lists := func(l Sorted[*Measure]) []string { return ids(l.Slice()) }
			byTD, byCity := map[string][]string{}, map[string][]string{}
			for k, l := range x.byTechDomain {
				byTD[k.technology+"|"+k.domain] = lists(l)
			}
			for k, l := range x.byCity {
				byCity[k] = lists(l)
			}
			mentions := map[string][]string{}
			for t, ms := range x.mentions {
				for _, m := range ms.Slice() {
					mentions[t] = append(mentions[t], m.ID)
				}
			}
			counted := map[string]map[string][]string{}
			for t, byCity := range x.counted {
				counted[t] = map[string][]string{}
				for c, ids := range byCity {
					counted[t][c] = slices.Sorted(slices.Values(ids))
				}
			}
			return []any{lists(x.measures), byTD, byCity, mentions, counted, x.plans}
		}},
		// What the query and node indexes answer must be what a new
		// View's answer.
		{"questions", func(v *View) any {
			var out []string
			for _, t := range v.Technologies {
				for _, d := range append([]*Entity{{ID: ""}}, v.Domains...) {
					f := MeasureFilter{Technology: t.ID, Domain: d.ID}
					for _, r := range v.FindMeasures(f) {
						out = append(out, fmt.Sprint(t.ID, " ", d.ID, " ", r.Measure.ID, r.Matched))
					}
					if d.ID == "" {
						out = append(out, fmt.Sprint(v.Timeline(TimelineFilter{Technology: t.ID})))
						out = append(out, fmt.Sprint(v.Panel(PanelFilter{Unit: UnitCity, Technologies: []string{t.ID}})))
					}
					for _, c := range v.CitiesWith(f) {
						out = append(out, fmt.Sprint(t.ID, " ", d.ID, " city ", c.City, c.Basis, c.Plans, c.Measures, c.Matched))
					}
				}
			}
			return out
		}},
		{"nodes", func(v *View) any {
			var out []string
			for _, c := range v.Cities {
				b, _ := v.AppendNodeJSON(nil, schema.City.IRI(c.ID))
				out = append(out, string(b))
			}
			for _, p := range v.Plans {
				b, _ := v.AppendNodeJSON(nil, schema.Plan.IRI(p.ID))
				out = append(out, string(b))
			}
			for _, m := range v.Measures {
				b, _ := v.AppendNodeJSON(nil, schema.Measure.IRI(m.ID))
				out = append(out, string(b))
			}
			return out
		}},
		{"text", func(v *View) any {
			vec := map[string][]gramWeight{}
			text := v.textIndex()
			for m, w := range text.small.vec {
				vec[m.ID] = w
			}
			return fmt.Sprint(vec, text.small.postings, text.n)
		}},
	}
	for _, p := range parts {
		ja, err := json.Marshal(p.of(a))
		if err != nil {
			return err.Error()
		}
		jb, _ := json.Marshal(p.of(b))
		if string(ja) != string(jb) {
			return fmt.Sprintf("%s: %.300s\nwant %.300s", p.name, firstDiff(string(ja), string(jb)), firstDiff(string(jb), string(ja)))
		}
	}
	return ""
}

// firstDiff is a from where it stops agreeing with b.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-80):]
}

// changeIsTold checks that next's Change names every record it does not
// share with prev: a record of an id it does not name is prev's own.
func changeIsTold(prev, next *View) string {
	c, ok := next.Change()
	if !ok || c.From != prev.Version {
		return fmt.Sprintf("the change is %+v, %v; want one from version %s", c, ok, prev.Version)
	}
	if len(c.Records[schema.Measure]) == 0 {
		return "the change names no measure"
	}
	for _, m := range next.Measures {
		if !c.Records[schema.Measure][m.ID] && prev.Measure(m.ID) != m {
			return fmt.Sprintf("measure %s differs from the old View's but the change does not name it", m.ID)
		}
	}
	for _, m := range prev.Measures {
		if !c.Records[schema.Measure][m.ID] && next.Measure(m.ID) != m {
			return fmt.Sprintf("measure %s is gone or differs but the change does not name it", m.ID)
		}
	}
	for _, p := range next.Plans {
		if !c.Records[schema.Plan][p.ID] && prev.Plan(p.ID) != p {
			return fmt.Sprintf("plan %s differs from the old View's but the change does not name it", p.ID)
		}
	}
	return ""
}

// sharedMap is m as a plain map.
func sharedMap[V any](m SharedMap[string, V]) map[string]V {
	out := map[string]V{}
	m.All(func(k string, v V) bool {
		out[k] = v
		return true
	})
	return out
}

// TestMiniIndexes: the indexes a patch makes of the View of the records
// it builds again (the parts of them it reads) are those New makes.
func TestMiniIndexes(t *testing.T) {
	ds, err := loader.Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	var qs []quad.Quad
	for _, g := range ds.Graphs {
		qs = append(qs, g.Quads...)
	}
	full, mini := New(qs, "0"), newRecords(qs, "0")
	got, want := nameEntries(mini).list(), full.names.list()
	if len(want) == 0 {
		t.Fatal("the fixture names nothing")
	}
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || got[i] != want[i] {
			t.Fatalf("name entries: %d, want %d; they differ from entry %d", len(got), len(want), i)
		}
	}
	dates := planDates(mini)
	if len(dates.date) == 0 {
		t.Fatal("the fixture dates no plan")
	}
	if !maps.Equal(dates.date, full.time.date) || !maps.Equal(dates.basis, full.time.basis) {
		t.Errorf("plan dates %v %v, want %v %v", dates.date, dates.basis, full.time.date, full.time.basis)
	}
	for i, p := range mini.Plans {
		if p.Dating != full.Plans[i].Dating {
			t.Errorf("plan %s is dated %+v, want %+v", p.ID, p.Dating, full.Plans[i].Dating)
		}
	}
}
