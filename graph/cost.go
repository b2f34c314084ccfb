package graph

import (
	"context"
	"encoding/json"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The cost of an operation (security.md rows 11, 13, 14) bounds what answering it can resolve,
// before anything is resolved:
//
//   - every selected field costs 1 (a scalar, an object, __typename; aliases count again);
//   - an object field costs 1 plus the cost of its selection;
//   - a list costs 1 plus n × the cost of one element's selection, where n is
//     · its `first` argument (or that argument's default when absent), for a list with `first`;
//     · for a connection (a field with `first` whose type has `edges`): the connection's own
//       fields cost once, and its `edges` cost n × one edge;
//     · for a list without `first`: its bound in listBounds (what the data or the validation
//       allows), unknown lists defaultListBound;
//     · a list of scalars or enums (languages, names): 1, they come with their object;
//     · n is clamped to 1..bridge.MaxPageSize: the resolvers refuse anything larger, so a larger
//       `first` does no more work;
//   - fragments cost what they select, at every place they are spread (computed once each).
//
// So `people(first:100) { … affiliations { organisation { staff(first:100) { … } } } }` costs
// 100 × 10 × 100 × … and is refused with COMPLEXITY_LIMIT_EXCEEDED before any resolver runs.
// Introspection (__schema, __type; development only) is not counted.

// codeComplexity is gqlgen's code for an operation over the cost limit; the selection pre-check
// uses it too (a selection costs at least 1). codeDepth is an operation nested too deep.
const (
	codeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"
	codeDepth      = "DEPTH_LIMIT_EXCEEDED"
)

// defaultListBound is the multiplier of a list without `first` that listBounds does not name
// (the schema test fails for such a list; this keeps the runtime conservative meanwhile).
const defaultListBound = bridge.MaxPageSize

// listBounds is how many elements each list without `first` can have, and why. The schema test
// (TestEveryListFieldHasACost) fails when a list of objects is missing here.
var listBounds = map[string]int{
	"Query.countries":              8,   // the five countries and three autonomous territories
	"Practice.countries":           8,   //
	"Query.regions":                100, // 75 first-level regions today (seed/reference/nordic_regions.csv)
	"Query.themes":                 100, // the vocabulary: 51 themes today, grown by the secretariat only
	"Query.expertGroups":           100, // the programme's groups, events and practices: whole lists, a
	"Query.events":                 100, // handful today, grown by the secretariat only
	"Query.practices":              100, //
	"Theme.broader":                10,  // a few broader concepts per theme
	"Theme.narrower":               20,  // the widest theme has 9 narrower ones today
	"Theme.labels":                 8,   // en, sv, nb, da, fi, is, fo, kl
	"Event.themes":                 10,  // themes of one programme item
	"ExpertGroup.themes":           10,  //
	"Practice.themes":              10,  //
	"Person.themes":                20,  // profiles.MaxThemes
	"Person.affiliations":          10,  // profiles.MaxAffiliations
	"Person.memberships":           10,  // expert groups of one person (the programme has a handful)
	"Person.events":                20,  // events one person attended
	"Event.suggestionsForMe":       50,  // eventsuggestions.MaxSuggestions
	"EventSuggestion.sharedThemes": 20,  // the viewer's themes (profiles.MaxThemes)
	"Practice.organisations":       50,  // bridge.MaxPracticeLinks
	"Practice.municipalities":      50,  //
	"Organisation.practices":       100, // the programme's practices (as Query.practices)
	"Person.practices":             20,  // practices one person is named behind: a few
	"Person.consents":              20,  // consent records, history included (3 purposes)
	// giveConsent and withdrawConsent return the person's consent records.
	"Mutation.giveConsent":             20,
	"Mutation.withdrawConsent":         20,
	"Introduction.parties":             2,  // requester and recipient
	"Introduction.history":             10, // request, propose, two answers, outcome or an end
	"Introduction.notes":               50, // the secretariat's notes on one introduction: a handful
	"IntroductionStatistics.months":    61,
	"ImportCheck.columns":              100, // maxImportColumns
	"ImportCheck.problems":             200, // maxImportProblems; problemCount counts them all
	"ImportProblem.suggestions":        3,   // csvio.MaxSuggestions  // at most five years of months (introductions.MaxStatisticsRange)
	"IntroductionStatistics.countries": 8,   // the five countries and three territories
	"IntroductionStatistics.themes":    100, // the vocabulary (as Query.themes)
	"IntroductionConnection.counts":    8,   // one per IntroductionStatus
	"Query.introductionPaths":          5,   // the resolver asks the store for 5 paths
	"IntroductionPath.steps":           4,   // maxHops is at most 4
	"PeerMatch.reasons":                10,  // shared themes, groups, events, language, country
	"PeerMatch.missing":                5,   // the kinds of gap
	"PeopleFacets.countries":           8,   // countries and territories
	"PeopleFacets.organisationKinds":   9,   // OrganisationKind
	"PeopleFacets.themes":              100, // the vocabulary (as Query.themes)
	"PeopleFacets.languages":           50,  // ISO 639-1 codes in use
	"PeopleFacets.expertGroups":        100, // the programme's groups (as Query.expertGroups)
	"NetworkCoverage.columns":          100, // the vocabulary (as Query.themes), or the kinds or size classes
	"NetworkCoverage.rows":             8,   // the five countries and three territories
	"NetworkRow.cells":                 100, // one per column
	"NetworkGaps.emptyMunicipalities":  100, // network.MaxList (limit)
	"NetworkGaps.nationalActors":       100, // network.MaxList (limit)
	"NetworkGaps.thinThemes":           100, // network.MaxList (limit)
	"NetworkGaps.groups":               100, // network.MaxList (limit)
	"NetworkGroupGap.countries":        8,   // countries and territories
	"NetworkBridges.bridges":           100, // network.MaxList (limit)
	"NetworkBridges.islands":           100, // network.MaxList (limit)
	"NetworkIsland.members":            5,   // at most five per island
	"Query.networkTrends":              60,  // network.MaxMonths
}

// costLimit is the handler extension that computes an operation's cost and depth after
// validation and refuses it, before any resolver runs, when either is over its limit. It replaces
// gqlgen's ComplexityLimit (whose walker counts a list as 1 whatever its `first`) and records the
// same statistics, so extension.GetComplexityStats works.
type costLimit struct {
	limit, depthLimit int
	schema            *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &costLimit{}

func (c *costLimit) ExtensionName() string { return "CostLimit" }

func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.schema = es.Schema()
	return nil
}

func (c *costLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	cost, depth := operationCost(c.schema, opCtx.Operation, opCtx.Variables)
	opCtx.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: cost, ComplexityLimit: c.limit})
	if cost > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d: ask for fewer or smaller pages", cost, c.limit)
		errcode.Set(err, codeComplexity)
		return err
	}
	if c.depthLimit > 0 && depth > c.depthLimit {
		err := gqlerror.Errorf("operation is nested %d levels deep, which exceeds the limit of %d", depth, c.depthLimit)
		errcode.Set(err, codeDepth)
		return err
	}
	return nil
}

// operationCost returns the cost and the depth (levels of nested fields) of op.
func operationCost(schema *ast.Schema, op *ast.OperationDefinition, vars map[string]any) (cost, depth int) {
	if op == nil {
		return 0, 0
	}
	w := costWalker{schema: schema, vars: vars, fragments: map[fragmentKey][2]int{}}
	return w.selections(op.SelectionSet, 0)
}

type fragmentKey struct {
	name  string
	edges int
}

type costWalker struct {
	schema    *ast.Schema
	vars      map[string]any
	fragments map[fragmentKey][2]int // cost and depth of each fragment, computed once
}

// selections is the cost and depth of a selection set; edges is the `first` of the connection
// whose fields these are (0 outside a connection).
func (w *costWalker) selections(set ast.SelectionSet, edges int) (cost, depth int) {
	for _, sel := range set {
		var c, d int
		switch s := sel.(type) {
		case *ast.Field:
			c, d = w.field(s, edges)
		case *ast.InlineFragment:
			c, d = w.selections(s.SelectionSet, edges)
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			k := fragmentKey{s.Name, edges}
			cd, ok := w.fragments[k]
			if !ok {
				w.fragments[k] = [2]int{} // a cycle (refused by validation) costs nothing more
				cd[0], cd[1] = w.selections(s.Definition.SelectionSet, edges)
				w.fragments[k] = cd
			}
			c, d = cd[0], cd[1]
		}
		cost = addSat(cost, c)
		depth = max(depth, d)
	}
	return cost, depth
}

func (w *costWalker) field(f *ast.Field, edges int) (cost, depth int) {
	if f.Name == "__schema" || f.Name == "__type" {
		return 0, 0
	}
	if f.Definition == nil || f.ObjectDefinition == nil {
		return 1, 1
	}
	n, isConnection := fieldMultiplier(w.schema, f.ObjectDefinition.Name, f.Definition, w.first(f), edges)
	childEdges := 0
	if isConnection {
		childEdges, n = n, 1
	}
	childCost, childDepth := w.selections(f.SelectionSet, childEdges)
	return addSat(1, mulSat(n, childCost)), 1 + childDepth
}

// fieldMultiplier is how many times the selection of a field of the type typeName is resolved:
// first (already clamped; -1 when the field has no `first`) or the list's bound. For a
// connection it returns first and true: its edges, not its own fields, are multiplied.
func fieldMultiplier(schema *ast.Schema, typeName string, def *ast.FieldDefinition, first, edges int) (n int, connection bool) {
	if first >= 0 {
		return first, def.Type.Elem == nil // a list with `first` (peers) is multiplied itself
	}
	if def.Type.Elem == nil {
		return 1, false
	}
	if def.Name == "edges" && edges > 0 {
		return edges, false
	}
	if b, ok := listBounds[typeName+"."+def.Name]; ok {
		return b, false
	}
	if isLeafList(schema, def) {
		return 1, false
	}
	return defaultListBound, false
}

// isLeafList reports a list of scalars or enums: the values come with the parent object, nothing
// is resolved per element.
func isLeafList(schema *ast.Schema, def *ast.FieldDefinition) bool {
	if schema == nil {
		return false
	}
	elem := schema.Types[def.Type.Name()]
	return elem != nil && (elem.Kind == ast.Scalar || elem.Kind == ast.Enum)
}

// first is the field's `first` argument clamped to 1..bridge.MaxPageSize (its default when the
// query leaves it out), or -1 when the field has no `first`. A value that is not a number counts
// as the maximum.
func (w *costWalker) first(f *ast.Field) int {
	argDef := f.Definition.Arguments.ForName("first")
	if argDef == nil {
		return -1
	}
	var raw any
	if arg := f.Arguments.ForName("first"); arg != nil && arg.Value != nil {
		if arg.Value.Kind == ast.Variable {
			v, ok := w.vars[arg.Value.Raw]
			if ok {
				raw = v
			} else if argDef.DefaultValue != nil {
				raw = argDef.DefaultValue.Raw
			}
		} else {
			raw = arg.Value.Raw
		}
	} else if argDef.DefaultValue != nil {
		raw = argDef.DefaultValue.Raw
	}
	n := bridge.MaxPageSize
	switch v := raw.(type) {
	case int:
		n = v
	case int64:
		n = int(max(min(v, math.MaxInt32), math.MinInt32))
	case float64:
		n = int(max(min(v, math.MaxInt32), math.MinInt32))
	case json.Number:
		if i, err := v.Int64(); err == nil {
			n = int(max(min(i, math.MaxInt32), math.MinInt32))
		}
	case string:
		if i, err := strconv.Atoi(v); err == nil {
			n = i
		}
	}
	return min(max(n, 1), bridge.MaxPageSize)
}

// costCap keeps costs far from overflow: anything at the cap is over every sensible limit.
const costCap = math.MaxInt32

func addSat(a, b int) int { return min(a+b, costCap) }

func mulSat(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > costCap/b {
		return costCap
	}
	return min(a*b, costCap)
}

// selectionPrecheck is the handler extension that refuses, before parsing and validation, a query
// text with more selections than limit. Validation is superlinear in the number of fields that
// share a response name (4,900 copies of one field took seconds of CPU); counting selections is
// one pass of the lexer. A selection is a field (with or without alias), a fragment spread or an
// inline fragment; names in arguments, variable definitions, directives and fragment headers do
// not count.
type selectionPrecheck struct{ limit int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = selectionPrecheck{}

func (selectionPrecheck) ExtensionName() string                   { return "SelectionPrecheck" }
func (selectionPrecheck) Validate(graphql.ExecutableSchema) error { return nil }
func (p selectionPrecheck) MutateOperationParameters(_ context.Context, params *graphql.RawParams) *gqlerror.Error {
	if p.limit <= 0 {
		return nil
	}
	if n := countSelections(params.Query, p.limit); n > p.limit {
		err := gqlerror.Errorf("the query has more than %d selections: ask for fewer fields", p.limit)
		errcode.Set(err, codeComplexity)
		return err
	}
	return nil
}

// countSelections counts the selections in query, stopping once the count passes limit. A text
// the lexer cannot read is left to the parser, which reports it.
func countSelections(query string, limit int) int {
	lx := lexer.New(&ast.Source{Input: query})
	var (
		count, parens, braces int
		prev, prevPrev        lexer.Token
	)
	for count <= limit {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		switch tok.Kind {
		case lexer.Comment:
			continue
		case lexer.ParenL:
			parens++
		case lexer.ParenR:
			parens--
		case lexer.BraceL:
			if parens == 0 {
				braces++
			}
		case lexer.BraceR:
			if parens == 0 {
				braces--
			}
		case lexer.Spread:
			if parens == 0 && braces > 0 {
				count++
			}
		case lexer.Name:
			inSelection := parens == 0 && braces > 0
			afterSpread := prev.Kind == lexer.Spread ||
				(prevPrev.Kind == lexer.Spread && prev.Kind == lexer.Name && prev.Value == "on")
			// A field: not a directive name, not what follows "..." (a fragment's name, "on" and
			// its type), and not the field name after an alias (the alias was counted).
			if inSelection && prev.Kind != lexer.At && !afterSpread && prev.Kind != lexer.Colon {
				count++
			}
		}
		prevPrev, prev = prev, tok
	}
	return count
}
