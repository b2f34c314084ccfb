package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// TLSMode says how the SMTP transport protects the connection.
type TLSMode string

// The TLS modes of an SMTP URL.
const (
	// TLSImplicit: smtps://, TLS from the first byte (port 465 by default).
	TLSImplicit TLSMode = "implicit"
	// TLSOpportunistic: smtp:// (the default), STARTTLS when the server offers it. With
	// credentials and a host that is not a loopback address, STARTTLS is required instead: the
	// password never crosses a network in clear text.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSRequired: smtp://…?starttls=required, STARTTLS or no delivery.
	TLSRequired TLSMode = "required"
	// TLSOff: smtp://…?starttls=off, never STARTTLS (a relay on this machine that offers a
	// certificate we cannot verify). Credentials are then accepted only for a loopback host.
	TLSOff TLSMode = "off"
)

// SMTPConfig is where and how the SMTP transport delivers. ParseSMTPURL makes one from SMTP_URL.
type SMTPConfig struct {
	Host     string
	Port     string
	TLS      TLSMode
	Username string // empty: no AUTH
	Password string
	// HelloName is the name given in EHLO ["localhost"]; set it with ?helo=name.
	HelloName string
	// TLSConfig verifies the server (nil: the system roots, ServerName = Host, TLS 1.2 or later).
	// Tests set RootCAs here.
	TLSConfig *tls.Config
}

// ParseSMTPURL reads an SMTP URL:
//
//	smtp://[user:password@]host[:port][?starttls=required|off][&helo=name]   (port 587 by default)
//	smtps://[user:password@]host[:port][?helo=name]                          (port 465 by default)
//
// smtp:// uses STARTTLS when the server offers it, and requires it when there are credentials
// and the host is not a loopback address; ?starttls=required requires it always, ?starttls=off
// never uses it (credentials then only for a loopback host). smtps:// is TLS from the start.
// Credentials are sent with AUTH PLAIN, only over TLS or to a loopback host. User and password
// are URL-encoded (%40 for @). Errors never quote the URL, which may hold a password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, errors.New("not a URL") // url's error quotes the URL, password included
	}
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSOpportunistic, "587"
	case "smtps":
		c.TLS, c.Port = TLSImplicit, "465"
	default:
		return SMTPConfig{}, fmt.Errorf("scheme %q is not smtp or smtps", u.Scheme)
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return SMTPConfig{}, errors.New("write smtp://host:port or smtps://host:port, without a path")
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return SMTPConfig{}, errors.New("no host")
	}
	if p := u.Port(); p != "" {
		c.Port = p
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return SMTPConfig{}, errors.New("a password without a user name")
		}
	}
	q := u.Query()
	for k, vs := range q {
		if len(vs) != 1 {
			return SMTPConfig{}, fmt.Errorf("parameter %q given %d times", k, len(vs))
		}
		switch k {
		case "starttls":
			if c.TLS == TLSImplicit {
				return SMTPConfig{}, errors.New("starttls does not apply to smtps://")
			}
			switch vs[0] {
			case "required":
				c.TLS = TLSRequired
			case "off":
				c.TLS = TLSOff
			case "auto":
				c.TLS = TLSOpportunistic
			default:
				return SMTPConfig{}, fmt.Errorf("starttls=%q is not required, auto or off", vs[0])
			}
		case "helo":
			if vs[0] == "" || strings.ContainsAny(vs[0], " \r\n\t") {
				return SMTPConfig{}, errors.New("helo must be a host name")
			}
			c.HelloName = vs[0]
		default:
			return SMTPConfig{}, fmt.Errorf("unknown parameter %q (starttls, helo)", k)
		}
	}
	if c.Username != "" && c.TLS == TLSOff && !isLoopback(c.Host) {
		return SMTPConfig{}, errors.New("credentials with starttls=off to a host that is not a loopback address would send the password in clear text")
	}
	return c, nil
}

// Redacted is the configuration for logs: the URL without the password.
func (c SMTPConfig) Redacted() string {
	scheme, q := "smtp", ""
	switch c.TLS {
	case TLSImplicit:
		scheme = "smtps"
	case TLSRequired, TLSOff:
		q = "?starttls=" + string(c.TLS)
	}
	user := ""
	if c.Username != "" {
		user = url.User(c.Username).String() + ":(set)@"
		if c.Password == "" {
			user = url.User(c.Username).String() + "@"
		}
	}
	return scheme + "://" + user + net.JoinHostPort(c.Host, c.Port) + q
}

// SMTPTransport delivers each message over a connection of its own (notifications are few; a
// connection per message keeps failures independent).
type SMTPTransport struct {
	cfg SMTPConfig
}

// NewSMTPTransport returns a transport for cfg (see ParseSMTPURL).
func NewSMTPTransport(cfg SMTPConfig) *SMTPTransport {
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSOpportunistic
	}
	return &SMTPTransport{cfg: cfg}
}

// Send delivers one message: connect, EHLO, STARTTLS (see TLSMode), AUTH PLAIN when configured,
// MAIL FROM, RCPT TO, DATA, QUIT. ctx bounds all of it: its deadline is the connection's, and
// cancelling it cuts the connection. Errors are *SendError with the stage (see Classify).
func (t *SMTPTransport) Send(ctx context.Context, m Message) (err error) {
	c := t.cfg
	addr := net.JoinHostPort(c.Host, c.Port)
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return &SendError{StageConnect, err}
	}
	defer func() {
		if err != nil {
			conn.Close()
		}
	}()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	// Cancelling ctx unblocks whatever read or write is waiting.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	tlsConfig := t.tlsConfig()
	if c.TLS == TLSImplicit {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return &SendError{StageTLS, err}
		}
		conn = tc
	}
	client, err := smtp.NewClient(conn, c.Host) // reads the greeting
	if err != nil {
		return &SendError{StageConnect, err}
	}
	defer client.Close()
	if err := client.Hello(c.HelloName); err != nil {
		return &SendError{StageHello, err}
	}
	secure := c.TLS == TLSImplicit
	if c.TLS != TLSImplicit && c.TLS != TLSOff {
		if ok, _ := client.Extension("STARTTLS"); ok {
			if err := client.StartTLS(tlsConfig); err != nil {
				return &SendError{StageTLS, err}
			}
			secure = true
		}
	}
	needTLS := c.TLS == TLSRequired || (c.Username != "" && c.TLS == TLSOpportunistic && !isLoopback(c.Host))
	if needTLS && !secure {
		return &SendError{StageTLS, errors.New("the server does not offer STARTTLS, which this configuration requires")}
	}
	if c.Username != "" {
		if !secure && !isLoopback(c.Host) {
			return &SendError{StageAuth, errors.New("refusing to send the password without TLS")}
		}
		if ok, _ := client.Extension("AUTH"); !ok {
			return &SendError{StageAuth, errors.New("the server does not offer AUTH")}
		}
		if err := client.Auth(plainAuth{username: c.Username, password: c.Password, host: c.Host}); err != nil {
			return &SendError{StageAuth, err}
		}
	}
	if err := client.Mail(m.From); err != nil {
		return &SendError{StageMail, err}
	}
	if err := client.Rcpt(m.To); err != nil {
		return &SendError{StageRcpt, err}
	}
	w, err := client.Data()
	if err != nil {
		return &SendError{StageData, err}
	}
	if _, err := w.Write(m.Data); err != nil {
		return &SendError{StageData, err}
	}
	if err := w.Close(); err != nil { // the server's answer to the message
		return &SendError{StageData, err}
	}
	// The message is accepted; a failing QUIT changes nothing.
	_ = client.Quit()
	return nil
}

func (t *SMTPTransport) tlsConfig() *tls.Config {
	var c *tls.Config
	if t.cfg.TLSConfig != nil {
		c = t.cfg.TLSConfig.Clone()
	} else {
		c = &tls.Config{}
	}
	if c.ServerName == "" {
		c.ServerName = t.cfg.Host
	}
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// plainAuth is AUTH PLAIN (RFC 4616) that sends the credentials only over TLS or to a loopback
// host. net/smtp's PlainAuth has the same rule but knows only "localhost", 127.0.0.1 and ::1.
type plainAuth struct {
	username, password, host string
}

func (a plainAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLoopback(server.Name) {
		return "", nil, errors.New("refusing to send the password without TLS")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	return "PLAIN", []byte("\x00" + a.username + "\x00" + a.password), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge")
	}
	return nil, nil
}

// isLoopback reports whether host is "localhost" or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LogTransport is the development transport: it logs that a message would be sent (notification
// id, kind and size only) and reports success, so the outbox marks it SENT. Use it where there is
// no SMTP server (SMTP_URL empty in development).
type LogTransport struct {
	Logger *slog.Logger
}

// Send logs the message's id and kind, never its addresses or content.
func (t LogTransport) Send(ctx context.Context, m Message) error {
	if t.Logger != nil {
		t.Logger.InfoContext(ctx, "notification e-mail not sent (no SMTP_URL): it would have been",
			slog.String("notification_id", m.NotificationID), slog.String("kind", m.Kind), slog.Int("bytes", len(m.Data)))
	}
	return nil
}
