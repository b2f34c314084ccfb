package main

import (
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// nestedStaff is the query of issue 10 as a member sent it: people(first:100) → affiliations →
// organisation → staff(first:100), the staff nested again, levels times in all.
func nestedStaff(levels int) string {
	inner := "name"
	for range levels - 1 {
		inner = "name affiliations { organisation { name staff(first: 100) { edges { node { " + inner + " } } } } }"
	}
	return "{ people(first: 100) { edges { node { " + inner + " } } } }"
}

// TestCostLimitsBeforeExecution: with the production limits, the four-level query (complexity 26
// under the old cost, 160 s and 6 GB to answer) and the 4,900-field query are refused with
// COMPLEXITY_LIMIT_EXCEEDED before a single Cypher round trip; so is a query nested deeper than
// the depth limit (DEPTH_LIMIT_EXCEEDED).
func TestCostLimitsBeforeExecution(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	member := bridge.Principal{Role: bridge.RoleMember}
	cases := []struct{ name, query, code string }{
		{"four levels of pages", nestedStaff(4), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"two levels of pages", nestedStaff(2), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"4,900 copies of a field", "{ countries { " + strings.Repeat("code ", 4900) + "} }", "COMPLEXITY_LIMIT_EXCEEDED"},
		{"too deep", "{ countries { " + strings.Repeat("parent { ", 10) + "code" + strings.Repeat(" }", 10) + " } }", "DEPTH_LIMIT_EXCEEDED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := a.roundTrips()
			_, resp, raw := a.queryAs(member, c.query)
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != c.code || resp.Data["people"] != nil {
				t.Fatalf("want one %s error: %.500s", c.code, raw)
			}
			assertNoInternals(t, raw)
			if got := a.roundTrips() - before; got != 0 {
				t.Fatalf("%v Cypher round trips before the refusal, want 0", got)
			}
		})
	}
}

// TestQueryJustUnderTheCostLimitIsAnswered: a query of cost 48,503 (the limit is 50,000) — a page
// of 100 people, each with up to 10 organisations and 14 of their staff — is answered in full
// within the request deadline, and its answer is bounded by its cost. The same query with 15 of
// the staff costs 51,503 and is refused.
func TestQueryJustUnderTheCostLimitIsAnswered(t *testing.T) {
	seedDemoPeople(t, 400, 42) // people with affiliations, whatever the tests before left
	a := newTestAPI(t, envProduction, nil)
	member := bridge.Principal{Role: bridge.RoleMember}
	q := func(staff string) string {
		return `{ people(first: 100) { totalCount edges { node { id name title affiliations { role organisation {
			name staff(first: ` + staff + `) { totalCount edges { node { id name } } } } } } } } }`
	}
	_, resp, raw := a.queryAs(member, q("14"))
	if len(resp.Errors) != 0 || resp.Data["people"] == nil {
		t.Fatalf("%.500s", raw)
	}
	if !strings.Contains(raw, `"staff":{"totalCount"`) {
		t.Fatalf("no staff in the answer; the test data has no affiliations? %.500s", raw)
	}
	// At most ~48,500 values of at most ~100 bytes each (ids, names, titles).
	if len(raw) > 48_503*100 {
		t.Fatalf("answer of %d bytes", len(raw))
	}
	_, resp, raw = a.queryAs(member, q("15"))
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("cost 51,503: %.500s", raw)
	}
}
