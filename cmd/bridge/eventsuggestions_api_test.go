package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/notify"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// suggestPerson is one attendee of the event-suggestions tests.
type suggestPerson struct {
	given      string
	themes     []string
	visibility bridge.Visibility
	consents   []bridge.ConsentPurpose
}

// suggestFixture writes people open to introductions, with the themes and consents given (all
// consents unless told), and answers their ids in order.
func suggestFixture(t *testing.T, people ...suggestPerson) []string {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	tag := uuid.NewString()[:8]
	domain := "suggest-" + tag + ".example.org"
	var ps []bridge.Person
	var ids []string
	for k, p := range people {
		id := uuid.NewString()
		vis := p.visibility
		if vis == "" {
			vis = bridge.VisibilityMembers
		}
		consents := p.consents
		if consents == nil {
			consents = bridge.ConsentPurposes()
		}
		var themes []bridge.ThemeLink
		for _, th := range p.themes {
			themes = append(themes, bridge.ThemeLink{ThemeID: th, Mode: bridge.ModeBoth})
		}
		ps = append(ps, bridge.Person{ID: id, GivenName: p.given, FamilyName: "Suggest" + tag, Title: "Coordinator",
			Email: fmt.Sprintf("%s.%d@%s", strings.ToLower(p.given), k, domain), Languages: []string{"sv", "en"},
			CountryCode: []string{"SE", "NO", "FI", "IS", "DK"}[k%5], Visibility: vis, OpenToIntroductions: true,
			IntroductionsPerQuarter: 10, Confirmed: true, Source: bridge.SourceDemo, Demo: true, Consents: consents, Themes: themes})
		ids = append(ids, id)
	}
	if _, err := store.UpsertPeople(t.Context(), ps); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.RemovePeople(t, domain) })
	return ids
}

// capturedMail is a notify.Transport that keeps what it is given.
type capturedMail struct {
	mu  sync.Mutex
	got []notify.Message
}

func (m *capturedMail) Send(_ context.Context, msg notify.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.got = append(m.got, msg)
	return nil
}

// to answers the decoded subject and body of every message to the address.
func (m *capturedMail) to(t *testing.T, addr string) (subjects, bodies []string) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, msg := range m.got {
		if msg.To != addr {
			continue
		}
		parsed, err := mail.ReadMessage(strings.NewReader(string(msg.Data)))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
		body, err := io.ReadAll(quotedprintable.NewReader(parsed.Body))
		if err != nil {
			t.Fatal(err)
		}
		subjects, bodies = append(subjects, subject), append(bodies, string(body))
	}
	return subjects, bodies
}

const (
	suggestionsQuery = `query($e: ID!) { node(id: $e) { ... on Event { suggestionsForMe {
  person { id name title } sharedThemes { key label(lang: "en") } sharedThemeCount } } } }`
	sendSuggestions = `mutation($e: ID!) { sendEventSuggestions(event: $e) { written } }`
)

// TestEventSuggestionsPerRole: after an event, the secretariat writes to each attendee who may be
// written to and has someone to meet; a member and a visitor may not send; before the event has
// ended nobody can; a second send writes to nobody twice, only to an attendee recorded since.
// Each attendee reads the other attendees sharing a theme (a broader or narrower one counts),
// never one who withheld the SUGGEST consent or is hidden from members.
func TestEventSuggestionsPerRole(t *testing.T) {
	ids := suggestFixture(t,
		suggestPerson{given: "Astrid", themes: []string{"family-reunification"}},
		suggestPerson{given: "Bo", themes: []string{"children-and-families"}}, // broader than Astrid's
		suggestPerson{given: "Cilla", themes: []string{"sport-and-culture"}},  // shares with nobody
		suggestPerson{given: "Wilma", themes: []string{"family-reunification"},
			consents: []bridge.ConsentPurpose{bridge.ConsentIntroduce, bridge.ConsentShareContact}}, // not to be suggested
		suggestPerson{given: "Dag", themes: []string{"family-reunification"}},
	)
	astrid, bo, cilla, wilma, dag := ids[0], ids[1], ids[2], ids[3], ids[4]
	a := newTestAPI(t, envProduction, nil)
	event := gid("Event", "test-suggestions-seminar")
	t.Cleanup(func() { fx.RemoveEvent(t, "test-suggestions-seminar"); fx.RemoveEvent(t, "test-suggestions-future") })
	if _, resp, raw := a.queryAs(secretariat, `mutation { saveEvent(input: {key: "test-suggestions-seminar", name: "Suggestions seminar",
	  startDate: "2025-03-02", endDate: "2025-03-03", city: "Turku", country: "FI", themes: []}) { id } }`); len(resp.Errors) > 0 {
		t.Fatalf("saveEvent: %s", raw)
	}
	record := `mutation($e: ID!, $p: [ID!]!) { recordAttendance(event: $e, people: $p) { id } }`
	var people []string
	for _, id := range []string{astrid, bo, cilla, wilma} {
		people = append(people, gid("Person", id))
	}
	if res := a.call(secretariat, record, map[string]any{"e": event, "p": people}); res.code != "" {
		t.Fatalf("record: %s", res.raw)
	}

	// Who may send.
	for who, want := range map[string]struct {
		p    bridge.Principal
		code string
	}{"visitor": {anonymous, "UNAUTHENTICATED"}, "member": {as(astrid), "FORBIDDEN"}} {
		if res := a.call(want.p, sendSuggestions, map[string]any{"e": event}); res.code != want.code {
			t.Errorf("a %s sends suggestions: %s", who, res.raw)
		}
	}
	if n := fx.NotificationsOf(t, astrid, bridge.NotificationEventSuggestions); n != 0 {
		t.Fatalf("a refused send wrote %d notifications", n)
	}
	future := `mutation { saveEvent(input: {key: "test-suggestions-future", name: "Future suggestions seminar", startDate: "2099-03-02", endDate: "2099-03-03"}) { id } }`
	if _, resp, raw := a.queryAs(secretariat, future); len(resp.Errors) > 0 {
		t.Fatalf("saveEvent: %s", raw)
	}
	if res := a.call(secretariat, sendSuggestions, map[string]any{"e": gid("Event", "test-suggestions-future")}); res.code != "NOT_POSSIBLE" {
		t.Fatalf("sending before the event has ended: %s", res.raw)
	}
	if res := a.call(secretariat, sendSuggestions, map[string]any{"e": gid("Event", "no-such-event")}); res.code != "NOT_FOUND" {
		t.Fatalf("sending for no event: %s", res.raw)
	}

	// What each reads.
	read := func(p bridge.Principal) string {
		t.Helper()
		res := a.call(p, suggestionsQuery, map[string]any{"e": event})
		if res.code != "" {
			t.Fatalf("suggestionsForMe: %s", res.raw)
		}
		return string(res.data["node"])
	}
	if got := read(as(astrid)); !strings.Contains(got, gid("Person", bo)) || strings.Count(got, `"person"`) != 1 ||
		!strings.Contains(got, `"key":"family-reunification"`) || !strings.Contains(got, `"sharedThemeCount":1`) {
		t.Fatalf("Astrid's suggestions are not Bo alone, for her theme: %s", got)
	}
	if got := read(as(bo)); strings.Contains(got, gid("Person", wilma)) || !strings.Contains(got, gid("Person", astrid)) ||
		!strings.Contains(got, `"key":"children-and-families"`) {
		t.Fatalf("Bo's suggestions include Wilma (no SUGGEST consent) or lack Astrid: %s", got)
	}
	if got := read(as(cilla)); got != `{"suggestionsForMe":[]}` {
		t.Fatalf("Cilla, who shares no theme: %s", got)
	}
	if got := read(as(dag)); got != `{"suggestionsForMe":[]}` {
		t.Fatalf("Dag, who did not attend: %s", got)
	}
	if got := read(anonymous); got != `{"suggestionsForMe":[]}` {
		t.Fatalf("a visitor: %s", got)
	}

	// The secretariat sends: Astrid, Bo and Wilma (who may be written to although she may not
	// be suggested); not Cilla, who has nobody to meet.
	res := a.call(secretariat, sendSuggestions, map[string]any{"e": event})
	if res.code != "" || !strings.Contains(res.raw, `"written":3`) {
		t.Fatalf("send: %s", res.raw)
	}
	sentAt := `query($e: ID!) { node(id: $e) { ... on Event { suggestionsSentAt } } }`
	if got := a.call(secretariat, sentAt, map[string]any{"e": event}); got.code != "" || !strings.Contains(got.raw, `"suggestionsSentAt":"20`) {
		t.Fatalf("the secretariat reads when suggestions were sent: %s", got.raw)
	}
	for id, want := range map[string]int{astrid: 1, bo: 1, wilma: 1, cilla: 0} {
		if n := fx.NotificationsOf(t, id, bridge.NotificationEventSuggestions); n != want {
			t.Errorf("%s has %d EVENT_SUGGESTIONS notifications, want %d", id, n, want)
		}
	}
	audit := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{string(bridge.AuditSendEventSuggestions)}, TargetIDs: []string{astrid, bo, cilla, wilma}})
	if len(audit) != 3 {
		t.Fatalf("audit events of the send: %v", audit)
	}
	if got := a.call(as(astrid), sentAt, map[string]any{"e": event}); !strings.Contains(got.raw, `"suggestionsSentAt":null`) {
		t.Fatalf("a member reads when suggestions were sent: %s", got.raw)
	}

	// Again: nobody twice; then Dag, recorded since, alone.
	if res := a.call(secretariat, sendSuggestions, map[string]any{"e": event}); res.code != "" || !strings.Contains(res.raw, `"written":0`) {
		t.Fatalf("the second send: %s", res.raw)
	}
	if res := a.call(secretariat, record, map[string]any{"e": event, "p": []string{gid("Person", dag)}}); res.code != "" {
		t.Fatalf("record Dag: %s", res.raw)
	}
	if res := a.call(secretariat, sendSuggestions, map[string]any{"e": event}); res.code != "" || !strings.Contains(res.raw, `"written":1`) {
		t.Fatalf("the send after Dag was recorded: %s", res.raw)
	}
	for id, want := range map[string]int{astrid: 1, bo: 1, wilma: 1, cilla: 0, dag: 1} {
		if n := fx.NotificationsOf(t, id, bridge.NotificationEventSuggestions); n != want {
			t.Errorf("after the third send %s has %d notifications, want %d", id, n, want)
		}
	}
}

// TestEventSuggestionsHideTheHidden is the differential test of event suggestions: an attendee
// hidden from members (SECRETARIAT visibility) who shares every theme changes no byte of a
// member's suggestions, makes nobody a recipient who had no one else to meet, and is named in
// no e-mail; and the sender checks again when it sends: a recipient whose only suggestion paused
// since gets no e-mail, nor does one who paused.
func TestEventSuggestionsHideTheHidden(t *testing.T) {
	ids := suggestFixture(t,
		suggestPerson{given: "Aino", themes: []string{"family-reunification"}},
		suggestPerson{given: "Bjarki", themes: []string{"family-reunification"}},
		suggestPerson{given: "Cecilie", themes: []string{"sport-and-culture"}},
		suggestPerson{given: "Hildur", themes: []string{"family-reunification", "sport-and-culture"}, visibility: bridge.VisibilitySecretariat},
		suggestPerson{given: "Eero", themes: []string{"migrant-entrepreneurship"}},
		suggestPerson{given: "Frida", themes: []string{"migrant-entrepreneurship"}},
	)
	aino, bjarki, cecilie, hildur, eero, frida := ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]
	store := testneo4j.Prepared(t, nil)
	a := newTestAPI(t, envProduction, nil)
	key := "test-suggestions-hidden"
	event := gid("Event", key)
	t.Cleanup(func() { fx.RemoveEvent(t, key) })
	if _, resp, raw := a.queryAs(secretariat, `mutation { saveEvent(input: {key: "`+key+`", name: "Hidden attendee seminar",
	  startDate: "2025-05-02", endDate: "2025-05-02", city: "Bergen", country: "NO"}) { id } }`); len(resp.Errors) > 0 {
		t.Fatalf("saveEvent: %s", raw)
	}
	record := func(people ...string) {
		t.Helper()
		var gids []string
		for _, id := range people {
			gids = append(gids, gid("Person", id))
		}
		if res := a.call(secretariat, `mutation($e: ID!, $p: [ID!]!) { recordAttendance(event: $e, people: $p) { id } }`,
			map[string]any{"e": event, "p": gids}); res.code != "" {
			t.Fatalf("record: %s", res.raw)
		}
	}
	read := func(id string) string {
		t.Helper()
		_, _, raw := a.queryAs(as(id), `{ node(id: "`+event+`") { ... on Event { suggestionsForMe { person { id name title country { code }
		  themes { theme { key } } } sharedThemes { key label(lang: "sv") } sharedThemeCount } } } }`)
		return raw
	}
	record(aino, bjarki, cecilie, eero, frida)
	before := map[string]string{aino: read(aino), bjarki: read(bjarki), cecilie: read(cecilie)}
	if !strings.Contains(before[aino], gid("Person", bjarki)) {
		t.Fatalf("Aino is not suggested Bjarki: %s", before[aino])
	}
	record(hildur)
	for id, want := range before {
		if got := read(id); got != want {
			t.Fatalf("a hidden attendee changed %s's suggestions:\nbefore %s\nafter  %s", id, want, got)
		}
	}

	// Sent: Cecilie, whose only match is hidden, is not written to; Hildur, who sees members,
	// is (she is a recipient, never a suggestion).
	res := a.call(secretariat, sendSuggestions, map[string]any{"e": event})
	if res.code != "" || !strings.Contains(res.raw, `"written":5`) {
		t.Fatalf("send: %s", res.raw)
	}
	if n := fx.NotificationsOf(t, cecilie, bridge.NotificationEventSuggestions); n != 0 {
		t.Fatal("Cecilie was written to about a hidden attendee")
	}

	// Before the sender runs, Frida pauses: Eero has nobody left to meet, and Frida may not be
	// written to. Their notifications are dropped when the sender claims them.
	if res := a.call(as(frida), `mutation { pauseMyProfile { id } }`, nil); res.code != "" {
		t.Fatalf("pause: %s", res.raw)
	}
	box := &capturedMail{}
	sender, err := notify.New(store, box, notify.NewTextRenderer("https://bridge.example.org"), nil, slog.New(slog.DiscardHandler),
		notify.Options{SecretariatAddress: "secretariat@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		round, err := sender.SendDue(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if round.Claimed == 0 {
			break
		}
	}
	email := func(id string) string {
		return strings.ToLower(fx.StoredPerson(t, id)["email"].(string))
	}
	link := "https://bridge.example.org/events/" + event + "/suggestions"
	for _, id := range []string{aino, bjarki, hildur} {
		subjects, bodies := box.to(t, email(id))
		if len(bodies) != 1 || !strings.Contains(subjects[0], "Hidden attendee seminar") || !strings.Contains(bodies[0], link) {
			t.Fatalf("the e-mail to %s: %q %q", id, subjects, bodies)
		}
		if id != hildur && strings.Contains(bodies[0], "Hildur") {
			t.Fatalf("an e-mail names the hidden attendee:\n%s", bodies[0])
		}
		for _, other := range []string{"Aino", "Bjarki", "Cecilie", "Eero", "Frida"} {
			if strings.Contains(bodies[0], other) && !strings.Contains(bodies[0], "Hello "+other) {
				t.Fatalf("an e-mail names an attendee other than its recipient (%s):\n%s", other, bodies[0])
			}
		}
	}
	for _, id := range []string{cecilie, eero, frida} {
		if _, bodies := box.to(t, email(id)); len(bodies) != 0 {
			t.Fatalf("%s received %d e-mails", id, len(bodies))
		}
	}
	for _, id := range []string{eero, frida} {
		ns := fx.Notifications(t, fx.NotificationFilter{Kind: bridge.NotificationEventSuggestions, RecipientID: id})
		if len(ns) != 1 || ns[0].Status != bridge.NotificationDropped || fx.NotificationDelivery(t, ns[0].ID).LastError != "no_suggestions" {
			t.Fatalf("the notification of %s: %+v", id, ns)
		}
	}
}
