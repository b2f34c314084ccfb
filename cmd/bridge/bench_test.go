package main

import (
	"context"
	"encoding/json"
	"os"
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

func benchData(b *testing.B) (*demo.Generator, int) {
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

// runQueries runs the query made for each iteration as the principal and reports round trips.
func runQueries(b *testing.B, who bridge.Principal, query func(i int) string) {
	benchData(b)
	a := newTestAPI(b, envProduction, nil)
	b.ResetTimer()
	before := a.roundTrips()
	for i := 0; b.Loop(); i++ {
		body, _ := json.Marshal(map[string]string{"query": query(i)})
		status, resp, raw := a.postAs(who, string(body))
		if status != 200 || len(resp.Errors) > 0 {
			b.Fatalf("status %d: %.300s", status, raw)
		}
	}
	b.ReportMetric((a.roundTrips()-before)/float64(b.N), "roundtrips/op")
}

func BenchmarkPeers(b *testing.B) {
	gen, n := benchData(b)
	runQueries(b, secretariat, func(i int) string {
		id := gen.PersonID((i * 7919) % n)
		return `{ peers(personId: "` + gid("Person", id) + `", first: 10) { score person { name } reasons { kind text } } }`
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

func BenchmarkPeopleBroadTextWithFacets(b *testing.B) {
	runQueries(b, member, func(int) string {
		return `{ people(filter: {text: "arbetsmarknaden"}, first: 20) { totalCount edges { node { name } }
		  facets { countries { value count } themes { value count } organisationKinds { value count } languages { value count } expertGroups { value count } } } }`
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
