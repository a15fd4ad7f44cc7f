package graph

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/dop251/goja"
)

// Why the Gizmo VM is guarded from inside.
//
// goja checks its interrupt flag between JavaScript instructions only: a
// native builtin runs to its end once called. `new Array(1e9).fill(1)` is
// one call that walks a billion slots, so a query stopped by its deadline
// kept computing, and allocating, long after its answer. Go cannot stop a
// goroutine from outside, and the heap is shared by every query, so a
// watchdog reading the process heap can neither stop that call nor tell
// whose allocation it is (an innocent `while(true){}` beside it was stopped
// for "too much memory").
//
// So every query's own runtime gets guarded builtins: the natives whose
// work or output grows with a number the script chooses (an array length,
// a repeat count, a pad length, a separator, a replacement) first check
// that the array they walk is at most maxNativeLength long, and charge
// what they will produce to the query's own budget. A query over its
// budget is stopped alone, with ErrQueryMemory, before the native runs;
// every native that does run is bounded, so an interrupt takes effect
// within that bound. Typed arrays, whose constructors allocate a length
// at once and which graph queries have no use for, are removed. The call
// stack is capped, so endless recursion ends as an error, not as memory.
//
// Cayley keeps the session's *goja.Runtime in an unexported field; it is
// reached with reflect and unsafe (gizmoRuntime), and TestGizmoRuntimeReachable
// fails if Cayley's layout changes. Without the runtime Gizmo is refused.
// What the JavaScript interpreter itself allocates between builtins
// (s = s + s, a.push in a loop) is interruptible and is watched by the
// heap watchdog, which attributes growth to a query (see attribute).

const (
	// maxNativeLength is the longest array a builtin may walk or make.
	// Graph answers are capped far below it (maxQueryLimit); at this
	// length a builtin runs for tens of milliseconds.
	maxNativeLength = 1 << 22
	// maxCallDepth bounds recursion: deeper calls throw a RangeError.
	maxCallDepth = 10000
	// slotBytes is what one array slot costs, as charged to the budget.
	slotBytes = 16
	// builtinBudget is the most a query's builtins may make in all. goja
	// builds strings slowly (about 10 ms per MiB on these machines), so a
	// larger budget would be spent as time, not answers; graph answers
	// are far smaller.
	builtinBudget = 64 << 20
)

// errNoRuntime is Gizmo refused because its VM could not be guarded.
var errNoRuntime = errors.New("gizmo: the query VM could not be guarded (Cayley's Session layout changed); queries are refused")

// gizmoRuntime returns the *goja.Runtime inside a Cayley gizmo session.
// The field is unexported; its name and type are checked, so a changed
// layout is an error rather than a wild pointer.
func gizmoRuntime(sess query.Session) (*goja.Runtime, error) {
	gs, ok := sess.(*gizmo.Session)
	if !ok || gs == nil {
		return nil, errNoRuntime
	}
	f := reflect.ValueOf(gs).Elem().FieldByName("vm")
	if !f.IsValid() || f.Type() != reflect.TypeOf((*goja.Runtime)(nil)) {
		return nil, errNoRuntime
	}
	vm := *(**goja.Runtime)(unsafe.Pointer(f.UnsafeAddr()))
	if vm == nil {
		return nil, errNoRuntime
	}
	return vm, nil
}

// jsGuard is one query's budget and the guarded builtins charging it.
type jsGuard struct {
	vm     *goja.Runtime
	budget int64
	used   atomic.Int64
	// stop ends the query with its cause; set once the budget is spent.
	stop    func(error)
	stopped atomic.Bool
}

// guardRuntime installs the guarded builtins in vm. stop is called with
// ErrQueryMemory when the query spends its budget.
func guardRuntime(vm *goja.Runtime, budget uint64, stop func(error)) (*jsGuard, error) {
	g := &jsGuard{vm: vm, budget: int64(min(budget, 1<<62)), stop: stop}
	vm.SetMaxCallStackSize(maxCallDepth)
	global := vm.GlobalObject()
	for _, name := range []string{"ArrayBuffer", "SharedArrayBuffer", "DataView", "Int8Array", "Uint8Array",
		"Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array",
		"Float64Array", "BigInt64Array", "BigUint64Array"} {
		if err := global.Delete(name); err != nil {
			return nil, fmt.Errorf("gizmo guard: remove %s: %w", name, err)
		}
	}
	array := global.Get("Array").ToObject(vm)
	proto := array.Get("prototype").ToObject(vm)
	// Every Array.prototype method walks this.length: all are checked,
	// and those that make something as long as the array are charged.
	makers := map[string]bool{"concat": true, "fill": true, "slice": true, "splice": true, "map": true, "filter": true,
		"flat": true, "flatMap": true, "toReversed": true, "toSorted": true, "toSpliced": true, "with": true,
		"sort": true, "copyWithin": true, "keys": false, "entries": false, "values": false}
	for _, name := range proto.GetOwnPropertyNames() {
		if name == "constructor" || name == "length" {
			continue
		}
		orig, ok := goja.AssertFunction(proto.Get(name))
		if !ok {
			continue
		}
		charge := makers[name]
		var fn func(goja.FunctionCall) goja.Value
		switch name {
		case "join":
			fn = g.join
		case "toString", "toLocaleString":
			fn = g.walk(orig, false, nil)
		case "concat":
			fn = g.walk(orig, true, g.concatCost)
		default:
			fn = g.walk(orig, charge, nil)
		}
		if err := g.replace(proto, name, fn); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{"from", "of"} {
		orig, _ := goja.AssertFunction(array.Get(name))
		if err := g.replace(array, name, g.arrayFrom(orig)); err != nil {
			return nil, err
		}
	}
	str := global.Get("String").ToObject(vm).Get("prototype").ToObject(vm)
	for name, cost := range map[string]func(s string, args []goja.Value) int64{
		"repeat":     func(s string, a []goja.Value) int64 { return int64(len(s)) * argInt(a, 0) },
		"padStart":   func(s string, a []goja.Value) int64 { return argInt(a, 0) },
		"padEnd":     func(s string, a []goja.Value) int64 { return argInt(a, 0) },
		"concat":     concatStringCost,
		"split":      splitCost,
		"replace":    replaceCost,
		"replaceAll": replaceCost,
	} {
		orig, _ := goja.AssertFunction(str.Get(name))
		if err := g.replace(str, name, g.stringMaker(orig, name, cost)); err != nil {
			return nil, err
		}
	}
	fproto := global.Get("Function").ToObject(vm).Get("prototype").ToObject(vm)
	if err := g.replace(fproto, "apply", g.applyArgs(fproto.Get("apply"), 1)); err != nil {
		return nil, err
	}
	reflectObj := global.Get("Reflect").ToObject(vm)
	for name, at := range map[string]int{"apply": 2, "construct": 1} {
		if err := g.replace(reflectObj, name, g.applyArgs(reflectObj.Get(name), at)); err != nil {
			return nil, err
		}
	}
	if err := g.installOperatorGuards(global, str); err != nil {
		return nil, err
	}
	jsonObj := global.Get("JSON").ToObject(vm)
	stringify, _ := goja.AssertFunction(jsonObj.Get("stringify"))
	if err := g.replace(jsonObj, "stringify", g.charged(stringify)); err != nil {
		return nil, err
	}
	return g, nil
}

// replace puts fn where name was, keeping the builtin's attributes
// (writable, configurable, not enumerable).
func (g *jsGuard) replace(o *goja.Object, name string, fn func(goja.FunctionCall) goja.Value) error {
	if err := o.DefineDataProperty(name, g.vm.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("gizmo guard: replace %s: %w", name, err)
	}
	return nil
}

// charge adds n bytes to the query's spending; past the budget the query
// is stopped and the builtin does not run.
func (g *jsGuard) charge(n int64) {
	if n < 0 || n > g.budget || g.used.Add(n) > g.budget {
		g.fail(fmt.Errorf("%w: its builtins were to make over %d MiB", ErrQueryMemory, g.budget>>20))
	}
}

// fail stops the query and throws out of the builtin. The interrupt set
// by stop cannot be caught by the script, so a try/catch around the call
// does not let it go on.
func (g *jsGuard) fail(err error) {
	if g.stopped.CompareAndSwap(false, true) {
		g.stop(err)
		g.vm.Interrupt(err)
	}
	panic(g.rangeError(err.Error()))
}

func (g *jsGuard) rangeError(msg string) *goja.Object {
	o, err := g.vm.New(g.vm.Get("RangeError"), g.vm.ToValue(msg))
	if err != nil {
		return g.vm.NewTypeError(msg)
	}
	return o
}

// lengthOf is v's length property, for an array-like v.
func (g *jsGuard) lengthOf(v goja.Value) int64 {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return 0
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return 0
	}
	return o.Get("length").ToInteger()
}

// checkLength stops a query that asks a builtin to walk an array longer
// than maxNativeLength.
func (g *jsGuard) checkLength(n int64) {
	if n > maxNativeLength {
		g.fail(fmt.Errorf("%w: a builtin was asked to walk an array of length %d, over the %d a query may use", ErrQueryMemory, n, maxNativeLength))
	}
}

// call runs a builtin, passing on what it throws.
func call(orig goja.Callable, this goja.Value, args []goja.Value) goja.Value {
	v, err := orig(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// walk guards an Array.prototype method: this must be short enough, and
// a method that makes an array of this's length pays for it first.
func (g *jsGuard) walk(orig goja.Callable, charge bool, cost func(goja.FunctionCall) int64) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		n := g.lengthOf(c.This)
		g.checkLength(n)
		if cost != nil {
			g.charge(cost(c))
		} else if charge {
			g.charge(n * slotBytes)
		}
		return call(orig, c.This, c.Arguments)
	}
}

// concatCost is what [].concat makes: this and every argument's elements.
func (g *jsGuard) concatCost(c goja.FunctionCall) int64 {
	n := g.lengthOf(c.This)
	for _, a := range c.Arguments {
		l := g.lengthOf(a)
		g.checkLength(l)
		n += max(l, 1)
	}
	g.checkLength(n)
	return n * slotBytes
}

// join is Array.prototype.join done here: what it will make is summed
// and charged before anything is built, so a short array of one long
// string repeated, or a long separator, is stopped at no cost.
func (g *jsGuard) join(c goja.FunctionCall) goja.Value {
	obj := c.This.ToObject(g.vm)
	n := obj.Get("length").ToInteger()
	g.checkLength(n)
	sep := ","
	if a := c.Argument(0); !goja.IsUndefined(a) {
		sep = a.String()
	}
	g.charge(n * slotBytes)
	parts := make([]string, n)
	size := int64(len(sep)) * max(n-1, 0)
	for i := range parts {
		v := obj.Get(strconv.Itoa(i))
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			continue
		}
		parts[i] = v.String()
		size += int64(len(parts[i]))
		if size > g.budget {
			break
		}
	}
	g.charge(size)
	return g.vm.ToValue(strings.Join(parts, sep))
}

// arrayFrom guards Array.from and Array.of: the source's length.
func (g *jsGuard) arrayFrom(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		n := int64(len(c.Arguments))
		if a, ok := c.Argument(0).(*goja.Object); ok && n > 0 {
			n = a.Get("length").ToInteger()
		}
		g.checkLength(n)
		g.charge(n * slotBytes)
		return call(orig, c.This, c.Arguments)
	}
}

// applyArgs guards f.apply(this, args) and Reflect.apply/construct: the
// argument list is copied from an array-like of any length.
func (g *jsGuard) applyArgs(origV goja.Value, at int) func(goja.FunctionCall) goja.Value {
	orig, _ := goja.AssertFunction(origV)
	return func(c goja.FunctionCall) goja.Value {
		n := g.lengthOf(c.Argument(at))
		g.checkLength(n)
		g.charge(n * slotBytes)
		return call(orig, c.This, c.Arguments)
	}
}

// charged runs a builtin whose output is bounded by its input times a
// small factor (JSON.stringify), then charges what it made.
func (g *jsGuard) charged(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		v := call(orig, c.This, c.Arguments)
		if s, ok := v.Export().(string); ok {
			g.charge(int64(len(s)))
		}
		return v
	}
}

// stringMaker guards a String.prototype method by the size it will make.
func (g *jsGuard) stringMaker(orig goja.Callable, name string, cost func(string, []goja.Value) int64) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		s := c.This.String()
		args := c.Arguments
		if name == "replace" || name == "replaceAll" {
			if f, ok := goja.AssertFunction(c.Argument(1)); ok {
				// Each replacement the callback returns is charged.
				args = append([]goja.Value{c.Argument(0), g.vm.ToValue(func(fc goja.FunctionCall) goja.Value {
					v := call(f, fc.This, fc.Arguments)
					g.charge(int64(len(v.String())))
					return v
				})}, args[min(2, len(args)):]...)
			}
		}
		g.charge(cost(s, c.Arguments))
		return call(orig, c.This, args)
	}
}

// argInt is argument i as a whole number, 0 when absent or negative.
func argInt(a []goja.Value, i int) int64 {
	if i >= len(a) {
		return 0
	}
	return max(a[i].ToInteger(), 0)
}

func concatStringCost(s string, a []goja.Value) int64 {
	n := int64(len(s))
	for _, v := range a {
		n += int64(len(v.String()))
	}
	return n
}

// splitCost charges a slot per piece split off.
func splitCost(s string, a []goja.Value) int64 {
	if len(a) == 0 || goja.IsUndefined(a[0]) {
		return slotBytes
	}
	sep, ok := a[0].Export().(string)
	pieces := int64(len(s)) + 1
	if ok && sep != "" {
		pieces = int64(strings.Count(s, sep)) + 1
	}
	return pieces * (slotBytes + 8)
}

// replaceCost bounds what a replacement with a string can make: one copy
// per match, and a pattern matches at most once per position.
func replaceCost(s string, a []goja.Value) int64 {
	if len(a) < 2 {
		return int64(len(s))
	}
	if _, ok := goja.AssertFunction(a[1]); ok {
		return int64(len(s))
	}
	repl := int64(len(a[1].String()))
	matches := int64(len(s)) + 1
	if pat, ok := a[0].Export().(string); ok && pat != "" {
		matches = int64(strings.Count(s, pat))
	}
	return int64(len(s)) + matches*repl
}

// guardedSession is a gizmo session whose runtime is guarded: budget is
// what the query may make through builtins, stop ends it.
func guardedSession(sess query.Session, budget uint64, stop func(error)) (query.Session, error) {
	vm, err := gizmoRuntime(sess)
	if err != nil {
		return nil, err
	}
	if _, err := guardRuntime(vm, budget, stop); err != nil {
		return nil, err
	}
	return sess, nil
}

// installOperatorGuards adds the functions the rewritten query calls
// around the operands of its string operators (jsrewrite.go), removes
// what compiles text the rewrite never saw (eval, the Function
// constructors), and charges the string builtins whose output outgrows
// their input.
func (g *jsGuard) installOperatorGuards(global, str *goja.Object) error {
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		plusFn:       func(c goja.FunctionCall) goja.Value { return g.operand(c.Argument(0), maxConcatOperand) },
		accumulateFn: g.accumulate,
		templateFn:   g.templatePart,
	} {
		// Read-only and fixed: a query cannot put its own in their place.
		if err := global.DefineDataProperty(name, g.vm.ToValue(fn), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("gizmo guard: define %s: %w", name, err)
		}
	}
	refuse := func(what string) func(goja.FunctionCall) goja.Value {
		return func(goja.FunctionCall) goja.Value {
			panic(g.vm.NewTypeError(what + " is not available in queries"))
		}
	}
	if err := g.replace(global, "eval", refuse("eval")); err != nil {
		return err
	}
	// The constructors of every kind of function compile text; each is
	// reachable as the constructor of its prototype.
	fnProto := global.Get("Function").ToObject(g.vm).Get("prototype").ToObject(g.vm)
	noFunction := g.vm.ToValue(func(goja.ConstructorCall) *goja.Object {
		panic(g.vm.NewTypeError("the Function constructor is not available in queries"))
	}).ToObject(g.vm)
	if err := noFunction.DefineDataProperty("prototype", fnProto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("gizmo guard: Function: %w", err)
	}
	if err := global.DefineDataProperty("Function", noFunction, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("gizmo guard: Function: %w", err)
	}
	for _, src := range []string{"(function(){})", "(function*(){})", "(async function(){})", "(async function*(){})"} {
		v, err := g.vm.RunString("Object.getPrototypeOf(" + src + ")")
		if err != nil {
			continue // a kind of function this goja does not have
		}
		if err := g.replace(v.ToObject(g.vm), "constructor", refuse("the Function constructor")); err != nil {
			return err
		}
	}
	for name, factor := range map[string]int64{"normalize": 18, "toUpperCase": 3, "toLowerCase": 3,
		"toLocaleUpperCase": 3, "toLocaleLowerCase": 3} {
		orig, ok := goja.AssertFunction(str.Get(name))
		if !ok {
			continue
		}
		if err := g.replace(str, name, g.stringMaker(orig, name, func(s string, _ []goja.Value) int64 { return int64(len(s)) * factor })); err != nil {
			return err
		}
	}
	for name, factor := range map[string]int64{"escape": 6, "encodeURI": 9, "encodeURIComponent": 9} {
		orig, ok := goja.AssertFunction(global.Get(name))
		if !ok {
			continue
		}
		if err := g.replace(global, name, func(c goja.FunctionCall) goja.Value {
			g.charge(int64(len(c.Argument(0).String())) * factor)
			return call(orig, c.This, c.Arguments)
		}); err != nil {
			return err
		}
	}
	return nil
}

// operand is v as the + operator sees it — an object converted to its
// primitive first — refused when it is a string longer than limit.
func (g *jsGuard) operand(v goja.Value, limit int) goja.Value {
	if o, ok := v.(*goja.Object); ok {
		v = g.toPrimitive(o)
	}
	if s, ok := v.(goja.String); ok && s.Length() > limit {
		g.fail(fmt.Errorf("%w: a string of %d characters was to be joined to another (at most %d)", ErrQueryMemory, s.Length(), limit))
	}
	return v
}

// accumulate guards s += x: the s held so far and x. s is left for the
// operator to convert, since it converts it itself.
func (g *jsGuard) accumulate(c goja.FunctionCall) goja.Value {
	if s, ok := c.Argument(0).(goja.String); ok && s.Length() > maxConcatOperand {
		g.fail(fmt.Errorf("%w: a string of %d characters was to grow (at most %d)", ErrQueryMemory, s.Length(), maxConcatOperand))
	}
	return g.operand(c.Argument(1), maxConcatOperand)
}

// templatePart guards one ${…} of a template of n parts: each may have
// its share of what one + may make. A template converts with ToString.
func (g *jsGuard) templatePart(c goja.FunctionCall) goja.Value {
	v := c.Argument(0)
	if o, ok := v.(*goja.Object); ok {
		v = o.ToString()
	}
	n := max(c.Argument(1).ToInteger(), 1)
	return g.operand(v, int(max(2*maxConcatOperand/n, 1)))
}

// toPrimitive converts o as the + operator does: Symbol.toPrimitive
// with the hint "default", else valueOf, else toString.
func (g *jsGuard) toPrimitive(o *goja.Object) goja.Value {
	if f, ok := goja.AssertFunction(o.GetSymbol(goja.SymToPrimitive)); ok {
		v := call(f, o, []goja.Value{g.vm.ToValue("default")})
		if _, isObject := v.(*goja.Object); isObject {
			panic(g.vm.NewTypeError("Cannot convert object to primitive value"))
		}
		return v
	}
	for _, name := range []string{"valueOf", "toString"} {
		if f, ok := goja.AssertFunction(o.Get(name)); ok {
			if v := call(f, o, nil); v != nil {
				if _, isObject := v.(*goja.Object); !isObject {
					return v
				}
			}
		}
	}
	panic(g.vm.NewTypeError("Cannot convert object to primitive value"))
}
