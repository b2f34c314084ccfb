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
