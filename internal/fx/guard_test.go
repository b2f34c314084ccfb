package fx

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// cypherClause matches the clauses that write or read the graph as Cypher writes them: a
// pattern after MATCH, MERGE or CREATE, DETACH DELETE, and SET or REMOVE of a property. Audit
// actions (CREATE_PERSON, MERGE_PEOPLE) and the bare words a test looks for in a response
// ("MATCH ", "RETURN ") are not clauses.
var cypherClause = regexp.MustCompile(`(?i)\b(OPTIONAL\s+MATCH|MATCH|MERGE|CREATE)\s*\(|\bDETACH\s+DELETE\b|\b(SET|REMOVE)\s+[A-Za-z_][A-Za-z0-9_]*\s*(\.|\+=|:[A-Za-z])`)

// notCypher are string literals of tests elsewhere that look like Cypher but are not sent to any
// database, each with its reason.
var notCypher = map[string]string{
	`"secret-detail: MATCH (n) RETURN n"`: "graph/handler_test.go: a fake service's error text that the presenter must not show",
}

// TestNoCypherInTestsOutsideFx: test code outside internal/neo4jstore (the store's own tests) and
// internal/fx writes no Cypher; fixtures and the reads that verify state are named builders and
// readers here.
func TestNoCypherInTestsOutsideFx(t *testing.T) {
	root := moduleRoot(t)
	var files int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bin"),
				rel == "internal/neo4jstore", rel == "internal/fx":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		for _, f := range cypherIn(t, path) {
			t.Errorf("%s:%d: Cypher in a test (%s); write a builder or reader in internal/fx instead", rel, f.line, f.clause)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Fatalf("only %d test files found under %s: the walk is broken", files, root)
	}
}

// TestTheCypherGuardCatches: the guard finds each clause it names, in any kind of literal, and
// leaves alone what is not a clause.
func TestTheCypherGuardCatches(t *testing.T) {
	src := "package x\n\nconst q = `MATCH (p:Person {id: $id})\nRETURN p`\n\n" +
		"func f() {\n" +
		"\trun(\"MERGE (o:Organisation {id: $id})\")\n" +
		"\trun(`CREATE (:Person)`)\n" +
		"\trun(\"MATCH (n) DETACH DELETE n\")\n" +
		"\trun(\"MATCH p SET p.confirmed = true\")\n" +
		"\trun(\"optional match (x)\")\n" +
		"\trun(\"WITH n REMOVE n.introductionId\")\n" +
		"\trun(\"SET p += $props\")\n" +
		"\tok := []string{\"MATCH \", \"RETURN \", \"CREATE_PERSON\", \"MERGE_PEOPLE\", \"Neo.\", \"set up\", \"reset\"}\n" +
		"\t_ = ok\n}\n"
	path := filepath.Join(t.TempDir(), "x_test.go")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, f := range cypherIn(t, path) {
		lines = append(lines, f.line)
	}
	want := []int{3, 7, 8, 9, 10, 11, 12, 13}
	if !slices.Equal(lines, want) {
		t.Fatalf("guard found Cypher on lines %v, want %v", lines, want)
	}
}

type finding struct {
	line   int
	clause string
}

// cypherIn parses a Go file and returns the string literals that contain a Cypher clause.
func cypherIn(t *testing.T, path string) []finding {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	var out []finding
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		if _, ok := notCypher[lit.Value]; ok {
			return true
		}
		text, err := strconv.Unquote(lit.Value)
		if err != nil {
			text = lit.Value
		}
		if m := cypherClause.FindString(text); m != "" {
			out = append(out, finding{line: fset.Position(lit.Pos()).Line, clause: m})
		}
		return true
	})
	return out
}

// moduleRoot is the folder of go.mod above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}
