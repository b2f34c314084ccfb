package graph

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestAuditActionsAreOneList: the constants of internal/bridge/auditactions.go, bridge.AuditActions
// and the schema's enum AuditAction name the same actions, so that no event the store writes is
// unknown to the API (an unknown enum value would be answered as an empty string).
func TestAuditActionsAreOneList(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../internal/bridge/auditactions.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); ok && id.Name == "AuditAction" {
				value, err := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
				if err != nil {
					t.Fatal(err)
				}
				consts = append(consts, value)
			}
		}
	}
	var listed []string
	for _, a := range bridge.AuditActions {
		listed = append(listed, string(a))
	}
	var enum []string
	for _, v := range testSchema().Types["AuditAction"].EnumValues {
		enum = append(enum, v.Name)
	}
	if len(consts) < 20 {
		t.Fatalf("found only %d constants: the parse is broken", len(consts))
	}
	slices.Sort(consts)
	slices.Sort(listed)
	slices.Sort(enum)
	if !slices.Equal(consts, listed) || !slices.Equal(consts, enum) {
		t.Fatalf("constants %v\nbridge.AuditActions %v\nschema enum %v", consts, listed, enum)
	}
}
