package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// The privacy fixture: three people who share an organisation, a group, an event and a theme,
// one of each visibility. "Hidden" (SECRETARIAT) links the other two: Public and Hidden work at
// the same organisation, Hidden and Members sit in the same group, so the only warm path from
// Public to Members runs through Hidden.
const (
	fxOrg       = "test-privacy-org"
	fxPublicID  = "0e000000-0000-4000-8000-000000000001"
	fxMembersID = "0e000000-0000-4000-8000-000000000002"
	fxHiddenID  = "0e000000-0000-4000-8000-000000000003"
	fxGroup     = "nordic-migrant-expert-forum"
	fxEvent     = "oslo-2017-civil-society-culture"
	fxWord      = "privacytest" // in every fixture bio, to find exactly them
)

var (
	anonymous   = bridge.Anonymous
	member      = bridge.Principal{Role: bridge.RoleMember}
	secretariat = bridge.Principal{Role: bridge.RoleSecretariat}
	hiddenSelf  = bridge.Principal{Role: bridge.RoleMember, PersonID: fxHiddenID}
)

func privacyFixture(t *testing.T) {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{{ID: fxOrg, Name: "Privacy Test Centre (demo)",
		Kind: bridge.OrgCivilSociety, CountryCode: "SE", MunicipalityID: "SE-1280", Active: true, Demo: true}}); err != nil {
		t.Fatal(err)
	}
	person := func(id, given, family, country, muni string, vis bridge.Visibility, mode bridge.ThemeMode) bridge.Person {
		return bridge.Person{ID: id, GivenName: given, FamilyName: family, Title: "Coordinator",
			Bio: "Works on family reunification (" + fxWord + ").", Email: strings.ToLower(given) + "@privacy-test.example.org",
			Phone: "+00 555 0100", Languages: []string{"sv", "en"}, CountryCode: country, MunicipalityID: muni,
			Visibility: vis, OpenToIntroductions: true, IntroductionsPerQuarter: 3, Confirmed: true,
			Source: bridge.SourceDemo, Demo: true, Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: mode}},
			Consents: bridge.ConsentPurposes()}
	}
	pub := person(fxPublicID, "Publika", "Testsson", "SE", "SE-1280", bridge.VisibilityPublic, bridge.ModeSeeks)
	pub.Affiliations = []bridge.Affiliation{{OrganisationID: fxOrg, Role: "Coordinator"}}
	mem := person(fxMembersID, "Medlem", "Testdatter", "NO", "NO-0301", bridge.VisibilityMembers, bridge.ModeOffers)
	mem.Memberships = []bridge.Membership{{GroupID: fxGroup, Role: bridge.GroupRoleMember, Since: "2020-01-01"}}
	hid := person(fxHiddenID, "Hemlig", "Piilonen", "FI", "FI-091", bridge.VisibilitySecretariat, bridge.ModeOffers)
	hid.Affiliations = []bridge.Affiliation{{OrganisationID: fxOrg, Role: "Adviser"}}
	hid.Memberships = []bridge.Membership{{GroupID: fxGroup, Role: bridge.GroupRoleMember, Since: "2020-01-01"}}
	hid.EventIDs = []string{fxEvent}
	if _, err := store.UpsertPeople(ctx, []bridge.Person{pub, mem, hid}); err != nil {
		t.Fatal(err)
	}
}

// leaksHidden reports whether a response mentions the hidden person in any way.
func leaksHidden(raw string) bool {
	return strings.Contains(raw, "Hemlig") || strings.Contains(raw, "Piilonen") || strings.Contains(raw, "hemlig@") ||
		strings.Contains(raw, bridge.GlobalID("Person", fxHiddenID)) || strings.Contains(raw, fxHiddenID)
}

func gid(typ, key string) string { return bridge.GlobalID(typ, key) }

func TestHiddenPersonIsUnreachableByEveryRoute(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	hidden, pub, mem := gid("Person", fxHiddenID), gid("Person", fxPublicID), gid("Person", fxMembersID)
	routes := map[string]string{
		"person":              `{ person(id: "` + hidden + `") { name } }`,
		"node":                `{ node(id: "` + hidden + `") { id ... on Person { name } } }`,
		"people by text":      `{ people(filter: {text: "Hemlig"}) { totalCount edges { node { name } } } }`,
		"people by word":      `{ people(filter: {text: "` + fxWord + `"}) { totalCount edges { node { id name } } facets { countries { value count } } } }`,
		"people by theme":     `{ people(filter: {themes: ["` + gid("Theme", "family-reunification") + `"], countries: ["FI"]}, first: 100) { edges { node { id } } } }`,
		"people facets":       `{ people(filter: {text: "` + fxWord + `"}) { facets { countries { value count } languages { value count } expertGroups { value count } } } }`,
		"peers":               `{ peers(personId: "` + pub + `", first: 100) { person { id name } } }`,
		"peers of hidden":     `{ peers(personId: "` + hidden + `") { person { id } } }`,
		"path through":        `{ introductionPaths(from: "` + pub + `", to: "` + mem + `") { length steps { from { id } to { id } text } } }`,
		"path from hidden":    `{ introductionPaths(from: "` + hidden + `", to: "` + pub + `") { length } }`,
		"organisation staff":  `{ organisation(id: "` + gid("Organisation", fxOrg) + `") { staff(first: 100) { totalCount edges { node { id name } } } } }`,
		"organisations list":  `{ organisations(filter: {text: "Privacy Test Centre"}) { edges { node { staff { totalCount edges { node { id } } } } } } }`,
		"group members":       `{ expertGroup(id: "` + gid("ExpertGroup", fxGroup) + `") { members(first: 100) { totalCount edges { node { id } } } } }`,
		"groups list":         `{ expertGroups { members(first: 100) { edges { node { id } } } } }`,
		"event attendees":     `{ events { attendees(first: 100) { totalCount edges { node { id } } } } }`,
		"event by node":       `{ node(id: "` + gid("Event", fxEvent) + `") { ... on Event { attendees(first: 100) { edges { node { id } } } } } }`,
		"theme people":        `{ theme(id: "` + gid("Theme", "family-reunification") + `") { people(first: 100) { totalCount edges { node { id } } } } }`,
		"broad theme people":  `{ theme(id: "` + gid("Theme", "children-and-families") + `") { people(first: 100) { edges { node { id } } } } }`,
		"municipality people": `{ municipalities(filter: {text: "Helsinki"}) { edges { node { people(first: 100) { totalCount edges { node { id } } } } } } }`,
		"me":                  `{ me { id name } }`,
	}
	for _, who := range []bridge.Principal{anonymous, member} {
		for name, q := range routes {
			_, resp, raw := a.queryAs(who, q)
			if leaksHidden(raw) {
				t.Errorf("%s as %s leaks the hidden person: %s", name, who.Role, raw)
			}
			if strings.Contains(raw, "@privacy-test.example.org") || strings.Contains(raw, "555 0100") {
				t.Errorf("%s as %s leaks contact details: %s", name, who.Role, raw)
			}
			for _, e := range resp.Errors {
				if e.Extensions["code"] == "INTERNAL" {
					t.Errorf("%s as %s: %s", name, who.Role, raw)
				}
			}
		}
	}
	// The secretariat and the person themself do reach the hidden person (so the routes above
	// would show them if visibility were not applied).
	for _, who := range []bridge.Principal{secretariat, hiddenSelf} {
		for _, name := range []string{"person", "node", "people by word", "organisation staff", "group members",
			"theme people", "municipality people"} {
			if _, _, raw := a.queryAs(who, routes[name]); !leaksHidden(raw) {
				t.Errorf("%s as %v does not show the hidden person: %s", name, who, raw)
			}
		}
	}
	// The only warm path from Public to Members runs through the hidden person: a member finds
	// none (not even "someone at <organisation>": the hubs would name them); the secretariat finds it.
	if _, resp, raw := a.queryAs(member, routes["path through"]); string(resp.Data["introductionPaths"]) != "[]" {
		t.Errorf("a member finds a path through the hidden person: %s", raw)
	}
	_, resp, raw := a.queryAs(secretariat, routes["path through"])
	var paths []struct {
		Length int
		Steps  []struct {
			From, To *struct{ ID string }
			Text     string
		}
	}
	if err := json.Unmarshal(resp.Data["introductionPaths"], &paths); err != nil || len(paths) == 0 {
		t.Fatalf("the secretariat finds no path from Public to Members through the hidden person: %s", raw)
	}
	if p := paths[0]; p.Length != 2 || p.Steps[0].To == nil || p.Steps[0].To.ID != hidden ||
		!strings.HasPrefix(p.Steps[0].Text, "both work at") || !strings.HasPrefix(p.Steps[1].Text, "both are members of") {
		t.Errorf("path %+v", paths[0])
	}
}

func TestContactDetailsOnlyForThePersonAndTheSecretariat(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	q := `{ person(id: "` + gid("Person", fxPublicID) + `") { name email phone } }`
	for _, tc := range []struct {
		who  bridge.Principal
		sees bool
	}{{anonymous, false}, {member, false}, {bridge.Principal{Role: bridge.RoleMember, PersonID: fxMembersID}, false},
		{bridge.Principal{Role: bridge.RoleMember, PersonID: fxPublicID}, true}, {secretariat, true}} {
		_, _, raw := a.queryAs(tc.who, q)
		if !strings.Contains(raw, "Publika") {
			t.Fatalf("%v: public person not found: %s", tc.who, raw)
		}
		if got := strings.Contains(raw, "publika@privacy-test.example.org") && strings.Contains(raw, "555 0100"); got != tc.sees {
			t.Errorf("%v sees contact details: %v, want %v: %s", tc.who, got, tc.sees, raw)
		}
	}
}

func TestVisibilityLevelsPerRole(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	q := `{ people(filter: {text: "` + fxWord + `"}) { totalCount edges { node { id } } facets { countries { value count } } } }`
	for _, tc := range []struct {
		who  bridge.Principal
		want []string
	}{
		{anonymous, []string{fxPublicID}},
		{member, []string{fxPublicID, fxMembersID}},
		{hiddenSelf, []string{fxPublicID, fxMembersID, fxHiddenID}},
		{secretariat, []string{fxPublicID, fxMembersID, fxHiddenID}},
	} {
		_, resp, raw := a.queryAs(tc.who, q)
		var res struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
			Facets     struct {
				Countries []struct {
					Value string
					Count int
				}
			}
		}
		if err := json.Unmarshal(resp.Data["people"], &res); err != nil {
			t.Fatal(raw)
		}
		var got []string
		for _, e := range res.Edges {
			_, key, _ := bridge.ParseGlobalID(nil, e.Node.ID)
			got = append(got, key)
		}
		slices.Sort(got)
		// Every country and territory is a facet value; those with someone visible count them.
		counted := 0
		for _, c := range res.Facets.Countries {
			if c.Count > 0 {
				counted++
			}
		}
		if !slices.Equal(got, tc.want) || res.TotalCount != len(tc.want) || counted != len(tc.want) || len(res.Facets.Countries) != 8 {
			t.Errorf("%v: got %v (total %d, %d country facets of %d counted), want %v", tc.who, got, res.TotalCount,
				len(res.Facets.Countries), counted, tc.want)
		}
	}
}

func TestPeopleTextSearchIsForgivingAndMultilingual(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	// People at Malmö, written without the ö.
	_, _, raw := a.query(`{ people(filter: {text: "Malmo"}, first: 100) { edges { node { id municipality { name } } } } }`)
	if !strings.Contains(raw, gid("Person", fxPublicID)) {
		t.Errorf("Malmo does not find the person at Malmö: %s", raw)
	}
	// The Swedish, Norwegian and Finnish words for family reunification find the same people.
	var sets [][]string
	for _, word := range []string{"Familjeåterförening", "familiegjenforening", "Perheenyhdistaminen"} {
		_, resp, raw := a.queryAs(secretariat, `{ people(filter: {text: "`+word+`"}, first: 100) { totalCount edges { node { id } } } }`)
		var res struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
		if err := json.Unmarshal(resp.Data["people"], &res); err != nil || res.TotalCount < 3 {
			t.Fatalf("%s: %s", word, raw)
		}
		var ids []string
		for _, e := range res.Edges {
			ids = append(ids, e.Node.ID)
		}
		sets = append(sets, ids)
	}
	if !slices.Equal(sets[0], sets[1]) || !slices.Equal(sets[0], sets[2]) {
		t.Errorf("the three words found different people: %v", sets)
	}
}

func TestPeopleCursorPaging(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	var seen []string
	after := ""
	for range 5 {
		q := `{ people(filter: {text: "` + fxWord + `"}, first: 1` + after + `) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`
		_, resp, raw := a.queryAs(secretariat, q)
		var res struct {
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct{ Node struct{ Name string } }
		}
		if err := json.Unmarshal(resp.Data["people"], &res); err != nil || len(res.Edges) != 1 {
			t.Fatal(raw)
		}
		seen = append(seen, res.Edges[0].Node.Name)
		if !res.PageInfo.HasNextPage {
			break
		}
		after = `, after: "` + res.PageInfo.EndCursor + `"`
	}
	if want := []string{"Hemlig Piilonen", "Medlem Testdatter", "Publika Testsson"}; !slices.Equal(seen, want) {
		t.Errorf("pages gave %v, want %v", seen, want)
	}
}

// seedDemoPeople loads n demo people with a fixed seed (idempotent) and returns the generator.
func seedDemoPeople(t *testing.T, n int, s uint64) *demo.Generator {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	ref, err := seed.ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.New(demo.Reference{Municipalities: ref.Municipalities, Themes: ref.Themes, Groups: ref.Groups, Events: ref.Events}, n, s)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := loadDemo(ctx, store, gen, n); err != nil {
		t.Fatal(err)
	}
	return gen
}

func loadDemo(ctx context.Context, store *neo4jstore.Store, gen *demo.Generator, n int) error {
	if _, err := store.UpsertOrganisations(ctx, gen.Organisations()); err != nil {
		return err
	}
	for from := 0; from < n; from += 2000 {
		if _, err := store.UpsertPeople(ctx, gen.People(from, min(from+2000, n))); err != nil {
			return err
		}
	}
	for from := 0; from < n; from += 2000 {
		if _, err := store.UpsertPastIntroductions(ctx, gen.Introductions(from, min(from+2000, n))); err != nil {
			return err
		}
	}
	return store.RefreshStatistics(ctx) // as `bridge seed` does after a bulk load
}

func TestPeersAreExplainedCrossBorderAndDeterministic(t *testing.T) {
	gen := seedDemoPeople(t, 400, 42)
	a := newTestAPI(t, envProduction, nil)
	me := gen.People(0, 1)[0]
	q := `{ peers(personId: "` + gid("Person", me.ID) + `", first: 10) { score person { id country { code } }
	  reasons { kind text theme { key } } missing { kind } } }`
	_, resp, raw := a.queryAs(secretariat, q)
	_, _, again := a.queryAs(secretariat, q)
	if raw != again {
		t.Fatalf("the same request gave another answer:\n%s\n%s", raw, again)
	}
	var matches []struct {
		Score  float64
		Person struct {
			ID      string
			Country struct{ Code string }
		}
		Reasons []struct {
			Kind, Text string
			Theme      *struct{ Key string }
		}
	}
	if err := json.Unmarshal(resp.Data["peers"], &matches); err != nil || len(matches) == 0 {
		t.Fatalf("no peers: %s", raw)
	}
	if matches[0].Person.Country.Code == me.CountryCode {
		t.Errorf("the best peer is in the person's own country %s: %s", me.CountryCode, raw)
	}
	for i, m := range matches {
		if m.Person.ID == gid("Person", me.ID) {
			t.Errorf("the person is suggested to themself")
		}
		if i > 0 && m.Score > matches[i-1].Score {
			t.Errorf("not ordered by score: %v after %v", m.Score, matches[i-1].Score)
		}
		named := false
		for _, r := range m.Reasons {
			named = named || (r.Theme != nil && r.Text != "" && (r.Kind == "SHARED_THEME" || r.Kind == "COMPLEMENTARY_THEME"))
		}
		if !named {
			t.Errorf("peer %d has no reason naming a shared theme: %+v", i, m.Reasons)
		}
	}
	// excludeMyCountry and countries filters hold.
	_, resp, raw = a.queryAs(secretariat, `{ peers(personId: "`+gid("Person", me.ID)+`", filter: {excludeMyCountry: true}, first: 50) { person { country { code } } } }`)
	if strings.Contains(raw, `"code":"`+me.CountryCode+`"`) || len(resp.Errors) > 0 {
		t.Errorf("excludeMyCountry returned the own country %s: %s", me.CountryCode, raw)
	}
}

func TestNestedReadsCostOneRoundTripPerLevel(t *testing.T) {
	privacyFixture(t)
	gen := seedDemoPeople(t, 400, 42)
	a := newTestAPI(t, envProduction, nil)
	// A member with a profile: whether an introduction is possible is read for them (for the
	// secretariat it is never possible, and costs nothing).
	demoMember := bridge.Principal{Role: bridge.RoleMember, PersonID: gen.PersonID(7)}
	for _, c := range []struct {
		name string
		who  bridge.Principal
		max  float64 // round trips: one per level, and one per batched field beside a level
		q    string
	}{
		{"people → organisations → municipalities", secretariat, 3, `{ people(first: 50) { edges { node { affiliations { organisation { name municipality { name } } } } } } }`},
		{"organisations → staff → themes", secretariat, 3, `{ organisations(first: 30) { edges { node { name staff(first: 5) { totalCount edges { node { name themes { mode theme { label } } } } } } } } }`},
		{"groups → members → municipality", secretariat, 3, `{ expertGroups { name members(first: 10) { edges { node { name municipality { name } } } } } }`},
		{"peers → introductionPossible, person → municipality", demoMember, 4, `{ peers(first: 20) { introductionPossible person { name municipality { name } } } }`},
	} {
		before, audits := a.roundTrips(), a.roundTripsOf("append_audit")
		_, resp, raw := a.queryAs(c.who, c.q)
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: %s", c.name, raw)
		}
		if strings.Count(raw, `"name"`) < 3 {
			t.Fatalf("%s: too few results to tell a round trip per level from one per element: %s", c.name, raw)
		}
		// The secretariat's reads of hidden profiles are audited: one write per request, whatever
		// the depth, beside the reads.
		audit := a.roundTripsOf("append_audit") - audits
		if got := a.roundTrips() - before - audit; got > c.max || audit > 1 {
			t.Errorf("%s: %v read round trips (want at most %v) and %v audit writes (want at most 1)", c.name, got, c.max, audit)
		}
	}
}

func TestPracticesSearch(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	_, resp, raw := a.query(`{ all: practices { key } iceland: practices(filter: {text: "Iceland"}) { key title } }`)
	var res struct{ All, Iceland []struct{ Key, Title string } }
	if err := json.Unmarshal([]byte(`{"all":`+string(resp.Data["all"])+`,"iceland":`+string(resp.Data["iceland"])+`}`), &res); err != nil {
		t.Fatal(raw)
	}
	if len(res.All) < 3 || len(res.Iceland) == 0 || len(res.Iceland) >= len(res.All) {
		t.Fatalf("practices %d, about Iceland %d: %s", len(res.All), len(res.Iceland), raw)
	}
	for _, p := range res.Iceland {
		if !strings.Contains(p.Title, "Iceland") {
			t.Errorf("%s does not mention Iceland: %s", p.Key, p.Title)
		}
	}
}

// Expert group members see their own group's member list, fellow members included whatever
// their visibility (without contact details), and nowhere else.
func TestGroupMembersSeeTheirGroup(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	fellow := bridge.Principal{Role: bridge.RoleMember, PersonID: fxMembersID}
	q := `{ expertGroup(id: "` + gid("ExpertGroup", fxGroup) + `") { members(first: 100) { edges { node { id name email } } } } }`
	if _, _, raw := a.queryAs(fellow, q); !leaksHidden(raw) || strings.Contains(raw, "hemlig@") {
		t.Errorf("a fellow member's view of the group: %s", raw)
	}
	if _, _, raw := a.queryAs(fellow, `{ person(id: "`+gid("Person", fxHiddenID)+`") { name } }`); leaksHidden(raw) {
		t.Errorf("the group circle leaks beyond the group: %s", raw)
	}
	if _, _, raw := a.queryAs(member, q); leaksHidden(raw) {
		t.Errorf("a non-member sees the hidden member: %s", raw)
	}
}

// TestPeopleFiltersByPlaceSizeModeAndOpenness: the filters practitioners asked for, over the
// privacy fixture (Publika in Malmö, a city, seeks the theme; Medlem in Oslo, a city, offers it;
// Hemlig in Helsinki, hidden). Hidden people never count, whatever the filter.
func TestPeopleFiltersByPlaceSizeModeAndOpenness(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	theme := gid("Theme", "family-reunification")
	for name, tc := range map[string]struct {
		filter string
		want   []string
	}{
		"municipality Malmö":         {`municipalities: ["` + gid("Municipality", "SE-1280") + `"]`, []string{fxPublicID}},
		"region of Oslo":             {`regions: ["` + gid("Region", "NO-03") + `"]`, []string{fxMembersID}},
		"cities":                     {`sizeClasses: [CITY]`, []string{fxPublicID, fxMembersID}},
		"small places":               {`sizeClasses: [VERY_SMALL, SMALL, UNKNOWN]`, nil},
		"offers the theme":           {`themes: ["` + theme + `"], themeMode: OFFERS`, []string{fxMembersID}},
		"seeks the theme":            {`themes: ["` + theme + `"], themeMode: SEEKS`, []string{fxPublicID}},
		"open to introductions":      {`openToIntroductions: true`, []string{fxPublicID, fxMembersID}},
		"not open to introductions":  {`openToIntroductions: false`, nil},
		"hidden person's city":       {`municipalities: ["` + gid("Municipality", "FI-091") + `"]`, nil},
		"hidden person's theme mode": {`themes: ["` + theme + `"], themeMode: OFFERS, countries: ["FI"]`, nil},
	} {
		_, _, raw := a.queryAs(member, `{ people(filter: {text: "`+fxWord+`", `+tc.filter+`}, first: 10) { totalCount edges { node { id } } } }`)
		var res struct {
			Data struct {
				People struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
			}
		}
		if err := json.Unmarshal([]byte(raw), &res); err != nil {
			t.Fatalf("%s: %s", name, raw)
		}
		var got []string
		for _, e := range res.Data.People.Edges {
			_, key, _ := bridge.ParseGlobalID(nil, e.Node.ID)
			got = append(got, key)
		}
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || res.Data.People.TotalCount != len(want) {
			t.Errorf("%s: got %v (total %d), want %v: %s", name, got, res.Data.People.TotalCount, want, raw)
		}
	}
}
