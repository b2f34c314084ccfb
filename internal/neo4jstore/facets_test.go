package neo4jstore_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestFacetCountsAreWhatChoosingTheValueFinds: over 300 demo people (removed afterwards), each
// facet value's count is the number of people the search finds when that value is chosen in
// place of the facet's own filter (disjunctive faceting), for every country, organisation kind,
// expert group and broader theme (its narrower themes counted, each person once), and some
// languages and other themes; with and without text, signed out and as a member, with filters
// on other facets and a theme mode. (Counting a broader theme once per narrower theme of a
// person made it fail.)
func TestFacetCountsAreWhatChoosingTheValueFinds(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	personIDs := seedDemoPeople(t, ctx, s, 300, 29)
	vocabulary, err := s.Themes(ctx)
	if err != nil {
		t.Fatal(err)
	}

	viewers := map[string]bridge.Principal{
		"signed out": {Role: bridge.RoleAnonymous},
		"member":     {Role: bridge.RoleMember, PersonID: personIDs[5]},
	}
	filters := []bridge.PeopleFilter{
		{},
		{Text: "arbetsmarknaden"},
		{Text: "koordinator", Countries: []string{"SE", "NO"}},
		{ThemeIDs: []string{"labour-market-establishment"}, ThemeMode: bridge.ModeOffers, Languages: []string{"en"}},
		{OrganisationKinds: []bridge.OrganisationKind{bridge.OrgMunicipality, bridge.OrgCivilSociety}, OpenToIntroductions: ptr(true)},
	}
	// choose replaces the filter of a facet by one value of it.
	choose := map[string]func(f bridge.PeopleFilter, v string) bridge.PeopleFilter{
		"countries": func(f bridge.PeopleFilter, v string) bridge.PeopleFilter { f.Countries = []string{v}; return f },
		"languages": func(f bridge.PeopleFilter, v string) bridge.PeopleFilter { f.Languages = []string{v}; return f },
		"themes":    func(f bridge.PeopleFilter, v string) bridge.PeopleFilter { f.ThemeIDs = []string{v}; return f },
		"kinds": func(f bridge.PeopleFilter, v string) bridge.PeopleFilter {
			f.OrganisationKinds = []bridge.OrganisationKind{bridge.OrganisationKind(v)}
			return f
		},
		"groups": func(f bridge.PeopleFilter, v string) bridge.PeopleFilter { f.GroupIDs = []string{v}; return f },
	}
	checked, broader := 0, 0
	for i, f := range filters {
		for role, v := range viewers {
			facets, err := s.PeopleFacets(ctx, v, f, vocabulary)
			if err != nil {
				t.Fatalf("filter %d as %s: %v", i, role, err)
			}
			for facet, counts := range map[string][]bridge.FacetCount{"countries": facets.Countries, "languages": facets.Languages,
				"themes": facets.Themes, "kinds": facets.OrganisationKinds, "groups": facets.Groups} {
				others := 0
				for _, c := range counts {
					// Every broader theme and four other values of a facet with many (each check is
					// a search; the run stays short).
					if facet == "themes" || facet == "languages" {
						if facet == "themes" && isBroader(vocabulary, c.Value) {
							broader++
						} else if others++; others > 4 {
							continue
						}
					}
					res, err := s.SearchPeople(ctx, v, choose[facet](f, c.Value), bridge.PeoplePage{First: 1, Order: bridge.OrderName}, vocabulary)
					if err != nil {
						t.Fatalf("filter %d as %s, %s %s: %v", i, role, facet, c.Value, err)
					}
					if res.TotalCount != c.Count {
						t.Errorf("filter %d as %s: the %s facet counts %d for %s; choosing it finds %d", i, role, facet, c.Count, c.Value, res.TotalCount)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d facet counts checked, %d of them of a broader theme", checked, broader)
	if checked < 200 || broader == 0 {
		t.Errorf("%d facet counts checked, %d of broader themes: the data does not test the facets", checked, broader)
	}
	t.Run("a sample", func(t *testing.T) { facetsOfASample(t, s, ctx, viewers, filters, vocabulary) })
	t.Run("the theme filter is the hierarchy's", func(t *testing.T) { themeFilterIsTheHierarchys(t, s, ctx, viewers, vocabulary) })
}

// themeFilterIsTheHierarchys: the theme filter, which matches each person's theme ids against
// the chosen themes and their narrower ones from the vocabulary (bridge.ThemesWithin), finds
// the same people, in the same order and count, as walking each person's themes up the
// hierarchy in the database did, for every theme of the vocabulary, with and without text, a
// mode and another filter.
func themeFilterIsTheHierarchys(t *testing.T, s *neo4jstore.Store, ctx context.Context, viewers map[string]bridge.Principal, vocabulary []bridge.Theme) {
	found, broader := 0, 0
	for _, theme := range vocabulary {
		for _, base := range []bridge.PeopleFilter{{}, {Text: "arbetsmarknaden"}, {ThemeMode: bridge.ModeSeeks, Countries: []string{"SE", "NO", "FI"}}} {
			f := base
			f.ThemeIDs = []string{theme.ID}
			for role, v := range viewers {
				page := bridge.PeoplePage{First: 50, Order: bridge.OrderName}
				got, err := s.SearchPeople(ctx, v, f, page, vocabulary)
				if err != nil {
					t.Fatalf("%s as %s: %v", theme.ID, role, err)
				}
				want, err := s.SearchPeopleWalkingThemesForTest(ctx, v, f, page, vocabulary)
				if err != nil {
					t.Fatalf("%s as %s, walking: %v", theme.ID, role, err)
				}
				if got.TotalCount != want.TotalCount || !slices.Equal(personIDsOf(got.People), personIDsOf(want.People)) {
					t.Errorf("%s %+v as %s: %d people %v; walking the hierarchy %d %v", theme.ID, base, role,
						got.TotalCount, personIDsOf(got.People), want.TotalCount, personIDsOf(want.People))
				}
				found += got.TotalCount
				if got.TotalCount > 0 && isBroader(vocabulary, theme.ID) {
					broader++
				}
			}
		}
	}
	if found == 0 || broader == 0 {
		t.Errorf("%d people found, %d searches of a broader theme found someone: the data does not test the filter", found, broader)
	}
}

func personIDsOf(people []bridge.Person) []string {
	ids := make([]string, 0, len(people))
	for _, p := range people {
		ids = append(ids, p.ID)
	}
	return ids
}

// facetsOfASample: the facets count the first sample people found (bridge.FacetSample, here
// lowered): with a sample as large as the people the search finds they are exact and the same as
// without a bound; one smaller, they say they are sampled, and each value's count is at most its
// true count (no value appears that nobody has), and the countries counted are at most the
// sample.
func facetsOfASample(t *testing.T, s *neo4jstore.Store, ctx context.Context, viewers map[string]bridge.Principal, filters []bridge.PeopleFilter, vocabulary []bridge.Theme) {
	sampled := 0
	for i, f := range filters {
		for role, v := range viewers {
			full, err := s.PeopleFacets(ctx, v, f, vocabulary)
			if err != nil {
				t.Fatalf("filter %d as %s: %v", i, role, err)
			}
			if full.Sampled {
				t.Fatalf("filter %d as %s: sampled among a few hundred people", i, role)
			}
			// The sample is drawn before the facets' own filters: from the people the filters
			// that are not facets find.
			base := bridge.PeopleFilter{Text: f.Text, OpenToIntroductions: f.OpenToIntroductions, MunicipalityIDs: f.MunicipalityIDs,
				RegionIDs: f.RegionIDs, SizeClasses: f.SizeClasses}
			found, err := s.SearchPeople(ctx, v, base, bridge.PeoplePage{First: 1, Order: bridge.OrderName}, vocabulary)
			if err != nil {
				t.Fatal(err)
			}
			n := found.TotalCount
			same, err := s.PeopleFacetsSampledForTest(ctx, v, f, vocabulary, n)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(same, full) {
				t.Errorf("filter %d as %s, a sample of all %d: %+v, want %+v", i, role, n, same, full)
			}
			for _, size := range []int{n - 1, 40} {
				if size <= 0 || size >= n {
					continue
				}
				part, err := s.PeopleFacetsSampledForTest(ctx, v, f, vocabulary, size)
				if err != nil {
					t.Fatal(err)
				}
				if !part.Sampled {
					t.Errorf("filter %d as %s: %d of %d people counted, not said to be sampled", i, role, size, n)
				}
				sampled++
				inCountries := 0
				for facet, pair := range map[string][2][]bridge.FacetCount{"countries": {part.Countries, full.Countries},
					"languages": {part.Languages, full.Languages}, "themes": {part.Themes, full.Themes},
					"kinds": {part.OrganisationKinds, full.OrganisationKinds}, "groups": {part.Groups, full.Groups}} {
					all := map[string]int{}
					for _, c := range pair[1] {
						all[c.Value] = c.Count
					}
					for _, c := range pair[0] {
						if c.Count > all[c.Value] {
							t.Errorf("filter %d as %s, a sample of %d: %s %s counts %d, of all %d", i, role, size, facet, c.Value, c.Count, all[c.Value])
						}
						if facet == "countries" {
							inCountries += c.Count
						}
					}
				}
				if inCountries > size {
					t.Errorf("filter %d as %s: %d people counted by country in a sample of %d", i, role, inCountries, size)
				}
			}
		}
	}
	if sampled == 0 {
		t.Error("no facets were sampled: the data does not test the sample")
	}
}

// isBroader says whether a theme of the vocabulary has narrower ones.
func isBroader(vocabulary []bridge.Theme, id string) bool {
	for _, t := range vocabulary {
		for _, b := range t.Broader {
			if b == id {
				return true
			}
		}
	}
	return false
}
