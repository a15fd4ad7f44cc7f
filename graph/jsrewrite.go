package graph

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
)

// Why a Gizmo query's text is rewritten before it runs.
//
// `s = s + s` doubles a string per instruction, and the copy of a string
// of a gigabyte is one memmove that Go cannot preempt: the garbage
// collector's stop of the world waits for it, the memory watchdog with
// it, and the next doubling has started before the watchdog can
// interrupt the VM. No builtin is involved, so jsguard.go cannot see it,
// and goja has no limit on string length.
//
// So the operands of every `+`, `+=` and template literal pass through a
// function of the guard first (guardedPlus and friends, installed by
// guardRuntime), which converts an object to its primitive as the
// operator would and refuses a string longer than maxConcatOperand. Every
// string the operators make is then bounded, each copy is short, and the
// watchdog's interrupt lands within a few milliseconds. The rewrite
// inserts text only around operands, so it keeps every other character
// of the query where it was; the result is parsed again before it runs.
//
// A query cannot turn the guard off: the guard's names are reserved (a
// query naming them is refused), they are read-only properties of the
// global object, and `with`, which could shadow them, is refused, as are
// eval and the Function constructor (jsguard.go), which would compile
// text this rewrite never saw.

const (
	// maxConcatOperand is the longest string, in UTF-16 units, that may
	// be an operand of + or +=: strings made by the operators stay under
	// twice this, copied in a few milliseconds.
	maxConcatOperand = 8 << 20
	// reservedPrefix starts every name the guard adds to the runtime.
	reservedPrefix = "__policygraph"
	plusFn         = reservedPrefix + "_plus"
	accumulateFn   = reservedPrefix + "_acc"
	templateFn     = reservedPrefix + "_tpl"
)

// insertion is text put before byte at of the source. A wrap of an
// operand opens at its start and closes at its end; span orders wraps
// that start or end at one place (the outer opens first, closes last).
type insertion struct {
	at    int
	close bool
	span  int
	text  string
}

// rewriter collects the insertions for one query.
type rewriter struct {
	src     string
	ins     []insertion
	seen    map[uintptr]bool
	unsure  []int // offsets where goja's positions may not be the source's
	refused error
	// fixing is the first pass, which sets every identifier's name to
	// its text in the source.
	fixing bool
}

// guardSource returns src with the operands of its string operators
// wrapped in the guard's checks. A query that does not parse is refused
// here with the parser's message, which is the engine's (goja compiles
// with this same parser), so no text the guard has not read ever runs.
func guardSource(src string) (string, error) {
	if strings.Contains(src, reservedPrefix) {
		return "", &QueryError{fmt.Sprintf("names starting %q are reserved for the query guard", reservedPrefix)}
	}
	prog, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		return "", &QueryError{err.Error()}
	}
	// First every name is made as long as it is written, then the
	// operands are found with positions that are right.
	fix := &rewriter{src: src, seen: map[uintptr]bool{}, fixing: true}
	fix.walk(reflect.ValueOf(prog))
	if fix.refused != nil {
		return "", fix.refused
	}
	r := &rewriter{src: src, seen: map[uintptr]bool{}}
	r.walk(reflect.ValueOf(prog))
	r.checkSpans()
	if r.refused != nil {
		return "", r.refused
	}
	if len(r.ins) == 0 {
		return src, nil
	}
	out := r.apply()
	if _, err := parser.ParseFile(nil, "", out, 0); err != nil {
		return "", &QueryError{fmt.Sprintf("the query could not be guarded against runaway strings (%v); write it without unusual spacing inside + expressions", err)}
	}
	return out, nil
}

// astPkg is the package path of goja's syntax tree: the walk descends
// only into its types.
var astPkg = reflect.TypeOf(ast.Program{}).PkgPath()

// walk visits every node under v, depth first.
func (r *rewriter) walk(v reflect.Value) {
	if r.refused != nil {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			r.walk(v.Elem())
		}
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct || v.Elem().Type().PkgPath() != astPkg {
			return
		}
		// A function's declarations are listed twice (in its body and in
		// its declaration list): each node is visited once.
		if r.seen[v.Pointer()] {
			return
		}
		r.seen[v.Pointer()] = true
		if !r.fixing {
			r.visit(v.Interface())
		}
		r.walk(v.Elem())
	case reflect.Struct:
		if v.Type().PkgPath() != astPkg {
			return
		}
		if r.fixing && v.Type() == identifierType && v.CanSet() {
			r.fixName(v)
		}
		for i := range v.NumField() {
			r.walk(v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			r.walk(v.Index(i))
		}
	}
}

// visit records what one node needs.
func (r *rewriter) visit(n any) {
	switch n := n.(type) {
	case *ast.WithStatement:
		r.refused = &QueryError{fmt.Sprintf("%s: `with` is not allowed in queries", r.position(int(n.With)-1))}
	case *ast.UnaryExpression:
		// A postfix ++ or -- is taken to end two bytes after its operand.
		if end := int(n.Idx1()) - 1; n.Postfix && (end < 2 || end > len(r.src) || !isIncDec(r.src[end-2:end])) {
			r.unsure = append(r.unsure, int(n.Operand.Idx0())-1)
		}
	case *ast.BinaryExpression:
		if n.Operator == token.PLUS {
			r.wrap(n.Left, plusFn+"(", ")")
			r.wrap(n.Right, plusFn+"(", ")")
		}
	case *ast.AssignExpression:
		if n.Operator != token.PLUS {
			return
		}
		// s += x: the accumulated s is checked too when it can be read
		// again without side effects.
		if id, ok := n.Left.(*ast.Identifier); ok {
			r.wrap(n.Right, accumulateFn+"("+string(id.Name)+",", ")")
		} else {
			r.wrap(n.Right, plusFn+"(", ")")
		}
	case *ast.TemplateLiteral:
		if n.Tag != nil || len(n.Expressions) == 0 {
			return
		}
		// One template makes one string of all its parts: each may have
		// its share of the bound.
		share := fmt.Sprintf(",%d)", len(n.Expressions))
		for _, e := range n.Expressions {
			r.wrap(e, templateFn+"(", share)
		}
	}
}

func isIncDec(s string) bool { return s == "++" || s == "--" }

var identifierType = reflect.TypeOf(ast.Identifier{})

// fixName sets the name of the identifier v to its text in the source.
// goja computes an identifier's end from the length of its decoded name,
// which is not its length in the source when the name is not ASCII
// (decoded, it is UTF-16), is written with escapes, or is a #private
// name (whose position is its #). The tree is only read for positions,
// never compiled, so the names may be changed.
func (r *rewriter) fixName(v reflect.Value) {
	at := int(v.FieldByName("Idx").Int()) - 1
	if at < 0 || at >= len(r.src) {
		return
	}
	// Written with escapes, a guard's name is not in the text as such,
	// but it is the name: a local of that name would shadow the guard.
	if strings.HasPrefix(v.FieldByName("Name").String(), reservedPrefix) && r.refused == nil {
		r.refused = &QueryError{fmt.Sprintf("%s: names starting %q are reserved for the query guard", r.position(at), reservedPrefix)}
	}
	end := identifierEnd(r.src, at)
	if end > at {
		v.FieldByName("Name").SetString(r.src[at:end])
	}
}

// identifierEnd is where the identifier (or #name) written at at ends.
func identifierEnd(src string, at int) int {
	i := at
	if i < len(src) && src[i] == '#' {
		i++
	}
	for i < len(src) {
		if src[i] == '\\' {
			// \uXXXX or \u{X…}
			j := i + 2
			if j < len(src) && src[j] == '{' {
				for j < len(src) && src[j] != '}' {
					j++
				}
				j++
			} else {
				j += 4
			}
			if i+1 >= len(src) || src[i+1] != 'u' || j > len(src) {
				return i
			}
			i = j
			continue
		}
		c, size := utf8.DecodeRuneInString(src[i:])
		if !(c == '$' || c == '_' || c == '\u200c' || c == '\u200d' || unicode.In(c, unicode.L, unicode.Nl, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Start, unicode.Other_ID_Continue)) {
			return i
		}
		i += size
	}
	return i
}

// wrap puts open before e and closeText after it.
func (r *rewriter) wrap(e ast.Expression, open, closeText string) {
	start, end := int(e.Idx0())-1, int(e.Idx1())-1
	if start < 0 || end > len(r.src) || start >= end {
		r.refused = &QueryError{fmt.Sprintf("%s: the query could not be guarded against runaway strings", r.position(max(start, 0)))}
		return
	}
	if _, ok := e.(*ast.SequenceExpression); ok {
		// (a, b) + c: the comma must not become the guard's argument list.
		open, closeText = open+"(", ")"+closeText
	}
	r.ins = append(r.ins,
		insertion{at: start, span: end - start, text: open},
		insertion{at: end, close: true, span: end - start, text: closeText})
}

// checkSpans refuses the query when a place whose position goja may
// report wrongly lies inside an operand to be wrapped: the wrap could
// close in the wrong place.
func (r *rewriter) checkSpans() {
	for _, in := range r.ins {
		if in.close {
			continue
		}
		for _, u := range r.unsure {
			if u >= in.at && u < in.at+in.span {
				r.refused = &QueryError{fmt.Sprintf("%s: inside a + expression, write names without escapes, private #names through a variable, and ++/-- next to their operand", r.position(u))}
				return
			}
		}
	}
}

// apply makes the rewritten source. At one offset, closes come before
// opens; the innermost wrap closes first and the outermost opens first.
func (r *rewriter) apply() string {
	sort.SliceStable(r.ins, func(i, j int) bool {
		a, b := r.ins[i], r.ins[j]
		if a.at != b.at {
			return a.at < b.at
		}
		if a.close != b.close {
			return a.close
		}
		if a.close {
			return a.span < b.span
		}
		return a.span > b.span
	})
	var b strings.Builder
	last := 0
	for _, in := range r.ins {
		b.WriteString(r.src[last:in.at])
		b.WriteString(in.text)
		last = in.at
	}
	b.WriteString(r.src[last:])
	return b.String()
}

// position is offset as line:col of the query, both from 1.
func (r *rewriter) position(offset int) string {
	before := r.src[:min(offset, len(r.src))]
	line := strings.Count(before, "\n") + 1
	col := len([]rune(before[strings.LastIndexByte(before, '\n')+1:])) + 1
	return fmt.Sprintf("%d:%d", line, col)
}
