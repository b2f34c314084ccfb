package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The practices' links to the people behind them (issue 14): the secretariat's save, its
// validation, and the reads per role over the privacy fixture (one person of each visibility).

const (
	fxPracticeKey = "test-practice-api-mentoring"
	// A person behind the practice whom only the secretariat may see, added by the differential
	// test; their e-mail's domain is the fixture's, so privacyFixture's clean-up finds them too.
	fxPracticeHiddenID = "0e000000-0000-4000-8000-0000000000a1"
)

// savePracticeQuery is savePractice of the test's practice with the people, organisations and
// municipalities given (global ids), answering what the secretariat sees of it.
func savePracticeQuery(people, orgs, munis []string) string {
	list := func(ids []string) string {
		b, _ := json.Marshal(append([]string{}, ids...))
		return string(b)
	}
	return `mutation { savePractice(input: {key: "` + fxPracticeKey + `", title: "Mentoring newcomers into work (test)",
	  kind: PROJECT, year: 2024, themes: ["` + gid("Theme", "family-reunification") + `"], countries: ["SE", "NO", "FI"],
	  organisations: ` + list(orgs) + `, municipalities: ` + list(munis) + `, people: ` + list(people) + `}) {
	  key organisations { key } municipalities { id } people(first: 10) { totalCount edges { node { id } } } } }`
}

// practiceRead is what the tests read of the practice, by id and through the list.
func practiceRead(id string) string {
	return `{ practice(id: "` + id + `") { key title organisations { key name } municipalities { name }
	  people(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name title } } } }
	  org: organisation(id: "` + gid("Organisation", fxOrg) + `") { practices { key people(first: 10) { totalCount } } } }`
}

func TestSecretariatLinksPracticesToThePeopleBehindThem(t *testing.T) {
	privacyFixture(t)
	fx.RemovePractices(t, fxPracticeKey)
	t.Cleanup(func() { fx.RemovePractices(t, fxPracticeKey) })
	a := newTestAPI(t, envProduction, nil)
	pub, mem, hid := gid("Person", fxPublicID), gid("Person", fxMembersID), gid("Person", fxHiddenID)
	org, muni := gid("Organisation", fxOrg), gid("Municipality", "SE-1280")
	save := savePracticeQuery([]string{pub, mem, hid}, []string{org}, []string{muni})

	// Only the secretariat saves.
	for who, code := range map[bridge.Principal]string{anonymous: "UNAUTHENTICATED", member: "FORBIDDEN", hiddenSelf: "FORBIDDEN"} {
		if _, resp, raw := a.queryAs(who, save); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != code {
			t.Errorf("savePractice as %s: %s, want %s", who.Role, raw, code)
		}
	}
	_, resp, raw := a.queryAs(secretariat, save)
	if len(resp.Errors) > 0 || !strings.Contains(raw, `"organisations":[{"key":"`+fxOrg+`"}],"municipalities":[{"id":"`+muni+`"}],"people":{"totalCount":3`) {
		t.Fatalf("savePractice: %s", raw)
	}

	// The people behind it name it among their practices, as far as the viewer may see them.
	if _, _, raw := a.query(`{ person(id: "` + pub + `") { practices { key } } }`); !strings.Contains(raw, `"practices":[{"key":"`+fxPracticeKey+`"}]`) {
		t.Errorf("Person.practices: %s", raw)
	}
	if _, _, raw := a.query(`{ person(id: "` + hid + `") { practices { key } } }`); !strings.Contains(raw, `"person":null`) {
		t.Errorf("the hidden person's practices to anonymous: %s", raw)
	}

	// The person's own export names the practice they are behind (GDPR art. 15).
	if _, resp, raw := a.queryAs(as(fxPublicID), `mutation { exportMyData { document } }`); len(resp.Errors) > 0 ||
		!strings.Contains(raw, `"practices":[{"practiceId":"`+fxPracticeKey+`","title":"Mentoring newcomers into work (test)"}]`) {
		t.Errorf("the export does not name the practice: %.2000s", raw)
	}

	// Unknown or mistyped ids name their place in the input; nothing of the save is stored.
	for _, tc := range []struct {
		name                string
		people, orgs, munis []string
		field               string
	}{
		{"unknown person", []string{pub, gid("Person", "0e000000-0000-4000-8000-0000000000ff")}, nil, nil, `["input","people","1"]`},
		{"unknown organisation", []string{pub}, []string{gid("Organisation", "test-no-such-org")}, nil, `["input","organisations","0"]`},
		{"unknown municipality", []string{pub}, nil, []string{muni, gid("Municipality", "SE-9999")}, `["input","municipalities","1"]`},
		{"a theme as a person", []string{gid("Theme", "health")}, nil, nil, `["input","people","0"]`},
		{"too many people", repeat(pub, bridge.MaxPracticeLinks+1), nil, nil, `["input","people"]`},
	} {
		_, resp, raw := a.queryAs(secretariat, savePracticeQuery(tc.people, tc.orgs, tc.munis))
		if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, `"field":`+tc.field) {
			t.Errorf("%s: %s, want BAD_USER_INPUT at %s", tc.name, raw, tc.field)
		}
	}

	// Each viewer sees the people behind it whom they may see, and counts only them.
	id := gid("Practice", fxPracticeKey)
	for _, tc := range []struct {
		who       bridge.Principal
		name      string
		people    []string
		notPeople []string
	}{
		{anonymous, "anonymous", []string{"Publika Testsson"}, []string{"Medlem", "Hemlig"}},
		{member, "member", []string{"Publika Testsson", "Medlem Testdatter"}, []string{"Hemlig"}},
		{secretariat, "secretariat", []string{"Publika Testsson", "Medlem Testdatter", "Hemlig Piilonen"}, nil},
	} {
		_, resp, raw := a.queryAs(tc.who, practiceRead(id))
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: %s", tc.name, raw)
		}
		count := fmt.Sprintf(`"totalCount":%d`, len(tc.people))
		if !strings.Contains(raw, `"key":"`+fxPracticeKey+`","title":"Mentoring newcomers into work (test)","organisations":[{"key":"`+fxOrg+`","name":"Privacy Test Centre (demo)"}],"municipalities":[{"name":"Malmö"}]`) ||
			!strings.Contains(raw, `"people":{`+count) || !strings.Contains(raw, `{"key":"`+fxPracticeKey+`","people":{`+count+`}}`) {
			t.Errorf("%s: %s, want %s", tc.name, raw, count)
		}
		for _, name := range tc.people {
			if !strings.Contains(raw, name) {
				t.Errorf("%s does not see %s: %s", tc.name, name, raw)
			}
		}
		for _, name := range tc.notPeople {
			if strings.Contains(raw, name) {
				t.Errorf("%s sees %s: %s", tc.name, name, raw)
			}
		}
		if tc.who != secretariat && leaksHidden(raw) {
			t.Errorf("%s: the hidden person leaks: %s", tc.name, raw)
		}
	}

	// Paging: a member's two people come one page at a time, the second after the first's cursor.
	_, _, raw = a.queryAs(member, `{ practice(id: "`+id+`") { people(first: 1) { pageInfo { hasNextPage endCursor } edges { node { name } } } } }`)
	var first struct {
		Practice struct {
			People struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(raw), &struct{ Data any }{&first}); err != nil || !first.Practice.People.PageInfo.HasNextPage {
		t.Fatalf("first page: %v %s", err, raw)
	}
	_, _, raw = a.queryAs(member, `{ practice(id: "`+id+`") { people(first: 1, after: "`+first.Practice.People.PageInfo.EndCursor+`") { pageInfo { hasNextPage } edges { node { name } } } } }`)
	if !strings.Contains(raw, `"hasNextPage":false`) || !strings.Contains(raw, "Publika Testsson") {
		t.Errorf("second page: %s", raw)
	}

	// No practice for an id that does not exist or is of another type.
	if _, resp, raw := a.query(`{ practice(id: "` + gid("Practice", "test-no-such-practice") + `") { key } }`); len(resp.Errors) > 0 || !strings.Contains(raw, `"practice":null`) {
		t.Errorf("unknown practice: %s", raw)
	}
	if _, resp, raw := a.query(`{ practice(id: "` + pub + `") { key } }`); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("a person's id as a practice's: %s", raw)
	}

	// Saving again replaces the links: without people, nobody is behind it, even for the secretariat.
	if _, resp, raw := a.queryAs(secretariat, savePracticeQuery(nil, []string{org}, nil)); len(resp.Errors) > 0 ||
		!strings.Contains(raw, `"municipalities":[],"people":{"totalCount":0`) {
		t.Errorf("saving without people: %s", raw)
	}
}

// TestPracticesNestedReadsAreOneRoundTripPerLevel: the practices with their organisations,
// municipalities and the people behind them cost one round trip per level, however many
// practices there are.
func TestPracticesNestedReadsAreOneRoundTripPerLevel(t *testing.T) {
	privacyFixture(t)
	fx.RemovePractices(t, fxPracticeKey)
	t.Cleanup(func() { fx.RemovePractices(t, fxPracticeKey) })
	a := newTestAPI(t, envProduction, nil)
	save := savePracticeQuery([]string{gid("Person", fxPublicID), gid("Person", fxMembersID)}, []string{gid("Organisation", fxOrg)},
		[]string{gid("Municipality", "SE-1280")})
	if _, resp, raw := a.queryAs(secretariat, save); len(resp.Errors) > 0 {
		t.Fatal(raw)
	}
	before := a.roundTripsByQuery()
	_, resp, raw := a.queryAs(member, `{ practices { key organisations { name } municipalities { name } people(first: 5) { totalCount edges { node { name } } } } }`)
	if len(resp.Errors) > 0 || !strings.Contains(raw, "Publika Testsson") {
		t.Fatal(raw)
	}
	after := a.roundTripsByQuery()
	for _, q := range []string{"programme", "organisations_by_ids", "municipalities_by_ids", "related_PRACTICE"} {
		if got := after[q] - before[q]; got != 1 {
			t.Errorf("%s: %v round trips, want 1 (all: %v)", q, got, diff(before, after))
		}
	}
}

func diff(before, after map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range after {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestAPersonNoViewerMaySeeChangesNoPracticeAnswer is the differential test of the practices:
// adding, behind the practice, a person whom the viewer may not see (visible to the secretariat
// only) changes no byte of any answer about practices to anonymous visitors and members.
func TestAPersonNoViewerMaySeeChangesNoPracticeAnswer(t *testing.T) {
	privacyFixture(t)
	fx.RemovePractices(t, fxPracticeKey)
	t.Cleanup(func() { fx.RemovePractices(t, fxPracticeKey) })
	fx.DeletePerson(t, fxPracticeHiddenID)
	t.Cleanup(func() { fx.DeletePerson(t, fxPracticeHiddenID) })
	a := newTestAPI(t, envProduction, nil)
	pub, mem := gid("Person", fxPublicID), gid("Person", fxMembersID)
	orgs, munis := []string{gid("Organisation", fxOrg)}, []string{gid("Municipality", "SE-1280")}
	if _, resp, raw := a.queryAs(secretariat, savePracticeQuery([]string{pub, mem}, orgs, munis)); len(resp.Errors) > 0 {
		t.Fatal(raw)
	}
	id := gid("Practice", fxPracticeKey)
	corpus := map[string]string{
		"practice":      practiceRead(id),
		"practice page": `{ practice(id: "` + id + `") { people(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`,
		"practices":     `{ practices { key organisations { key } municipalities { id } people(first: 50) { totalCount edges { cursor node { id name } } } } }`,
		"node":          `{ node(id: "` + id + `") { id ... on Practice { people { totalCount edges { node { id } } } } } }`,
		"organisation":  `{ organisation(id: "` + orgs[0] + `") { practices { key people(first: 50) { totalCount } } staff(first: 50) { totalCount } } }`,
	}
	viewers := map[string]bridge.Principal{"anonymous": anonymous, "member": member, "member with a profile": as(fxPublicID)}
	run := func() map[string]string {
		out := map[string]string{}
		for v, who := range viewers {
			for name, q := range corpus {
				_, resp, raw := a.queryAs(who, q)
				if len(resp.Errors) > 0 {
					t.Fatalf("%s as %s: %s", name, v, raw)
				}
				out[v+": "+name] = raw
			}
		}
		return out
	}
	before := run()
	// The person: as the hidden one of the fixture, with the same theme, place and organisation.
	store := testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: fxPracticeHiddenID, GivenName: "Aaron", FamilyName: "Aaronsson",
		Title: "Coordinator", Bio: "Works on family reunification (" + fxWord + ").", Email: "aaron@privacy-test.example.org",
		Languages: []string{"sv"}, CountryCode: "SE", MunicipalityID: "SE-1280", Visibility: bridge.VisibilitySecretariat,
		OpenToIntroductions: true, IntroductionsPerQuarter: 3, Confirmed: true, Source: bridge.SourceDemo, Demo: true,
		Themes:       []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeOffers}},
		Affiliations: []bridge.Affiliation{{OrganisationID: fxOrg, Role: "Adviser"}}, Consents: bridge.ConsentPurposes()}}); err != nil {
		t.Fatal(err)
	}
	// Without the link nothing can change; with it the secretariat sees the person behind it.
	_, _, raw := a.queryAs(secretariat, savePracticeQuery([]string{pub, mem, gid("Person", fxPracticeHiddenID)}, orgs, munis))
	if !strings.Contains(raw, gid("Person", fxPracticeHiddenID)) || !strings.Contains(raw, `"totalCount":3`) {
		t.Fatalf("the secretariat does not see the added person behind the practice, so the test proves nothing: %s", raw)
	}
	after := run()
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s changed:\nbefore %s\nafter  %s", name, b, after[name])
		}
	}
}
