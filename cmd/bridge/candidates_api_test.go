package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestCandidatesForAThemeAndACountry: the secretariat's request "someone on this theme in this
// country" gets people in that country only, on the theme (those who offer it first, in words
// for a request) or a narrower one (a related theme), best first; no one else may ask.
func TestCandidatesForAThemeAndACountry(t *testing.T) {
	seedDemoPeople(t, 400, 42)
	a := newTestAPI(t, envProduction, nil)
	const theme = "language-learning"
	q := `{ candidates(theme: "` + gid("Theme", theme) + `", country: "se", first: 30) { score introductionPossible
	  person { id country { code } } reasons { kind text theme { key } relatedTheme { key } relation personMode peerMode } } }`
	_, resp, raw := a.queryAs(secretariat, q)
	var ms []struct {
		Score  float64
		Person struct {
			ID      string
			Country struct{ Code string }
		}
		Reasons []struct {
			Kind, Text           string
			Theme, RelatedTheme  *struct{ Key string }
			Relation, PersonMode *string
			PeerMode             *string
		}
	}
	if err := json.Unmarshal(resp.Data["candidates"], &ms); err != nil || len(resp.Errors) > 0 || len(ms) == 0 {
		t.Fatalf("candidates: %s", raw)
	}
	offers := 0
	for i, m := range ms {
		if m.Person.Country.Code != "SE" {
			t.Errorf("a candidate in %s", m.Person.Country.Code)
		}
		if i > 0 && m.Score > ms[i-1].Score {
			t.Errorf("not ordered by score: %v after %v", m.Score, ms[i-1].Score)
		}
		onTheme := false
		for _, r := range m.Reasons {
			if strings.Contains(r.Text, "you") || strings.Contains(r.Text, "You") {
				t.Errorf("a request's reason speaks to the viewer: %q", r.Text)
			}
			switch r.Kind {
			case "COMPLEMENTARY_THEME":
				onTheme = r.Theme != nil && r.Theme.Key == theme && strings.HasPrefix(r.Text, "Offers ")
				offers++
			case "SHARED_THEME":
				onTheme = r.Theme != nil && r.Theme.Key == theme
			case "RELATED_THEME":
				onTheme = r.Theme != nil && r.Theme.Key == theme && r.RelatedTheme != nil && r.Relation != nil && *r.Relation == "NARROWER"
			}
		}
		if !onTheme {
			t.Errorf("candidate %d is not on the theme or a narrower one: %+v", i, m.Reasons)
		}
	}
	if offers == 0 {
		t.Errorf("no candidate offers %s in Sweden among 400 demo people: %s", theme, raw)
	}
	for who, code := range map[string]string{"member": "FORBIDDEN", "anonymous": "UNAUTHENTICATED"} {
		p := bridge.Principal{Role: bridge.RoleMember}
		if who == "anonymous" {
			p = bridge.Anonymous
		}
		if _, resp, raw := a.queryAs(p, q); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != code || strings.Contains(raw, `"person"`) {
			t.Errorf("as %s: %s, want %s", who, raw, code)
		}
	}
	for arg, code := range map[string]string{`theme: "` + gid("Theme", "no-such-theme") + `", country: "SE"`: "NOT_FOUND",
		`theme: "` + gid("Theme", theme) + `", country: "Sweden"`: "BAD_USER_INPUT"} {
		if _, resp, raw := a.queryAs(secretariat, `{ candidates(`+arg+`) { score } }`); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != code {
			t.Errorf("candidates(%s): %s, want %s", arg, raw, code)
		}
	}
}

// TestSomeoneElsesPeersNameBoth: the secretariat reading someone's peers reads reasons about two
// named people, never "you".
func TestSomeoneElsesPeersNameBoth(t *testing.T) {
	gen := seedDemoPeople(t, 400, 42)
	a := newTestAPI(t, envProduction, nil)
	me := gen.People(0, 1)[0]
	_, resp, raw := a.queryAs(secretariat, `{ peers(personId: "`+gid("Person", me.ID)+`", first: 10) { reasons { kind text } } }`)
	if len(resp.Errors) > 0 || !strings.Contains(raw, me.GivenName+" "+me.FamilyName) {
		t.Fatalf("the reasons do not name %s %s: %s", me.GivenName, me.FamilyName, raw)
	}
	for _, word := range []string{"You ", " you ", "you offer", "you seek"} {
		if strings.Contains(raw, word) {
			t.Errorf("someone else's peers speak to the viewer (%q): %s", word, raw)
		}
	}
}
