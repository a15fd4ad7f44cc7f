package view

import "slices"

// quadMoves are the positions a patch's swap of quads changed (see
// swapQuads): gone, in the old View, those whose quad was removed or
// moved away; placed, in the new one, those holding an added quad or
// one moved there. n0 is how many quads the old View held. Whoever keeps
// an index by quad position mends exactly these; every other position
// holds the same quad in both Views, which TestQuadMovesAreTheSwap
// checks against the swap itself.
func quadMoves(removed []int32, n0, added int) (gone, placed []int32) {
	removed = slices.Clone(removed)
	slices.Sort(removed)
	n1 := n0 - len(removed) + added
	isRemoved := make(map[int32]bool, len(removed))
	for _, r := range removed {
		isRemoved[r] = true
		if int(r) < n1 {
			placed = append(placed, r)
		}
	}
	for i := n0; i < n1; i++ {
		placed = append(placed, int32(i))
	}
	gone = removed
	for i := n1; i < n0; i++ {
		if !isRemoved[int32(i)] {
			gone = append(gone, int32(i))
		}
	}
	return gone, placed
}
