package view

import (
	"slices"
	"strings"
	"testing"
)

// TestTokens: Latin text splits into words, CJK runs into character
// bigrams (a lone character stays whole), so a CJK phrase is found inside
// text that has no spaces.
func TestTokens(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"directory blockchain", []string{"directory", "blockchain"}},
		{"目录链", []string{"目录", "录链"}},
		{"the directory blockchain (目录链), 2019", []string{"the", "directory", "blockchain", "目录", "录链", "2019"}},
		{"国際データポート", []string{"国際", "際デ", "デー", "ータ", "タポ", "ポー", "ート"}},
		{"链", []string{"链"}},
		{"5g网络", []string{"5g", "网络"}},
	}
	for _, tc := range cases {
		if got := tokens(normalize(tc.in)); !slices.Equal(got, tc.want) {
			t.Errorf("tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSnippet marks the match in the text's own case and trims long sides.
func TestSnippet(t *testing.T) {
	text := "Improve the running and auditing of the Directory Blockchain (目录链), the 2019 system for sharing data"
	k := normalize(text)
	at := strings.Index(k, "directory blockchain")
	got := Snippet(text, at, len("directory blockchain"))
	want := "…e running and auditing of the [Directory Blockchain] (目录链), the 2019 system for sh…"
	if got != want {
		t.Errorf("snippet:\n got %q\nwant %q", got, want)
	}
}
