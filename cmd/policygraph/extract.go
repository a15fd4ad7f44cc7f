package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/policygraph/policygraph/loader/extract"
)

func (e environment) extract(ctx context.Context, args []string) error {
	fs := e.newFlags("extract", "extract FILE… [--city ID] [--plan ID] [--source ID] [--lang auto|zh|ja|en] [--format yaml|json] [--data DIR]")
	data := e.dataFlag(fs)
	city := fs.String("city", "", "city id of the plan")
	plan := fs.String("plan", "", "id to give the plan (and the prefix of its measure ids)")
	source := fs.String("source", "", "source id the evidence points to")
	lang := fs.String("lang", "auto", "language of the text: auto, zh, ja or en")
	format := fs.String("format", "yaml", "output format: yaml or json")
	files, help, err := positionals(fs, args)
	if help || err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return &usageError{"extract: name at least one text or HTML file"}
	}
	if !slices.Contains([]string{"auto", "zh", "ja", "en"}, *lang) {
		return &usageError{fmt.Sprintf("extract: unknown --lang %q: use auto, zh, ja or en", *lang)}
	}
	if !slices.Contains(extract.Formats, *format) {
		return &usageError{fmt.Sprintf("extract: unknown --format %q: use yaml or json", *format)}
	}
	ds, err := e.loadData(*data)
	if err != nil {
		return err
	}
	lx, err := extract.LexiconOf(ds)
	if err != nil {
		return err
	}
	var outs [][]byte
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		if !utf8.Valid(src) {
			return fmt.Errorf("extract: %s is not UTF-8 text", f)
		}
		text, offset := src, func(i int) int { return i }
		if ext := strings.ToLower(filepath.Ext(f)); ext == ".html" || ext == ".htm" || extract.IsHTML(src) {
			text, offset = extract.StripHTML(src)
		}
		d := extract.Extract(lx, text, offset, extract.Options{City: *city, Plan: *plan, Source: *source, Lang: *lang, File: filepath.Base(f)})
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
