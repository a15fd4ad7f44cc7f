package server

import (
	"crypto/subtle"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// DefaultWriter is the name of a write token given without one.
const DefaultWriter = "default"

var writerName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,63}$`)

// ParseWriteTokens reads --write-token values, NAME=SECRET or a bare
// SECRET (named DefaultWriter), into name → secret. A value whose part
// before the first = is not a name is a bare secret, so a secret may hold
// = signs. Errors name the token by its name or position, never by its
// secret.
func ParseWriteTokens(values []string) (map[string]string, error) {
	out := map[string]string{}
	bySecret := map[string]string{}
	for i, v := range values {
		name, secret := DefaultWriter, v
		if n, sec, ok := strings.Cut(v, "="); ok && writerName.MatchString(n) {
			name, secret = n, sec
		}
		if secret == "" {
			return nil, fmt.Errorf("write token %d (%s) has an empty secret", i+1, name)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("write token %d: the name %q is given twice; every writer needs a name of its own", i+1, name)
		}
		if other, dup := bySecret[secret]; dup {
			return nil, fmt.Errorf("write tokens %q and %q have the same secret, so their writes could not be told apart", other, name)
		}
		out[name], bySecret[secret] = secret, name
	}
	return out, nil
}

// tokens is the configured writers: WriteTokens, and WriteToken as DefaultWriter.
func (c Config) tokens() map[string]string {
	out := make(map[string]string, len(c.WriteTokens)+1)
	for n, s := range c.WriteTokens {
		out[n] = s
	}
	if c.WriteToken != "" {
		if _, named := out[DefaultWriter]; !named {
			out[DefaultWriter] = c.WriteToken
		}
	}
	return out
}

// writerTokens is the configured tokens in a fixed order, for writerOf.
type writerTokens struct {
	names   []string
	secrets [][]byte
}

func newWriterTokens(m map[string]string) writerTokens {
	var w writerTokens
	for n := range m {
		w.names = append(w.names, n)
	}
	sort.Strings(w.names)
	for _, n := range w.names {
		w.secrets = append(w.secrets, []byte(m[n]))
	}
	return w
}

// writerOf names the writer whose secret got is. Every secret is
// compared, in constant time each, so the time taken says nothing about
// which one (or how much of one) matched.
func (w writerTokens) writerOf(got string) (string, bool) {
	found := -1
	for i, sec := range w.secrets {
		if subtle.ConstantTimeCompare([]byte(got), sec) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return w.names[found], true
}
