package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/policygraph/policygraph/schema"
)

// A pair is a technology hit applied to a domain hit (indexes into the
// clause's hits) and how sure the link is.
type pair struct {
	tech, domain int
	conf         float64
}

// Link confidences.
const (
	confCompound = 0.9 // the domain word and the technology touch or nearly (政务区块链, 数字政府领域区块链)
	confNear     = 0.8 // nearest in the clause, with no list between them
	confChained  = 0.7 // a technology listed with the nearest one (大数据、人工智能等技术)
	confPurpose  = 0.6 // a domain of a later clause saying what this one is for (…，实现政务数据可信溯源)
	confUnlinked = 0.3 // a domain of the clause the rules link to nothing
	compoundGap  = 12  // bytes between a domain word and a technology that still read as one phrase
	groupGap     = 40  // the most bytes between two domains listed together
	englishWords = 4   // the most words between two English domains listed together
	separators   = "、,，和及与與或/や・"
	englishSeps  = ", and or & /"
)

// linkClause links the domains of a clause to its technologies the way
// plan text applies them: domains listed together (政务、金融、医疗) act as
// one; a group applies to the technology nearest to it, and to those
// listed with that one, unless the two are items of one list (5G、千兆光网、
// 政务专网: between them nothing but separators, or a 、 of Chinese and
// Japanese text ends one item and starts another).
func linkClause(text []byte, hits []Hit, english, japanese bool) []pair {
	var techs, doms []int
	for i, h := range hits {
		if h.Type == schema.Technology {
			techs = append(techs, i)
		} else {
			doms = append(doms, i)
		}
	}
	if len(techs) == 0 || len(doms) == 0 {
		return nil
	}
	latin := func(a, b int) bool { return english }
	// Domain groups: consecutive domains with no technology between and
	// a short listing between them.
	var groups [][]int
	for k, d := range doms {
		if k > 0 {
			prev := doms[k-1]
			a, b := hits[prev].End, hits[d].Start
			if d == prev+1 && listed(text[a:b], latin(a, b)) {
				groups[len(groups)-1] = append(groups[len(groups)-1], d)
				continue
			}
		}
		groups = append(groups, []int{d})
	}
	var out []pair
	for _, g := range groups {
		gs, ge := hits[g[0]].Start, hits[g[len(g)-1]].End
		best, gap := -1, 0
		for _, t := range techs {
			var a, b int
			if hits[t].End <= gs {
				a, b = hits[t].End, gs
			} else {
				a, b = ge, hits[t].Start
			}
			if best < 0 || b-a < gap {
				best, gap = t, b-a
			}
		}
		var a, b int
		if hits[best].End <= gs {
			a, b = hits[best].End, gs
		} else {
			a, b = ge, hits[best].Start
		}
		between := text[a:b]
		if len(between) > 0 && onlySeparators(between) {
			continue // items of one list
		}
		if !latin(a, b) && listComma(between, japanese) {
			continue
		}
		conf := confNear
		if b-a <= compoundGap {
			conf = confCompound
		}
		for _, t := range chain(text, hits, best) {
			c := conf
			if t != best {
				c = confChained
			}
			for _, d := range g {
				out = append(out, pair{tech: t, domain: d, conf: c})
			}
		}
	}
	return out
}

// listed reports whether the text between two domains lists them
// together: short, and ending in a separator or a conjunction.
func listed(between []byte, latin bool) bool {
	s := strings.TrimSpace(string(between))
	if latin {
		words := strings.Fields(strings.ReplaceAll(s, ",", " , "))
		if len(words) == 0 || len(words) > englishWords {
			return false
		}
		for _, w := range words {
			if w == "," || w == "and" || w == "or" || w == "&" || w == "/" {
				return true
			}
		}
		return false
	}
	if len(between) > groupGap || strings.ContainsAny(s, "。；;:：") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return s == "" || strings.ContainsRune(separators, r) || strings.HasSuffix(s, "以及")
}

// onlySeparators: list separators (at least one) and space, nothing else.
func onlySeparators(b []byte) bool {
	s := " " + string(b) + " "
	seps := 0
	for _, w := range []string{"以及", " and ", " or "} {
		seps += strings.Count(s, w)
		s = strings.ReplaceAll(s, w, " ")
	}
	for _, r := range s {
		switch {
		case isSpace(r):
		case strings.ContainsRune(separators, r) || strings.ContainsRune(englishSeps, r):
			seps++
		default:
			return false
		}
	}
	return seps > 0
}

// listComma reports whether b holds a 、 outside brackets that ends a
// list item. In Chinese every 、 does; in Japanese, where 、 is also the
// comma between clauses, not one after a verb's joining form
// (活用し、 / 導入して、), which continues the same predicate.
func listComma(b []byte, japanese bool) bool {
	depth := 0
	prev := rune(0)
	for _, c := range string(b) {
		switch {
		case openers[c] || c == '“' || c == '「':
			depth++
		case (closesBracket[c] || c == '”' || c == '」') && depth > 0:
			depth--
		case c == '、' && depth == 0:
			if !japanese || !strings.ContainsRune("しりてでみきいえけせ", prev) {
				return true
			}
		}
		prev = c
	}
	return false
}

// chain is technology t and those listed with it: neighbours with only
// list separators between them (大数据、人工智能等技术).
func chain(text []byte, hits []Hit, t int) []int {
	out := []int{t}
	for k := t - 1; k >= 0 && hits[k].Type == schema.Technology && onlySeparators(text[hits[k].End:hits[k+1].Start]); k-- {
		out = append(out, k)
	}
	for k := t + 1; k < len(hits) && hits[k].Type == schema.Technology && onlySeparators(text[hits[k-1].End:hits[k].Start]); k++ {
		out = append(out, k)
	}
	return out
}
