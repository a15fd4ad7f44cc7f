package loader

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/policygraph/policygraph/schema"
)

// decoder turns one YAML file into a Go value, collecting every error with
// its line and column instead of stopping at the first, and remembering
// where each decoded value came from so later checks can point at it.
type decoder struct {
	file string
	errs *Errors
	// at maps the address of every decoded value to its place in the file.
	at map[any]pos
}

func newDecoder(file string, errs *Errors) *decoder {
	return &decoder{file: file, errs: errs, at: map[any]pos{}}
}

func (d *decoder) errorf(p pos, field, format string, args ...any) {
	*d.errs = append(*d.errs, &Error{File: d.file, Line: p.line, Col: p.col, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// posOf is where the value at ptr was read; the file's start when unknown.
func (d *decoder) posOf(ptr any) pos {
	if p, ok := d.at[ptr]; ok {
		return p
	}
	return pos{1, 1}
}

// shorthand is a mapping type that may also be written as one scalar:
// `technologies: [blockchain]` for `[{id: blockchain, basis: explicit}]`.
type shorthand interface{ fromText(string) }

// decodeFile parses src into out (a pointer to a struct). It reports false
// when the file could not be parsed at all.
func (d *decoder) decodeFile(src []byte, out any) bool {
	if p, off, ok := invalidUTF8(src); ok {
		d.errorf(p, "", "not valid UTF-8 at byte %d (0x%02x): save the file as UTF-8 (GBK, GB18030 or Big5 text must be converted first)", off, src[off])
		return false
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		var ye yaml.Error
		p := pos{1, 1}
		msg := err.Error()
		if errors.As(err, &ye) {
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				p = pos{tk.Position.Line, tk.Position.Column}
			}
			msg = ye.GetMessage()
		}
		d.errorf(p, "", "malformed YAML: %s", msg)
		return false
	}
	if len(f.Docs) > 1 {
		d.errorf(nodePos(f.Docs[1]), "", "one YAML document per file, found %d", len(f.Docs))
		return false
	}
	var body ast.Node
	if len(f.Docs) == 1 {
		body = f.Docs[0].Body
	}
	if body == nil {
		d.errorf(pos{1, 1}, "", "empty file")
		return false
	}
	before := len(*d.errs)
	d.decode(body, reflect.ValueOf(out).Elem(), "")
	if p, ok := out.(*PlanFile); ok && p.Status == StatusDraft {
		d.forgiveDraft(before)
	}
	return true
}

// forgiveDraft drops, of the errors since before, those a draft plan may
// have: its issuer and source empty or absent (extract writes them so).
// Nothing else is relaxed.
func (d *decoder) forgiveDraft(before int) {
	kept := (*d.errs)[:before]
	for _, e := range (*d.errs)[before:] {
		empty := (e.Field == "issuer" || e.Field == "source") && strings.HasPrefix(e.Msg, "must not be empty")
		if empty || e.Field == "" && e.Msg == `missing required key "source"` {
			continue
		}
		kept = append(kept, e)
	}
	*d.errs = kept
}

func nodePos(n ast.Node) pos {
	if n == nil {
		return pos{1, 1}
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return pos{tk.Position.Line, tk.Position.Column}
	}
	return pos{1, 1}
}

// unwrap strips tags and anchors, which carry no meaning in our formats.
func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		default:
			return n
		}
	}
}

func isNull(n ast.Node) bool {
	_, ok := n.(*ast.NullNode)
	return n == nil || ok
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *decoder) decode(n ast.Node, v reflect.Value, path string) {
	n = unwrap(n)
	p := nodePos(n)
	if v.CanAddr() {
		d.at[v.Addr().Interface()] = p
	}
	if _, ok := n.(*ast.AliasNode); ok {
		d.errorf(p, path, "YAML aliases are not supported; write the value out")
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		d.decode(n, v.Elem(), path)
		d.at[v.Interface()] = p
	case reflect.Struct:
		if sh, ok := v.Addr().Interface().(shorthand); ok {
			if s, isText := scalarText(n); isText {
				if strings.TrimSpace(s) == "" {
					d.errorf(p, path, "must not be empty")
					return
				}
				sh.fromText(s)
				return
			}
		}
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		if isNull(n) {
			return
		}
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.errorf(p, path, "expected a list, found %s", describe(n))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values)))
		for i, item := range seq.Values {
			d.decode(item, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.errorf(p, path, "expected text, found %s", describe(n))
			return
		}
		if strings.TrimSpace(s) == "" {
			// An empty value says nothing and reads as a missing one; an
			// unknown value is a key left out.
			d.errorf(p, path, "must not be empty: leave the key out when the value is unknown")
			return
		}
		v.SetString(s)
	case reflect.Int, reflect.Int64:
		s, ok := scalarText(n)
		i, err := strconv.ParseInt(s, 10, 64)
		if _, isInt := n.(*ast.IntegerNode); !ok || !isInt || err != nil {
			d.errorf(p, path, "expected a whole number, found %s", describe(n))
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		s, ok := scalarText(n)
		f, err := strconv.ParseFloat(s, 64)
		switch sn := n.(type) {
		case *ast.IntegerNode, *ast.FloatNode:
		case *ast.StringNode:
			// The parser reads an exponent without a point (6e+09, as Go
			// writes a float) as text; unquoted, YAML 1.2 makes it a number.
			ok = ok && sn.Token.Type == token.StringType && exponent.MatchString(s)
		default:
			ok = false
		}
		if !ok || err != nil {
			d.errorf(p, path, "expected a number, found %s", describe(n))
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.errorf(p, path, "expected true or false, found %s", describe(n))
			return
		}
		v.SetBool(b.Value)
	default:
		panic("loader: unsupported field type " + v.Type().String())
	}
}

// exponent is a YAML 1.2 float with an exponent and no point.
var exponent = regexp.MustCompile(`^[-+]?[0-9]+[eE][-+]?[0-9]+$`)

// yamlKey is a field's key: its yaml tag without options.
func yamlKey(f reflect.StructField) string {
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return k
}

// entries lists a mapping's key/value pairs, or reports that n is not a mapping.
func entries(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, path string) {
	p := nodePos(n)
	kvs, ok := entries(n)
	if !ok {
		d.errorf(p, path, "expected a mapping of keys, found %s", describe(n))
		return
	}
	if len(kvs) > 0 {
		// A mapping's own token is its first ':'; point at its first key instead.
		p = nodePos(kvs[0].Key)
		if v.CanAddr() {
			d.at[v.Addr().Interface()] = p
		}
	}
	t := v.Type()
	fields := map[string]int{}
	var keys []string
	for i := range t.NumField() {
		k := yamlKey(t.Field(i))
		fields[k] = i
		keys = append(keys, k)
	}
	seen := map[string]bool{}
	for _, kv := range kvs {
		key, _ := scalarText(unwrap(kv.Key))
		kp := nodePos(kv.Key)
		i, known := fields[key]
		switch {
		case !known:
			d.errorf(kp, join(path, key), "unknown key %q%s", key, didYouMean(schema.Suggest(key, keys, 1)))
			continue
		case seen[key]:
			d.errorf(kp, join(path, key), "duplicate key %q", key)
			continue
		}
		seen[key] = true
		d.decode(kv.Value, v.Field(i), join(path, key))
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("pg") == "required" && !seen[yamlKey(f)] {
			d.errorf(p, path, "missing required key %q", yamlKey(f))
		}
	}
}

func (d *decoder) decodeMap(n ast.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	kvs, ok := entries(n)
	if !ok {
		d.errorf(nodePos(n), path, "expected a mapping, found %s", describe(n))
		return
	}
	v.Set(reflect.MakeMapWithSize(v.Type(), len(kvs)))
	d.at[mapKey{v.Pointer(), ""}] = nodePos(n)
	for _, kv := range kvs {
		key, _ := scalarText(unwrap(kv.Key))
		if v.MapIndex(reflect.ValueOf(key)).IsValid() {
			d.errorf(nodePos(kv.Key), join(path, key), "duplicate key %q", key)
			continue
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(kv.Value, elem, join(path, key))
		v.SetMapIndex(reflect.ValueOf(key), elem)
		// Map entries are not addressable; remember the key's place under a
		// synthetic address so checks on names can point at them.
		d.at[mapKey{v.Pointer(), key}] = nodePos(kv.Key)
	}
}

// mapKey addresses an entry of a decoded map for positions.
type mapKey struct {
	m   uintptr
	key string
}

// scalarText is the text of a scalar as written, without quotes.
func scalarText(n ast.Node) (string, bool) {
	switch s := n.(type) {
	case *ast.StringNode:
		return s.Value, true
	case *ast.LiteralNode:
		return strings.TrimSuffix(s.Value.Value, "\n"), true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	return "", false
}

func describe(n ast.Node) string {
	switch n := n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	default:
		if s, ok := scalarText(n); ok {
			return strconv.Quote(s)
		}
		return n.Type().String()
	}
}

// invalidUTF8 finds the first byte of src that is not UTF-8 and its line
// and column (in characters). The YAML parser lets such bytes through in
// comments and quoted text, and the store cannot keep them.
func invalidUTF8(src []byte) (p pos, offset int, found bool) {
	p = pos{1, 1}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return p, i, true
		}
		if r == '\n' {
			p = pos{p.line + 1, 1}
		} else {
			p.col++
		}
		i += n
	}
	return p, 0, false
}
