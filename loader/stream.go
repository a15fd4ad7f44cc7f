package loader

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/policygraph/policygraph/schema"
)

// Stream reads, validates and converts the data directory dir as Load
// does, but hands each document to put as soon as it is decoded and
// checked against the vocabulary and the files before it, instead of
// holding every document until all are checked: a load then writes while
// it reads, and holds a few files at a time.
//
// The vocabulary is read and checked first, then plans and mentions are
// decoded side by side a few files ahead of the one being checked, and
// handed to put in path order. What a file says about another plan (a
// related plan, a supporting measure, the documents a count covers) can
// only be checked once every file is read. So when Stream returns an
// error, put may already have been given documents: the caller must then
// throw them away, as graph.Load does. After the first problem found put
// is not called again, but reading goes on, so that Errors lists every
// problem as Load's does. An error of put's ends the stream and is
// returned as it is.
//
// The Dataset returned has no Graphs: they went to put.
func Stream(dir string, put func(*schema.Document) error) (*Dataset, error) {
	p, err := Prepare(dir)
	if err != nil {
		return nil, err
	}
	return p.Stream(put)
}

// Prepared is a data directory whose listing and vocabulary are read and
// checked (Prepare), and whose other files are yet to be streamed.
type Prepared struct {
	files []*file
	rest  []*file // the files after the vocabulary
	s     *stream
	done  bool
}

// Prepare does the part of Stream that needs no store: it lists the data
// directory's files, refuses those outside its three folders, and reads
// and checks the vocabulary, which every other file is checked against.
// Err then says whether anything is wrong so far: a caller can refuse the
// directory before it opens, creates or locks a store. The error of
// Prepare itself is a directory that cannot be read.
func Prepare(dir string) (*Prepared, error) {
	files, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	s := &stream{ds: &Dataset{Files: len(files)}}
	var vocab, rest []*file
	for _, f := range files {
		switch strings.SplitN(f.path, "/", 2)[0] {
		case VocabularyDir:
			vocab = append(vocab, f)
		case PlansDir, MentionsDir:
			rest = append(rest, f)
		default:
			s.errs = append(s.errs, outsideFolders(f))
		}
	}
	s.c = newChecker(&s.errs)
	// Plans and measures are all the types a plan or a mentions file
	// refers to that another of them defines.
	s.c.later = map[schema.Type][]laterRef{schema.Plan: nil, schema.Measure: nil}

	if err := pipeline(vocab, func(f *file) error {
		s.errs = append(s.errs, f.errs...)
		s.c.define(f)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, f := range vocab {
		if f.vocab != nil {
			s.c.checkVocabulary(f, f.vocab)
		}
	}
	s.c.checkHierarchy()
	s.c.checkParents()
	return &Prepared{files: files, rest: rest, s: s}, nil
}

// Err is the problems Prepare found (Errors), or nil. Stream lists them
// again with the rest.
func (p *Prepared) Err() error {
	if len(p.s.errs) == 0 {
		return nil
	}
	errs := slices.Clone(p.s.errs)
	errs.sort()
	return errs
}

// Stream hands the vocabulary's documents and then every other file's to
// put, as Stream does. It runs once.
func (p *Prepared) Stream(put func(*schema.Document) error) (*Dataset, error) {
	if p.done {
		return nil, fmt.Errorf("stream the data directory: streamed already")
	}
	p.done = true
	s := p.s
	s.put = put
	for _, f := range p.files {
		if strings.HasPrefix(f.path, VocabularyDir+"/") {
			if err := s.hand(f); err != nil {
				return nil, err
			}
		}
	}
	if err := pipeline(p.rest, func(f *file) error {
		s.errs = append(s.errs, f.errs...)
		s.c.define(f)
		switch {
		case f.plan != nil:
			s.c.checkPlan(f, f.plan)
		case f.ments != nil:
			s.c.checkMentions(f, f.ments.Mentions, "mentions", f.ments.Source)
			s.c.ref(f, schema.Source, &f.ments.Source, "source")
		}
		return s.hand(f)
	}); err != nil {
		return nil, err
	}
	s.c.settle()
	if len(s.errs) > 0 {
		s.errs.sort()
		return nil, s.errs
	}
	s.ds.Hash = datasetHash(p.files)
	return s.ds, nil
}

// stream is the state of one Stream.
type stream struct {
	ds   *Dataset
	c    *checker
	errs Errors
	put  func(*schema.Document) error
}

// hand gives f's document to put while nothing is wrong, and lets go of
// what f held but its hash.
func (s *stream) hand(f *file) error {
	defer f.release()
	if len(s.errs) > 0 {
		return nil
	}
	d := f.doc
	if d == nil {
		d = f.document() // its emitting panicked, yet it checked: say so
	}
	switch {
	case f.vocab != nil:
		s.ds.Technologies = append(s.ds.Technologies, f.vocab.Technologies...)
		s.ds.Domains = append(s.ds.Domains, f.vocab.Domains...)
	case f.plan != nil:
		s.ds.Documents++
		s.ds.Measures += len(f.plan.Measures)
	}
	s.ds.QuadCount += len(d.Quads)
	return s.put(d)
}

// pipeline reads, decodes and converts files side by side, at most a few
// ahead of the one then works on, and calls then with each in order. An
// error of then's stops it.
func pipeline(files []*file, then func(*file) error) error {
	if len(files) == 0 {
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), len(files))
	// Enough files ahead that a worker rarely waits for then, few enough
	// that memory holds a handful of parsed files, not the corpus.
	ahead := make(chan struct{}, 2*workers+2)
	done := make([]chan struct{}, len(files))
	for i := range done {
		done[i] = make(chan struct{})
	}
	quit := make(chan struct{})
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				files[i].prepare()
				close(done[i])
			}
		})
	}
	go func() {
		defer close(next)
		for i := range files {
			select {
			case ahead <- struct{}{}:
			case <-quit:
				return
			}
			select {
			case next <- i:
			case <-quit:
				return
			}
		}
	}()
	var err error
	for i, f := range files {
		<-done[i]
		err = then(f)
		<-ahead
		if err != nil {
			break
		}
	}
	close(quit)
	wg.Wait()
	return err
}

// prepare reads, decodes and converts f, keeping its own errors in
// f.errs; checking it against the others is then's.
func (f *file) prepare() {
	src, err := os.ReadFile(f.shown)
	if err != nil {
		f.errs = append(f.errs, &Error{File: f.shown, Line: 1, Col: 1, Msg: fmt.Sprintf("read: %v", err)})
		return
	}
	f.src, f.hash = src, hashBytes(src)
	decodeOne(f, &f.errs)
	if f.vocab == nil && f.plan == nil && f.ments == nil {
		return
	}
	// Converted before it is checked, to keep that work off the one
	// goroutine that checks; a file that fails its checks may be missing
	// what converting needs, so a panic here only means "wait for them".
	func() {
		defer func() {
			if recover() != nil {
				f.doc = nil
			}
		}()
		f.doc = f.document()
	}()
}

// document is f's named graph.
func (f *file) document() *schema.Document {
	d := &schema.Document{ID: f.graphID(), Path: f.path, Hash: f.hash, Origin: schema.FromFile, Source: f.src}
	e := emitter{label: graphLabel(d.ID)}
	switch {
	case f.vocab != nil:
		e.vocabulary(f.vocab)
	case f.plan != nil:
		e.plan(f.plan)
	case f.ments != nil:
		e.mentionsFile(f.ments)
	}
	d.Quads = e.quads
	return d
}

// release drops what f holds once it is checked and handed on.
func (f *file) release() {
	f.src, f.dec, f.vocab, f.plan, f.ments, f.doc, f.errs = nil, nil, nil, nil, nil, nil, nil
}
