package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/server"
)

// handlerTransport answers HTTP requests with an in-process handler, so
// that query and ask run the server's own code straight against a store.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// apiClient reaches the API of a running server (--server) or, without
// one, of an in-process server over the store named by --db/--dbpath.
type apiClient struct {
	base   string
	client *http.Client
	close  func()
}

func (e environment) clientFlags(fs *flag.FlagSet) (*graph.Config, *string) {
	fs.String("server", e.env("POLICYGRAPH_SERVER", ""), "URL of a running policygraph server; without it the store is read directly (env POLICYGRAPH_SERVER)")
	cfg := e.storeFlags(fs)
	format := fs.String("format", "table", "output: table, json or csv")
	return cfg, format
}

func (e environment) newClient(ctx context.Context, srv string, cfg graph.Config) (*apiClient, error) {
	if srv != "" {
		u, err := url.Parse(srv)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, &usageError{fmt.Sprintf("bad --server %q: give a URL such as http://127.0.0.1:8080", srv)}
		}
		return &apiClient{base: strings.TrimRight(srv, "/"), client: &http.Client{Timeout: 60 * time.Second}, close: func() {}}, nil
	}
	st, err := e.open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := server.New(st, server.Config{})
	return &apiClient{base: "http://store", client: &http.Client{Transport: handlerTransport{s}}, close: func() { st.Close() }}, nil
}

// call sends a request and decodes the JSON answer, turning the error
// envelope into an error naming the code and message.
func (c *apiClient) call(ctx context.Context, method, path string, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask the server: %w", err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("read the answer (status %d): %w", resp.StatusCode, err)
	}
	if e, ok := out["error"].(map[string]any); ok {
		msg := fmt.Sprintf("%v (%v)", e["message"], e["code"])
		if s, ok := e["suggestions"].([]any); ok && len(s) > 0 {
			msg += fmt.Sprintf("; did you mean %v?", s)
		}
		if f, ok := e["forms"].([]any); ok {
			for _, form := range f {
				msg += fmt.Sprintf("\n  %v", form)
			}
		}
		return nil, fmt.Errorf("%s", msg)
	}
	return out, nil
}

func (e environment) query(ctx context.Context, args []string) error {
	fs := e.newFlags("query", "query [--language gizmo|graphql] [--limit N] [--server URL | --db … --dbpath …] [--format table|json|csv] 'QUERY'")
	lang := fs.String("language", "gizmo", "query language: gizmo or graphql")
	limit := fs.Int("limit", 1000, "most results to return")
	cfg, format := e.clientFlags(fs)
	src, c, err := e.clientCommand(ctx, fs, args, "a query", cfg)
	if err != nil || c == nil {
		return err
	}
	defer c.close()
	out, err := c.call(ctx, http.MethodPost, "/v1/query", map[string]any{"language": *lang, "query": src, "limit": *limit})
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	res, _ := out["result"].([]any)
	if err := e.print(out, res, *format); err != nil {
		return err
	}
	if t, _ := out["truncated"].(bool); t && *format == "table" {
		fmt.Fprintf(e.stderr, "(first %d results; raise --limit for more)\n", *limit)
	}
	return nil
}

func (e environment) ask(ctx context.Context, args []string) error {
	fs := e.newFlags("ask", "ask [--server URL | --db … --dbpath …] [--format table|json|csv] 'QUESTION'")
	cfg, format := e.clientFlags(fs)
	q, c, err := e.clientCommand(ctx, fs, args, "a question", cfg)
	if err != nil || c == nil {
		return err
	}
	defer c.close()
	out, err := c.call(ctx, http.MethodGet, "/v1/ask?q="+url.QueryEscape(q), nil)
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	rows, _ := out["rows"].([]any)
	if *format == "table" {
		if in, ok := out["interpretation"].(map[string]any); ok {
			fmt.Fprintf(e.stdout, "read as %v: %v\n", in["query"], in["reading"])
		}
		if yes, ok := out["answer"].(bool); ok {
			fmt.Fprintf(e.stdout, "answer: %s\n", map[bool]string{true: "yes", false: "no"}[yes])
		}
		// Coverage notes go to stderr, so stdout stays the answer's table.
		if notes, ok := out["coverage"].([]any); ok {
			for _, n := range notes {
				if n, ok := n.(map[string]any); ok {
					fmt.Fprintf(e.stderr, "note: %v\n", n["note"])
				}
			}
		}
		fmt.Fprintln(e.stdout)
	}
	return e.print(out, rows, *format)
}

// clientCommand parses a query or ask command line and opens its client;
// a nil client with a nil error means --help was asked for.
func (e environment) clientCommand(ctx context.Context, fs *flag.FlagSet, args []string, what string, cfg *graph.Config) (string, *apiClient, error) {
	arg, err := oneArgument(fs, args, what)
	if err != nil || arg == "" {
		return "", nil, err
	}
	if err := checkFormat(fs.Lookup("format").Value.String()); err != nil {
		return "", nil, err
	}
	c, err := e.newClient(ctx, fs.Lookup("server").Value.String(), *cfg)
	return arg, c, err
}

// oneArgument parses flags around exactly one positional argument.
func oneArgument(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, help, err := positionals(fs, args)
	if help || err != nil {
		return "", err
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", &usageError{fmt.Sprintf("%s: give %s as one argument (quote it)", fs.Name(), what)}
	}
	return pos[0], nil
}

func checkFormat(f string) error {
	if !slices.Contains([]string{"table", "json", "csv"}, f) {
		return &usageError{fmt.Sprintf("unknown --format %q: use table, json or csv", f)}
	}
	return nil
}

// print writes rows as an aligned table or CSV, or the whole answer as JSON.
func (e environment) print(whole map[string]any, rows []any, format string) error {
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(whole)
	}
	cols := columns(rows)
	if format == "csv" {
		w := csv.NewWriter(e.stdout)
		_ = w.Write(cols)
		for _, r := range rows {
			_ = w.Write(cells(r, cols))
		}
		w.Flush()
		return w.Error()
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "(no results)")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(cells(r, cols), "\t"))
	}
	return tw.Flush()
}

// columns are the keys of the rows, in first-seen order of the first row
// and then alphabetically for keys only later rows have.
func columns(rows []any) []string {
	var cols []string
	seen := map[string]bool{}
	for i, r := range rows {
		m, ok := r.(map[string]any)
		if !ok {
			if !seen["value"] {
				seen["value"] = true
				cols = append(cols, "value")
			}
			continue
		}
		var keys []string
		for k := range m {
			if !seen[k] {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		if i == 0 {
			keys = orderFirst(keys)
		}
		for _, k := range keys {
			seen[k] = true
			cols = append(cols, k)
		}
	}
	return cols
}

// orderFirst puts identifying columns first.
func orderFirst(keys []string) []string {
	lead := []string{"id", "city", "name", "technology", "domain", "basis", "count"}
	var out []string
	for _, l := range lead {
		if slices.Contains(keys, l) {
			out = append(out, l)
		}
	}
	for _, k := range keys {
		if !slices.Contains(lead, k) {
			out = append(out, k)
		}
	}
	return out
}

func cells(r any, cols []string) []string {
	out := make([]string, len(cols))
	m, ok := r.(map[string]any)
	for i, c := range cols {
		switch {
		case !ok && c == "value":
			out[i] = cell(r)
		case ok:
			out[i] = cell(m[c])
		}
	}
	return out
}

// cell renders one value: JSON-LD nodes and literals by their text, lists
// joined by ";", objects as JSON.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return fmt.Sprint(x)
	case bool:
		return fmt.Sprint(x)
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = cell(p)
		}
		return strings.Join(parts, ";")
	case map[string]any:
		if id, ok := x["@id"]; ok {
			return cell(id)
		}
		if val, ok := x["@value"]; ok {
			if lang, ok := x["@language"]; ok {
				return fmt.Sprintf("%v@%v", val, lang)
			}
			return cell(val)
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}
