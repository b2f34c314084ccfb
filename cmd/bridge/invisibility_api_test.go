package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/nordic-integration/bridge/graph/generated"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The differential invisibility test (issue 10). For each viewer, a corpus of queries that
// together reach every field of the schema that leads to a person (a coverage check below fails
// when a new route is not in the corpus) runs before and after people that viewer may not see
// are added — hidden, paused, without the "may be suggested" consent, in a group through a
// membership that ended — with the same theme, municipality, organisation, group and event as
// the visible people, and with introductions in every status. Every answer must stay byte for
// byte the same: a change is a leak by definition, through whatever field it comes (counts,
// facets, weights, reasons, gaps, paths, cursors, errors).

// The visible cast (in place before the first run) and the invisible people (added between runs).
const (
	dvAnchor   = "0d000000-0000-4000-8000-00000000a001" // member viewer with a profile; anchor of peers and paths
	dvFar      = "0d000000-0000-4000-8000-00000000a002" // the far end of the paths
	dvFellow   = "0d000000-0000-4000-8000-00000000a003" // current member of the group
	dvFormer   = "0d000000-0000-4000-8000-00000000a004" // former member of the group
	dvParty    = "0d000000-0000-4000-8000-00000000a005" // the other party of introductions with people who then pause
	dvQ1       = "0d000000-0000-4000-8000-00000000a006" // Q1, Q2, Q3: visible people with introductions no viewer is party to
	dvQ2       = "0d000000-0000-4000-8000-00000000a007"
	dvQ3       = "0d000000-0000-4000-8000-00000000a008"
	dxHidden   = "0d000000-0000-4000-8000-00000000b001" // SECRETARIAT visibility; the group through an ended membership
	dxPaused   = "0d000000-0000-4000-8000-00000000b002" // public, introduced to dvParty, then paused
	dxPausedP  = "0d000000-0000-4000-8000-00000000b003" // public, proposed to dvParty (open), then paused
	dxFellowH  = "0d000000-0000-4000-8000-00000000b004" // SECRETARIAT visibility, current group member: only fellows see them
	dxNoSugg   = "0d000000-0000-4000-8000-00000000b005" // public, current group member, no SUGGEST consent: readable by id, never listed
	dxCandP    = "0d000000-0000-4000-8000-00000000b006" // on the theme in Norway, paused: no candidate for the secretariat either
	dxCandN    = "0d000000-0000-4000-8000-00000000b007" // on the theme in Norway, open, without the SUGGEST consent: no candidate
	dvOrg      = "test-differential-org"
	dvOrgName  = "Differential Harbour Library (demo)"
	dvMuni     = "NO-5634" // Vardø
	dvMuniName = "Vardø"
	dvTheme    = "libraries-as-meeting-places"
	dvBroad    = "civil-society-and-culture"
	dvGroup    = fxGroup
	dvEvent    = fxEvent
	dvWord     = "differentialtest" // in every bio of the cast
	// dvPractice has the visible cast behind it, and every invisible person is added behind it.
	dvPractice = "test-differential-practice"
)

func dvPerson(id, given string, vis bridge.Visibility, mode bridge.ThemeMode, consents []bridge.ConsentPurpose) bridge.Person {
	return bridge.Person{ID: id, GivenName: given, FamilyName: "Diffsson", Title: "Librarian",
		Bio:   "Runs language cafés in libraries (" + dvWord + ").",
		Email: strings.ToLower(given) + "@differential.example.org", Phone: "+47 555 01 00",
		Languages: []string{"nb", "en"}, CountryCode: "NO", MunicipalityID: dvMuni, Visibility: vis,
		OpenToIntroductions: true, IntroductionsPerQuarter: 10, Confirmed: true, Source: bridge.SourceDemo, Demo: true,
		Themes:   []bridge.ThemeLink{{ThemeID: dvTheme, Mode: mode}, {ThemeID: "family-reunification", Mode: bridge.ModeBoth}},
		Consents: consents}
}

// removeDifferentialCast deletes the cast, their introductions and everything hanging on them.
func removeDifferentialCast(t *testing.T) {
	fx.RemovePeople(t, "@differential.example.org")
	fx.RemovePractices(t, dvPractice)
}

// differentialCast writes the visible people; the invisible ones are written by the phases.
func differentialCast(t *testing.T) {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	removeDifferentialCast(t)
	t.Cleanup(func() { removeDifferentialCast(t) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{{ID: dvOrg, Name: dvOrgName,
		Kind: bridge.OrgCivilSociety, CountryCode: "NO", MunicipalityID: dvMuni, Active: true, Demo: true}}); err != nil {
		t.Fatal(err)
	}
	all := bridge.ConsentPurposes()
	anchor := dvPerson(dvAnchor, "Anker", bridge.VisibilityPublic, bridge.ModeSeeks, all)
	anchor.Affiliations = []bridge.Affiliation{{OrganisationID: dvOrg, Role: "Librarian"}}
	anchor.EventIDs = []string{dvEvent} // the event's suggestions (for the anchor: far, who attended too)
	far := dvPerson(dvFar, "Fjern", bridge.VisibilityPublic, bridge.ModeOffers, all)
	far.CountryCode, far.MunicipalityID = "FI", "FI-148"
	far.EventIDs = []string{dvEvent}
	fellow := dvPerson(dvFellow, "Frende", bridge.VisibilityMembers, bridge.ModeOffers, all)
	fellow.Memberships = []bridge.Membership{{GroupID: dvGroup, Role: bridge.GroupRoleMember, Since: "2020-01-01"}}
	former := dvPerson(dvFormer, "Tidligere", bridge.VisibilityMembers, bridge.ModeOffers, all)
	former.Memberships = []bridge.Membership{{GroupID: dvGroup, Role: bridge.GroupRoleMember, Since: "2018-01-01", Until: "2021-12-31"}}
	party := dvPerson(dvParty, "Part", bridge.VisibilityMembers, bridge.ModeBoth, all)
	q1 := dvPerson(dvQ1, "Kvist", bridge.VisibilityPublic, bridge.ModeSeeks, all)
	q2 := dvPerson(dvQ2, "Kvast", bridge.VisibilityPublic, bridge.ModeOffers, all)
	q3 := dvPerson(dvQ3, "Kvern", bridge.VisibilityPublic, bridge.ModeOffers, all)
	q2.CountryCode, q2.MunicipalityID = "SE", "SE-2584"
	if _, err := store.UpsertPeople(ctx, []bridge.Person{anchor, far, fellow, former, party, q1, q2, q3}); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveProgrammeItem(ctx, bridge.Practice{ID: dvPractice, Title: "Language cafés in harbour libraries (test)",
		Kind: bridge.PracticeGood, ThemeIDs: []string{dvTheme}, CountryCodes: []string{"NO"}, OrganisationIDs: []string{dvOrg},
		MunicipalityIDs: []string{dvMuni}, PersonIDs: []string{dvAnchor, dvFar, dvFellow, dvQ1}},
		bridge.AuditEntry{Action: bridge.AuditSavePractice, ActorRole: bridge.RoleSecretariat, RequestID: "differential"}); err != nil {
		t.Fatal(err)
	}
}

// differentialViewers are the roles the test runs as: no one in the invisible set may be seen by them.
var differentialViewers = map[string]bridge.Principal{
	"anonymous":              bridge.Anonymous,
	"member without profile": {Role: bridge.RoleMember},
	"member":                 as(dvAnchor),
	"group member":           as(dvFellow),
	"former group member":    as(dvFormer),
	"other party":            as(dvParty),
	// The secretariat sees everyone, but suggests only people who consent and have not paused:
	// its corpus is the suggestions (peers, candidates), run in a phase of its own.
	"secretariat": secretariat,
}

// personFields is every field of Person, as a fragment.
const personFields = `fragment P on Person { id name givenName familyName title bio languages country { code }
  municipality { id } email phone visibility openToIntroductions confirmed demo version language paused
  consents { purpose active }
  themes { mode theme { id } } affiliations { role since organisation { id } }
  memberships { role since until group { id } } events { id } practices { id } }`

const personConn = `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ...P } }`

// differentialCorpus is the queries run as each viewer: every route to a person.
func differentialCorpus(viewer string) map[string]string {
	byID := []string{dvAnchor, dvFar, dvFellow, dvQ1, dxHidden, dxPaused, dxPausedP, dxFellowH}
	facets := `facets { countries { value count } themes { value label count } organisationKinds { value count }
    languages { value count } expertGroups { value label count } }`
	candidates := `{ candidates(theme: "` + gid("Theme", dvTheme) + `", country: "NO", first: 50) { score introductionPossible person { id }
  reasons { kind weight text theme { id } relatedTheme { id } relation personMode peerMode } missing { kind text } }
  broad: candidates(theme: "` + gid("Theme", dvBroad) + `", country: "NO", first: 50) { score person { id } reasons { kind weight text relatedTheme { id } } } }`
	if viewer == "secretariat" {
		// Who is suggested, not the weights: the secretariat lists everyone it may see, so the
		// rarity of a theme (a weight) counts people who do not consent to be suggested, by design.
		ids := func(field string) string { return `{ ` + field + ` { person { id } } }` }
		return map[string]string{
			"candidates":       ids(`candidates(theme: "` + gid("Theme", dvTheme) + `", country: "NO", first: 50)`),
			"broad candidates": ids(`candidates(theme: "` + gid("Theme", dvBroad) + `", country: "NO", first: 50)`),
			"peers of anchor":  ids(`peers(personId: "` + gid("Person", dvAnchor) + `", first: 50)`),
			"peers of Q1":      ids(`peers(personId: "` + gid("Person", dvQ1) + `", first: 50)`),
		}
	}
	c := map[string]string{
		"candidates":         candidates,
		"me":                 `{ me { ...P } }`,
		"people by place":    `{ people(filter: {text: "` + dvMuniName + `"}, first: 50) { totalCountIsExact ` + personConn + ` ` + facets + ` } }`,
		"people by org":      `{ people(filter: {text: "Differential Harbour"}, first: 50) { ` + personConn + ` ` + facets + ` } }`,
		"people by word":     `{ people(filter: {text: "` + dvWord + `"}, first: 3) { ` + personConn + ` ` + facets + ` } }`,
		"people by word, p2": `{ people(filter: {text: "` + dvWord + `"}, first: 3, after: "` + bridge.RankedPersonCursor(bridge.RankOther, "Kvast Diffsson", dvQ2, 0) + `") { ` + personConn + ` } }`,
		// Relevance: the name tiers, title and place, and name order by choice; every hidden
		// person shares the family name, title, place and bio word of the cast.
		"people by name, relevance":       `{ people(filter: {text: "Kvist Diffsson"}, first: 4) { ` + personConn + ` } }`,
		"people by name prefix and title": `{ people(filter: {text: "Diffs librarian"}, first: 5) { ` + personConn + ` ` + facets + ` } }`,
		"people by name, p2":              `{ people(filter: {text: "Diffsson"}, first: 2, after: "` + bridge.RankedPersonCursor(bridge.RankNameWords, "Fjern Diffsson", dvFar, 0) + `") { ` + personConn + ` } }`,
		"people by place, name order":     `{ people(filter: {text: "` + dvMuniName + ` ` + dvWord + `"}, orderBy: NAME, first: 4) { ` + personConn + ` } }`,
		"people by place, relevance p2":   `{ people(filter: {text: "` + dvMuniName + `"}, first: 2, after: "` + bridge.RankedPersonCursor(bridge.RankTitlePlace, "Frende Diffsson", dvFellow, 0) + `") { ` + personConn + ` } }`,
		// The same later pages from cursors that hold a position: read from each matched thing's
		// first people by name (PeoplePage.AfterPosition), not from every match.
		"people by word, p2 from position":            `{ people(filter: {text: "` + dvWord + `"}, first: 3, after: "` + bridge.RankedPersonCursor(bridge.RankOther, "Kvast Diffsson", dvQ2, 3) + `") { ` + personConn + ` } }`,
		"people by place, relevance p2 from position": `{ people(filter: {text: "` + dvMuniName + `"}, first: 2, after: "` + bridge.RankedPersonCursor(bridge.RankTitlePlace, "Frende Diffsson", dvFellow, 2) + `") { ` + personConn + ` } }`,
		"people by theme":                             `{ people(filter: {themes: ["` + gid("Theme", dvTheme) + `"], countries: ["NO", "FI", "SE"]}, first: 100) { ` + personConn + ` ` + facets + ` } }`,
		"people by group":                             `{ people(filter: {expertGroups: ["` + gid("ExpertGroup", dvGroup) + `"], languages: ["nb"]}, first: 100) { ` + personConn + ` ` + facets + ` } }`,
		"people by kind":                              `{ people(filter: {organisationKinds: [CIVIL_SOCIETY], text: "` + dvWord + `"}) { totalCount ` + facets + ` } }`,
		"people by place and size": `{ people(filter: {municipalities: ["` + gid("Municipality", dvMuni) + `"], regions: ["` + gid("Region", "NO-56") +
			`"], sizeClasses: [VERY_SMALL, SMALL]}, first: 100) { ` + personConn + ` ` + facets + ` } }`,
		// Facets with a value of each chosen: each facet is counted without its own filter.
		"people, every facet chosen": `{ people(filter: {countries: ["NO"], languages: ["nb"], themes: ["` + gid("Theme", dvBroad) + `"], organisationKinds: [CIVIL_SOCIETY],
			expertGroups: ["` + gid("ExpertGroup", dvGroup) + `"], text: "` + dvWord + `"}, first: 100) { ` + personConn + ` ` + facets + ` } }`,
		"people, one country chosen": `{ people(filter: {countries: ["FI"], themes: ["` + gid("Theme", dvBroad) + `"], themeMode: SEEKS}, first: 100) { totalCount ` + facets + ` } }`,
		"people by mode and openness": `{ people(filter: {themes: ["` + gid("Theme", dvTheme) + `"], themeMode: OFFERS, openToIntroductions: true, text: "` +
			dvWord + `"}, first: 100) { ` + personConn + ` ` + facets + ` } }`,
		"peers of anchor":     peersQuery(dvAnchor),
		"peers of Q1":         peersQuery(dvQ1),
		"peers of Q2":         peersQuery(dvQ2),
		"peers of party":      peersQuery(dvParty),
		"peers of fellow":     peersQuery(dvFellow),
		"peers, filtered":     `{ peers(personId: "` + gid("Person", dvAnchor) + `", filter: {themes: ["` + gid("Theme", dvBroad) + `"], excludeMyCountry: true, languages: ["en"], organisationKinds: [CIVIL_SOCIETY], countries: ["FI", "SE", "NO"]}) { score person { id } } }`,
		"paths anchor to far": pathsQuery(dvAnchor, dvFar),
		"paths party to far":  pathsQuery(dvParty, dvFar),
		"paths anchor to Q3":  pathsQuery(dvAnchor, dvQ3),
		"paths fellow to far": pathsQuery(dvFellow, dvFar),
		"organisation staff":  `{ organisation(id: "` + gid("Organisation", dvOrg) + `") { id staff(first: 100) { ` + personConn + ` } } }`,
		"organisations":       `{ organisations(filter: {text: "Differential Harbour"}) { totalCount edges { cursor node { id parent { id } municipality { id people(first: 1) { totalCount } } staff(first: 2) { ` + personConn + ` } } } } }`,
		"group members":       `{ expertGroup(id: "` + gid("ExpertGroup", dvGroup) + `") { id themes { id } members(first: 100) { ` + personConn + ` } } }`,
		"groups":              `{ expertGroups { id members(first: 3) { totalCount pageInfo { endCursor } edges { cursor node { id } } } } }`,
		"events":              `{ events { id themes { id } country { code } attendees(first: 100) { totalCount edges { cursor node { id } } } } }`,
		"theme people":        `{ theme(id: "` + gid("Theme", dvTheme) + `") { id people(first: 100) { ` + personConn + ` } } }`,
		"broad theme people":  `{ theme(id: "` + gid("Theme", dvBroad) + `") { id narrower { id } broader { id } people(first: 100) { totalCount edges { cursor node { id } } } } }`,
		"themes":              `{ themes { id people(first: 1) { totalCount } } }`,
		"municipality people": `{ municipality(id: "` + gid("Municipality", dvMuni) + `") { id region { id } people(first: 100) { ` + personConn + ` } } }`,
		"municipalities":      `{ municipalities(filter: {text: "` + dvMuniName + `"}) { totalCount edges { cursor node { id people(first: 5) { totalCount edges { node { id } } } } } } }`,
		"practices": `{ practices { id themes { id people(first: 1) { totalCount } } countries { code } organisations { id }
  municipalities { id } people(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`,
		"practice": `{ practice(id: "` + gid("Practice", dvPractice) + `") { id organisations { id staff(first: 100) { totalCount edges { node { id } } } }
  municipalities { id people(first: 100) { totalCount } } people(first: 100) { ` + personConn + ` } } }`,
		"organisation practices": `{ organisation(id: "` + gid("Organisation", dvOrg) + `") { practices { id people(first: 100) { totalCount edges { cursor node { id } } } } } }`,
		"node of the practice":   `{ node(id: "` + gid("Practice", dvPractice) + `") { id ... on Practice { people(first: 100) { totalCount edges { node { id } } } } } }`,
		"regions and countries":  `{ countries { code } regions(country: "NO") { id country { code } } }`,
		"node of the org":        `{ node(id: "` + gid("Organisation", dvOrg) + `") { id ... on Organisation { staff { totalCount } } } }`,
		"node of the group":      `{ node(id: "` + gid("ExpertGroup", dvGroup) + `") { id ... on ExpertGroup { members(first: 100) { totalCount edges { node { id } } } } } }`,
		"node of the event":      `{ node(id: "` + gid("Event", dvEvent) + `") { id ... on Event { attendees(first: 100) { totalCount edges { node { id } } } } } }`,
		"event suggestions":      `{ node(id: "` + gid("Event", dvEvent) + `") { ... on Event { suggestionsForMe { person { ...P } sharedThemes { id } sharedThemeCount } } } }`,
		"node of the theme":      `{ node(id: "` + gid("Theme", dvTheme) + `") { id ... on Theme { people { totalCount } } } }`,
		"node of the place":      `{ node(id: "` + gid("Municipality", dvMuni) + `") { id ... on Municipality { people { totalCount } } } }`,
		"secretariat only": `{ rightsRequests { totalCount edges { node { person { id } } } }
  rightsRequest(id: "` + gid("RightsRequest", "00000000-0000-4000-8000-000000000000") + `") { person { id } } auditEvents { totalCount } }`,
		"register and log nodes": `{ node(id: "` + gid("RightsRequest", "00000000-0000-4000-8000-000000000000") + `") { id ... on RightsRequest { person { id } } }
  event: node(id: "` + gid("AuditEvent", "00000000-0000-4000-8000-000000000000") + `") { id ... on AuditEvent { actorId targetId } } }`,
	}
	// Their own introductions change, by design, for the other party when the people they were
	// introduced to arrive (and then pause); what the list shows of a paused party is
	// TestPausedPersonIsGoneForTheOtherParty's.
	if viewer != "other party" {
		c["introductions"] = `{ introductions(first: 50) { totalCount counts { status count } pageInfo { endCursor }
  edges { cursor node { id status theme { id } wantedCountry { code } mySide myResponse outcome counterpart { ...P }
    parties { side response note person { ...P } } history { action from to actorRole actor { id } onBehalfOf { ...P } channel } notes { text author { id } } } } } }`
	}
	// By id, one request per route with an alias per person (fewer round trips, same answers).
	var reads, peers, paths strings.Builder
	for _, id := range byID {
		alias := "p" + id[len(id)-4:]
		reads.WriteString(alias + `: person(id: "` + gid("Person", id) + `") { ...P } n` + alias + `: node(id: "` + gid("Person", id) + `") { id ... on Person { ...P } }` + "\n")
		peers.WriteString(alias + `: peers(personId: "` + gid("Person", id) + `", first: 3) { score person { id } }` + "\n")
		paths.WriteString(alias + `: introductionPaths(from: "` + gid("Person", id) + `", to: "` + gid("Person", dvFar) + `") { length }` + "\n")
	}
	c["person and node by id"] = "{ " + reads.String() + " }"
	c["peers by id"] = "{ " + peers.String() + " }"
	c["paths by id"] = "{ " + paths.String() + " }"
	// Asking to meet someone the viewer may not see fails exactly as for an id that does not
	// exist (the request is never stored, so the corpus stays free of side effects).
	for _, id := range []string{dxHidden, dxPaused, dxPausedP, dxFellowH} {
		c["request to "+id[len(id)-4:]] = `mutation { requestIntroduction(input: {to: "` + gid("Person", id) + `", theme: "` + themeFR +
			`", message: "Hello", clientRequestId: "differential-` + id + `"}) { id } }`
	}
	c["introduction node"] = `{ node(id: "` + gid("Introduction", "00000000-0000-4000-8000-000000000000") + `") { id
  ... on Introduction { status counterpart { ...P } parties { person { ...P } } history { actor { id } onBehalfOf { id } } } } }`
	if viewer == "other party" {
		c["introduction by id"] = `{ introduction(id: "` + gid("Introduction", "00000000-0000-4000-8000-000000000000") + `") { id } }`
	}
	for name, q := range c {
		if strings.Contains(q, "...P") {
			c[name] = q + "\n" + personFields
		}
	}
	return c
}

func peersQuery(personID string) string {
	return `{ peers(personId: "` + gid("Person", personID) + `", first: 50) { score introductionPossible person { id }
  reasons { kind weight text language theme { id } relatedTheme { id } relation personMode peerMode group { id } event { id } } missing { kind text } } }`
}

func pathsQuery(from, to string) string {
	return `{ introductionPaths(from: "` + gid("Person", from) + `", to: "` + gid("Person", to) + `", maxHops: 4) {
  length introductionPossible steps { from { id } to { id } via text organisation { id } group { id } event { id } } } }`
}

// runCorpus answers every query of the corpus as who.
func runCorpus(t *testing.T, a *api, who bridge.Principal, corpus map[string]string) map[string]string {
	t.Helper()
	type answer struct {
		status int
		resp   gqlResponse
		raw    string
		err    error
	}
	// The reads go concurrently (a few at a time): they read one graph that nothing changes while
	// they run. The mutations (there for their errors) go one by one after them.
	answers := make(map[string]answer, len(corpus))
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, corpusConcurrency)
	for name, q := range corpus {
		if strings.HasPrefix(q, "mutation") {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			body, _ := json.Marshal(map[string]string{"query": q})
			status, resp, raw, err := a.send(who, string(body))
			mu.Lock()
			answers[name] = answer{status, resp, raw, err}
			mu.Unlock()
		}()
	}
	wg.Wait()
	for name, q := range corpus {
		if strings.HasPrefix(q, "mutation") {
			status, resp, raw := a.queryAs(who, q)
			answers[name] = answer{status: status, resp: resp, raw: raw}
		}
	}
	out := make(map[string]string, len(corpus))
	for name, an := range answers {
		if an.err != nil {
			t.Fatalf("%s as %v: %v", name, who, an.err)
		}
		// The answers a viewer may legitimately get; anything else (a limit, a validation error)
		// would make both runs equal for the wrong reason.
		for _, e := range an.resp.Errors {
			if code := e.Extensions["code"]; code != "FORBIDDEN" && code != "NOT_FOUND" && code != "UNAUTHENTICATED" {
				t.Fatalf("%s as %v: the corpus query fails (%d): %s", name, who, an.status, an.raw)
			}
		}
		raw := an.raw
		if len(an.resp.Errors) > 1 {
			raw = sortedErrors(t, raw)
		}
		out[name] = fmt.Sprintf("%d %s", an.status, raw)
	}
	return out
}

// corpusConcurrency is how many corpus reads are in flight at once: enough to keep the database
// busy, few enough that no read comes near the test configuration's query timeout.
const corpusConcurrency = 3

// sortedErrors puts the errors of a response in path order: resolvers run concurrently, so the
// order in which aliased fields fail is not fixed (their content is what is compared).
func sortedErrors(t *testing.T, raw string) string {
	t.Helper()
	var body map[string]json.RawMessage
	var errs []json.RawMessage
	if err := json.Unmarshal([]byte(raw), &body); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body["errors"], &errs); err != nil {
		t.Fatal(err)
	}
	sort.Slice(errs, func(i, j int) bool { return string(errs[i]) < string(errs[j]) })
	body["errors"], _ = json.Marshal(errs)
	out, _ := json.Marshal(body)
	return string(out)
}

// phase adds what the viewers may not see.
type phase struct {
	name    string
	viewers []string
	add     func(t *testing.T, a *api)
}

func TestInvisiblePeopleChangeNoAnswer(t *testing.T) {
	privacyFixture(t)
	differentialCast(t)
	// The corpus asks for large pages at once: cost limits are another test's subject.
	cfg := testConfig(envProduction)
	cfg.ComplexityLimit = 1 << 20
	a := newTestAPIWith(t, cfg, nil)
	store := testneo4j.Prepared(t, nil)
	upsert := func(t *testing.T, ps ...bridge.Person) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := store.UpsertPeople(ctx, ps); err != nil {
			t.Fatal(err)
		}
		// Every invisible person is also behind the practice.
		links := make([]bridge.PracticeLink, 0, len(ps))
		for _, p := range ps {
			links = append(links, bridge.PracticeLink{PracticeID: dvPractice, PersonID: p.ID})
		}
		if _, err := store.UpsertPracticeLinks(ctx, links); err != nil {
			t.Fatal(err)
		}
	}
	all := bridge.ConsentPurposes()
	linked := func(p bridge.Person) bridge.Person {
		p.Affiliations = []bridge.Affiliation{{OrganisationID: dvOrg, Role: "Librarian"}}
		p.EventIDs = []string{dvEvent}
		p.Themes = append(p.Themes, bridge.ThemeLink{ThemeID: "sport-and-culture", Mode: bridge.ModeOffers})
		return p
	}
	mutate := func(t *testing.T, who bridge.Principal, q string, vars map[string]any) map[string]json.RawMessage {
		data, code, _ := a.mutate(who, q, vars)
		if code != "" {
			t.Fatalf("%s: %s", q, code)
		}
		return data
	}
	proposeAs := func(t *testing.T, from, to string) string {
		data := mutate(t, secretariat, mPropose, map[string]any{"a": gid("Person", from), "b": gid("Person", to),
			"theme": themeFR, "cid": uuid.NewString()})
		return decodeIntro(t, data, "proposeIntroduction").ID
	}
	respond := func(t *testing.T, who, id string, accept bool) {
		answer := mDecline
		if accept {
			answer = mAccept
		}
		mutate(t, as(who), answer, map[string]any{"id": id})
	}
	everyone := []string{"anonymous", "member without profile", "member", "group member", "former group member", "other party"}
	phases := []phase{
		{name: "hidden, paused, and introductions between others", viewers: everyone, add: func(t *testing.T, a *api) {
			hidden := linked(dvPerson(dxHidden, "Skjult", bridge.VisibilitySecretariat, bridge.ModeOffers, all))
			hidden.Memberships = []bridge.Membership{{GroupID: dvGroup, Role: bridge.GroupRoleMember, Since: "2019-01-01", Until: "2022-06-30"}}
			paused := linked(dvPerson(dxPaused, "Pause", bridge.VisibilityPublic, bridge.ModeOffers, all))
			paused.Memberships = []bridge.Membership{{GroupID: dvGroup, Role: bridge.GroupRoleMember, Since: "2020-01-01"}}
			pausedP := linked(dvPerson(dxPausedP, "Pausa", bridge.VisibilityMembers, bridge.ModeOffers, all))
			upsert(t, hidden, paused, pausedP)
			// The paused people were in touch with the other party before they paused.
			done := proposeAs(t, dvParty, dxPaused)
			respond(t, dvParty, done, true)
			respond(t, dxPaused, done, true)
			proposeAs(t, dvParty, dxPausedP)
			for _, id := range []string{dxPaused, dxPausedP} {
				mutate(t, as(id), `mutation { pauseMyProfile { id } }`, nil)
			}
			// Introductions no viewer is party to: declined, accomplished, and one with the hidden person.
			declined := proposeAs(t, dvQ1, dvQ2)
			respond(t, dvQ2, declined, false)
			met := proposeAs(t, dvQ1, dvQ3)
			respond(t, dvQ1, met, true)
			respond(t, dvQ3, met, true)
			withHidden := proposeAs(t, dxHidden, dvQ2)
			respond(t, dxHidden, withHidden, true)
			respond(t, dvQ2, withHidden, true)
			mutate(t, as(dvQ1), mRequest, map[string]any{"to": gid("Person", dvFar), "theme": themeFR, "msg": "Hello", "cid": uuid.NewString()})
		}},
		// Current members see their hidden fellows, and a public member without the SUGGEST
		// consent is readable by id (not by the id-free corpus): both are invisible to everyone else.
		{name: "a hidden current member, and a member without consent", viewers: []string{"anonymous", "member without profile", "member", "former group member", "other party"},
			add: func(t *testing.T, a *api) {
				fellowH := linked(dvPerson(dxFellowH, "Gruppe", bridge.VisibilitySecretariat, bridge.ModeOffers, all))
				fellowH.Memberships = []bridge.Membership{{GroupID: dvGroup, Role: bridge.GroupRoleMember, Since: "2021-01-01"}}
				noSugg := linked(dvPerson(dxNoSugg, "Samtykke", bridge.VisibilityPublic, bridge.ModeOffers,
					[]bridge.ConsentPurpose{bridge.ConsentIntroduce, bridge.ConsentShareContact}))
				noSugg.Memberships = []bridge.Membership{{GroupID: dvGroup, Role: bridge.GroupRoleMember, Since: "2021-01-01"}}
				upsert(t, fellowH, noSugg)
			}},
		// Candidates and peers as the secretariat: a paused person and one without the SUGGEST
		// consent, on the theme in Norway, are suggested to no one.
		{name: "a paused person and one without consent, for the secretariat's suggestions", viewers: []string{"secretariat"},
			add: func(t *testing.T, a *api) {
				paused := linked(dvPerson(dxCandP, "Hvile", bridge.VisibilityPublic, bridge.ModeOffers, all))
				noConsent := linked(dvPerson(dxCandN, "Nei", bridge.VisibilityPublic, bridge.ModeOffers,
					[]bridge.ConsentPurpose{bridge.ConsentIntroduce, bridge.ConsentShareContact}))
				upsert(t, paused, noConsent)
				mutate(t, as(dxCandP), `mutation { pauseMyProfile { id } }`, nil)
			}},
	}
	anchorThemeWeight := map[string]float64{}
	for who, p := range map[string]bridge.Principal{"anonymous": bridge.Anonymous, "secretariat": secretariat} {
		anchorThemeWeight[who] = themeWeight(t, a, p, dvAnchor, dvFar, dvTheme)
	}
	// What each viewer got last: nothing changes between a phase's "after" and the next phase's
	// "before", so the answers of the one are the other's (the corpus is not run twice on the
	// same graph).
	last := map[string]map[string]string{}
	for _, ph := range phases {
		before := map[string]map[string]string{}
		for _, v := range ph.viewers {
			if got, ok := last[v]; ok {
				before[v] = got
				continue
			}
			before[v] = runCorpus(t, a, differentialViewers[v], differentialCorpus(v))
		}
		ph.add(t, a)
		for _, v := range ph.viewers {
			after := runCorpus(t, a, differentialViewers[v], differentialCorpus(v))
			last[v] = after
			names := make([]string, 0, len(after))
			for name := range after {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				if after[name] != before[v][name] {
					t.Errorf("%s, as %s: %q changed:\nbefore %s\nafter  %s", ph.name, v, name, before[v][name], after[name])
				}
			}
		}
	}
	sideDoorFindings(t, a, anchorThemeWeight)
	// The invisible people are there: the secretariat finds every one of them.
	_, _, raw := a.queryAs(secretariat, `{ people(filter: {text: "`+dvWord+`"}, first: 100) { edges { node { id } } } }`)
	for _, id := range []string{dxHidden, dxPaused, dxPausedP, dxFellowH, dxNoSugg} {
		if !strings.Contains(raw, gid("Person", id)) {
			t.Errorf("the secretariat does not find %s, so the test proves nothing about it: %s", id, raw)
		}
	}
	// They are behind the practice: the secretariat sees the ones it lists there.
	_, _, raw = a.queryAs(secretariat, `{ practice(id: "`+gid("Practice", dvPractice)+`") { people(first: 100) { edges { node { id } } } } }`)
	for _, id := range []string{dxHidden, dxFellowH} {
		if !strings.Contains(raw, gid("Person", id)) {
			t.Errorf("the secretariat does not see %s behind the practice, so the test proves nothing about it: %s", id, raw)
		}
	}
}

// TestDifferentialCorpusCoversEveryRouteToAPerson walks the schema: every field of a query type
// whose type leads to a Person (directly, or through any chain of fields) must be selected by
// at least one query of the corpus, so that a new route is either in the differential test or
// fails here.
func TestDifferentialCorpusCoversEveryRouteToAPerson(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	reaches := map[string]bool{"Person": true}
	for changed := true; changed; {
		changed = false
		for name, def := range schema.Types {
			if reaches[name] || name == "Mutation" || strings.HasPrefix(name, "__") {
				continue
			}
			for _, f := range def.Fields {
				if reaches[f.Type.Name()] || (def.Kind == ast.Interface && name == "Node") {
					reaches[name], changed = true, true
					break
				}
			}
		}
	}
	seen := map[string]bool{}
	corpus := differentialCorpus("member")
	for k, v := range differentialCorpus("other party") {
		corpus[k] = v
	}
	for name, q := range corpus {
		if strings.HasPrefix(q, "mutation") {
			continue // mutations are there for their errors; the coverage is of the read routes
		}
		doc, errs := gqlparser.LoadQueryWithRules(schema, q, nil)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		var walk func(ast.SelectionSet)
		walk = func(ss ast.SelectionSet) {
			for _, s := range ss {
				switch s := s.(type) {
				case *ast.Field:
					if s.ObjectDefinition != nil {
						seen[s.ObjectDefinition.Name+"."+s.Name] = true
					}
					walk(s.SelectionSet)
				case *ast.InlineFragment:
					walk(s.SelectionSet)
				case *ast.FragmentSpread:
					walk(s.Definition.SelectionSet)
				}
			}
		}
		for _, op := range doc.Operations {
			walk(op.SelectionSet)
		}
	}
	var missing []string
	for name, def := range schema.Types {
		if name == "Mutation" || strings.HasPrefix(name, "__") || def.Kind != ast.Object {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if reaches[f.Type.Name()] && !seen[name+"."+f.Name] {
				missing = append(missing, name+"."+f.Name)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("fields that lead to a person but are in no query of the differential corpus; add them to differentialCorpus:\n%s",
			strings.Join(missing, "\n"))
	}
	var covered []string
	for k := range seen {
		covered = append(covered, k)
	}
	sort.Strings(covered)
	var b bytes.Buffer
	b.WriteString(strings.Join(covered, " "))
	t.Logf("the corpus covers %d fields: %s", len(covered), b.String())
}

// themeWeight is the weight of the reason "theme" for a peer of a person, as who sees it.
func themeWeight(t *testing.T, a *api, who bridge.Principal, personID, peerID, themeID string) float64 {
	t.Helper()
	_, resp, raw := a.queryAs(who, `{ peers(personId: "`+gid("Person", personID)+`", first: 50) { person { id } reasons { weight theme { id } } } }`)
	var peers []struct {
		Person  struct{ ID string }
		Reasons []struct {
			Weight float64
			Theme  *struct{ ID string }
		}
	}
	if err := json.Unmarshal(resp.Data["peers"], &peers); err != nil {
		t.Fatalf("peers: %v: %s", err, raw)
	}
	for _, p := range peers {
		if p.Person.ID != gid("Person", peerID) {
			continue
		}
		for _, r := range p.Reasons {
			if r.Theme != nil && r.Theme.ID == gid("Theme", themeID) {
				return r.Weight
			}
		}
	}
	t.Fatalf("no reason for theme %s between %s and %s: %s", themeID, personID, peerID, raw)
	return 0
}

// sideDoorFindings checks, one by one, the side doors of issue 10 that the differential test
// closes, on the state it leaves: each says what the viewer now gets, and that the thing hidden
// from them is really there for those who may see it (so that the assertion is not empty).
func sideDoorFindings(t *testing.T, a *api, weightBefore map[string]float64) {
	has := func(raw, id string) bool { return strings.Contains(raw, gid("Person", id)) }
	t.Run("finding 2: who asked to meet whom is not in peers' gaps", func(t *testing.T) {
		q := `{ peers(personId: "` + gid("Person", dvQ1) + `", first: 50) { person { id } missing { kind } } }`
		gaps := func(who bridge.Principal) map[string]bool {
			_, resp, raw := a.queryAs(who, q)
			var peers []struct {
				Person  struct{ ID string }
				Missing []struct{ Kind string }
			}
			if err := json.Unmarshal(resp.Data["peers"], &peers); err != nil {
				t.Fatalf("%v: %s", err, raw)
			}
			out := map[string]bool{}
			for _, p := range peers {
				for _, m := range p.Missing {
					if m.Kind == string(bridge.GapAlreadyIntroduced) {
						out[p.Person.ID] = true
					}
				}
			}
			return out
		}
		for _, who := range []bridge.Principal{bridge.Anonymous, member, as(dvAnchor)} {
			if g := gaps(who); len(g) > 0 {
				t.Errorf("as %v, peers of Q1 show ALREADY_INTRODUCED for %v (declined Q2, introduced Q3: neither is theirs to know)", who, g)
			}
		}
		// Q1 knows whom they were introduced to (Q3), and a declined request (Q2) is no sign; so does the secretariat.
		for _, who := range []bridge.Principal{as(dvQ1), secretariat} {
			if g := gaps(who); !g[gid("Person", dvQ3)] || g[gid("Person", dvQ2)] {
				t.Errorf("as %v, ALREADY_INTRODUCED for %v; want Q3 only", who, g)
			}
		}
	})
	t.Run("finding 3: warm paths pass only through people the viewer may list", func(t *testing.T) {
		q := pathsQuery(dvAnchor, dvFar)
		for _, who := range []bridge.Principal{bridge.Anonymous, member, as(dvAnchor)} {
			_, _, raw := a.queryAs(who, q)
			if has(raw, dxHidden) || strings.Contains(raw, "someone") || strings.Contains(raw, `"from":null`) || strings.Contains(raw, `"to":null`) {
				t.Errorf("as %v, a path names or hints at the hidden person: %s", who, raw)
			}
		}
		if _, _, raw := a.queryAs(secretariat, q); !has(raw, dxHidden) {
			t.Errorf("the secretariat finds no path through the hidden person (anchor - organisation - hidden - event - far): %s", raw)
		}
	})
	t.Run("finding 4: the other party reads nothing of a paused person", func(t *testing.T) {
		for _, id := range []string{dxPaused, dxPausedP} {
			_, _, raw := a.queryAs(as(dvParty), `{ person(id: "`+gid("Person", id)+`") { id } node(id: "`+gid("Person", id)+`") { id } }`)
			if raw != `{"data":{"person":null,"node":null}}` {
				t.Errorf("the other party reads the paused %s: %s", id, raw)
			}
		}
		_, _, raw := a.queryAs(as(dvParty), `{ introductions { edges { node { status counterpart { id name email } } } } }`)
		if has(raw, dxPaused) || has(raw, dxPausedP) || strings.Contains(raw, "@differential.example.org") {
			t.Errorf("the other party's introductions show a paused person: %s", raw)
		}
	})
	t.Run("finding 6: weights count only the people the viewer may list", func(t *testing.T) {
		if w := themeWeight(t, a, bridge.Anonymous, dvAnchor, dvFar, dvTheme); w != weightBefore["anonymous"] {
			t.Errorf("anonymous: the theme's weight moved from %v to %v when people they may not see joined the theme", weightBefore["anonymous"], w)
		}
		if w := themeWeight(t, a, secretariat, dvAnchor, dvFar, dvTheme); w == weightBefore["secretariat"] {
			t.Errorf("the secretariat's weight did not move (%v) although the people who joined are theirs to see: the check above proves nothing", w)
		}
	})
	t.Run("finding 7: without the SUGGEST consent, in no list", func(t *testing.T) {
		lists := `{ theme(id: "` + gid("Theme", dvTheme) + `") { people(first: 100) { edges { node { id } } } }
  municipality(id: "` + gid("Municipality", dvMuni) + `") { people(first: 100) { edges { node { id } } } }
  organisation(id: "` + gid("Organisation", dvOrg) + `") { staff(first: 100) { edges { node { id } } } }
  events { attendees(first: 100) { edges { node { id } } } }
  expertGroup(id: "` + gid("ExpertGroup", dvGroup) + `") { members(first: 100) { edges { node { id } } } } }`
		for _, who := range []bridge.Principal{bridge.Anonymous, member, as(dvFormer)} {
			if _, _, raw := a.queryAs(who, lists); has(raw, dxNoSugg) {
				t.Errorf("as %v, a list shows the person who did not consent to be suggested: %s", who, raw)
			}
		}
		// Their public profile is still theirs to show by id.
		if _, _, raw := a.queryAs(bridge.Anonymous, `{ person(id: "`+gid("Person", dxNoSugg)+`") { id } }`); !has(raw, dxNoSugg) {
			t.Errorf("a public profile without the SUGGEST consent is not readable by id: %s", raw)
		}
	})
	t.Run("finding 9: an ended membership opens nothing", func(t *testing.T) {
		q := `{ expertGroup(id: "` + gid("ExpertGroup", dvGroup) + `") { members(first: 100) { edges { node { id } } } } }`
		if _, _, raw := a.queryAs(as(dvFormer), q); has(raw, dxFellowH) || has(raw, dxHidden) {
			t.Errorf("a former member sees hidden members: %s", raw)
		}
		_, _, raw := a.queryAs(as(dvFellow), q)
		if !has(raw, dxFellowH) {
			t.Errorf("a current member does not see a hidden current fellow: %s", raw)
		}
		if has(raw, dxHidden) {
			t.Errorf("a current member sees a hidden person whose membership ended: %s", raw)
		}
	})
}
