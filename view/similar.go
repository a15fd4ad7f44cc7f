package view

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/policygraph/policygraph/schema"
)

// Weights of the parts of a similarity score; they sum to 1. Text weighs
// most because a borrowed measure is recognised by its wording; shared
// technologies, domains and instruments say the measures are about the
// same thing, which many unrelated measures also are.
const (
	weightText        = 0.55
	weightTechnology  = 0.2
	weightDomain      = 0.15
	weightInstruments = 0.1
)

// exactBelow is the corpus size up to which every measure is scored; above
// it, only measures sharing a distinctive n-gram (one found in at most
// distinctiveShare of the measures) are candidates, which keeps a question
// over a national corpus to the few hundred measures worth ranking.
const (
	exactBelow       = 5000
	distinctiveShare = 0.002
)

func cosine(a, b []gramWeight) float64 {
	var s float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].gram < b[j].gram:
			i++
		case a[i].gram > b[j].gram:
			j++
		default:
			s += float64(a[i].w) * float64(b[j].w)
			i++
			j++
		}
	}
	return s
}

// gramTable finds the grams of one vector by hash: the cosine of one
// measure with each of a few hundred candidates probes its grams rather
// than walking both sorted vectors, whose branches a processor cannot
// guess. dot sums in the candidate's gram order, which is the order
// cosine sums in, so the two give the same number.
type gramTable struct {
	shift uint32
	slot  []int32 // index into vec + 1; 0 is empty
	vec   []gramWeight
}

func newGramTable(vec []gramWeight) gramTable {
	bits := uint32(4)
	for 1<<bits < 2*len(vec) {
		bits++
	}
	t := gramTable{shift: 32 - bits, slot: make([]int32, 1<<bits), vec: vec}
	mask := uint32(1<<bits - 1)
	for i, g := range vec {
		h := (g.gram * 2654435761) >> t.shift
		for t.slot[h] != 0 {
			h = (h + 1) & mask
		}
		t.slot[h] = int32(i + 1)
	}
	return t
}

// find is the position of gram in t's vector, -1 when it holds none.
func (t gramTable) find(gram uint32) int {
	mask := uint32(len(t.slot) - 1)
	for h := (gram * 2654435761) >> t.shift; t.slot[h] != 0; h = (h + 1) & mask {
		if i := t.slot[h] - 1; t.vec[i].gram == gram {
			return int(i)
		}
	}
	return -1
}

// dot is cosine(t.vec, b).
func (t gramTable) dot(b []gramWeight) float64 {
	var s float64
	mask := uint32(len(t.slot) - 1)
	for _, g := range b {
		for h := (g.gram * 2654435761) >> t.shift; t.slot[h] != 0; h = (h + 1) & mask {
			if a := t.vec[t.slot[h]-1]; a.gram == g.gram {
				s += float64(a.w) * float64(g.w)
				break
			}
		}
	}
	return s
}

// Similarity is a measure of another jurisdiction ranked against the asked
// one, with the parts of its score so the ranking can be checked.
type Similarity struct {
	Measure string `json:"measure"`
	Title   string `json:"title"`
	City    string `json:"city"`
	Plan    string `json:"plan"`
	// Date is the measure's plan's date (see Adoption.Date).
	Date      string  `json:"date"`
	DateBasis string  `json:"date_basis"`
	Score     float64 `json:"score"`
	// Text is the TF-IDF cosine of the texts; the others are Jaccard
	// overlaps of the two measures' sets.
	Text         float64 `json:"text"`
	Technologies float64 `json:"technologies"`
	Domains      float64 `json:"domains"`
	Instruments  float64 `json:"instruments"`
	// Shared are the technologies, domains and instruments (types and
	// support kinds) both have.
	SharedTechnologies []string `json:"shared_technologies"`
	SharedDomains      []string `json:"shared_domains"`
	SharedInstruments  []string `json:"shared_instruments"`
	// Order is "before" or "after" when this measure's plan is dated
	// before or after the asked one's, "same_day", or "unknown".
	Order string `json:"order"`
}

// SimilarTo ranks the measures of other jurisdictions by their similarity
// to measure id, best first; ties go to the earlier plan, then by id.
// Measures with a score of zero are left out. It reports false when there
// is no such measure.
func (v *View) SimilarTo(id string, f TimeFilter) ([]Similarity, bool) {
	return v.similarTo(v.textIndex(), id, f)
}

func (v *View) similarTo(ix *textIndex, id string, f TimeFilter) ([]Similarity, bool) {
	m := v.Measure(id)
	if m == nil {
		return nil, false
	}
	ix = ix.answering()
	cands := v.Measures
	// text is the cosine of m with each measure: summed gram by gram over
	// the postings when they hold every measure's weights; else computed
	// below for the candidates the distinctive grams pick.
	var text []float64
	var asked *askedVector
	var mine, buf vectorBuf // the asked measure's vector, and each candidate's in turn
	if ix.small != nil {
		text = make([]float64, ix.n)
		for _, gw := range ix.small.vec[m] {
			for _, p := range ix.small.postings[gw.gram] {
				text[p.measure] += float64(gw.w) * float64(p.w)
			}
		}
	} else {
		vm := ix.vector(m, &mine)
		cands = ix.candidates(vm)
		asked = ix.asked(vm)
	}
	techs, doms, insts := techIDs(m), m.Domains, v.instrumentKinds(m)
	date := v.time.date[m.Plan]
	// Pointers, so sorting moves words, not records.
	ranked := []*Similarity{}
	for _, c := range cands {
		if c.City == m.City || !f.Passes(v.Plan(c.Plan)) {
			continue
		}
		s := &Similarity{Measure: c.ID, Title: c.Title, City: c.City, Plan: c.Plan, Date: v.time.date[c.Plan], DateBasis: v.time.basis[c.Plan]}
		if text != nil {
			s.Text = text[ix.small.index[c]]
		} else {
			s.Text = ix.cosine(asked, c, &buf)
		}
		s.Text = math.Round(s.Text*1e4) / 1e4
		s.Technologies, s.SharedTechnologies = jaccard(techs, techIDs(c))
		s.Domains, s.SharedDomains = jaccard(doms, c.Domains)
		s.Instruments, s.SharedInstruments = jaccard(insts, v.instrumentKinds(c))
		s.Score = weightText*s.Text + weightTechnology*s.Technologies + weightDomain*s.Domains + weightInstruments*s.Instruments
		if s.Score <= 0 {
			continue
		}
		s.Score = math.Round(s.Score*1e4) / 1e4
		switch {
		case date == "" || s.Date == "":
			s.Order = "unknown"
		case s.Date < date:
			s.Order = "before"
		case s.Date > date:
			s.Order = "after"
		default:
			s.Order = "same_day"
		}
		ranked = append(ranked, s)
	}
	slices.SortFunc(ranked, func(a, b *Similarity) int {
		switch {
		case a.Score != b.Score:
			return cmp.Compare(b.Score, a.Score)
		case a.Date != b.Date && (a.Date == "" || b.Date == ""):
			return cmp.Compare(b.Date, a.Date) // the undated last
		case a.Date != b.Date:
			return cmp.Compare(a.Date, b.Date)
		}
		return cmp.Compare(a.Measure, b.Measure)
	})
	out := make([]Similarity, len(ranked))
	for i, s := range ranked {
		out[i] = *s
	}
	return out, true
}

func techIDs(m *Measure) []string {
	out := make([]string, 0, len(m.Technologies))
	for _, t := range m.Technologies {
		if !slices.Contains(out, t.Technology) {
			out = append(out, t.Technology)
		}
	}
	return out
}

// instrumentKinds are m's policy instruments: its instrument types (the
// typology of schema.InstrumentTypes) and the kinds of the support
// instruments it offers.
func (v *View) instrumentKinds(m *Measure) []string {
	var out []string
	for _, t := range m.InstrumentTypes {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, s := range m.Support {
		if in, ok := v.Get(schema.SupportInstrument, s).(*Instrument); ok && in.Kind != "" && !slices.Contains(out, in.Kind) {
			out = append(out, in.Kind)
		}
	}
	sort.Strings(out)
	return out
}

// jaccard is |a ∩ b| / |a ∪ b| (0 when both are empty) and a ∩ b, sorted.
func jaccard(a, b []string) (float64, []string) {
	shared := []string{}
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(shared, x) {
			shared = append(shared, x)
		}
	}
	union := len(a) + len(b) - len(shared)
	if union == 0 {
		return 0, shared
	}
	sort.Strings(shared)
	return math.Round(float64(len(shared))/float64(union)*1e4) / 1e4, shared
}
