package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/notify"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// mailbox is a notify.Transport that keeps the messages it is given (the SMTP transport itself
// is tested in cmd/bridge against a real SMTP server).
type mailbox struct {
	mu  sync.Mutex
	got []notify.Message
}

func (m *mailbox) Send(_ context.Context, msg notify.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.got = append(m.got, msg)
	return nil
}

// decoded is every message kept, as (recipient, subject, body), in the order they were sent.
func (m *mailbox) decoded(t *testing.T) [][3]string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	var out [][3]string
	for _, raw := range m.got {
		msg, err := mail.ReadMessage(strings.NewReader(string(raw.Data)))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, [3]string{raw.To, subject, string(body)})
	}
	return out
}

// body is the decoded text of the last message with the subject sent to the address.
func (m *mailbox) body(t *testing.T, to, subject string) string {
	t.Helper()
	all := m.decoded(t)
	for i := len(all) - 1; i >= 0; i-- {
		if all[i][0] == to && all[i][1] == subject {
			return all[i][2]
		}
	}
	t.Fatalf("no message %q to %s among %d", subject, to, len(all))
	return ""
}

// deliverDue has the real sender (rendering links to publicURL) deliver every due notification
// into a new mailbox.
func deliverDue(t *testing.T, store notify.Outbox, publicURL string) *mailbox {
	t.Helper()
	box := &mailbox{}
	sender, err := notify.New(store, box, notify.NewTextRenderer(publicURL), nil, slog.New(slog.DiscardHandler),
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
	return box
}

// TestFollowUpEmailAnsweredByAClick is the follow-up in a real browser, in English and Finnish:
// the secretariat introduced the Dex demo member and expert (both accepted) some time ago; the
// follow-up worker asks both; the sender renders the member's e-mail in the member's language
// with one link per answer; the member opens the "useful" link, signs in on Dex's page, lands on
// that answer and sends it with one key (the button has the focus), and /introductions says so.
// The expert's answer through the API completes the introduction with the outcome both give.
// Opening the link again shows the answer given, with nothing to send.
func TestFollowUpEmailAnsweredByAClick(t *testing.T) {
	oidc := testoidc.Env(t)
	store := seedSite(t)
	cfg := introConfig()
	cfg.Introductions.FollowUpAfter = 24 * time.Hour
	srv := signedInSite(t, cfg, store)
	b := browsertest.Start(t)
	words := map[string]struct{ subject, useful, send, done, given string }{
		"en": {"Bridge: how did your introduction go?", "We met, and it was useful: ", "Send: We met, and it was useful",
			"Thank you: the secretariat has your answer.", "You said: We met, and it was useful."},
		"fi": {"Bridge: miten esittely onnistui?", "Tapasimme, ja siitä oli hyötyä: ", "Lähetä: Tapasimme, ja siitä oli hyötyä",
			"Kiitos! Sihteeristö sai vastauksesi.", ""},
	}
	for _, lang := range []string{"en", "fi"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			ids := dexProfiles(t, store, oidc.Issuer)
			memberKey, expertKey := key(t, ids["member"]), key(t, ids["group-member"])
			fx.PersonLanguage(t, memberKey, lang)
			secretariat := siteFor(t, store, bridge.Principal{Role: bridge.RoleSecretariat})
			var proposed struct {
				ProposeIntroduction struct{ ID string } `json:"proposeIntroduction"`
			}
			decode(t, graphql(t, secretariat, `mutation($in: ProposeIntroductionInput!) { proposeIntroduction(input: $in) { id } }`,
				map[string]any{"in": map[string]any{"requester": ids["member"], "recipient": ids["group-member"], "theme": gid("Theme", "family-reunification"),
					"message": "You both work on family reunification.", "clientRequestId": "followup-journey-" + lang + strconv.FormatInt(time.Now().UnixNano(), 36)}}), &proposed)
			id := proposed.ProposeIntroduction.ID
			accept := `mutation($id: ID!) { acceptIntroduction(id: $id) { status } }`
			graphql(t, siteFor(t, store, member(memberKey)), accept, map[string]any{"id": id})
			graphql(t, siteFor(t, store, member(expertKey)), accept, map[string]any{"id": id})
			fx.IntroducedOn(t, key(t, id), time.Now().AddDate(0, 0, -3))

			// The worker asks both sides; the sender delivers every due notification.
			if _, err := app.NewIntroductions(cfg, store).FollowUp(t.Context()); err != nil {
				t.Fatal(err)
			}
			box := deliverDue(t, store, srv.URL)
			text := box.body(t, testoidc.Users["member"].Email, w.subject)
			link := regexp.MustCompile(regexp.QuoteMeta(w.useful) + `(\S+)`).FindStringSubmatch(text)
			if link == nil || !strings.HasPrefix(link[1], srv.URL+"/introductions/") || !strings.HasSuffix(link[1], "?outcome=USEFUL") {
				t.Fatalf("the follow-up e-mail has no link for 'useful':\n%s", text)
			}

			p := b.NewUser(lang)
			p.Navigate(link[1])
			dexSignIn(t, p, "member")
			if got := p.Location(); got != link[1] {
				t.Fatalf("after signing in the member is at %s, not the link's page", got)
			}
			if got := p.Text("#followup-who"); got != "Elsa Expertsson" {
				t.Fatalf("the follow-up page is about %q", got)
			}
			if f := p.Focused(); !strings.Contains(f, w.send) {
				t.Fatalf("the link's answer does not have the focus (focus: %q)", f)
			}
			p.Screenshot("followup")
			p.CheckAccessibility()
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.HasSuffix(p.Location(), "/introductions?done=followup") {
				t.Fatalf("sending the answer: HTTP %d at %s", status, p.Location())
			}
			if got := p.Text("#done"); got != w.done {
				t.Fatalf("after answering: %q", got)
			}
			p.Screenshot("followup-done")
			p.CheckAccessibility()

			// Opened again, the link shows the answer given and offers nothing to send.
			p.Navigate(link[1])
			if got := p.Text("#followup-given"); got == "" || strings.Contains(p.Text("main"), w.send) {
				t.Fatalf("the link opened again: %.400s", p.Text("main"))
			} else if w.given != "" && got != w.given {
				t.Fatalf("the link opened again says %q", got)
			}

			// The expert says they did not get in touch: completed, with the outcome both give.
			var answered struct {
				AnswerFollowUp struct{ Status, Outcome string } `json:"answerFollowUp"`
			}
			decode(t, graphql(t, siteFor(t, store, member(expertKey)), `mutation($id: ID!) { answerFollowUp(id: $id, outcome: NO_CONTACT) { status outcome } }`,
				map[string]any{"id": id}), &answered)
			if answered.AnswerFollowUp.Status != "COMPLETED" || answered.AnswerFollowUp.Outcome != string(bridge.CombineFollowUps(bridge.OutcomeUseful, bridge.OutcomeNoContact)) {
				t.Fatalf("after both answered: %+v", answered.AnswerFollowUp)
			}
		})
	}
}

// key is the key of a global id.
func key(t *testing.T, id string) string {
	t.Helper()
	_, k, err := bridge.ParseGlobalID(nil, id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// decode reads a GraphQL answer's data into v.
func decode(t *testing.T, data json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
