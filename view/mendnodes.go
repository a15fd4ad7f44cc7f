package view

import "github.com/policygraph/policygraph/schema"

// mendNodes is the node index of nv, patched from base by c, mended from
// base's: the values the patch appended are resolved, the nodes of the
// records it built again or removed are labelled again, and the
// predicates and labels of the quads it placed are added. Everything
// else is shared with base's, which stays as it was. It equals
// newNodeIndex(nv) in what AppendNodeJSON reads; TestPatchIsNew checks
// the answers.
func mendNodes(base, nv *View, c *Change) *nodeIndex {
	old := base.nodes
	slot, nodes, plain := old.slot.edit(), old.nodes.edit(), old.plain.edit()
	for i := base.Values(); i < nv.Values(); i++ {
		val := nv.Value(int32(i))
		if i%64 == 0 {
			plain.append(0)
		}
		if jsonPlain(schema.Text(val)) {
			*plain.ref(i / 64) |= 1 << (i % 64)
		}
		if !isNode(val) {
			slot.append(-1)
			continue
		}
		slot.append(int32(nodes.c.len()))
		nodes.append(nv.nodeText(val))
	}
	// A node's value is where its quads name it; New and a patch's swap
	// name each node at one place, so the first quad of each side finds it.
	for t, ids := range c.Records {
		for id := range ids {
			iri := t.IRI(id)
			var at []int32
			if ps := nv.Out(iri); len(ps) > 0 {
				at = append(at, nv.QuadValues(ps[0])[0])
			}
			if ps := nv.In(iri); len(ps) > 0 {
				at = append(at, nv.QuadValues(ps[0])[2])
			}
			for _, p := range at {
				if s := slot.c.at(int(p)); s >= 0 {
					*nodes.ref(int(s)) = nv.nodeText(nv.Value(p))
				}
			}
		}
	}
	for _, p := range c.Revived {
		if s := slot.c.at(int(p)); s >= 0 {
			*nodes.ref(int(s)) = nv.nodeText(nv.Value(p))
		}
	}
	preds, graphs := old.preds.Edit(), old.graphs.Edit()
	for _, p := range c.Placed {
		addQuadTexts(nv, nv.QuadValues(p), preds, graphs)
	}
	return &nodeIndex{slot: slot.done(), nodes: nodes.done(), plain: plain.done(), preds: preds.Map(), graphs: graphs.Map()}
}
