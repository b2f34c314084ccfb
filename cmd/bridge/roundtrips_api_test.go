package main

import (
	"strings"
	"testing"
	"time"
)

// TestCoreReadsCostOneRoundTrip (issue 15): with the reference data served from memory (as
// `bridge serve` has it), each core read is one Cypher round trip — a page of people (with and
// without its count, by name and by text), one person, a page of organisations (with and
// without its count), an organisation — whatever the fields it asks of them, countries and
// theme labels included. Counted, not timed.
func TestCoreReadsCostOneRoundTrip(t *testing.T) {
	privacyFixture(t)
	cfg := testConfig(envProduction)
	cfg.ReferenceTTL = time.Hour
	a := newTestAPIWith(t, cfg, nil)
	person := `id name title languages country { code name } themes { mode theme { key label(lang: "sv") } }`
	reads := map[string]string{
		"a page of people":               `{ people(first: 20) { edges { node { ` + person + ` } } } }`,
		"a page of people and its count": `{ people(first: 20, filter: {countries: ["SE"]}) { totalCount edges { node { ` + person + ` } } } }`,
		"people by text":                 `{ people(first: 20, filter: {text: "` + fxWord + `"}) { edges { node { ` + person + ` } } } }`,
		"people by text and its count":   `{ people(first: 20, filter: {text: "` + fxWord + `"}) { totalCount edges { node { ` + person + ` } } } }`,
		"a person":                       `{ person(id: "` + gid("Person", fxPublicID) + `") { ` + person + ` } }`,
		"a page of organisations":        `{ organisations(first: 20) { edges { node { id name kind country { code name } } } } }`,
		"organisations and their count":  `{ organisations(first: 20, filter: {country: "SE"}) { totalCount edges { node { id name } } } }`,
		"an organisation":                `{ organisation(id: "` + gid("Organisation", fxOrg) + `") { id name kind website country { code } } }`,
	}
	// The first request fills the reference data; after it, only the reads themselves count.
	if _, resp, raw := a.query(`{ countries { code } themes { key } }`); len(resp.Errors) > 0 {
		t.Fatal(raw)
	}
	for name, q := range reads {
		before := a.roundTrips()
		_, resp, raw := a.queryAs(member, q)
		if len(resp.Errors) > 0 || !strings.Contains(raw, `"name"`) {
			t.Fatalf("%s: %s", name, raw)
		}
		if got := a.roundTrips() - before; got != 1 {
			t.Errorf("%s: %v round trips, want 1 (%v)", name, got, a.roundTripsByQuery())
		}
	}
}
