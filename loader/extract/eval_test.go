package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policygraph/policygraph/schema"
)

// An evaluation document marks every gold mention inline as
// [[surface text|tech:id]] or [[surface text|domain:id]].
var goldMark = regexp.MustCompile(`\[\[(.+?)\|(tech|domain):([a-z0-9-]+)\]\]`)

// parseGold strips the markup and returns the plain text and gold hits.
func parseGold(src string) ([]byte, []Hit) {
	var text strings.Builder
	var gold []Hit
	last := 0
	for _, m := range goldMark.FindAllStringSubmatchIndex(src, -1) {
		text.WriteString(src[last:m[0]])
		surface := src[m[2]:m[3]]
		t := schema.Technology
		if src[m[4]:m[5]] == "domain" {
			t = schema.Domain
		}
		start := text.Len()
		text.WriteString(surface)
		gold = append(gold, Hit{Type: t, ID: src[m[6]:m[7]], Start: start, End: text.Len()})
		last = m[1]
	}
	text.WriteString(src[last:])
	return []byte(text.String()), gold
}

// score counts true positives, predictions and gold mentions of type t;
// a prediction is right when its span, type and id equal a gold one.
func score(pred, gold []Hit, t schema.Type) (tp, np, ng int) {
	want := map[Hit]bool{}
	for _, g := range gold {
		if g.Type == t {
			want[g] = true
			ng++
		}
	}
	for _, p := range pred {
		if p.Type == t {
			np++
			if want[p] {
				tp++
			}
		}
	}
	return tp, np, ng
}

// TestEvaluation measures the extractor against the annotated set in
// testdata/eval and fails under the quality floor: technologies
// P ≥ 0.97 and R ≥ 0.95, domains P ≥ 0.85 and R ≥ 0.85.
func TestEvaluation(t *testing.T) {
	lx, _ := realLexicon(t)
	files, err := filepath.Glob("testdata/eval/*.txt")
	if err != nil || len(files) < 3 {
		t.Fatalf("evaluation set: %v, %d files", err, len(files))
	}
	type tally struct{ tp, np, ng int }
	total := map[schema.Type]*tally{schema.Technology: {}, schema.Domain: {}}
	sentences := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if open, marks := strings.Count(string(src), "[["), len(goldMark.FindAllString(string(src), -1)); open != marks {
			t.Fatalf("%s: %d [[ but %d well-formed marks", f, open, marks)
		}
		text, gold := parseGold(string(src))
		sentences += len(Sentences(text))
		pred := lx.Find(text)
		for typ, tl := range total {
			tp, np, ng := score(pred, gold, typ)
			tl.tp, tl.np, tl.ng = tl.tp+tp, tl.np+np, tl.ng+ng
			t.Logf("%s %s: %d right of %d found, %d gold", filepath.Base(f), typ, tp, np, ng)
		}
		if testing.Verbose() {
			want := map[Hit]bool{}
			for _, g := range gold {
				want[g] = true
			}
			got := map[Hit]bool{}
			for _, p := range pred {
				got[p] = true
				if !want[p] {
					t.Logf("%s: false positive %s %s %q", filepath.Base(f), p.Type, p.ID, text[p.Start:p.End])
				}
			}
			for _, g := range gold {
				if !got[g] {
					t.Logf("%s: missed %s %s %q", filepath.Base(f), g.Type, g.ID, text[g.Start:g.End])
				}
			}
		}
	}
	if sentences < 60 {
		t.Errorf("the set has %d sentences, want at least 60", sentences)
	}
	floors := map[schema.Type][2]float64{schema.Technology: {0.97, 0.95}, schema.Domain: {0.85, 0.85}}
	for typ, tl := range total {
		p, r := float64(tl.tp)/float64(max(tl.np, 1)), float64(tl.tp)/float64(max(tl.ng, 1))
		line := fmt.Sprintf("%s: precision %.3f (%d/%d), recall %.3f (%d/%d) over %d sentences", typ, p, tl.tp, tl.np, r, tl.tp, tl.ng, sentences)
		t.Log(line)
		if p < floors[typ][0] || r < floors[typ][1] || tl.ng == 0 {
			t.Errorf("%s; floor P ≥ %.2f, R ≥ %.2f", line, floors[typ][0], floors[typ][1])
		}
	}
}
