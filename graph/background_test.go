package graph

import (
	"context"
	"testing"
	"time"

	"github.com/policygraph/policygraph/schema"
	"github.com/policygraph/policygraph/view"
)

// TestTextIndexesWaitForRequests: after a write, the text indexes of the
// new View are made in the background once no request is in flight
// (YieldTo), while Indexing says work is pending and readers are
// answered; of two Views written meanwhile only the newer is indexed.
func TestTextIndexesWaitForRequests(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		if b.name == "postgres" {
			continue // the worker is the same; the writes take longer
		}
		t.Run(b.name, func(t *testing.T) {
			st, dir, v := loadedCopy(t, b)
			for st.Indexing() { // the first View's, before YieldTo
				time.Sleep(time.Millisecond)
			}
			release := make(chan struct{})
			asked := make(chan struct{}, 16)
			st.YieldTo(func() bool {
				asked <- struct{}{}
				<-release // a request in flight until the test ends it
				return false
			})
			put := func(name, old, new string) *view.View {
				doc := replacedInPlan(t, dir, v, name, old, new)
				if _, err := st.PutDocument(ctx, doc, ""); err != nil {
					t.Fatal(err)
				}
				got, err := st.FreshAfter(ctx, Written{Puts: []*schema.Document{doc}})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			older := put("fuzhou-new-infrastructure-2020", "en: Fuzhou New Infrastructure", "en: Fuzhou's New Infrastructure")
			<-asked // the worker has taken older and waits
			newer := put("shanghai-new-infrastructure-2020", "title:\n", "title:\n  zh-Hant: 上海修訂版\n")
			if !st.Indexing() {
				t.Error("Indexing is false while the worker waits")
			}
			if got, err := st.View(ctx); err != nil || got != newer {
				t.Errorf("a reader while the worker waits: %v, the newer View %t", err, got == newer)
			}
			if older.SearchIndexMade() || newer.SearchIndexMade() {
				t.Error("a search index was made while a request was in flight")
			}
			close(release)
			for deadline := time.Now().Add(30 * time.Second); st.Indexing(); {
				if time.Now().After(deadline) {
					t.Fatal("the worker did not finish within 30 s")
				}
				time.Sleep(time.Millisecond)
			}
			if !newer.SearchIndexMade() {
				t.Error("the newer View's search index was not made")
			}
			if older.SearchIndexMade() {
				t.Error("the older View, no longer current, was indexed too")
			}
		})
	}
}
