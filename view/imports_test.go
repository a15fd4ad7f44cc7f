package view

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlySchema keeps the View a pure read model: of the
// project's packages it imports schema alone, and nothing of Cayley but
// its quad values, so it can be built and tested without a store.
func TestImportsOnlySchema(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ast, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range ast.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			project := strings.HasPrefix(path, "github.com/policygraph/policygraph/")
			cayley := strings.HasPrefix(path, "github.com/cayleygraph/") && path != "github.com/cayleygraph/quad"
			if (project && path != "github.com/policygraph/policygraph/schema") || cayley {
				t.Errorf("%s: imports %s", fset.Position(im.Pos()), path)
			}
		}
	}
}
