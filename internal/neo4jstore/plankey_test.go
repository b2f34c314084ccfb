package neo4jstore

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// planKey is what Neo4j 5.26 files a parameter's value under in its plan cache, after the
// statement's text: org.neo4j.cypher.internal.util.symbols.ParameterTypeInfo as
// ParameterValueTypeHelper.deriveCypherType makes it, with internal.cypher.use_parameter_size on
// (its default). A string or a list carries the size bucket of its length (0, 1, then the power
// of ten at or above it), a list of strings differs from any other list (an empty one included),
// a null is ANY, and a map is MAP whatever it holds. Two parameter maps with different keys for a
// statement get a plan each: the statement is planned again.
func planKey(t *testing.T, v any) string {
	t.Helper()
	bucket := func(n int) string {
		if n <= 1 {
			return fmt.Sprint(n)
		}
		return fmt.Sprint(int(math.Pow(10, math.Ceil(math.Log10(float64(n))))))
	}
	switch x := v.(type) {
	case nil, float64:
		return "ANY"
	case string:
		return "STRING/" + bucket(utf8.RuneCountInString(x))
	case bool:
		return "BOOL"
	case int, int64:
		return "INT"
	case time.Time:
		return "DATE_TIME"
	case map[string]any:
		return "MAP"
	case []string:
		if len(x) == 0 {
			return "LIST<ANY>/0"
		}
		return "LIST<STRING>/" + bucket(len(x))
	case []map[string]any:
		return "LIST<ANY>/" + bucket(len(x))
	}
	t.Fatalf("planKey: no rule for %T", v)
	return ""
}

// planKeys are the plan cache keys of a statement's parameters, name=key, sorted.
func planKeys(t *testing.T, params map[string]any) string {
	t.Helper()
	var out []string
	for _, name := range slices.Sorted(maps.Keys(params)) {
		out = append(out, name+"="+planKey(t, params[name]))
	}
	return strings.Join(out, " ")
}

// TestWriteStatementsHaveOnePlan: the parameters of the write statements on the paths of
// createMyProfile, updateMyProfile, createPerson, requestIntroduction, every later change to an
// introduction (accept, decline, propose, ...) and the audit event they append have the same plan
// cache keys whether the optional values are there or not, short or
// long. Before, a profile without a bio and one with, or a request with a message and one
// without, each had Neo4j plan the statement anew: 0.3-1 s each on a Neo4j just started, which
// was the p99 of updateMyProfile in its first minute (docs/performance.md, "One plan per write
// statement").
func TestWriteStatementsHaveOnePlan(t *testing.T) {
	bare := bridge.ProfileInput{GivenName: "Al", FamilyName: "Bo", CountryCode: "IS"}
	full := bridge.ProfileInput{GivenName: "Marja-Liisa Kaarina", FamilyName: "Hämäläinen-Johansdóttir",
		Title: "Integration coordinator, refugee reception and early labour market entry",
		Bio:   strings.Repeat("Works with municipalities on the settlement of refugees. ", 30), Phone: "+358 40 123 4567",
		Languages: []string{"fi", "sv", "en", "is"}, CountryCode: "FI", MunicipalityID: "FI-091", OpenToIntroductions: true,
		IntroductionsPerQuarter: 12, Language: "fi"}
	noEmail := bridge.Account{Issuer: "http://127.0.0.1:5556/dex", Subject: "CiQwOGE4Njg0Yi1kYjg4LTRiNzMtOTBhOS0zY2QxNjYxZjU0NjYSBWxvY2Fs"}
	withEmail := noEmail
	withEmail.Email, withEmail.EmailVerified = "marja-liisa.hamalainen-johansdottir@kunta.example.fi", true

	first := bridge.Transition{At: time.Now(), Action: "REQUEST", To: "REQUESTED", ActorRole: "MEMBER"}
	later := bridge.Transition{At: time.Now(), Action: "ACCEPT", From: "REQUESTED", To: "ACCEPTED_BY_A",
		ActorID: "0b6f8a52-2f6e-4d0b-9a53-5f5c2b8f9d11", ActorRole: "SECRETARIAT", RequestID: "req-8c1f2a",
		OnBehalfOf: "4d5e6f70-1a2b-4c3d-8e9f-0a1b2c3d4e5f", Channel: "EMAIL"}
	request := func(message, country string) bridge.NewIntroduction {
		return bridge.NewIntroduction{ID: "7e0b7f3c-5b1a-4f3e-9c2d-1a2b3c4d5e6f", RequestKey: "4d5e6f70-1a2b-4c3d-8e9f-0a1b2c3d4e5f/c1",
			Status: "REQUESTED", ThemeID: "labour-market", WantedCountry: country, Message: message,
			ExpiresAt: time.Now(), Transition: first}
	}
	audit := func(actor, request, detail string) bridge.AuditEntry {
		return bridge.AuditEntry{Action: bridge.AuditUpdateOwnProfile, ActorRole: "MEMBER", ActorID: actor,
			TargetID: "4d5e6f70-1a2b-4c3d-8e9f-0a1b2c3d4e5f", RequestID: request, Detail: detail}
	}

	for _, c := range []struct {
		statement string
		a, b      map[string]any
	}{
		{"qCreateProfileChecks, qCreateProfile", createProfileParams(bare, noEmail), createProfileParams(full, withEmail)},
		{"qProfileBefore, qUpdateProfile", updateProfileParams("4d5e6f70-1a2b-4c3d-8e9f-0a1b2c3d4e5f", 1, profileValues(bare)),
			updateProfileParams("4d5e6f70-1a2b-4c3d-8e9f-0a1b2c3d4e5f", 31, profileValues(full))},
		{"qApplyChange", changeParams("7e0b7f3c-5b1a-4f3e-9c2d-1a2b3c4d5e6f", bridge.IntroductionChange{Transition: first}, nil),
			changeParams("7e0b7f3c-5b1a-4f3e-9c2d-1a2b3c4d5e6f", bridge.IntroductionChange{Status: "INTRODUCED", Outcome: "MET",
				Responses:     []bridge.Party{{PersonID: "0b6f8a52-2f6e-4d0b-9a53-5f5c2b8f9d11", Response: "ACCEPTED", Note: "Gladly", RespondedAt: time.Now()}},
				AddParties:    []bridge.Party{{PersonID: "4d5e6f70-1a2b-4c3d-8e9f-0a1b2c3d4e5f", Side: "RECIPIENT", Response: "PENDING"}},
				RemoveParties: []string{"0b6f8a52-2f6e-4d0b-9a53-5f5c2b8f9d11"}, Transition: later, ExpiresAt: time.Now(),
				Notify:       []bridge.NotificationSpec{{Kind: "INTRODUCTION_MADE", PersonID: "0b6f8a52-2f6e-4d0b-9a53-5f5c2b8f9d11"}},
				ShareContact: []string{"0b6f8a52-2f6e-4d0b-9a53-5f5c2b8f9d11"}},
				[]string{"0b6f8a52-2f6e-4d0b-9a53-5f5c2b8f9d11", "4d5e6f70-1a2b-4c3d-8e9f-0a1b2c3d4e5f"})},
		{"qCheckThemeCountry", themeCountryParams(request("", "")), themeCountryParams(request("", "NO"))},
		{"qCreateIntroduction", createIntroductionParams(request("", "")),
			createIntroductionParams(request(strings.Repeat("We work on the same thing; could we talk? ", 20), "NO"))},
		{"qAppendAudit", appendAuditParams(audit("", "", "")),
			appendAuditParams(audit("0b6f8a52-2f6e-4d0b-9a53-5f5c2b8f9d11", "req-8c1f2a", "bio,givenName,languages,municipality,phone,title"))},
	} {
		if a, b := planKeys(t, c.a), planKeys(t, c.b); a != b {
			t.Errorf("%s: two plans:\n  %s\n  %s", c.statement, a, b)
		}
	}
}

// TestPlanKeyModelsNeo4j checks the model itself on the cases its rules name.
func TestPlanKeyModelsNeo4j(t *testing.T) {
	for v, want := range map[any]string{"": "STRING/0", "a": "STRING/1", "ab": "STRING/10", "Tromsø": "STRING/10",
		"0123456789": "STRING/10", "01234567890": "STRING/100", nil: "ANY", int64(3): "INT", true: "BOOL"} {
		if got := planKey(t, v); got != want {
			t.Errorf("planKey(%#v) = %s, want %s", v, got, want)
		}
	}
	if got := planKey(t, []string{}); got != "LIST<ANY>/0" {
		t.Errorf("empty list: %s", got)
	}
	if got := planKey(t, []string{"sv", "en"}); got != "LIST<STRING>/10" {
		t.Errorf("two strings: %s", got)
	}
	if got := planKey(t, map[string]any{"title": nil}); got != planKey(t, map[string]any{"title": "x", "bio": "y"}) {
		t.Errorf("maps: %s", got)
	}
}
