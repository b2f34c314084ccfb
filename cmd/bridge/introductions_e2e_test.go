package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// mailbox is a real SMTP server (github.com/emersion/go-smtp) on loopback that keeps what it
// accepts.
type mailbox struct {
	addr string
	mu   sync.Mutex
	msgs []*mail.Message
	to   [][]string
}

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	mb := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().String()
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close(); <-done })
	return mb
}

type mailboxSession struct {
	mb *mailbox
	to []string
}

func (s *mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailboxSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(m.Body)
	m.Body = strings.NewReader(string(body))
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	s.mb.msgs = append(s.mb.msgs, m)
	s.mb.to = append(s.mb.to, s.to)
	return nil
}
func (s *mailboxSession) Reset()        { s.to = nil }
func (s *mailboxSession) Logout() error { return nil }

// withID returns the messages with the Message-ID of a notification.
func (mb *mailbox) withID(id string) []*mail.Message {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	var out []*mail.Message
	for _, m := range mb.msgs {
		if m.Header.Get("Message-ID") == "<"+id+"@bridge.invalid>" {
			out = append(out, m)
		}
	}
	return out
}

// TestRealProviderIntroductionEndToEnd is acceptance 1: tokens from the real local provider, a
// real SMTP server on loopback, the API and its notification sender as `serve` runs them.
// It must run before TestRealProviderSignInAndOneMutationPerRole, which stops the provider (go
// test runs files in name order: introductions_e2e_test.go before provider_test.go).
func TestRealProviderIntroductionEndToEnd(t *testing.T) {
	issuer, tokenURL := os.Getenv("OIDC_ISSUER"), os.Getenv("OIDC_TOKEN_URL")
	if issuer == "" || tokenURL == "" {
		t.Fatal("OIDC_ISSUER and OIDC_TOKEN_URL are not set: this test needs the local provider that `make test` starts")
	}
	mb := startMailbox(t)
	cfg := testConfig(envProduction)
	cfg.SMTPURL, cfg.MailFrom, cfg.SecretariatEmail = "smtp://"+mb.addr+"?starttls=off", "Bridge <bridge@example.org>", "secretariat@example.org"
	cfg.NotifyInterval = 100 * time.Millisecond
	a, newSender := providerAPI(t, cfg, issuer)
	sender, err := newSender()
	if err != nil || sender == nil {
		t.Fatalf("sender: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var workers sync.WaitGroup
	workers.Add(1)
	go func() { defer workers.Done(); sender.Run(ctx) }()
	defer func() { cancel(); workers.Wait() }()

	tok := map[string]string{}
	for _, role := range []string{"member", "group-member", "secretariat"} {
		tok[role] = providerToken(t, tokenURL, role)
	}
	do := func(role, q string, vars map[string]any) (json.RawMessage, string) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		_, raw := a.doJSON(t, tok[role], string(b))
		var resp struct {
			Data   map[string]json.RawMessage
			Errors []struct{ Extensions map[string]any }
		}
		if err := json.Unmarshal([]byte(raw), &resp); err != nil {
			t.Fatalf("%s: %s", role, raw)
		}
		if len(resp.Errors) > 0 {
			code, _ := resp.Errors[0].Extensions["code"].(string)
			return nil, code
		}
		for _, v := range resp.Data {
			return v, ""
		}
		return nil, ""
	}
	// A (member) and B (group member) set up their profiles: open, visible to members, consenting.
	ids := map[string]string{}
	for _, role := range []string{"member", "group-member"} {
		if me, _ := do(role, `{ me { id } }`, nil); string(me) == "null" {
			if _, code := do(role, `mutation { createMyProfile(input: `+profileInput+`) { id } }`, nil); code != "" {
				t.Fatalf("%s createMyProfile: %s", role, code)
			}
		}
		for _, purpose := range []string{"SUGGEST", "INTRODUCE", "SHARE_CONTACT"} {
			if _, code := do(role, `mutation($v: String!) { giveConsent(input: {purpose: `+purpose+`, policyVersion: $v}) { purpose } }`,
				map[string]any{"v": bridge.CurrentPolicyVersion}); code != "" {
				t.Fatalf("%s giveConsent: %s", role, code)
			}
		}
		if _, code := do(role, `mutation { setMyVisibility(visibility: MEMBERS) { id } }`, nil); code != "" {
			t.Fatal(code)
		}
		me, _ := do(role, `{ me { id } }`, nil)
		var v struct{ ID string }
		_ = json.Unmarshal(me, &v)
		ids[role] = v.ID
	}
	A, B := ids["member"], ids["group-member"]
	theme := bridge.GlobalID("Theme", "family-reunification")
	sees := func(role, id string) bool {
		data, _ := do(role, `query($id: ID!) { person(id: $id) { email } }`, map[string]any{"id": id})
		return strings.Contains(string(data), "@example.org")
	}

	// 1. A asks for B; the secretariat proposes it; B declines; A learns only "not possible".
	data, code := do("member", mRequest, map[string]any{"to": B, "theme": theme, "msg": "We both work on family reunification", "cid": uuid.NewString()})
	if code != "" {
		t.Fatalf("request: %s", code)
	}
	var first introView
	_ = json.Unmarshal(data, &first)
	if _, code = do("secretariat", mTriage, map[string]any{"id": first.ID}); code != "" {
		t.Fatalf("propose: %s", code)
	}
	if _, code = do("group-member", mDecline, map[string]any{"id": first.ID}); code != "" {
		t.Fatalf("decline: %s", code)
	}
	data, _ = do("member", `query($id: ID!) { introduction(id: $id) { status } }`, map[string]any{"id": first.ID})
	if !strings.Contains(string(data), "NOT_POSSIBLE") {
		t.Errorf("A sees %s after B declined", data)
	}

	// 2. The secretariat proposes a second introduction; both accept; only then contact details.
	data, code = do("secretariat", mPropose, map[string]any{"a": A, "b": B, "theme": theme, "cid": uuid.NewString()})
	if code != "" {
		t.Fatalf("propose: %s", code)
	}
	var second introView
	_ = json.Unmarshal(data, &second)
	if _, code = do("member", mAccept, map[string]any{"id": second.ID}); code != "" {
		t.Fatal(code)
	}
	if sees("member", B) || sees("group-member", A) {
		t.Fatal("e-mail visible before both accepted")
	}
	if _, code = do("group-member", mAccept, map[string]any{"id": second.ID}); code != "" {
		t.Fatal(code)
	}
	if !sees("member", B) || !sees("group-member", A) {
		t.Fatal("both accepted, but they do not see each other's e-mail")
	}

	// 3. Both received exactly one "introduced" message on the real SMTP server; A's message about
	// the decline says "not possible", never "declined".
	want := map[string]string{} // notification id -> recipient address
	for _, n := range fx.Notifications(t, fx.NotificationFilter{IntroductionID: introKey(t, second.ID), Kind: "INTRODUCTION_INTRODUCED"}) {
		addr := "member@example.org"
		if gid("Person", n.RecipientID) == B {
			addr = "expert@example.org"
		}
		want[n.ID] = addr
	}
	if len(want) != 2 {
		t.Fatalf("%d INTRODUCED notifications, want 2", len(want))
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		all := true
		for id := range want {
			all = all && len(mb.withID(id)) > 0
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the INTRODUCED messages did not arrive")
		}
	}
	time.Sleep(3 * cfg.NotifyInterval) // a second copy would arrive within a few polls
	for id, addr := range want {
		got := mb.withID(id)
		if len(got) != 1 {
			t.Fatalf("notification %s arrived %d times", id, len(got))
		}
		body, _ := io.ReadAll(got[0].Body)
		other := "expert@example.org"
		if addr == other {
			other = "member@example.org"
		}
		if !strings.Contains(got[0].Header.Get("To"), addr) || !strings.Contains(string(body), other) {
			t.Errorf("message to %s: To %q, body without the other's address:\n%s", addr, got[0].Header.Get("To"), body)
		}
	}
	for _, n := range fx.Notifications(t, fx.NotificationFilter{IntroductionID: introKey(t, first.ID), Kind: "INTRODUCTION_NOT_POSSIBLE"}) {
		for deadline := time.Now().Add(20 * time.Second); len(mb.withID(n.ID)) == 0; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the not-possible message did not arrive")
			}
		}
		body, _ := io.ReadAll(mb.withID(n.ID)[0].Body)
		if low := strings.ToLower(string(body)); strings.Contains(low, "declin") || strings.Contains(low, "reject") || !strings.Contains(low, "not possible") {
			t.Errorf("the not-possible message reads as a rejection:\n%s", body)
		}
	}
}
