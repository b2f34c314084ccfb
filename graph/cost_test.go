package graph

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/nordic-integration/bridge/graph/generated"
	"github.com/nordic-integration/bridge/internal/profiles"
)

func testSchema() *ast.Schema {
	return generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}).Schema()
}

// costOf parses and validates query against the schema and returns its cost and depth as the
// handler computes them.
func costOf(t *testing.T, schema *ast.Schema, query string, vars map[string]any) (int, int) {
	t.Helper()
	doc, errs := gqlparser.LoadQueryWithRules(schema, query, nil)
	if errs != nil {
		t.Fatalf("%s: %v", query, errs)
	}
	return operationCost(schema, doc.Operations[0], vars)
}

// leafOf is a field of def that costs 1 (a scalar or enum), for building a selection.
func leafOf(t *testing.T, schema *ast.Schema, def *ast.Definition) *ast.FieldDefinition {
	t.Helper()
	for _, f := range def.Fields {
		k := schema.Types[f.Type.Name()].Kind
		if !strings.HasPrefix(f.Name, "__") && len(f.Arguments) == 0 && f.Type.Elem == nil && (k == ast.Scalar || k == ast.Enum) {
			return f
		}
	}
	t.Fatalf("%s has no scalar field", def.Name)
	return nil
}

// selectField is the AST of `name(first: N) { selection }` (first only when N >= 0), as the
// validator leaves it: with its definitions.
func selectField(parent *ast.Definition, def *ast.FieldDefinition, first int, selection ...ast.Selection) *ast.Field {
	f := &ast.Field{Name: def.Name, Alias: def.Name, Definition: def, ObjectDefinition: parent, SelectionSet: selection}
	if first >= 0 {
		f.Arguments = ast.ArgumentList{{Name: "first", Value: &ast.Value{Kind: ast.IntValue, Raw: fmt.Sprint(first)}}}
	}
	return f
}

// TestEveryListFieldHasACost walks the whole schema: every list of objects and every field with a
// `first` argument must cost (the number of elements it may return) × (the cost of one element),
// so a list or connection added without a multiplied cost fails here.
func TestEveryListFieldHasACost(t *testing.T) {
	schema := testSchema()
	const first = 37
	seen := 0
	for _, def := range schema.Types {
		if strings.HasPrefix(def.Name, "__") || (def.Kind != ast.Object && def.Kind != ast.Interface) {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			name := def.Name + "." + f.Name
			elem := schema.Types[f.Type.Name()]
			hasFirst := f.Arguments.ForName("first") != nil
			leafList := elem.Kind == ast.Scalar || elem.Kind == ast.Enum
			if !hasFirst && (f.Type.Elem == nil || leafList) {
				continue
			}
			if def.Kind == ast.Object && strings.HasSuffix(def.Name, "Connection") || def.Name == "PeopleSearchResult" {
				if f.Name == "edges" {
					continue // multiplied by the connection's first, checked below
				}
			}
			seen++
			// One element: a leaf of the element type (of the edge, for a connection).
			var one ast.Selection = selectField(elem, leafOf(t, schema, elem), -1)
			wrap := func(n int) *ast.Field { return selectField(def, f, n, one) }
			if hasFirst && f.Type.Elem == nil {
				edges := elem.Fields.ForName("edges")
				if edges == nil || edges.Type.Elem == nil {
					t.Errorf("%s takes first but %s has no edges list: its cost cannot be multiplied", name, elem.Name)
					continue
				}
				edge := schema.Types[edges.Type.Name()]
				one = selectField(elem, edges, -1, selectField(edge, leafOf(t, schema, edge), -1))
				wrap = func(n int) *ast.Field { return selectField(def, f, n, one) }
			}
			op := func(n int) *ast.OperationDefinition {
				return &ast.OperationDefinition{SelectionSet: ast.SelectionSet{wrap(n)}}
			}
			var want int
			var got int
			switch {
			case hasFirst:
				got, _ = operationCost(schema, op(first), nil)
				want = first // at least first × one element
				if def := f.Arguments.ForName("first").DefaultValue; def != nil {
					gotDefault, _ := operationCost(schema, op(-1), nil)
					var n int
					fmt.Sscan(def.Raw, &n)
					if gotDefault < n {
						t.Errorf("%s without first costs %d, want at least its default %d × 1", name, gotDefault, n)
					}
				}
			default:
				bound, ok := listBounds[name]
				if !ok {
					t.Errorf("%s is a list without first and has no bound in listBounds", name)
					continue
				}
				if bound < 2 && name != "Introduction.parties" {
					t.Errorf("%s has bound %d: not a multiplied cost", name, bound)
				}
				got, _ = operationCost(schema, op(-1), nil)
				want = bound
			}
			if got < want {
				t.Errorf("%s { one leaf } costs %d, want at least %d (elements × the cost of one)", name, got, want)
			}
		}
	}
	if seen < 40 {
		t.Fatalf("only %d list fields found; is the schema loaded?", seen)
	}
	for name := range listBounds {
		typ, field, _ := strings.Cut(name, ".")
		if d := schema.Types[typ]; d == nil || d.Fields.ForName(field) == nil {
			t.Errorf("listBounds names %s, which the schema does not have", name)
		}
	}
	// The bounds that come from validation follow it.
	if listBounds["Person.themes"] < profiles.MaxThemes || listBounds["Person.affiliations"] < profiles.MaxAffiliations {
		t.Errorf("Person.themes and Person.affiliations must cost at least profiles.MaxThemes and MaxAffiliations")
	}
}

// nested is the query of issue 10: people(first:100) → affiliations → organisation →
// staff(first:100), the staff again nested levels times.
func nested(levels int) string {
	inner := "name"
	for range levels - 1 {
		inner = "name affiliations { organisation { name staff(first: 100) { edges { node { " + inner + " } } } } }"
	}
	return "{ people(first: 100) { edges { node { " + inner + " } } } }"
}

func TestCostOfQueries(t *testing.T) {
	schema := testSchema()
	cases := []struct {
		name      string
		query     string
		vars      map[string]any
		wantCost  int
		wantDepth int
	}{
		{"a scalar", `{ privacyPolicyVersion }`, nil, 1, 1},
		{"a fixed list", `{ countries { code name } }`, nil, 1 + 8*2, 2},
		{"a page", `{ people(first: 100) { totalCount edges { node { name } } } }`, nil,
			1 + 1 + (1 + 100*(1+1)), 4},
		{"the default page", `{ people { edges { node { name } } } }`, nil, 1 + (1 + 20*2), 4},
		{"first from a variable", `query($n: Int!) { people(first: $n) { edges { cursor } } }`, map[string]any{"n": 5}, 1 + 1 + 5, 3},
		{"first over the maximum counts the maximum", `{ municipalities(first: 1000) { edges { cursor } } }`, nil, 1 + 1 + 100, 3},
		{"a list of scalars costs 1", `{ countries { localNames } }`, nil, 1 + 8*1, 2},
		{"aliases count", `{ a: countries { code } b: countries { code } }`, nil, 2 * (1 + 8), 2},
		{"a fragment counts where it is spread", `{ a: countries { ...C } b: countries { ...C } } fragment C on Country { code name }`, nil,
			2 * (1 + 8*2), 2},
		{"facets cost their bounds", `{ people(first: 1) { facets { countries { value count } languages { value } } } }`, nil,
			1 + (1 + (1 + 8*2) + (1 + 50*1)), 4},
		{"a person's lists", `{ me { themes { mode } affiliations { role } } }`, nil, 1 + (1 + 20) + (1 + 10), 3},
		{"peers multiplies itself", `{ peers(first: 10) { score reasons { text } } }`, nil, 1 + 10*(1+(1+10)), 3},
		// staff: 1 + (1 + 100×2) = 202; organisation: 1 + 1 + 202; affiliations: 1 + 10 × 204;
		// node: 1 + 1 + 2041; people: 1 + (1 + 100 × 2043).
		{"two levels of pages", nested(2), nil, 204_302, 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cost, depth := costOf(t, schema, c.query, c.vars)
			if cost != c.wantCost || depth != c.wantDepth {
				t.Errorf("cost %d depth %d, want cost %d depth %d", cost, depth, c.wantCost, c.wantDepth)
			}
		})
	}
	// The query of issue 10 costs more than any limit, however it is nested.
	for levels := 2; levels <= 4; levels++ {
		if cost, _ := costOf(t, schema, nested(levels), nil); cost < 100_000 {
			t.Errorf("nested %d levels costs %d", levels, cost)
		}
	}
}

func TestCountSelections(t *testing.T) {
	cases := []struct {
		query string
		want  int
	}{
		{`{ countries { code } }`, 2},
		{`{ a: countries { b: code } }`, 2},
		{`query Q($x: Boolean = true, $f: PeopleFilter = {text: "a b c"}) { people(filter: {text: "x { y z }", countries: ["SE"]}, first: 5) @include(if: $x) { edges { node { name } } } }`, 4},
		{`{ node(id: "x") { ... on Person { name } ...F } } fragment F on Person { title bio }`, 6},
		{"# a comment { with braces }\n{ countries { code } }", 2},
		{`{ countries { code ` + strings.Repeat("code ", 4899) + `} }`, 11}, // stops counting past the limit
	}
	for _, c := range cases {
		if got := countSelections(c.query, 10); got != c.want {
			t.Errorf("countSelections(%q) = %d, want %d", c.query, got, c.want)
		}
	}
}
