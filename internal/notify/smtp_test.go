package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	netsmtp "net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		raw  string
		want SMTPConfig
	}{
		{"smtp://mail.example.org", SMTPConfig{Host: "mail.example.org", Port: "587", TLS: TLSOpportunistic}},
		{"smtp://127.0.0.1:2525?starttls=off", SMTPConfig{Host: "127.0.0.1", Port: "2525", TLS: TLSOff}},
		{"smtp://u%40x:p%3Aw@mail.example.org:25?starttls=required&helo=bridge.example.org",
			SMTPConfig{Host: "mail.example.org", Port: "25", TLS: TLSRequired, Username: "u@x", Password: "p:w", HelloName: "bridge.example.org"}},
		{"smtps://user:secret@mail.example.org", SMTPConfig{Host: "mail.example.org", Port: "465", TLS: TLSImplicit, Username: "user", Password: "secret"}},
		{"smtp://user:secret@localhost:1025?starttls=off", SMTPConfig{Host: "localhost", Port: "1025", TLS: TLSOff, Username: "user", Password: "secret"}},
		{"smtp://[::1]:25", SMTPConfig{Host: "::1", Port: "25", TLS: TLSOpportunistic}},
	}
	for _, tt := range tests {
		got, err := ParseSMTPURL(tt.raw)
		if err != nil || got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v", tt.raw, got, err, tt.want)
		}
	}
	for _, raw := range []string{
		"", "mail.example.org:25", "http://mail.example.org", "smtp://", "smtp://:25",
		"smtp://mail.example.org/path", "smtp://mail.example.org?starttls=maybe", "smtps://mail.example.org?starttls=off",
		"smtp://mail.example.org?tls=1", "smtp://mail.example.org?helo=a%20b",
		"smtp://user:hunter2@mail.example.org?starttls=off", // a password in clear text over a network
		"smtp://user:hunter2@mail example.org",              // malformed: the error must not quote the password
		"smtp://:hunter2@mail.example.org",
	} {
		_, err := ParseSMTPURL(raw)
		if err == nil {
			t.Errorf("ParseSMTPURL(%q) succeeded", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseSMTPURL(%q) error quotes the password: %v", raw, err)
		}
	}
}

func TestSMTPConfigRedactedHidesThePassword(t *testing.T) {
	for raw, want := range map[string]string{
		"smtps://user:hunter2@mail.example.org":       "smtps://user:(set)@mail.example.org:465",
		"smtp://mail.example.org:25?starttls=off":     "smtp://mail.example.org:25?starttls=off",
		"smtp://user@mail.example.org?starttls=auto":  "smtp://user@mail.example.org:587",
		"smtp://u:hunter2@[::1]:25?starttls=required": "smtp://u:(set)@[::1]:25?starttls=required",
	} {
		c, err := ParseSMTPURL(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Redacted(); got != want || strings.Contains(got, "hunter2") {
			t.Errorf("Redacted(%q) = %q, want %q", raw, got, want)
		}
	}
}

func testMessage() Message {
	return Message{NotificationID: "n-1", Kind: "INTRODUCTION_ASKED", From: "bridge@localhost", To: "ana@example.org",
		Data: []byte("Subject: test\r\nMessage-ID: <n-1@bridge.invalid>\r\n\r\nHello\r\n")}
}

func transportFor(t *testing.T, s *testSMTP, query string) *SMTPTransport {
	t.Helper()
	cfg, err := ParseSMTPURL("smtp://" + s.Addr + query)
	if err != nil {
		t.Fatal(err)
	}
	return NewSMTPTransport(cfg)
}

func TestSMTPTransportDelivers(t *testing.T) {
	s := startTestSMTP(t, nil)
	if err := transportFor(t, s, "").Send(t.Context(), testMessage()); err != nil {
		t.Fatal(err)
	}
	got := s.Messages()
	if len(got) != 1 || got[0].From != "bridge@localhost" || len(got[0].To) != 1 || got[0].To[0] != "ana@example.org" ||
		!bytes.Contains(got[0].Data, []byte("Message-ID: <n-1@bridge.invalid>")) {
		t.Fatalf("received %+v", got)
	}
}

func TestSMTPTransportUsesSTARTTLSAndAuthenticates(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	s := startTestSMTP(t, func(s *testSMTP, srv *smtp.Server) {
		srv.TLSConfig = serverTLS
		srv.AllowInsecureAuth = false // AUTH only after STARTTLS
		s.user, s.password = "bridge", "s3cret"
	})
	cfg, err := ParseSMTPURL("smtp://bridge:s3cret@" + s.Addr + "?starttls=required")
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLSConfig = clientTLS
	if err := NewSMTPTransport(cfg).Send(t.Context(), testMessage()); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	authed, tlsSessions := s.authed, s.tlsSessions
	s.mu.Unlock()
	if len(s.Messages()) != 1 || authed != 1 || tlsSessions != 1 {
		t.Fatalf("messages %d, authenticated %d, over TLS %d; want 1, 1, 1", len(s.Messages()), authed, tlsSessions)
	}

	// A certificate we do not trust: no delivery, a temporary "tls" failure.
	cfg.TLSConfig = nil
	err = NewSMTPTransport(cfg).Send(t.Context(), testMessage())
	if reason, permanent := Classify(err); err == nil || reason != "tls" || permanent {
		t.Fatalf("untrusted certificate: %v (%s, permanent %v), want a temporary tls failure", err, reason, permanent)
	}
	// Wrong credentials: temporary (our configuration, not the message), reason auth_535.
	cfg.TLSConfig, cfg.Password = clientTLS, "wrong"
	err = NewSMTPTransport(cfg).Send(t.Context(), testMessage())
	if reason, permanent := Classify(err); reason != "auth_535" || permanent {
		t.Fatalf("wrong password: %v (%s, permanent %v), want a temporary auth_535", err, reason, permanent)
	}
	if len(s.Messages()) != 1 {
		t.Fatalf("%d messages, want still 1", len(s.Messages()))
	}
}

func TestSMTPTransportRequiresTLSWhenTold(t *testing.T) {
	s := startTestSMTP(t, nil) // offers no STARTTLS
	err := transportFor(t, s, "?starttls=required").Send(t.Context(), testMessage())
	var se *SendError
	if !errors.As(err, &se) || se.Stage != StageTLS || len(s.Messages()) != 0 {
		t.Fatalf("starttls=required without STARTTLS: %v, %d messages; want a TLS-stage error and none", err, len(s.Messages()))
	}
}

func TestPlainAuthOnlyOverTLSOrLoopback(t *testing.T) {
	a := plainAuth{username: "u", password: "p", host: "mail.example.org"}
	if _, _, err := a.Start(&netsmtp.ServerInfo{Name: "mail.example.org", TLS: false}); err == nil {
		t.Error("PLAIN over plain text to a remote host was allowed")
	}
	if mech, resp, err := a.Start(&netsmtp.ServerInfo{Name: "mail.example.org", TLS: true}); err != nil || mech != "PLAIN" || string(resp) != "\x00u\x00p" {
		t.Errorf("PLAIN over TLS: %s %q %v", mech, resp, err)
	}
	for _, host := range []string{"127.0.0.1", "127.0.0.2", "::1", "localhost"} {
		a.host = host
		if _, _, err := a.Start(&netsmtp.ServerInfo{Name: host}); err != nil {
			t.Errorf("PLAIN to loopback %s: %v", host, err)
		}
	}
	a.host = "mail.example.org"
	if _, _, err := a.Start(&netsmtp.ServerInfo{Name: "other.example.org", TLS: true}); err == nil {
		t.Error("PLAIN to another host than configured was allowed")
	}
}

func TestSMTPTransportClassifiesServerReplies(t *testing.T) {
	s := startTestSMTP(t, func(s *testSMTP, _ *smtp.Server) {
		s.dataErrs = []error{smtpReply(451, "try again later")}
	})
	tr := transportFor(t, s, "")
	err := tr.Send(t.Context(), testMessage())
	if reason, permanent := Classify(err); reason != "smtp_451" || permanent {
		t.Fatalf("451 at DATA: %v → %s, permanent %v", err, reason, permanent)
	}
	s.mu.Lock()
	s.rcptErr = smtpReply(550, "no such user ana@example.org")
	s.mu.Unlock()
	err = tr.Send(t.Context(), testMessage())
	if reason, permanent := Classify(err); reason != "smtp_550" || !permanent {
		t.Fatalf("550 at RCPT: %v → %s, permanent %v", err, reason, permanent)
	}
	if len(s.Messages()) != 0 {
		t.Fatalf("%d messages accepted, want none", len(s.Messages()))
	}
}

func TestSMTPTransportHonoursTheDeadline(t *testing.T) {
	// A server that accepts the connection and never greets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	cfg, err := ParseSMTPURL("smtp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = NewSMTPTransport(cfg).Send(ctx, testMessage())
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Send took %s with a 300ms deadline", d)
	}
	if reason, permanent := Classify(err); reason != "timeout" || permanent {
		t.Fatalf("silent server: %v → %s, permanent %v; want a temporary timeout", err, reason, permanent)
	}

	// Nothing listening: a temporary network failure.
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln2.Addr().String()
	ln2.Close()
	cfg, _ = ParseSMTPURL("smtp://" + addr)
	err = NewSMTPTransport(cfg).Send(t.Context(), testMessage())
	if reason, permanent := Classify(err); reason != "network" || permanent {
		t.Fatalf("refused connection: %v → %s, permanent %v", err, reason, permanent)
	}
}

func TestClassify(t *testing.T) {
	tp := func(code int) error { return &textproto.Error{Code: code, Msg: "user@example.org said no"} }
	tests := []struct {
		err       error
		reason    string
		permanent bool
	}{
		{&SendError{StageRcpt, tp(550)}, "smtp_550", true},
		{&SendError{StageData, tp(552)}, "smtp_552", true},
		{&SendError{StageMail, tp(421)}, "smtp_421", false},
		{&SendError{StageData, tp(451)}, "smtp_451", false},
		{&SendError{StageAuth, tp(535)}, "auth_535", false},
		{&SendError{StageHello, tp(554)}, "hello_554", false},
		{&SendError{StageConnect, tp(554)}, "connect_554", false},
		{&SendError{StageConnect, context.DeadlineExceeded}, "timeout", false},
		{&SendError{StageData, io.ErrUnexpectedEOF}, "network", false},
		{&SendError{StageConnect, &net.OpError{Op: "dial", Err: errors.New("refused")}}, "network", false},
		{&SendError{StageTLS, errors.New("handshake")}, "tls", false},
		{&SendError{StageAuth, errors.New("refusing")}, "auth", false},
		{&PermanentError{Reason: "render", Err: errors.New("x")}, "render", true},
		{errors.New("something else"), "error", false},
	}
	for _, tt := range tests {
		reason, permanent := Classify(tt.err)
		if reason != tt.reason || permanent != tt.permanent {
			t.Errorf("Classify(%v) = %s, %v; want %s, %v", tt.err, reason, permanent, tt.reason, tt.permanent)
		}
		if strings.Contains(reason, "@") {
			t.Errorf("reason %q quotes the server", reason)
		}
	}
}

func TestLogTransportLogsIDAndKindOnly(t *testing.T) {
	var buf bytes.Buffer
	m := testMessage()
	if err := (LogTransport{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}).Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, `"notification_id":"n-1"`) || !strings.Contains(out, `"kind":"INTRODUCTION_ASKED"`) ||
		strings.Contains(out, "ana@example.org") || strings.Contains(out, "Hello") {
		t.Fatalf("log: %s", out)
	}
}
