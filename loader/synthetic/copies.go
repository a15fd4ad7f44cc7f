package synthetic

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	"github.com/policygraph/policygraph/loader"
)

// Copy is a measure the generator copied, with small changes, from one
// city's plan into a later plan of another city: what /v1/similar should
// find, the original published first.
type Copy struct {
	Original, Copy string
}

// copyPlan is one copy to make: which measure, into which city, how many
// days after the original's plan.
type copyPlan struct {
	Copy
	city  int
	delay int
}

// Copies lists the copies Write makes for size: one for every ten cities,
// at most twenty. They are drawn from a generator of their own, so adding
// them changed none of the other measures a seed writes.
func Copies(size Size) []Copy {
	var out []Copy
	for _, c := range copyPlans(size) {
		out = append(out, c.Copy)
	}
	return out
}

func copyPlans(size Size) []copyPlan {
	n := min(20, size.Cities/10)
	r := rand.New(rand.NewPCG(size.Seed^0x5eed_c0b1e5, size.Seed))
	var out []copyPlan
	for k := range n {
		from := k * (size.Cities / n)
		to := (from + 1 + r.IntN(size.Cities-1)) % size.Cities
		orig := fmt.Sprintf("city-%04d-plan-%02d-m%03d", from, r.IntN(size.Plans), r.IntN(size.Measures))
		plan := fmt.Sprintf("city-%04d-borrowed-%02d", to, k)
		out = append(out, copyPlan{Copy: Copy{Original: orig, Copy: plan + "-m000"}, city: to, delay: 30 + r.IntN(365)})
	}
	return out
}

// copier keeps the originals of the copies while Write generates plans,
// then writes each copy as a plan of its own in the copying city.
type copier struct {
	plans     []copyPlan
	originals map[string]loader.MeasureDef
	dates     map[string]string
	cityNames map[int]string
}

func newCopier(size Size) *copier {
	cp := &copier{plans: copyPlans(size), originals: map[string]loader.MeasureDef{}, dates: map[string]string{}, cityNames: map[int]string{}}
	for _, p := range cp.plans {
		cp.originals[p.Original] = loader.MeasureDef{}
	}
	return cp
}

// observe keeps any original among pf's measures.
func (cp *copier) observe(pf *loader.PlanFile) {
	for _, m := range pf.Measures {
		if _, ok := cp.originals[m.ID]; ok {
			cp.originals[m.ID] = m
			cp.dates[m.ID] = pf.Published
		}
	}
}

// write writes the copies' plans into out; the city names are the
// original's and the copying city's, so a copy's summary names its own city.
func (cp *copier) write(out, source string, cityName func(c int) string) (int, error) {
	files := 0
	for k, p := range cp.plans {
		orig, ok := cp.originals[p.Original]
		if !ok || orig.ID == "" {
			return files, fmt.Errorf("copy %d: the original %s was not generated", k, p.Original)
		}
		published, err := time.Parse(time.DateOnly, cp.dates[p.Original])
		if err != nil {
			return files, err
		}
		published = published.AddDate(0, 0, p.delay)
		city := fmt.Sprintf("city-%04d", p.city)
		plan := strings.TrimSuffix(p.Copy.Copy, "-m000")
		md := orig
		md.ID = p.Copy.Copy
		// The small changes of a borrowing: its own city in the summary,
		// one keyword of its own, and a word of the title changed.
		origCity := cityName(cityOf(p.Original))
		md.Evidence.Summary = strings.Replace(orig.Evidence.Summary, origCity, cityName(p.city), 1)
		md.Keywords = append(append([]string{}, orig.Keywords...), cityName(p.city)+"特色")
		md.Title = strings.Replace(orig.Title, " project", " programme", 1)
		md.Support = nil
		for _, s := range orig.Support {
			s.ID = md.ID + "-subsidy"
			md.Support = append(md.Support, s)
		}
		pf := loader.PlanFile{
			ID: plan, City: city, Issuer: city + "-government", Source: source,
			Title:     loader.Names{"en": fmt.Sprintf("Synthetic measures city %04d borrowed (%d)", p.city, k), "zh": fmt.Sprintf("合成市%04d借鉴措施%d", p.city, k)},
			Published: published.Format(time.DateOnly),
			Period:    &loader.Period{Start: published.Year(), End: published.Year() + 2},
			Measures:  []loader.MeasureDef{md},
		}
		if err := writeYAML(filepath.Join(out, loader.PlansDir, plan+".yaml"), pf); err != nil {
			return files, err
		}
		files++
	}
	return files, nil
}

// cityOf is the city number of a generated measure id.
func cityOf(measure string) int {
	var c int
	fmt.Sscanf(measure, "city-%04d-", &c)
	return c
}
