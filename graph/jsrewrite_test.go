package graph

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestRewriteKeepsMeaning: every script gives the same value rewritten
// and guarded as it does in a plain runtime. The scripts are the shapes
// the rewrite must not break: precedence and parentheses, sequences,
// compound assignment to names and members, templates plain and tagged,
// objects converted by valueOf, toString and Symbol.toPrimitive, dates,
// postfix operators, optional chains, arrow bodies, comments and
// automatic semicolons.
func TestRewriteKeepsMeaning(t *testing.T) {
	for _, src := range []string{
		`1 + 2 * 3`,
		`(1 + 2) * 3`,
		`"a" + 1 + 2`,
		`1 + 2 + "a"`,
		`var s = "ab"; s = s + s; s + s.length`,
		`(1, 2) + 3`,
		`((1, "x")) + (2, "y")`,
		`var s = ""; for (var i = 0; i < 5; i++) { s += i + "," } s`,
		`var o = {k: "a"}; o.k += "b"; o["k"] += 1; o.k`,
		`var a = [1]; a[0] += 2; a[0] += "z"; a[0]`,
		"var x = 3; `x=${x} y=${x + 1}${\"!\"}`",
		"function tag(s, ...v) { return s.raw.join('|') + v.join(',') }; tag`a${1}b${2}c`",
		"`no parts`",
		`({valueOf: function(){ return 40 }}) + 2`,
		`({toString: function(){ return "t" }}) + "!"`,
		`({valueOf: function(){ return 1 }, toString: function(){ return "s" }}) + ""`,
		"var o = {valueOf(){ return 1 }, toString(){ return 's' }}; `${o}`",
		`({[Symbol.toPrimitive]: function(h){ return h }}) + ""`,
		`typeof (new Date(0) + "")`,
		`[1, [2, 3]] + "" + {}`,
		`var i = 1; i++ + ++i`,
		`var i = 1; i-- + --i + "r"`,
		`var o = {a: {b: "c"}}; o?.a?.b + o?.x?.y`,
		`var f = (a, b) => a + b; f("p", "q") + f(1, 2)`,
		`var f = x => ({v: x + 1}); f(1).v + ""`,
		"var a = 1 /* + */ + /* + */ 2\n// + comment\na + 'x'",
		"var a = 'l'\nvar b = a\n+ 'm'\nb",
		`var s = "x"; s += s += "y"; s`,
		`"中文" + "和" + '日本語'`,
		"var 城市 = 'x';\n城市 + 'y' + 城市",
		`var c = 0; c += 1; c += 2; c`,
		`-1 + +"2" + - -3`,
		`var o = {get g(){ return "G" }}; o.g + o.g`,
		`class K { #p = "q"; m(){ return this.#p + "!" } }; new K().m()`,
		`var \u0061 = 1; \u0061 + a + \u{62}; var \u{62} = 2`,
		`var 日本語 = "j"; 日本語 += 日本語 + "x"; 日本語`,
		`(function(){ return arguments[0] + arguments[1] })("u", "v")`,
		`var x = 1; switch (x + "") { case "1": "one" + x; break }`,
		`null + undefined + "" + true + null`,
	} {
		t.Run(src, func(t *testing.T) {
			want, wantErr := runPlain(src)
			got, gotErr := runGuarded(t, src)
			if (wantErr != nil) != (gotErr != nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
				t.Fatalf("error %v, want %v", gotErr, wantErr)
			}
			if got != want {
				t.Fatalf("= %q, want %q", got, want)
			}
		})
	}
}

// TestRewriteRefusesWhatItCannotGuard: the guard's own names, `with`, and
// positions goja reports wrongly inside a + are refused with the place;
// outside a + they are fine.
func TestRewriteRefusesWhatItCannotGuard(t *testing.T) {
	for src, want := range map[string]string{
		`var __policygraph_plus = 1`:             "reserved",
		`with ({}) { 1 }`:                        "1:1: `with` is not allowed",
		"var i = 0;\n1 + i ++":                   "2:5: inside a + expression",
		`__policygraph_plus = function(x){ x }`:  "reserved",
		`this["__policygraph" + "_plus"] = null`: "reserved",
		"function f(s){ var \\u005f_policygraph_plus = function(x){ return x }; return s + s }": "1:20: names starting",
	} {
		_, err := guardSource(src)
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(qe.Error(), want) {
			t.Errorf("%s: err = %v, want a QueryError with %q", src, err, want)
		}
	}
	// Text that does not parse is refused with the parser's message, the
	// one the engine would give: it never runs unread.
	if _, err := guardSource(`g.V((`); err == nil || !strings.Contains(err.Error(), "Unexpected") {
		t.Errorf("a syntax error: %v", err)
	}
	for _, src := range []string{"var \\u0061 = 'x'; a", "var i = 0; i ++; i", `g.V("区块链").All()`, "class K { #p = 1; m(){ return this.#p } }"} {
		if _, err := guardSource(src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// TestDoublingStringsAreStopped: the scripts that grew a string by
// doubling it, which the builtin guard never saw, end as ErrQueryMemory
// at 16M characters, long before the heap watchdog's limit; and code that
// compiles text the rewrite never saw is refused.
func TestDoublingStringsAreStopped(t *testing.T) {
	st := openStore(t, Config{Backend: "memory"})
	for _, src := range []string{
		`var s = "x"; while (true) { s = s + s }`,
		`var s = "x"; while (true) { s += s }`,
		`var o = {s: "x"}; while (true) { o.s += o.s }`,
		"var s = 'x'; while (true) { s = `${s}${s}` }",
		"var s = 'x'.repeat(1 << 20); var t = `" + strings.Repeat("${s}", 64) + "`",
		`var s = "x"; var o = {toString: function(){ return s }}; while (true) { s = o + o }`,
		`var s = "x"; try { while (true) { s = s + s } } catch (e) {} while (true) { s = s + s }`,
	} {
		t.Run(src, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if _, _, err := st.Query(ctx, "gizmo", src, 10); !errors.Is(err, ErrQueryMemory) {
				t.Fatalf("err = %v, want ErrQueryMemory", err)
			}
		})
	}
	for _, src := range []string{
		`eval("1 + 1")`,
		`Function("return 1")()`,
		`(function(){}).constructor("return 1")()`,
		`Object.getPrototypeOf(function*(){}).constructor("yield 1")`,
		`new Function("a", "return a")`,
	} {
		_, _, err := st.Query(context.Background(), "gizmo", src, 10)
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(qe.Error(), "not available in queries") {
			t.Errorf("%s: err = %v, want refused", src, err)
		}
	}
	// Ordinary use of functions is untouched.
	res, _, err := st.Query(context.Background(), "gizmo", `function f(){}; g.Emit((f instanceof Function) + "," + typeof Function)`, 10)
	if err != nil || len(res) != 1 || res[0] != "true,function" {
		t.Errorf("instanceof Function: %v %v", res, err)
	}
}

// runPlain evaluates src in a runtime with nothing guarded.
func runPlain(src string) (string, error) {
	v, err := goja.New().RunString(src)
	if err != nil {
		return "", errors.New(firstLine(err.Error()))
	}
	return v.String(), nil
}

// runGuarded evaluates src rewritten, in a guarded runtime.
func runGuarded(t *testing.T, src string) (string, error) {
	t.Helper()
	vm := goja.New()
	if _, err := guardRuntime(vm, builtinBudget, func(error) {}); err != nil {
		t.Fatal(err)
	}
	out, err := guardSource(src)
	if err != nil {
		t.Fatalf("rewrite: %v", err)
	}
	v, err := vm.RunString(out)
	if err != nil {
		return "", errors.New(firstLine(err.Error()))
	}
	return v.String(), nil
}

func firstLine(s string) string { return strings.SplitN(s, " at ", 2)[0] }
