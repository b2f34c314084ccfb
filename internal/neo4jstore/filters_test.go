package neo4jstore

import (
	"strconv"
	"strings"
	"testing"
)

// TestWithFiltersWritesEachFilterForItsParameter: a filter whose parameter is set becomes its
// body (an index can seek it), one whose parameter is null becomes true; the text otherwise is
// unchanged, and the same parameters give the same text (the planner's cache).
func TestWithFiltersWritesEachFilterForItsParameter(t *testing.T) {
	params := map[string]any{"countries": []string{"SE"}, "langs": nil, "open": false}
	q := withFilters(qSearchPeople, params)
	for _, want := range []string{"(p.country IN $countries)", "(coalesce(p.openToIntroductions, false) = $open)"} {
		if !strings.Contains(q, want) {
			t.Errorf("a set filter is not written as its body %q:\n%s", want, q)
		}
	}
	for _, f := range optionalFilters {
		if strings.Contains(q, f.full) {
			t.Errorf("the optional form of %s is left in the query", f.param)
		}
		if params[f.param] == nil && strings.Contains(q, f.body) {
			t.Errorf("the filter on the null $%s is written as its body", f.param)
		}
	}
	if !strings.Contains(qSearchPeople, filterCountry) || !strings.Contains(filterCountry, "$countries IS NULL OR") {
		t.Fatalf("qSearchPeople has no optional country filter to write: %s", filterCountry)
	}
	if again := withFilters(qSearchPeople, params); again != q {
		t.Error("the same parameters gave another text")
	}
	none := withFilters(qSearchPeople, map[string]any{})
	if strings.Contains(none, "$countries") || strings.Contains(none, "$open") {
		t.Errorf("with no filter set, the query still reads a filter's parameter:\n%s", none)
	}
	if len(optionalFilters) > 64 {
		t.Fatalf("%d optional filters; withFilters keys its cache by a bit per filter (64 at most)", len(optionalFilters))
	}
}

// TestATextSearchIsOneStatementPerCountryChoice: a text search (and its facets) sends one text
// whatever other filters are set, so that Neo4j plans it once rather than once per combination
// of filters; only the country filter is written for the request (textWrittenFilters). Any other
// search writes every filter.
func TestATextSearchIsOneStatementPerCountryChoice(t *testing.T) {
	set := func(names ...string) map[string]any {
		params := map[string]any{}
		for _, f := range optionalFilters {
			params[f.param] = nil
		}
		for _, n := range names {
			params[n] = []string{"x"}
		}
		return params
	}
	others := []map[string]any{set(), set("langs", "themes"), set("kinds", "groups", "munis", "regions", "sizes", "open", "mode", "langs", "themes")}
	for name, q := range map[string]string{
		"first page": qSearchPeopleTextFirst, "first page counted": qSearchPeopleTextFirstCounted,
		"later page": qSearchPeopleTextNoCount, "later page counted": qSearchPeopleTextCounted, "facets": qPeopleFacetsText,
	} {
		if !strings.Contains(q, filterCountry) || !strings.Contains(q, filterLang) {
			t.Fatalf("%s: no optional country and language filters to write", name)
		}
		first := peopleStatement(q, others[0], true)
		for _, params := range others[1:] {
			if got := peopleStatement(q, params, true); got != first {
				t.Errorf("%s: other filters set gave another statement", name)
			}
		}
		for _, f := range optionalFilters {
			if f.param != "countries" && strings.Contains(q, f.full) && !strings.Contains(first, f.full) {
				t.Errorf("%s: the filter on $%s is not kept in its optional form", name, f.param)
			}
		}
		inSweden := peopleStatement(q, set("countries", "langs"), true)
		if inSweden == first || !strings.Contains(inSweden, "(p.country IN $countries)") || strings.Contains(inSweden, filterCountry) {
			t.Errorf("%s: the country filter is not written for the request", name)
		}
		if strings.Contains(first, "$countries") {
			t.Errorf("%s: without countries the statement still reads $countries", name)
		}
	}
	if peopleStatement(qSearchPeople, others[0], false) == peopleStatement(qSearchPeople, others[1], false) {
		t.Error("a search without text does not write its filters for the request")
	}
}

// TestPathsQueryHasOneBoundToRewrite: IntroductionPaths writes the request's maxHops in the place
// of qIntroductionPaths' quantifier bound, so that the search stops at that depth; the bound
// must be there, once, and be the largest maxHops.
func TestPathsQueryHasOneBoundToRewrite(t *testing.T) {
	if n := strings.Count(qIntroductionPaths, pathsBound); n != 1 {
		t.Fatalf("qIntroductionPaths has %d copies of %s, want 1", n, pathsBound)
	}
	if want := "{1," + strconv.Itoa(maxPathLinks) + "}"; pathsBound != want {
		t.Fatalf("pathsBound %s, want %s", pathsBound, want)
	}
}
