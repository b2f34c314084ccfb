package main

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The relevance cast: one person per tier of bridge.MatchRank for the text "Quorvik Tessem",
// named so that name order differs from relevance order.
const (
	rvExact  = "0f000000-0000-4000-8000-00000000c001" // Quorvik Tessem
	rvWords  = "0f000000-0000-4000-8000-00000000c002" // Bo Quorvik Tessem: every query word is a name word
	rvPrefix = "0f000000-0000-4000-8000-00000000c003" // Quorvikka Tessemsen: the words begin name words
	rvTitle  = "0f000000-0000-4000-8000-00000000c004" // title "Quorvik Tessem adviser"
	rvOrg    = "0f000000-0000-4000-8000-00000000c005" // works at the Quorvik Tessem Centre
	rvBio    = "0f000000-0000-4000-8000-00000000c006" // bio only
	rvOrgID  = "test-relevance-org"
)

func relevanceCast(t *testing.T) {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	fx.RemovePeople(t, "@relevance.example.org")
	t.Cleanup(func() { fx.RemovePeople(t, "@relevance.example.org") })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{{ID: rvOrgID, Name: "Quorvik Tessem Centre (demo)",
		Kind: bridge.OrgCivilSociety, CountryCode: "NO", MunicipalityID: "NO-5634", Active: true, Demo: true}}); err != nil {
		t.Fatal(err)
	}
	person := func(id, given, family, title, bio string) bridge.Person {
		return bridge.Person{ID: id, GivenName: given, FamilyName: family, Title: title, Bio: bio,
			Email: id[len(id)-4:] + "@relevance.example.org", Languages: []string{"nb"}, CountryCode: "NO",
			MunicipalityID: "NO-5634", Visibility: bridge.VisibilityPublic, OpenToIntroductions: true, Confirmed: true,
			Source: bridge.SourceDemo, Demo: true, Consents: bridge.ConsentPurposes()}
	}
	org := person(rvOrg, "Aksel", "Berg", "Coordinator", "Works with volunteers.")
	org.Affiliations = []bridge.Affiliation{{OrganisationID: rvOrgID, Role: "Coordinator"}}
	if _, err := store.UpsertPeople(ctx, []bridge.Person{
		person(rvExact, "Quorvik", "Tessem", "Teacher", "Teaches Norwegian."),
		person(rvWords, "Bo Quorvik", "Tessem", "Teacher", "Teaches Norwegian."),
		person(rvPrefix, "Quorvikka", "Tessemsen", "Teacher", "Teaches Norwegian."),
		person(rvTitle, "Yngve", "Alm", "Quorvik Tessem adviser", "Advises."),
		org,
		person(rvBio, "Aase", "Ask", "Teacher", "Learnt the Quorvik Tessem method."),
	}); err != nil {
		t.Fatal(err)
	}
}

// TestPeopleSearchOrdersByRelevance: with text, people come best match first (the whole name,
// its words, their beginnings, title or organisation, then the bio), by name within a tier;
// orderBy: NAME sorts by name; paging by relevance gives the same order as one page; a cursor of
// one order is refused by the other.
func TestPeopleSearchOrdersByRelevance(t *testing.T) {
	relevanceCast(t)
	a := newTestAPI(t, envProduction, nil)
	type page struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Edges []struct{ Node struct{ ID string } }
	}
	read := func(args string) (page, string) {
		t.Helper()
		_, resp, raw := a.queryAs(member, `{ people(`+args+`) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`)
		var p page
		if err := json.Unmarshal(resp.Data["people"], &p); err != nil {
			t.Fatalf("%s: %s", args, raw)
		}
		return p, raw
	}
	keys := func(p page) []string {
		var out []string
		for _, e := range p.Edges {
			_, key, _ := bridge.ParseGlobalID(nil, e.Node.ID)
			out = append(out, key)
		}
		return out
	}
	byRelevance := []string{rvExact, rvWords, rvPrefix, rvOrg, rvTitle, rvBio} // Aksel Berg before Yngve Alm: by name within a tier
	got, raw := read(`filter: {text: "Quorvik Tessem"}, first: 50`)
	if !slices.Equal(keys(got), byRelevance) || got.TotalCount != len(byRelevance) {
		t.Errorf("by relevance: got %v, want %v: %s", keys(got), byRelevance, raw)
	}
	byName := []string{rvBio, rvOrg, rvWords, rvExact, rvPrefix, rvTitle} // Aase Ask, Aksel Berg, Bo Quorvik …, Quorvik …, Quorvikka …, Yngve Alm
	if got, raw := read(`filter: {text: "Quorvik Tessem"}, orderBy: NAME, first: 50`); !slices.Equal(keys(got), byName) {
		t.Errorf("orderBy NAME: got %v, want %v: %s", keys(got), byName, raw)
	}
	// Spelt one letter off, every word: found, after anything spelt right (here nothing).
	if got, raw := read(`filter: {text: "Qorvik Tesem"}, first: 50`); !slices.Contains(keys(got), rvExact) || !slices.Contains(keys(got), rvTitle) {
		t.Errorf("misspelt: got %v, want %s and %s among them: %s", keys(got), rvExact, rvTitle, raw)
	}
	if got, raw := read(`filter: {text: "Quorvik Tessem Tesem"}, first: 50`); !slices.Equal(keys(got), []string{rvBio, rvOrg, rvWords, rvExact, rvTitle}) {
		t.Errorf("one word misspelt: got %v, want all but Quorvikka Tessemsen (tesem is two letters from tessemsen), by name: all only by spelling: %s", keys(got), raw)
	}
	// Page by page, two at a time, the same order.
	var paged []string
	after := ""
	for range 10 {
		p, raw := read(`filter: {text: "Quorvik Tessem"}, first: 2` + after)
		paged = append(paged, keys(p)...)
		if !p.PageInfo.HasNextPage {
			break
		}
		if len(p.Edges) != 2 {
			t.Fatalf("a page before the last is short: %s", raw)
		}
		after = `, after: "` + p.PageInfo.EndCursor + `"`
	}
	if !slices.Equal(paged, byRelevance) {
		t.Errorf("paged by relevance: got %v, want %v", paged, byRelevance)
	}
	// A cursor belongs to its order.
	nameCursor := bridge.PersonCursor("Aase Ask", rvBio)
	if _, resp, raw := a.queryAs(member, `{ people(filter: {text: "Quorvik Tessem"}, first: 2, after: "`+nameCursor+`") { totalCount } }`); errorCode(resp) != "BAD_USER_INPUT" {
		t.Errorf("a name cursor in relevance order: %s", raw)
	}
	rankCursor := bridge.RankedPersonCursor(bridge.RankOther, "Aase Ask", rvBio, 0)
	if _, resp, raw := a.queryAs(member, `{ people(filter: {text: "Quorvik Tessem"}, orderBy: NAME, first: 2, after: "`+rankCursor+`") { totalCount } }`); errorCode(resp) != "BAD_USER_INPUT" {
		t.Errorf("a relevance cursor in name order: %s", raw)
	}
}

// errorCode is the code of a response's first error ("" without errors).
func errorCode(resp gqlResponse) string {
	if len(resp.Errors) == 0 {
		return ""
	}
	code, _ := resp.Errors[0].Extensions["code"].(string)
	return code
}

// TestFacetsKeepTheOtherValuesAndCountNarrowerThemes: over the privacy fixture (Publika in Sweden
// seeks family reunification, Medlem in Norway offers it, Hemlig in Finland is hidden), choosing
// Sweden keeps Norway's count (each facet is counted without its own filter), the other facets
// follow the choice, and the broader themes of family reunification count both people, as the
// theme filter finds them; in a mode, only those in it.
func TestFacetsKeepTheOtherValuesAndCountNarrowerThemes(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	type facet struct {
		Value string
		Count int
	}
	facets := func(filter string) map[string]map[string]int {
		t.Helper()
		_, resp, raw := a.queryAs(member, `{ people(filter: {text: "`+fxWord+`", `+filter+`}) { totalCount facets {
		  countries { value count } themes { value count } languages { value count } expertGroups { value count } } } }`)
		var res struct {
			Facets map[string][]facet
		}
		if err := json.Unmarshal(resp.Data["people"], &res); err != nil {
			t.Fatalf("%s: %s", filter, raw)
		}
		if leaksHidden(raw) {
			t.Fatalf("%s: %s", filter, raw)
		}
		out := map[string]map[string]int{}
		for name, counts := range res.Facets {
			out[name] = map[string]int{}
			for _, c := range counts {
				out[name][c.Value] = c.Count
			}
		}
		return out
	}
	got := facets(`countries: ["SE"]`)
	if got["countries"]["SE"] != 1 || got["countries"]["NO"] != 1 || got["countries"]["FI"] != 0 {
		t.Errorf("countries with Sweden chosen: %v; want SE 1, NO 1 (kept), FI 0 (hidden)", got["countries"])
	}
	group := gid("ExpertGroup", fxGroup)
	if got["expertGroups"][group] != 0 {
		t.Errorf("groups with Sweden chosen: %v; Medlem (Norway) is the member, so none", got["expertGroups"])
	}
	fr, broad := gid("Theme", "family-reunification"), gid("Theme", "children-and-families")
	if got := facets(``)["themes"]; got[fr] != 2 || got[broad] != 2 {
		t.Errorf("themes: %v; want 2 on family reunification and 2 on its broader children and families", got)
	}
	if got := facets(`themes: ["` + broad + `"], themeMode: OFFERS`); got["themes"][broad] != 1 || got["themes"][fr] != 1 || got["countries"]["NO"] != 1 || got["countries"]["SE"] != 0 {
		t.Errorf("offers, broad theme chosen: themes %v, countries %v; want 1 each (Medlem offers), Norway only", got["themes"], got["countries"])
	}
	// A facet's count is what choosing that value gives.
	for _, c := range []string{"SE", "NO"} {
		_, resp, raw := a.queryAs(member, `{ people(filter: {text: "`+fxWord+`", countries: ["`+c+`"], themes: ["`+broad+`"]}) { totalCount } }`)
		var res struct{ TotalCount int }
		if err := json.Unmarshal(resp.Data["people"], &res); err != nil || res.TotalCount != 1 {
			t.Errorf("%s and the broad theme: %s; want 1", c, raw)
		}
	}
}

// TestSearchKnowsInflectionAndThemeWords: an inflected word in another Nordic language
// (kvinner, stemmed) and the words practitioners use for a theme (SFI, TE-palvelut, flóttafólk:
// theme_aliases.csv) find the people on the theme.
func TestSearchKnowsInflectionAndThemeWords(t *testing.T) {
	gen := seedDemoPeople(t, 400, 42)
	onTheme := func(themes ...string) map[string]bool {
		out := map[string]bool{}
		for _, p := range gen.People(0, 400) {
			for _, l := range p.Themes {
				if slices.Contains(themes, l.ThemeID) {
					out[gid("Person", p.ID)] = true
				}
			}
		}
		return out
	}
	a := newTestAPI(t, envProduction, nil)
	for word, themes := range map[string][]string{
		"kvinner":     {"womens-labour-market-participation"},
		"SFI":         {"adult-language-training"},
		"TE-palvelut": {"labour-market-establishment", "work-placements", "fast-tracks", "migrant-entrepreneurship"},
		"flóttafólk":  {"reception-and-settlement", "refugee-settlement", "unaccompanied-minors"},
	} {
		want := onTheme(themes...)
		if len(want) == 0 {
			t.Fatalf("%s: nobody on %v in the demo data", word, themes)
		}
		_, resp, raw := a.queryAs(secretariat, `{ people(filter: {text: "`+word+`"}, first: 100) { edges { node { id } } } }`)
		var res struct {
			Edges []struct{ Node struct{ ID string } }
		}
		if err := json.Unmarshal(resp.Data["people"], &res); err != nil {
			t.Fatalf("%s: %s", word, raw)
		}
		found := 0
		for _, e := range res.Edges {
			if want[e.Node.ID] {
				found++
			}
		}
		if found == 0 {
			t.Errorf("%s finds none of the %d people on %v: %s", word, len(want), themes, raw)
		}
	}
}
