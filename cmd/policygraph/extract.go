package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/policygraph/policygraph/loader"
	"github.com/policygraph/policygraph/loader/extract"
	"github.com/policygraph/policygraph/schema"
)

// userAgent names the tool to the sites it reads, with where to learn more.
const userAgent = "policygraph-extract/1 (+https://github.com/policygraph/policygraph; a researcher's draft of one page)"

func (e environment) extract(ctx context.Context, args []string) error {
	fs := e.newFlags("extract", "extract FILE|URL… [--city ID] [--plan ID] [--source ID] [--lang auto|zh|ja|en] [--format yaml|json] [--timeout 30s] [--max-bytes N] [--data DIR]")
	data := e.dataFlag(fs)
	city := fs.String("city", "", "city id of the plan")
	plan := fs.String("plan", "", "id to give the plan (and the prefix of its measure ids)")
	source := fs.String("source", "", "source id the evidence points to")
	lang := fs.String("lang", "auto", "language of the text: auto (sentence by sentence), zh, ja or en")
	format := fs.String("format", "yaml", "output format: yaml or json")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for a page given by its http(s) address")
	maxBytes := fs.Int64("max-bytes", 20<<20, "the largest page or file read")
	files, help, err := positionals(fs, args)
	if help || err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return &usageError{"extract: name at least one text or HTML file, or an http(s) address"}
	}
	if !slices.Contains([]string{"auto", "zh", "ja", "en"}, *lang) {
		return &usageError{fmt.Sprintf("extract: unknown --lang %q: use auto, zh, ja or en", *lang)}
	}
	if !slices.Contains(extract.Formats, *format) {
		return &usageError{fmt.Sprintf("extract: unknown --format %q: use yaml or json", *format)}
	}
	if *timeout <= 0 || *maxBytes <= 0 {
		return &usageError{"extract: --timeout and --max-bytes must be positive"}
	}
	// The vocabulary is what extraction needs; the documents go unkept.
	ds, err := loader.Stream(*data, func(*schema.Document) error { return nil })
	if err != nil {
		return e.invalid(*data, err)
	}
	lx, err := extract.LexiconOf(ds)
	if err != nil {
		return err
	}
	var outs [][]byte
	for _, f := range files {
		in, err := readInput(ctx, f, *timeout, *maxBytes)
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		doc, err := extract.Prepare(in.body, in.contentType, in.html)
		if err != nil {
			return fmt.Errorf("extract: %s: %w", f, err)
		}
		d := extract.Extract(lx, doc, extract.Options{City: *city, Plan: *plan, Source: *source, Lang: *lang, File: in.name})
		if in.url != "" {
			d.Retrieved = &extract.Retrieval{URL: in.url, At: in.at, Charset: doc.Charset}
		}
		out, err := d.Encode(*format)
		if err != nil {
			return err
		}
		outs = append(outs, bytes.TrimRight(out, "\n"))
	}
	switch {
	case *format == "json" && len(outs) > 1:
		fmt.Fprintf(e.stdout, "[%s]\n", bytes.Join(outs, []byte(",\n")))
	case *format == "json":
		fmt.Fprintf(e.stdout, "%s\n", outs[0])
	default:
		fmt.Fprintf(e.stdout, "%s\n", bytes.Join(outs, []byte("\n---\n")))
	}
	return nil
}

// input is one text to extract from, as read from a file or the web.
type input struct {
	name, url, contentType string
	body                   []byte
	html                   bool
	at                     time.Time
}

// readInput reads a file, or fetches an http(s) address politely: one
// GET with the tool's User-Agent, a timeout, at most maxBytes, and a
// clear error for each way it can fail.
func readInput(ctx context.Context, name string, timeout time.Duration, maxBytes int64) (*input, error) {
	if strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://") {
		return fetch(ctx, name, timeout, maxBytes)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("%s is larger than --max-bytes %d", name, maxBytes)
	}
	ext := strings.ToLower(filepath.Ext(name))
	return &input{name: filepath.Base(name), body: body, html: ext == ".html" || ext == ".htm"}, nil
}

func fetch(ctx context.Context, addr string, timeout time.Duration, maxBytes int64) (*input, error) {
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("bad address %q: %v", addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("bad address %q: %w", addr, err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html, text/plain;q=0.9, */*;q=0.1")
	client := &http.Client{CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return fmt.Errorf("more than 5 redirects")
		}
		if r.URL.Scheme != "http" && r.URL.Scheme != "https" {
			return fmt.Errorf("redirect to a %s address", r.URL.Scheme)
		}
		return nil
	}}
	at := time.Now().UTC()
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("GET %s: no answer within --timeout %s", addr, timeout)
		}
		return nil, fmt.Errorf("GET %s: %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: the server answered %s", addr, resp.Status)
	}
	ct := resp.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") {
		return nil, fmt.Errorf("GET %s: the page is %s, not text or HTML", addr, ct)
	}
	if resp.ContentLength > maxBytes {
		return nil, fmt.Errorf("GET %s: the page has %d bytes, more than --max-bytes %d", addr, resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil, fmt.Errorf("GET %s: the page did not arrive within --timeout %s", addr, timeout)
		}
		return nil, fmt.Errorf("GET %s: reading the page: %w", addr, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("GET %s: the page is larger than --max-bytes %d", addr, maxBytes)
	}
	name := path.Base(resp.Request.URL.Path)
	if name == "/" || name == "." {
		name = resp.Request.URL.Host
	}
	return &input{name: name, url: resp.Request.URL.String(), contentType: ct, body: body, html: strings.Contains(ct, "html"), at: at}, nil
}
