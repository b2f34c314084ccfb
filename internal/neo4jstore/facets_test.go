package neo4jstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
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
					res, err := s.SearchPeople(ctx, v, choose[facet](f, c.Value), bridge.PeoplePage{First: 1, Order: bridge.OrderName})
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
