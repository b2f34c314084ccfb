package demo

import (
	"reflect"
	"slices"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestPracticeLinks: every practice gets demo people and organisations behind it, each person
// in one of its countries and on one of its themes, the same links whatever the batches.
func TestPracticeLinks(t *testing.T) {
	ref := testReference()
	ref.Practices = []bridge.Practice{
		{ID: "nordic-labour", CountryCodes: []string{"SE", "NO", "FI", "IS"}, ThemeIDs: []string{"labour-market-establishment", "mentoring-matchmaking"}},
		{ID: "iceland-health", CountryCodes: []string{"IS"}, ThemeIDs: []string{"health", "trauma-informed-care"}},
	}
	const n = 600
	g, err := New(ref, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	people := g.People(0, n)
	byID := map[string]bridge.Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	whole := g.PracticePeople(0, people)
	var batched []bridge.PracticeLink
	for from := 0; from < n; from += 97 {
		batched = append(batched, g.PracticePeople(from, g.People(from, from+97))...)
	}
	if !reflect.DeepEqual(whole, batched) {
		t.Fatalf("the links depend on the batches: %d whole, %d batched", len(whole), len(batched))
	}
	count := map[string]int{}
	for _, l := range whole {
		p, ok := byID[l.PersonID]
		if !ok || !p.Demo {
			t.Fatalf("link to %q, not a demo person of this generator", l.PersonID)
		}
		pr := ref.Practices[slices.IndexFunc(ref.Practices, func(x bridge.Practice) bool { return x.ID == l.PracticeID })]
		if !slices.Contains(pr.CountryCodes, p.CountryCode) || !sharesTheme(&p, pr.ThemeIDs) {
			t.Errorf("%s %s (%s) is behind %s, outside its countries or themes", p.GivenName, p.FamilyName, p.CountryCode, pr.ID)
		}
		count[l.PracticeID]++
	}
	for _, pr := range ref.Practices {
		if count[pr.ID] == 0 {
			t.Errorf("nobody is behind %s", pr.ID)
		}
	}
	orgs := g.PracticeOrganisations()
	demoOrgs := map[string]bridge.Organisation{}
	for _, o := range g.Organisations() {
		demoOrgs[o.ID] = o
	}
	orgCount := map[string]int{}
	for _, l := range orgs {
		if l.OrganisationID == "" {
			continue
		}
		o, ok := demoOrgs[l.OrganisationID]
		if !ok || !o.Demo {
			t.Fatalf("link to organisation %q, not a demo organisation", l.OrganisationID)
		}
		orgCount[l.PracticeID]++
	}
	if orgCount["nordic-labour"] != 2 || orgCount["iceland-health"] != 2 {
		t.Errorf("organisations behind the practices: %v, want 2 each", orgCount)
	}
	if again := g.PracticeOrganisations(); !reflect.DeepEqual(orgs, again) {
		t.Error("the organisations' links are not deterministic")
	}
}
