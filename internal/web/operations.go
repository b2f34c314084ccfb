package web

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// operationFiles are the GraphQL documents of the pages, one file per page named after it
// (operations/themes.graphql for themes.go). A page runs an operation by name; the whole file is
// sent, so its fragments come along. TestOperationsAreValid validates every file against the
// schema, so a schema change that breaks a page fails `make test`.
//
//go:embed operations/*.graphql
var operationFiles embed.FS

// operationDocs maps each operation name to the text of the file that holds it.
var operationDocs = func() map[string]string {
	out := map[string]string{}
	files, err := fs.Glob(operationFiles, "operations/*.graphql")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		raw, err := operationFiles.ReadFile(f)
		if err != nil {
			panic(err)
		}
		doc, gerr := parser.ParseQuery(&ast.Source{Name: f, Input: string(raw)})
		if gerr != nil {
			panic(fmt.Sprintf("%s: %v", f, gerr))
		}
		for _, op := range doc.Operations {
			if op.Name == "" {
				panic(f + ": every operation needs a name")
			}
			if _, dup := out[op.Name]; dup {
				panic(f + ": operation " + op.Name + " is defined twice")
			}
			out[op.Name] = string(raw)
		}
	}
	return out
}()
