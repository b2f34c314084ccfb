package neo4jstore

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestEveryPersonQueryUsesAPrivacyPredicate reads the store's source and evaluates every Cypher
// text that a function runs (package-level query strings built from literals, other query strings
// and the predicate functions). A query that touches people (the :Person label, or a relationship
// only people have) must use one of the predicates of predicates.go, or be listed below with the
// reason it needs none: a person's own data by their id, system jobs, the secretariat's tools.
// Writes are not checked: they answer no viewer (what a mutation shows is read back through the
// guarded reads). A new read that forgets the viewer fails here before any data can leak through it.
func TestEveryPersonQueryUsesAPrivacyPredicate(t *testing.T) {
	queries := storeQueries(t)
	if len(queries) < 50 {
		t.Fatalf("found only %d queries in the store; the walker is broken", len(queries))
	}
	// Writes answer no viewer: what a mutation shows is read back through the guarded reads.
	writes := regexp.MustCompile(`\b(CREATE|MERGE|SET|DELETE|REMOVE)\b`)
	touchesPeople := regexp.MustCompile(`:Person\b|\[\w*:(WORKS_ON|WORKS_AT|MEMBER_OF|ATTENDED|PARTY_TO|GAVE|SIGNS_IN_AS)[\]|{ ]`)
	var guarded, exempt []string
	for name, text := range queries {
		if !touchesPeople.MatchString(text) || writes.MatchString(text) {
			continue
		}
		usesPredicate := strings.Contains(text, predicateMark)
		reason, isExempt := noPredicateNeeded[name]
		switch {
		case usesPredicate && isExempt:
			t.Errorf("%s uses a privacy predicate and is also listed as needing none (%q): remove it from the list", name, reason)
		case usesPredicate:
			guarded = append(guarded, name)
		case isExempt:
			exempt = append(exempt, name)
		default:
			t.Errorf("%s matches people without a privacy predicate (visible, listed, suggestable, party, contact, fellow); "+
				"guard it, or add it to noPredicateNeeded with the reason:\n%s", name, text)
		}
	}
	for name := range noPredicateNeeded {
		if _, ok := queries[name]; !ok {
			t.Errorf("noPredicateNeeded lists %s, which is no longer a query of the store", name)
		}
	}
	sort.Strings(guarded)
	t.Logf("%d person queries guarded by a predicate: %s", len(guarded), strings.Join(guarded, ", "))
	t.Logf("%d person queries that need none (reasons in noPredicateNeeded)", len(exempt))
	// The walker must see the predicates where they are: if these are not found guarded, the
	// evaluation above proves nothing.
	for _, name := range []string{"qSearchPeople", "qPeopleByIDs", "qPeerCandidates", "qIntroductionPaths", "qMembers", "qStaff",
		"qSearchPeopleTextFirst", "qSearchPeopleTextFirstCounted", "qSearchPeopleTextNoCount", "qSearchPeopleTextCounted", "qPeopleFacetsText",
		"qThemePeople", "qThemePeopleUncounted", "qResidents", "qResidentsUncounted"} {
		if !strings.Contains(queries[name], predicateMark) {
			t.Errorf("%s is not seen using a predicate", name)
		}
	}
}

// predicateMark stands for a call of a predicate function in the evaluated text.
const predicateMark = "«privacy predicate»"

// queryBuilders are the functions that write part of a person query from what their caller
// gives them, each with the text it writes (the parts that matter here): the predicate is in
// what the caller gives, so each call is checked within its query, and the function's own text
// is not checked alone.
var queryBuilders = map[string]func(args []string) string{
	"themePeople": func(args []string) string { // themePeople(theme, where, limit, carry...)
		return "MATCH (p:Person)-[pw:WORKS_ON]->() WHERE pw.theme = " + args[0] + " AND " + args[1] + " LIMIT " + args[2]
	},
}

// predicateFuncs are the functions of predicates.go that a query may call.
var predicateFuncs = map[string]bool{"visible": true, "listed": true, "suggestable": true, "party": true,
	"contact": true, "fellow": true, "current": true, "listedToOthers": true}

// noPredicateNeeded are the queries that touch people but serve no viewer, with why.
var noPredicateNeeded = map[string]string{
	// a person's own data, by the id of the signed-in person or their account
	"qPersonForAccount":    "the signed-in account's own person",
	"qCreateProfileChecks": "the signed-in account's own account and e-mail; answers only whether it may be claimed",
	"qWarmUpPeople":        "serve's write warm-up: ids for writes it rolls back; answers no viewer",
	"qProfileVersion":      "the signed-in person's own profile version",
	"qProfileBefore":       "the signed-in person's own profile, before their edit",
	"qMyIntroductions":     "the viewer's own introductions; the other party is read through qPeopleByIDs",
	"qRequestsThisWeek":    "the requester's own requests (the weekly limit)",
	"qExport":              "the person's own export (art. 15); what it says of others is decided in ExportPersonData",
	"qConsentsOf":          "ids already read through a guarded read; the resolver shows consents to the person and the secretariat only",
	// the introduction workflow, inside its write transaction, or for the secretariat
	"qIntroduction":          "one introduction by id; graph shows it to its parties and the secretariat only, and the parties through qPeopleByIDs",
	"qIntroductionsPage":     "the secretariat's queue (QueryPolicy: secretariat only)",
	"qIntroductionFacts":     "the secretariat's outcome statistics (QueryPolicy: secretariat only): counts by country, no person",
	"qFollowUpIntroductions": "the follow-up worker (the system): writes notifications to the parties, returns a count",
	"qAttendanceCheck":       "recordAttendance (MutationPolicy: secretariat only) or the person's own id: answers only which given id does not exist",
	"qSetAttendance":         "recordAttendance (secretariat only) or the person's own attendance; returns ids given",
	"qUnknownPracticeLinks":  "savePractice (MutationPolicy: secretariat only): answers only which given id does not exist",
	"qLinkPractice":          "savePractice (secretariat only): writes the links of the ids given, returns nothing",
	"qUpsertPracticeLinks":   "the demo seed (the command line): writes links, returns nothing",
	"qAddIntroductionNote":   "the secretariat's note (MutationPolicy: secretariat only); the parties through qPeopleByIDs",
	"personExists#1":         "the secretariat's edit: does the person exist",
	"qPersonByEmailKey":      "the secretariat creates a person: is the e-mail taken",
	// system jobs and the secretariat's tools, no viewer
	"qRetentionCandidates":  "retention job (system)",
	"qRetentionEraseDue":    "retention job (system)",
	"qPeopleExisting":       "erasure journal replay (system)",
	"qImportExistingPeople": "the secretariat's CSV import (command line)",
	"qExportPeoplePage":     "the secretariat's CSV export (command line)",
	"qExportPeopleCount":    "the secretariat's CSV export (command line)",
	"qRightsRequestsPage":   "the rights-request register (QueryPolicy: secretariat only)",
	"qRightsRequest":        "the rights-request register (QueryPolicy: secretariat only)",
}

// storeQueries returns the Cypher texts of the store by name: package-level strings referenced
// from a function body or a package-level list, and string literals inside functions
// ("Func#n").
func storeQueries(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	decls := map[string]ast.Expr{}
	// funcs are the package's functions whose body is one return statement (textMatchRowsFrom,
	// firstByName …): a call of one is evaluated as its result, with the parameters bound to the
	// arguments' texts, and the function is checked where it is called, not alone.
	funcs := map[string]*ast.FuncDecl{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "predicates.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, file)
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Body != nil && len(fd.Body.List) == 1 {
				if ret, ok := fd.Body.List[0].(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
					funcs[fd.Name.Name] = fd
				}
			}
			g, ok := d.(*ast.GenDecl)
			if !ok || (g.Tok != token.CONST && g.Tok != token.VAR) {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						decls[n.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	var eval func(e ast.Expr) (string, bool)
	var env []map[string]string // the parameters of the functions being evaluated, innermost last
	inlined := map[string]bool{}
	eval = func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		case *ast.ParenExpr:
			return eval(x.X)
		case *ast.BinaryExpr:
			if x.Op != token.ADD {
				return "", false
			}
			a, ok1 := eval(x.X)
			b, ok2 := eval(x.Y)
			return a + b, ok1 && ok2
		case *ast.Ident:
			if len(env) > 0 {
				if v, ok := env[len(env)-1][x.Name]; ok {
					return v, true
				}
			}
			if d, ok := decls[x.Name]; ok {
				return eval(d)
			}
			return "", false
		case *ast.CallExpr:
			// strings.NewReplacer(…).Replace(template): the template, placeholders and all (what is
			// checked here survives the replacement).
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Replace" && len(x.Args) == 1 {
				return eval(x.Args[0])
			}
			f, ok := x.Fun.(*ast.Ident)
			if !ok {
				return "", false
			}
			if predicateFuncs[f.Name] {
				return predicateMark, true
			}
			if f.Name == "rankOf" { // a rank as a literal
				return "0", true
			}
			if f.Name == "keptPlan" && len(x.Args) == 2 { // the statement, its plan kept (keptPlan)
				q, ok := eval(x.Args[1])
				return keptPlanPrefix + q, ok
			}
			if fd := funcs[f.Name]; fd != nil && stringParams(fd) {
				params := map[string]string{}
				i := 0
				for _, field := range fd.Type.Params.List {
					for _, n := range field.Names {
						if i >= len(x.Args) {
							return "", false
						}
						v, ok := eval(x.Args[i])
						if !ok {
							return "", false
						}
						params[n.Name] = v
						i++
					}
				}
				env = append(env, params)
				defer func() { env = env[:len(env)-1] }()
				inlined[f.Name] = true
				return eval(fd.Body.List[0].(*ast.ReturnStmt).Results[0])
			}
			if f.Name == "optionalFilter" && len(x.Args) == 2 { // the text it returns, see optionalFilter
				param, ok1 := eval(x.Args[0])
				body, ok2 := eval(x.Args[1])
				return "($" + param + " IS NULL OR " + body + ")", ok1 && ok2
			}
			if queryBuilders[f.Name] != nil {
				var args []string
				for _, a := range x.Args {
					v, ok := eval(a)
					if !ok {
						return "", false
					}
					args = append(args, v)
				}
				return queryBuilders[f.Name](args), true
			}
			return "", false
		}
		return "", false
	}
	for _, d := range decls { // so that inlined knows every function called by a package-level query
		eval(d)
	}
	queries := map[string]string{}
	add := func(name string, e ast.Expr) {
		if s, ok := eval(e); ok && strings.TrimSpace(s) != "" {
			queries[name] = s
		}
	}
	for _, file := range parsed {
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body == nil || queryBuilders[d.Name.Name] != nil || inlined[d.Name.Name] { // a builder is checked where it is called
					continue
				}
				lit := 0
				ast.Inspect(d.Body, func(n ast.Node) bool {
					switch x := n.(type) {
					case *ast.Ident:
						if _, ok := decls[x.Name]; ok {
							add(x.Name, x)
						}
					case *ast.BasicLit:
						if x.Kind == token.STRING {
							lit++
							add(d.Name.Name+"#"+strconv.Itoa(lit), x)
						}
					case *ast.BinaryExpr:
						if _, ok := eval(x); ok { // a query assembled in the function, checked whole
							lit++
							add(d.Name.Name+"#"+strconv.Itoa(lit), x)
							return false
						}
					}
					return true
				})
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok {
						continue
					}
					for i, v := range vs.Values {
						cl, ok := v.(*ast.CompositeLit)
						if !ok {
							continue
						}
						for k, elt := range cl.Elts {
							if kv, ok := elt.(*ast.KeyValueExpr); ok {
								elt = kv.Value
							}
							if id, ok := elt.(*ast.Ident); ok {
								add(id.Name, id)
							} else {
								add(vs.Names[i].Name+"["+strconv.Itoa(k)+"]", elt)
							}
						}
					}
				}
			}
		}
	}
	return queries
}

// stringParams says whether every parameter of fd is a string (not variadic): the functions the
// walker evaluates as their result.
func stringParams(fd *ast.FuncDecl) bool {
	for _, field := range fd.Type.Params.List {
		if id, ok := field.Type.(*ast.Ident); !ok || id.Name != "string" {
			return false
		}
	}
	return true
}
