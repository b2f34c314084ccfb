package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	src := "// a comment\nCREATE CONSTRAINT a IF NOT EXISTS\n  FOR (n:A) REQUIRE n.id IS UNIQUE;\n\nCREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.x);\n"
	got := SplitStatements(src)
	want := []string{
		"CREATE CONSTRAINT a IF NOT EXISTS FOR (n:A) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.x)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SplitStatements = %q, want %q", got, want)
	}
}

func TestMigrationsAreOrderedNamedAndIdempotent(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 {
		t.Fatalf("got %d migrations, want at least 2", len(ms))
	}
	for i, m := range ms {
		if i > 0 && ms[i-1].ID >= m.ID {
			t.Errorf("migrations out of order: %s before %s", ms[i-1].ID, m.ID)
		}
		for k, st := range m.Statements {
			f := strings.Fields(st)
			// A DROP only replaces an index: the same migration creates it again under its name
			// (the queries name it), and both are idempotent.
			if len(f) == 5 && f[0] == "DROP" && f[1] == "INDEX" && f[3] == "IF" && f[4] == "EXISTS" {
				if !slices.ContainsFunc(m.Statements[k+1:], func(later string) bool {
					g := strings.Fields(later)
					return len(g) > 3 && g[0] == "CREATE" && slices.Contains(g[1:3], "INDEX") && g[slices.Index(g, "INDEX")+1] == f[2]
				}) {
					t.Errorf("%s: drops index %s without creating it again: %s", m.ID, f[2], st)
				}
				continue
			}
			if !strings.Contains(st, "IF NOT EXISTS") {
				t.Errorf("%s: statement is not idempotent: %s", m.ID, st)
			}
			if len(f) < 3 || f[0] != "CREATE" {
				t.Errorf("%s: not a named CREATE statement: %s", m.ID, st)
			}
		}
	}
}
