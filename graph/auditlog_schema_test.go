package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/nordic-integration/bridge/graph/generated"
)

// auditWriters lists the mutations that could change the audit log (security.md row 73: there is
// no mutation to edit or delete audit rows): a mutation whose name mentions the audit, whose
// result can reach an AuditEvent through its fields, or that takes an argument of an Audit* input
// type (such as the filter of the log).
func auditWriters(schema *ast.Schema) []string {
	var out []string
	if schema.Mutation == nil {
		return nil
	}
	for _, f := range schema.Mutation.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		switch {
		case strings.Contains(strings.ToLower(f.Name), "audit"):
			out = append(out, f.Name+": its name mentions the audit")
		case reaches(schema, f.Type.Name(), "AuditEvent", map[string]bool{}):
			out = append(out, f.Name+": its result reaches AuditEvent")
		default:
			for _, a := range f.Arguments {
				if strings.Contains(strings.ToLower(a.Name), "audit") || strings.HasPrefix(a.Type.Name(), "Audit") {
					out = append(out, f.Name+": its argument "+a.Name+" is about the audit")
				}
			}
		}
	}
	return out
}

// reaches reports whether the output type from is, or leads through fields to, the type to.
func reaches(schema *ast.Schema, from, to string, seen map[string]bool) bool {
	if from == to {
		return true
	}
	if seen[from] {
		return false
	}
	seen[from] = true
	def := schema.Types[from]
	if def == nil {
		return false
	}
	for _, f := range def.Fields {
		if reaches(schema, f.Type.Name(), to, seen) {
			return true
		}
	}
	for _, impl := range schema.PossibleTypes[from] {
		if reaches(schema, impl.Name, to, seen) {
			return true
		}
	}
	return false
}

// TestNoMutationChangesTheAuditLog walks the API's executable schema: no mutation may update or
// delete audit events.
func TestNoMutationChangesTheAuditLog(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}).Schema()
	if schema.Types["AuditEvent"] == nil {
		t.Fatal("the schema has no AuditEvent type: this test would prove nothing")
	}
	if !reaches(schema, "Query", "AuditEvent", map[string]bool{}) {
		t.Fatal("no query reaches AuditEvent: the walk is broken")
	}
	for _, w := range auditWriters(schema) {
		t.Errorf("a mutation could change the audit log: %s", w)
	}
}

// TestTheAuditLogCheckCatchesWriters proves the check above: the schema's own files with one
// mutation added that could edit or delete audit events fail it.
func TestTheAuditLogCheckCatchesWriters(t *testing.T) {
	files, err := filepath.Glob("../schema/graphql/*.graphqls")
	if err != nil || len(files) == 0 {
		t.Fatalf("schema files: %v %v", files, err)
	}
	var sources []*ast.Source
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: name, Input: string(raw)})
	}
	base, gqlErr := gqlparser.LoadSchema(sources...)
	if gqlErr != nil {
		t.Fatalf("schema files: %v", gqlErr)
	}
	if w := auditWriters(base); len(w) != 0 {
		t.Fatalf("the schema files already fail the check: %v", w)
	}
	for _, extra := range []string{
		`extend type Mutation { deleteAuditEvent(id: ID!): Boolean! }`,
		`extend type Mutation { purgeAudit(before: String!): Int! }`,
		`extend type Mutation { redactEvent(id: ID!, detail: String): AuditEvent! }`,
		`extend type Mutation { fixLog(filter: AuditEventFilter!): Int! }`,
		`type LogPage { events: AuditEventConnection! } extend type Mutation { tidyLog(days: Int!): LogPage! }`,
	} {
		schema, gqlErr := gqlparser.LoadSchema(append(sources[:len(sources):len(sources)], &ast.Source{Name: "extra.graphqls", Input: extra})...)
		if gqlErr != nil {
			t.Fatalf("%s: %v", extra, gqlErr)
		}
		if len(auditWriters(schema)) == 0 {
			t.Errorf("the check does not catch %s", extra)
		}
	}
}
