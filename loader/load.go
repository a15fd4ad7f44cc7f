// Package loader reads a policygraph data directory, validates it and turns
// it into quads, one named graph per file. It never touches a store: graph
// applies what the loader produces.
package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/policygraph/policygraph/schema"
)

// The folders of a data directory and the kind of file each holds.
const (
	VocabularyDir = "vocabulary"
	PlansDir      = "plans"
	MentionsDir   = "mentions"
)

// Dataset is a validated data directory turned into quads.
type Dataset struct {
	Hash string // sha256 over every file's path and hash
	// Graphs are the documents, one a file; Load keeps them, Stream hands
	// each to its caller instead and leaves Graphs empty.
	Graphs    []*schema.Document
	Files     int // data files, one document each
	Documents int // plan documents
	Measures  int
	// QuadCount is the number of quads over all documents.
	QuadCount int
	// Technologies and Domains are the vocabulary's terms with their names
	// and aliases: the lexicon for name resolution and text extraction.
	Technologies, Domains []TermDef
}

// IDs lists the ids of type t the dataset defines: a loaded dataset is
// the Catalog a plan sent on its own is checked against.
func (d *Dataset) IDs(t schema.Type) []string {
	var out []string
	for _, g := range d.Graphs {
		for _, q := range g.Quads {
			if q.Predicate == schema.TypeOf && q.Object == t.ClassIRI() {
				if _, id, ok := schema.ParseIRI(q.Subject); ok {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// Has reports whether the dataset defines id as a t. It reads every
// quad, as IDs does: a Dataset is the catalog of tests and tools, not of
// a serving graph (which is a View).
func (d *Dataset) Has(t schema.Type, id string) bool {
	iri := t.IRI(id)
	for _, g := range d.Graphs {
		for _, q := range g.Quads {
			if q.Subject == iri && q.Predicate == schema.TypeOf && q.Object == t.ClassIRI() {
				return true
			}
		}
	}
	return false
}

// Quads is the number of quads over all graphs.
func (d *Dataset) Quads() int { return d.QuadCount }

// file is one data file on its way through decoding and checking.
type file struct {
	path  string // relative, slash-separated
	shown string // as shown in errors: the path the user gave plus path
	src   []byte
	hash  string // of src
	dec   *decoder
	vocab *Vocabulary
	plan  *PlanFile
	ments *MentionsFile
	errs  Errors           // found decoding it
	doc   *schema.Document // converted, unless that needs its checks first
}

// Load reads, validates and converts the data directory dir, keeping
// every document in Graphs. When anything is wrong it returns Errors
// listing every problem and no dataset.
func Load(dir string) (*Dataset, error) {
	var docs []*schema.Document
	ds, err := Stream(dir, func(d *schema.Document) error {
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ds.Graphs = docs
	return ds, nil
}

// decodeOne decodes f into the type its folder holds; a file that does not
// decode keeps no document.
func decodeOne(f *file, errs *Errors) {
	f.dec = newDecoder(f.shown, errs)
	var out any
	switch strings.SplitN(f.path, "/", 2)[0] {
	case VocabularyDir:
		f.vocab = &Vocabulary{}
		out = f.vocab
	case PlansDir:
		f.plan = &PlanFile{}
		out = f.plan
	case MentionsDir:
		f.ments = &MentionsFile{}
		out = f.ments
	default:
		*errs = append(*errs, outsideFolders(f))
		return
	}
	if !f.dec.decodeFile(f.src, out) {
		f.vocab, f.plan, f.ments = nil, nil, nil
	}
}

// outsideFolders is the error of a data file in none of the folders.
func outsideFolders(f *file) *Error {
	return &Error{File: f.shown, Line: 1, Col: 1,
		Msg: fmt.Sprintf("data file outside %s/, %s/ and %s/: move it into the folder for its kind", VocabularyDir, PlansDir, MentionsDir)}
}

// readDir lists the YAML files under dir in a stable order, without
// reading them.
func readDir(dir string) ([]*file, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("read data directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("read data directory: %s is not a directory", dir)
	}
	var files []*file
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (!strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml")) {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, &file{path: filepath.ToSlash(rel), shown: p})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read data directory: %w", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	if len(files) == 0 {
		return nil, fmt.Errorf("read data directory: no .yaml files in %s", dir)
	}
	return files, nil
}

func hashBytes(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// graphID names the graph of a file: vocabulary/<stem>, plan/<id>, mentions/<id>.
func (f *file) graphID() string {
	stem := strings.TrimSuffix(strings.TrimSuffix(path.Base(f.path), ".yaml"), ".yml")
	switch {
	case f.plan != nil:
		return "plan/" + f.plan.ID
	case f.ments != nil:
		return "mentions/" + f.ments.ID
	}
	return "vocabulary/" + stem
}

// Hash is the dataset hash Load would compute for dir, without parsing:
// the cheap way to tell whether a store already holds dir.
func Hash(dir string) (string, error) {
	files, err := readDir(dir)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		src, err := os.ReadFile(f.shown)
		if err != nil {
			return "", fmt.Errorf("read data directory: %w", err)
		}
		f.hash = hashBytes(src)
	}
	return datasetHash(files), nil
}

// datasetHash is the hash over every file's path and hash (files read).
func datasetHash(files []*file) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%s\n", f.path, f.hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}
