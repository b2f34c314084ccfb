package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// loadSchema parses the API's SDL as gqlgen reads it (schema/graphql/*.graphqls).
func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	files, err := filepath.Glob("../../schema/graphql/*.graphqls")
	if err != nil || len(files) == 0 {
		t.Fatalf("no schema files: %v", err)
	}
	var sources []*ast.Source
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(src)})
	}
	schema, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil {
		t.Fatalf("schema: %v", gerr)
	}
	return schema
}

// Every page's operations are valid against the schema: a schema change that breaks a page fails
// here, before any user sees it.
func TestOperationsAreValid(t *testing.T) {
	schema := loadSchema(t)
	files, err := filepath.Glob("operations/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no operation files: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := gqlparser.LoadQueryWithRules(schema, string(src), nil); len(errs) > 0 {
			t.Errorf("%s: %v", f, errs)
		}
	}
}

// The validation above would catch a broken document: a field the schema lacks is refused.
func TestOperationValidationCatchesAnUnknownField(t *testing.T) {
	schema := loadSchema(t)
	doc, errs := gqlparser.LoadQueryWithRules(schema, `query X { themes { id noSuchField } }`, nil)
	if len(errs) == 0 {
		t.Fatalf("an unknown field passed validation: %v", doc)
	}
}

// Every operation a handler runs exists in an operations file, and every operation in a file is
// run by some handler (no dead documents).
func TestEveryOperationIsDefinedAndUsed(t *testing.T) {
	run := regexp.MustCompile(`a\.run(?:Form)?\([^,]+, "([A-Za-z]+)"`)
	used := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range run.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
			if _, ok := operationDocs[m[1]]; !ok {
				t.Errorf("%s runs operation %s, which no operations file defines", f, m[1])
			}
		}
	}
	if len(used) < 10 {
		t.Fatalf("found %d operations run; the pattern no longer matches the handlers", len(used))
	}
	for op := range operationDocs {
		if !used[op] {
			t.Errorf("operation %s is defined but no handler runs it", op)
		}
	}
}
