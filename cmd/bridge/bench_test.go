package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// The read benchmarks run the real HTTP handler in process against the Neo4j in NEO4J_URI,
// loaded with BRIDGE_BENCH_PEOPLE demo people (default 10,000; seed 1). `make bench` runs them
// at 10,000 and 100,000 people, each on a fresh throwaway Neo4j. Besides ns/op they report the
// Cypher round trips per operation, read from the same counter as /metrics.

var (
	benchOnce sync.Once
	benchGen  *demo.Generator
	benchN    int
	benchErr  error
)

func benchData(b testing.TB) (*demo.Generator, int) {
	b.Helper()
	benchOnce.Do(func() {
		benchN = 10000
		if s := os.Getenv("BRIDGE_BENCH_PEOPLE"); s != "" {
			benchN, benchErr = strconv.Atoi(s)
			if benchErr != nil {
				return
			}
		}
		store := testneo4j.Prepared(b, nil)
		ref, err := seed.ReferenceData()
		if err != nil {
			benchErr = err
			return
		}
		benchGen, benchErr = demo.New(demo.Reference{Municipalities: ref.Municipalities, Themes: ref.Themes,
			Groups: ref.Groups, Events: ref.Events}, benchN, 1)
		if benchErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		start := time.Now()
		benchErr = loadDemo(ctx, store, benchGen, benchN)
		b.Logf("loaded %d demo people in %s", benchN, time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchGen, benchN
}

// benchConfig is the tests' production configuration with what `bridge serve` adds by default:
// reference data served from memory (BRIDGE_REFERENCE_TTL).
func benchConfig() *config {
	cfg := testConfig(envProduction)
	cfg.ReferenceTTL = 30 * time.Second
	return cfg
}

// runQueries runs the query made for each iteration as the principal and reports round trips.
func runQueries(b *testing.B, who bridge.Principal, query func(i int) string) {
	runQueriesAs(b, func(int) bridge.Principal { return who }, query)
}

// benchWarmUps is how many requests run before the measured ones, their times left out: the
// first run of each statement is planned by Neo4j (up to a second or two for the largest), which
// a running service pays once, not at every p99. They run on inputs of their own, from
// warmUpInput on, so that no measured request finds its answer already in the caches.
const (
	benchWarmUps = 5
	warmUpInput  = 1 << 20
)

// runQueriesAs runs the query made for each iteration as the principal made for it and reports
// the time at p50 and p99 (the budgets are percentiles) and the round trips, after
// benchWarmUps unmeasured requests.
func runQueriesAs(b *testing.B, who func(i int) bridge.Principal, query func(i int) string) {
	benchData(b)
	a := newTestAPIWith(b, benchConfig(), nil)
	send := func(i int) time.Duration {
		body, _ := json.Marshal(map[string]string{"query": query(i)})
		start := time.Now()
		status, resp, raw := a.postAs(who(i), string(body))
		took := time.Since(start)
		if status != 200 || len(resp.Errors) > 0 {
			b.Fatalf("status %d: %.300s", status, raw)
		}
		return took
	}
	for k := range benchWarmUps {
		send(warmUpInput + k)
	}
	b.ResetTimer()
	before := a.roundTrips()
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		took = append(took, send(i))
	}
	reportPercentiles(b, took)
	b.ReportMetric((a.roundTrips()-before)/float64(b.N), "roundtrips/op")
}

// reportPercentiles reports the p50 and p99 of the iterations' times in milliseconds.
func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

func BenchmarkPeers(b *testing.B) {
	gen, n := benchData(b)
	runQueries(b, secretariat, func(i int) string {
		id := gen.PersonID((i * 7919) % n)
		return `{ peers(personId: "` + gid("Person", id) + `", first: 10) { score person { name } reasons { kind text } } }`
	})
}

// BenchmarkMyPeers is a member asking for their own peers, as the web app's peers page does.
func BenchmarkMyPeers(b *testing.B) {
	gen, n := benchData(b)
	runQueriesAs(b, func(i int) bridge.Principal {
		return bridge.Principal{Role: bridge.RoleMember, PersonID: gen.PersonID((i * 7919) % n)}
	}, func(int) string {
		return `{ peers(first: 10) { score introductionPossible person { name } reasons { kind text } } }`
	})
}

func BenchmarkPeopleSelectiveText(b *testing.B) {
	runQueries(b, member, func(int) string {
		return `{ people(filter: {text: "Malmo"}, first: 20) { totalCount edges { node { name title } } } }`
	})
}

func BenchmarkPeopleBroadText(b *testing.B) {
	runQueries(b, member, func(int) string {
		return `{ people(filter: {text: "arbetsmarknaden"}, first: 20) { totalCount edges { node { name title } } } }`
	})
}

// BenchmarkPeopleBroadTextLaterPage is a member paging on through a theme word's matches (pages
// 2 to 11 of "arbetsmarknaden", 20 a page), from the cursors the API gave page after page.
func BenchmarkPeopleBroadTextLaterPage(b *testing.B) {
	benchData(b)
	a := newTestAPIWith(b, benchConfig(), nil)
	const query = `{ people(filter: {text: "arbetsmarknaden"}, first: 20%s) { pageInfo { endCursor } edges { node { name title } } } }`
	var cursors []string
	after := ""
	for range 10 {
		status, resp, raw := a.queryAs(member, fmt.Sprintf(query, after))
		var page struct {
			PageInfo struct{ EndCursor string } `json:"pageInfo"`
		}
		if status != 200 || len(resp.Errors) > 0 || json.Unmarshal(resp.Data["people"], &page) != nil || page.PageInfo.EndCursor == "" {
			b.Fatalf("walking the pages: status %d: %.300s", status, raw)
		}
		cursors = append(cursors, page.PageInfo.EndCursor)
		after = `, after: "` + page.PageInfo.EndCursor + `"`
	}
	runQueries(b, member, func(i int) string {
		return fmt.Sprintf(query, `, after: "`+cursors[i%len(cursors)]+`"`)
	})
}

// everyFacet asks for every facet's counts, as the web app's search page does.
const everyFacet = `facets { countries { value count } themes { value count } organisationKinds { value count } languages { value count } expertGroups { value count } }`

func BenchmarkPeopleBroadTextWithFacets(b *testing.B) {
	runQueries(b, member, func(int) string {
		return `{ people(filter: {text: "arbetsmarknaden"}, first: 20) { totalCount edges { node { name } }
		  ` + everyFacet + ` } }`
	})
}

// BenchmarkPeopleFacetsWithoutText is the search page of a signed-in member before they type:
// every person they may list, counted per facet (it ran out of Neo4j's transaction memory at
// 100,000 people before 40c3dbf).
func BenchmarkPeopleFacetsWithoutText(b *testing.B) {
	runQueries(b, member, func(int) string {
		return `{ people(first: 20) { totalCount edges { node { name } }
		  ` + everyFacet + ` } }`
	})
}

func BenchmarkNested3Levels(b *testing.B) {
	runQueries(b, member, func(int) string {
		return `{ organisations(first: 20) { edges { node { name staff(first: 10) { totalCount edges { node { name themes { mode theme { label } } } } } } } } }`
	})
}

func BenchmarkIntroductionPaths(b *testing.B) {
	gen, n := benchData(b)
	runQueries(b, secretariat, func(i int) string {
		from, to := gen.PersonID((i*7919)%n), gen.PersonID((i*104729+13)%n)
		return `{ introductionPaths(from: "` + gid("Person", from) + `", to: "` + gid("Person", to) + `", maxHops: 3) { length steps { text } } }`
	})
}

// BenchmarkMyIntroductionPaths is a member's warm paths to another person, as the person page
// shows them: the member lists fewer people than the secretariat, so that a large event may stay
// under bridge.PathHubCap for them, and its attendees are counted at each visit.
func BenchmarkMyIntroductionPaths(b *testing.B) {
	gen, n := benchData(b)
	runQueriesAs(b, func(i int) bridge.Principal {
		return bridge.Principal{Role: bridge.RoleMember, PersonID: gen.PersonID((i * 7919) % n)}
	}, func(i int) string {
		from, to := gen.PersonID((i*7919)%n), gen.PersonID((i*104729+13)%n)
		return `{ introductionPaths(from: "` + gid("Person", from) + `", to: "` + gid("Person", to) + `", maxHops: 3) { length steps { text } } }`
	})
}

// broadThemes are the vocabulary's broad themes: their people are the largest related lists
// (a broad theme's own people and those of its narrower themes).
var broadThemes = []string{"labour-market-establishment", "competence-and-matchmaking", "children-and-families",
	"anti-segregation", "civil-society-and-culture", "rural-communities", "safe-cities-prevention", "health",
	"language-learning", "democracy-and-citizenship", "gender-equality", "reception-and-settlement"}

// BenchmarkThemePeople is the web app's theme page: a broad theme's first 20 people by name,
// with their count, as a signed-out visitor sees them (the public people only).
func BenchmarkThemePeople(b *testing.B) {
	runQueriesAs(b, func(int) bridge.Principal { return bridge.Anonymous }, func(i int) string {
		return `{ theme(id: "` + gid("Theme", broadThemes[i%len(broadThemes)]) + `") { people(first: 20) { totalCount edges { node { name title } } } } }`
	})
}

// BenchmarkThemePeopleLaterPage is a member paging on through a broad theme's people, from a
// cursor anywhere in the alphabet, without the count.
func BenchmarkThemePeopleLaterPage(b *testing.B) {
	gen, n := benchData(b)
	runQueries(b, member, func(i int) string {
		p := gen.People((i*7919)%n, (i*7919)%n+1)[0]
		cursor := bridge.PersonCursor(p.GivenName+" "+p.FamilyName, p.ID)
		return `{ theme(id: "` + gid("Theme", broadThemes[i%len(broadThemes)]) + `") { people(first: 20, after: "` + cursor + `") { edges { node { name title } } pageInfo { hasNextPage } } } }`
	})
}

// bigMunicipalities are the largest places of the demo data (people are spread by population).
var bigMunicipalities = []string{"SE-0180", "SE-1480", "SE-1280", "NO-0301", "FI-091", "DK-0101"}

// BenchmarkMunicipalityPeople is the web app's municipality page for a large city: its first 20
// people by name with their count, as a member sees them.
func BenchmarkMunicipalityPeople(b *testing.B) {
	runQueries(b, member, func(i int) string {
		return `{ municipality(id: "` + gid("Municipality", bigMunicipalities[i%len(bigMunicipalities)]) + `") { people(first: 20) { totalCount edges { node { name title } } } } }`
	})
}

// programmeEvents and programmeGroups are the events and expert groups of the programme
// (seed/programme.json): the demo data puts 5 % of everyone at one of the events and 2 % in one of
// the groups, so that their lists grow with the network (about 1,250 attendees an event at
// 100,000 people).
var (
	programmeEvents = []string{"oslo-2017-civil-society-culture", "oslo-2017-ecec-schools", "oslo-2017-labour-market-inclusion",
		"copenhagen-2018-integration-in-the-nordic-countries"}
	programmeGroups = []string{"expert-group-labour-market", "expert-group-early-intervention", "nordic-migrant-expert-forum",
		"reference-group-ministries", "nordic-safe-cities"}
)

// BenchmarkEventAttendees is the web app's event page: an event's first 20 attendees by name,
// with their count, as the secretariat sees them (everyone who attended).
func BenchmarkEventAttendees(b *testing.B) {
	runQueries(b, secretariat, func(i int) string {
		return `{ node(id: "` + gid("Event", programmeEvents[i%len(programmeEvents)]) + `") { ... on Event { attendees(first: 20) { totalCount edges { node { name title } } } } } }`
	})
}

// BenchmarkEventAttendeesLaterPage is a member paging on through an event's attendees, from a
// cursor anywhere in the alphabet, without the count.
func BenchmarkEventAttendeesLaterPage(b *testing.B) {
	gen, n := benchData(b)
	runQueries(b, member, func(i int) string {
		p := gen.People((i*7919)%n, (i*7919)%n+1)[0]
		cursor := bridge.PersonCursor(p.GivenName+" "+p.FamilyName, p.ID)
		return `{ node(id: "` + gid("Event", programmeEvents[i%len(programmeEvents)]) + `") { ... on Event { attendees(first: 20, after: "` + cursor + `") { edges { node { name title } } pageInfo { hasNextPage } } } } }`
	})
}

// BenchmarkGroupMembers is the web app's group page: a group's first 20 members by name, with
// their count, as a member sees them.
func BenchmarkGroupMembers(b *testing.B) {
	runQueries(b, member, func(i int) string {
		return `{ expertGroup(id: "` + gid("ExpertGroup", programmeGroups[i%len(programmeGroups)]) + `") { members(first: 20) { totalCount edges { node { name title } } } } }`
	})
}

// BenchmarkPeoplePage reads pages of all people in name order without asking for totalCount:
// a keyset read on the person_name index whose cost follows the page size.
func BenchmarkPeoplePage(b *testing.B) {
	gen, n := benchData(b)
	runQueries(b, member, func(i int) string {
		p := gen.People((i*7919)%n, (i*7919)%n+1)[0]
		cursor := bridge.PersonCursor(p.GivenName+" "+p.FamilyName, p.ID)
		return `{ people(first: 20, after: "` + cursor + `") { edges { node { name title } } pageInfo { hasNextPage } } }`
	})
}

// The web app's search and peers pages, rendered server-side by the same handler as `bridge
// serve` (the web app runs its GraphQL operations in process). Besides ns/op they report the
// page's HTML bytes and its weight with the style sheet and script it loads (what a first visit
// transfers, uncompressed), and the Cypher round trips. Issue 12's budget at the `make run` size
// (1,000 demo people): under 100 ms at p50 and 150 KB; run with `make bench-web`.

func BenchmarkWebSearchPage(b *testing.B) {
	words := []string{"Malmo", "språk", "kotoutuminen", "arbetsmarknaden", "Tromsø", "bolig"}
	runPages(b, func(int) bridge.Principal { return bridge.Anonymous }, func(i int) string {
		return "/search?q=" + url.QueryEscape(words[i%len(words)])
	})
}

func BenchmarkWebPeersPage(b *testing.B) {
	gen, n := benchData(b)
	runPages(b, func(i int) bridge.Principal {
		return bridge.Principal{Role: bridge.RoleMember, PersonID: gen.PersonID((i * 7919) % n)}
	}, func(int) string { return "/peers" })
}

// runPages GETs the page made for each iteration as the principal made for it and reports the
// page's time at p50 and p99, its bytes, its weight with its assets, and the round trips.
func runPages(b *testing.B, who func(i int) bridge.Principal, page func(i int) string) {
	benchData(b)
	a := newTestAPIWith(b, benchConfig(), nil)
	get := func(path string, p bridge.Principal) []byte {
		b.Helper()
		status, body := getPage(b, a, path, p)
		if status != http.StatusOK {
			b.Fatalf("GET %s: %d: %.300s\nlogs: %s", path, status, body, a.logs)
		}
		return body
	}
	// A fresh Neo4j answers the first full-text reads slowly (indexes and page cache cold): warm
	// up, allowing the request deadline's 503 a few times, before anything is measured.
	for i := 0; i < 5; i++ {
		if s, _ := getPage(b, a, page(i), who(i)); s == http.StatusOK {
			break
		}
	}
	first := get(page(0), who(0))
	assets := 0
	for _, m := range regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`).FindAllSubmatch(first, -1) {
		assets += len(get(string(m[1]), bridge.Anonymous))
	}
	b.ResetTimer()
	before, bytes, byQuery := a.roundTrips(), 0, a.roundTripsByQuery()
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		bytes += len(get(page(i), who(i)))
		took = append(took, time.Since(start))
	}
	reportPercentiles(b, took)
	b.ReportMetric(float64(bytes)/float64(b.N), "html-bytes/op")
	b.ReportMetric(float64(bytes/b.N+assets)/1024, "page-KB")
	b.ReportMetric((a.roundTrips()-before)/float64(b.N), "roundtrips/op")
	for q, n := range a.roundTripsByQuery() {
		if per := (n - byQuery[q]) / float64(b.N); per > 0 {
			b.Logf("%-40s %5.2f round trips a page", q, per)
		}
	}
}

// getPage GETs a page of the web app in Swedish as the principal: its status and body.
func getPage(b *testing.B, a *api, path string, p bridge.Principal) (int, []byte) {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept-Language", "sv")
	if p.Role != bridge.RoleAnonymous {
		req.Header.Set(testPrincipalHeader, string(p.Role)+"|"+p.PersonID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return resp.StatusCode, body
}
