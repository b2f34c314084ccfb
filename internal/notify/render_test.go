package notify

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var renderDate = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func renderItem(kind string) bridge.OutboxItem {
	it := bridge.OutboxItem{ID: "6f1c2a9e-0d7b-4c1e-9a55-3b2f0e8d7c61", Kind: kind, IntroductionID: "intro-0001",
		IntroductionStatus: "PROPOSED", ThemeLabel: "Language learning at work",
		Recipient: bridge.NotificationContact{PersonID: "p-1", GivenName: "Åsa", FamilyName: "Öberg", Name: "Åsa Öberg", Email: "asa@example.org"}}
	switch kind {
	case bridge.NotificationIntroductionIntroduced, bridge.NotificationContactChanged:
		it.IntroductionStatus = "INTRODUCED"
		it.Counterpart = &bridge.NotificationContact{PersonID: "p-2", Name: "Jóhanna Guðmundsdóttir", Email: "johanna@example.is",
			Phone: "+354 555 0100", Title: "Integration officer", Organisations: []string{"Reykjavíkurborg", "Multicultural Centre"}}
	case bridge.NotificationIntroductionRequestReceived:
		it.Recipient = bridge.NotificationContact{}
	case bridge.NotificationPersonErased:
		it.Recipient = bridge.NotificationContact{}
		it.IntroductionID, it.IntroductionStatus, it.ThemeLabel = "", "", ""
		it.SubjectID = "9f1c2d3e-0000-4000-8000-00000000abcd"
	case bridge.NotificationReminder:
		it.ExpiresAt = time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	case bridge.NotificationEventSuggestions:
		it.IntroductionID, it.IntroductionStatus, it.ThemeLabel = "", "", ""
		it.EventID, it.EventName = "nordic-integration-days-2026", "Nordic Integration Days 2026"
	case bridge.NotificationReconfirmProfile:
		it.IntroductionID, it.IntroductionStatus, it.ThemeLabel = "", "", ""
		it.ReconfirmBy = time.Date(2027, 3, 12, 9, 30, 0, 0, time.UTC)
	}
	return it
}

func renderHeader(to mail.Address) Header {
	return Header{From: mail.Address{Name: "Bridge", Address: "bridge@localhost"}, To: to, Date: renderDate}
}

// parsed is a rendered message read back as a mail client would.
type parsed struct {
	msg  *mail.Message
	body string
}

func parseRendered(t *testing.T, raw []byte) parsed {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatalf("bare LF in the message: %q", raw)
	}
	for _, line := range bytes.Split(raw, []byte("\r\n")) {
		if len(line) > 78 {
			t.Errorf("line longer than 78 characters: %q", line)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, raw)
	}
	if msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding %q", msg.Header.Get("Content-Transfer-Encoding"))
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("body is not quoted-printable: %v", err)
	}
	return parsed{msg: msg, body: string(body)}
}

func TestRenderWritesAProperMessage(t *testing.T) {
	it := renderItem(bridge.NotificationIntroductionAsked)
	raw, err := NewTextRenderer().Render(it, renderHeader(mail.Address{Name: "Åsa Öberg", Address: "asa@example.org"}))
	if err != nil {
		t.Fatal(err)
	}
	p := parseRendered(t, raw)
	h := p.msg.Header
	date, err := h.Date()
	if err != nil || !date.Equal(renderDate) {
		t.Errorf("Date %q → %v, %v", h.Get("Date"), date, err)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "bridge@localhost" || from[0].Name != "Bridge" {
		t.Errorf("From %q → %v, %v", h.Get("From"), from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "asa@example.org" || to[0].Name != "Åsa Öberg" {
		t.Errorf("To %q → %v, %v", h.Get("To"), to, err)
	}
	if !strings.Contains(h.Get("To"), "=?utf-8?q?") {
		t.Errorf("To %q: the non-ASCII name is not Q-encoded", h.Get("To"))
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != "Bridge: you have been asked for an introduction" {
		t.Errorf("Subject %q → %q, %v", h.Get("Subject"), subject, err)
	}
	if got := h.Get("Message-ID"); got != "<"+it.ID+"@bridge.invalid>" {
		t.Errorf("Message-ID %q", got)
	}
	if h.Get("MIME-Version") != "1.0" || h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("MIME-Version %q, Auto-Submitted %q", h.Get("MIME-Version"), h.Get("Auto-Submitted"))
	}
	if mt, params, err := mime.ParseMediaType(h.Get("Content-Type")); err != nil || mt != "text/plain" || params["charset"] != "utf-8" {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	for _, want := range []string{"Hello Åsa,", "You have been asked for an introduction about Language learning at work; sign in to Bridge to accept or decline."} {
		if !strings.Contains(p.body, want) {
			t.Errorf("body lacks %q:\n%s", want, p.body)
		}
	}
	// The same notification renders with the same Message-ID (every attempt).
	again, _ := NewTextRenderer().Render(it, renderHeader(mail.Address{Address: "asa@example.org"}))
	if parseRendered(t, again).msg.Header.Get("Message-ID") != h.Get("Message-ID") {
		t.Error("the Message-ID changed between two renderings")
	}
}

func TestRenderTextsByKind(t *testing.T) {
	to := mail.Address{Name: "Åsa Öberg", Address: "asa@example.org"}
	tests := []struct {
		kind, subject string
		want, never   []string
	}{
		{bridge.NotificationIntroductionIntroduced, "Bridge: you have been introduced",
			[]string{"You and Jóhanna Guðmundsdóttir are introduced", "about Language learning at work", "E-mail: johanna@example.is",
				"Phone: +354 555 0100", "Title: Integration officer", "Organisation: Reykjavíkurborg; Multicultural Centre"},
			nil},
		{bridge.NotificationContactChanged, "Bridge: updated contact details of someone you were introduced to",
			[]string{"Jóhanna Guðmundsdóttir, whom you were introduced to through Bridge about Language learning at work, has updated",
				"E-mail: johanna@example.is", "Phone: +354 555 0100", "Title: Integration officer"},
			nil},
		{bridge.NotificationReminder, "Bridge: an introduction waits for your answer",
			[]string{"asked for an introduction about Language learning at work and have not answered yet", "It closes on 7 December 2026"},
			[]string{"Jóhanna"}},
		{bridge.NotificationPartyErased, "Bridge: please delete contact details you received",
			[]string{"Someone you were introduced to through Bridge about Language learning at work has had their personal data erased",
				"Please delete the contact details"},
			[]string{"Jóhanna", "johanna@"}},
		{bridge.NotificationPersonErased, "Bridge: a person's data was erased",
			[]string{"Person id: 9f1c2d3e-0000-4000-8000-00000000abcd", "pseudonymous"},
			[]string{"Åsa", "asa@example.org", "Jóhanna"}},
		{bridge.NotificationIntroductionNotPossible, "Bridge: an introduction is not possible at the moment",
			[]string{"The introduction about Language learning at work is not possible at the moment."},
			[]string{"declin", "reject", "refus", "Jóhanna"}},
		{bridge.NotificationIntroductionRequestReceived, "Bridge: a new introduction request",
			[]string{"A new introduction request is waiting in the queue.", "Introduction: intro-0001"},
			[]string{"Åsa", "asa@example.org", "Language learning"}},
		{bridge.NotificationReconfirmProfile, "Bridge: please confirm your profile",
			[]string{"Hello Åsa,", "The programme secretariat added a profile for you to Bridge",
				"sign in to Bridge with this e-mail address by 12 March 2027", "your profile will be deleted after that date",
				"because the secretariat added a profile for you"},
			[]string{"introduction about", "Introduction:", "because of an introduction"}},
	}
	for _, tt := range tests {
		it := renderItem(tt.kind)
		h := renderHeader(to)
		if it.ToSecretariat() {
			h.To = mail.Address{Name: "Secretariat", Address: "secretariat@example.org"}
		}
		raw, err := NewTextRenderer().Render(it, h)
		if err != nil {
			t.Fatalf("%s: %v", tt.kind, err)
		}
		p := parseRendered(t, raw)
		subject, _ := new(mime.WordDecoder).DecodeHeader(p.msg.Header.Get("Subject"))
		if subject != tt.subject {
			t.Errorf("%s: subject %q, want %q", tt.kind, subject, tt.subject)
		}
		for _, w := range tt.want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s: body lacks %q:\n%s", tt.kind, w, p.body)
			}
		}
		for _, n := range tt.never {
			if strings.Contains(strings.ToLower(string(raw)+p.body), strings.ToLower(n)) {
				t.Errorf("%s: the message says %q:\n%s", tt.kind, n, p.body)
			}
		}
	}
}

func TestRenderRefusesWhatItMustNotWrite(t *testing.T) {
	to := renderHeader(mail.Address{Address: "asa@example.org"})
	notConnected := renderItem(bridge.NotificationIntroductionIntroduced)
	notConnected.IntroductionStatus = "PROPOSED"
	noOther := renderItem(bridge.NotificationIntroductionIntroduced)
	noOther.Counterpart = nil
	erasedBadID := renderItem(bridge.NotificationPersonErased)
	erasedBadID.SubjectID = "x\r\nBcc: someone@example.org"
	erasedToPerson := renderItem(bridge.NotificationPersonErased)
	erasedToPerson.Recipient = bridge.NotificationContact{PersonID: "p-1", Email: "asa@example.org"}
	changedNotConnected := renderItem(bridge.NotificationContactChanged)
	changedNotConnected.IntroductionStatus = "WITHDRAWN"
	unknown := renderItem("INTRODUCTION_SOMETHING")
	badID := renderItem(bridge.NotificationIntroductionAsked)
	badID.ID = "x>\r\nBcc: someone@example.org"
	noDeadline := renderItem(bridge.NotificationReconfirmProfile)
	noDeadline.ReconfirmBy = time.Time{}
	reconfirmToSecretariat := renderItem(bridge.NotificationReconfirmProfile)
	reconfirmToSecretariat.Recipient = bridge.NotificationContact{}
	suggestionsNoEvent := renderItem(bridge.NotificationEventSuggestions)
	suggestionsNoEvent.EventID, suggestionsNoEvent.EventName = "", ""
	suggestionsToSecretariat := renderItem(bridge.NotificationEventSuggestions)
	suggestionsToSecretariat.Recipient = bridge.NotificationContact{}
	for name, it := range map[string]bridge.OutboxItem{"suggestions without an event": suggestionsNoEvent,
		"suggestions to the secretariat": suggestionsToSecretariat, "not connected": notConnected, "no other party": noOther,
		"unknown kind": unknown, "unsafe id": badID, "contact changed, not connected": changedNotConnected,
		"erased: unsafe id": erasedBadID, "erased: to a person": erasedToPerson,
		"reconfirmation without a deadline": noDeadline, "reconfirmation without a recipient": reconfirmToSecretariat} {
		_, err := NewTextRenderer().Render(it, to)
		if err == nil {
			t.Errorf("%s: rendered", name)
			continue
		}
		if strings.Contains(err.Error(), "@") || strings.Contains(err.Error(), "Jóhanna") {
			t.Errorf("%s: error quotes personal data: %v", name, err)
		}
	}
}

func TestRenderKeepsInjectedLineBreaksOutOfHeadersAndBody(t *testing.T) {
	it := renderItem(bridge.NotificationIntroductionIntroduced)
	it.Counterpart.Name = "Eve\r\nBcc: victim@example.org"
	it.Counterpart.Title = "Boss\n\nClick http://evil.example"
	it.ThemeLabel = "Theme\r\nX-Injected: yes"
	raw, err := NewTextRenderer().Render(it, renderHeader(mail.Address{Name: "Åsa\r\nBcc: victim@example.org", Address: "asa@example.org"}))
	if err != nil {
		t.Fatal(err)
	}
	p := parseRendered(t, raw)
	if p.msg.Header.Get("Bcc") != "" || p.msg.Header.Get("X-Injected") != "" {
		t.Fatalf("a header was injected: %v", p.msg.Header)
	}
	if to, err := p.msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "asa@example.org" {
		t.Fatalf("To: %v, %v", to, err)
	}
	if strings.Contains(p.body, "\nClick") || strings.Contains(p.body, "\nBcc") {
		t.Fatalf("a line was injected into the body:\n%s", p.body)
	}
}

func TestRenderFoldsLongHeaders(t *testing.T) {
	long := "Maria-Margareta Åkerström-Johannesdóttir von Gyllenstierna af Hälsingborg och Björneborg"
	it := renderItem(bridge.NotificationIntroductionAsked)
	raw, err := NewTextRenderer().Render(it, renderHeader(mail.Address{Name: long, Address: "maria@example.org"}))
	if err != nil {
		t.Fatal(err)
	}
	p := parseRendered(t, raw) // fails on a line over 78 characters
	to, err := p.msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != long || to[0].Address != "maria@example.org" {
		t.Fatalf("To %q → %v, %v", p.msg.Header.Get("To"), to, err)
	}
	if fold("Subject: short") != "Subject: short" {
		t.Error("a short line was folded")
	}
}

// TestMessagesLinkToThePageWhereTheRecipientActs: with the public address, each message to a
// person ends on the web app's page where they act; messages to the secretariat and about erased
// people carry no link, and without the address no message has one.
func TestMessagesLinkToThePageWhereTheRecipientActs(t *testing.T) {
	want := map[string]string{
		bridge.NotificationIntroductionAsked:           "https://bridge.example.org/introductions",
		bridge.NotificationReminder:                    "https://bridge.example.org/introductions",
		bridge.NotificationIntroductionIntroduced:      "https://bridge.example.org/introductions",
		bridge.NotificationContactChanged:              "https://bridge.example.org/introductions",
		bridge.NotificationIntroductionNotPossible:     "https://bridge.example.org/peers",
		bridge.NotificationReconfirmProfile:            "https://bridge.example.org/me",
		bridge.NotificationFollowUp:                    "https://bridge.example.org/introductions",
		bridge.NotificationEventSuggestions:            "https://bridge.example.org/events/" + bridge.GlobalID("Event", "nordic-integration-days-2026") + "/suggestions",
		bridge.NotificationIntroductionRequestReceived: "",
		bridge.NotificationPersonErased:                "",
		bridge.NotificationPartyErased:                 "",
	}
	for _, kind := range bridge.NotificationKinds {
		link, ok := want[kind]
		if !ok {
			t.Errorf("%s: no expectation: say where its recipient acts", kind)
			continue
		}
		h := renderHeader(mail.Address{Address: "asa@example.org"})
		raw, err := NewTextRenderer("https://bridge.example.org/").Render(renderItem(kind), h)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		body := parseRendered(t, raw).body
		if got := strings.Contains(body, "https://bridge.example.org"); got != (link != "") || link != "" && !strings.Contains(body, link) {
			t.Errorf("%s: want link %q in:\n%s", kind, link, body)
		}
		raw, err = NewTextRenderer().Render(renderItem(kind), h)
		if err != nil || strings.Contains(parseRendered(t, raw).body, "http") {
			t.Errorf("%s without a public address: %v\n%s", kind, err, raw)
		}
	}
}
