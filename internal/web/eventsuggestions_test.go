package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// TestEventSuggestionsPages: before an event has ended the desk's send button is disabled with
// the reason, and the POST is refused; an attendee's page lists the other attendee on their theme
// (not one hidden from members) with the theme and the link to ask; someone who did not attend is
// told why the page lists nobody; a visitor is sent to sign in; the page is in the visitor's
// language.
func TestEventSuggestionsPages(t *testing.T) {
	store := seedSite(t)
	domain := "pages-suggest-" + uuid.NewString()[:8] + ".example.org"
	person := func(given string, vis bridge.Visibility) bridge.Person {
		return bridge.Person{ID: uuid.NewString(), GivenName: given, FamilyName: "Sidsson", Email: strings.ToLower(given) + "@" + domain,
			CountryCode: "DK", Visibility: vis, OpenToIntroductions: true, IntroductionsPerQuarter: 5, Source: bridge.SourceDemo,
			Demo: true, Confirmed: true, Consents: bridge.ConsentPurposes(),
			Themes: []bridge.ThemeLink{{ThemeID: "language-learning", Mode: bridge.ModeBoth}}}
	}
	ann, ben, hid, out := person("Annika", bridge.VisibilityMembers), person("Bendt", bridge.VisibilityPublic),
		person("Hjørdis", bridge.VisibilitySecretariat), person("Otto", bridge.VisibilityMembers)
	if _, err := store.UpsertPeople(t.Context(), []bridge.Person{ann, ben, hid, out}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.RemovePeople(t, domain) })
	desk := siteFor(t, store, bridge.Principal{Role: bridge.RoleSecretariat})
	tag := uuid.NewString()[:8]
	past, future := "pages-suggest-past-"+tag, "pages-suggest-future-"+tag
	t.Cleanup(func() { fx.RemoveEvent(t, past); fx.RemoveEvent(t, future) })
	for key, dates := range map[string][2]string{past: {"2025-02-01", "2025-02-01"}, future: {"2099-02-01", "2099-02-02"}} {
		graphql(t, desk, `mutation($in: EventInput!) { saveEvent(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"key": key, "name": "Pages seminar " + key, "startDate": dates[0], "endDate": dates[1]}})
	}
	graphql(t, desk, `mutation($e: ID!, $p: [ID!]!) { recordAttendance(event: $e, people: $p) { id } }`, map[string]any{
		"e": gid("Event", past), "p": []string{gid("Person", ann.ID), gid("Person", ben.ID), gid("Person", hid.ID)}})

	// Before the end: disabled, with the reason; the POST is refused.
	p := get(t, desk, "/desk/events/"+gid("Event", future)+"/attendance", "en")
	if !strings.Contains(p.body, `id="send-suggestions" disabled aria-describedby="suggestions-why"`) ||
		!strings.Contains(p.body, "Suggestions can be sent once the event has ended (it ends on 2 February 2099).") {
		t.Fatalf("the desk's page before the end:\n%s", p.body[strings.Index(p.body, `id="suggestions"`):])
	}
	if r := postForm(t, desk, "/desk/events/"+gid("Event", future)+"/suggestions", nil); r.status == http.StatusSeeOther {
		t.Fatal("sending before the end was accepted")
	}
	if r := postForm(t, siteFor(t, store, member(ann.ID)), "/desk/events/"+gid("Event", past)+"/suggestions", nil); r.status != http.StatusNotFound {
		t.Fatalf("a member's POST to the desk answers %d", r.status)
	}
	if n := fx.NotificationsOf(t, ann.ID, bridge.NotificationEventSuggestions); n != 0 {
		t.Fatalf("a refused send wrote %d notifications", n)
	}

	path := "/events/" + gid("Event", past) + "/suggestions"
	for lang, want := range map[string][2]string{"en": {"You both work on", "Ask for an introduction to Bendt Sidsson"},
		"da": {"I arbejder begge med", "Bed om en introduktion til Bendt Sidsson"}} {
		p = get(t, siteFor(t, store, member(ann.ID)), path, lang)
		if p.status != http.StatusOK || !strings.Contains(p.body, `<html lang="`+lang+`"`) || !strings.Contains(p.body, "Bendt Sidsson") ||
			!strings.Contains(p.body, want[0]) || !strings.Contains(p.body, want[1]) || !strings.Contains(p.body, `href="/people/`+gid("Person", ben.ID)+`#ask"`) {
			t.Fatalf("Annika's suggestions in %s: %d\n%s", lang, p.status, p.body)
		}
		if strings.Contains(p.body, "Hjørdis") || strings.Contains(p.body, hid.ID) || strings.Contains(p.body, "@"+domain) {
			t.Fatalf("the page shows the hidden attendee or an e-mail address:\n%s", p.body)
		}
	}
	if p = get(t, siteFor(t, store, member(out.ID)), path, "en"); !strings.Contains(p.body, `id="suggestions-notattended"`) || strings.Contains(p.body, "Bendt") {
		t.Fatalf("someone who did not attend:\n%s", p.body)
	}
	if p = get(t, siteFor(t, store, bridge.Anonymous), path, "en"); p.status == http.StatusOK || strings.Contains(p.body, "Bendt") {
		t.Fatalf("a visitor reads the suggestions: %d", p.status)
	}
}
