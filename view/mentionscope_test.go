package view

import (
	"slices"
	"testing"
)

// TestMentionsAt: a count is kept only when every one of its documents is
// a plan passing the filter; one over documents that only partly pass is
// split, one over no document undated, one whose documents all fail is
// simply not kept. A zero filter keeps everything as it was.
func TestMentionsAt(t *testing.T) {
	v := loadView(t, dataDir)
	all := v.CityMentions("", "", true)
	// A count over cities alone, as the data format allows.
	all = append(all, ScopedMention{Mention: &Mention{ID: "cities-only", Technology: "5g", Count: 3, Cities: []string{"fuzhou"}}, Scope: []string{"fuzhou"}})
	if kept, split, undated := v.MentionsAt(all, TimeFilter{}); len(kept) != len(all) || split != nil || undated != nil {
		t.Errorf("zero filter: %d of %d kept, split %v, undated %v", len(kept), len(all), split, undated)
	}
	kept, split, undated := v.MentionsAt(all, TimeFilter{InForce: "2023-06-01"})
	if len(kept) != 0 || !slices.Equal(split, []string{"fuzhou-blockchain-mentions"}) || !slices.Equal(undated, []string{"cities-only"}) {
		t.Errorf("in force 2023-06-01: kept %d, split %v, undated %v", len(kept), split, undated)
	}
	kept, split, _ = v.MentionsAt(all, TimeFilter{PublishedAfter: "2020-06-05"})
	if len(kept) != 1 || kept[0].ID != "beijing-blockchain-mentions" || len(split) != 5 {
		t.Errorf("issued from 2020-06-05: kept %v, split %v", kept, split)
	}
}
