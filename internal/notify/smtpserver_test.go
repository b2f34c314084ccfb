package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testSMTP is a real SMTP server (github.com/emersion/go-smtp) on a loopback port that records
// what it accepts, and can be told to refuse.
type testSMTP struct {
	Addr string
	srv  *smtp.Server

	mu       sync.Mutex
	messages []receivedMessage
	// dataErrs are returned, one each, to the next DATA commands before any message is accepted.
	dataErrs []error
	// rcptErr, when set, answers every RCPT TO.
	rcptErr error
	// user and password, when set, are the only credentials AUTH PLAIN accepts.
	user, password string
	authed         int // successful AUTH commands
	sessions       int
	tlsSessions    int // sessions whose MAIL FROM came over TLS
}

type receivedMessage struct {
	From string
	To   []string
	Data []byte
}

// startTestSMTP starts the server; configure may set TLS (STARTTLS offered then), credentials or
// refusals before it accepts connections.
func startTestSMTP(t *testing.T, configure func(*testSMTP, *smtp.Server)) *testSMTP {
	t.Helper()
	s := &testSMTP{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.sessions++
		s.mu.Unlock()
		return &testSession{server: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true // loopback tests without TLS; TLS tests check the TLS state themselves
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.MaxRecipients = 10
	srv.ErrorLog = log.New(io.Discard, "", 0) // clients that hang up (refused TLS) are expected here
	if configure != nil {
		configure(s, srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	s.srv = srv
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	return s
}

// Messages returns a copy of what was accepted.
func (s *testSMTP) Messages() []receivedMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMessage(nil), s.messages...)
}

// MessagesWithID returns the accepted messages whose Message-ID is <id@bridge.invalid>.
func (s *testSMTP) MessagesWithID(t *testing.T, id string) []*mail.Message {
	t.Helper()
	var out []*mail.Message
	for _, m := range s.Messages() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatalf("a received message does not parse: %v", err)
		}
		if msg.Header.Get("Message-ID") == "<"+id+"@"+MessageIDDomain+">" {
			out = append(out, msg)
		}
	}
	return out
}

// smtpReply is a server reply with a code, as the go-smtp server sends it.
func smtpReply(code int, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}

type testSession struct {
	server *testSMTP
	conn   *smtp.Conn
	from   string
	to     []string
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *testSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		s.server.mu.Lock()
		defer s.server.mu.Unlock()
		if username != s.server.user || password != s.server.password || s.server.user == "" {
			return smtp.ErrAuthFailed
		}
		s.server.authed++
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	if _, ok := s.conn.TLSConnectionState(); ok {
		s.server.mu.Lock()
		s.server.tlsSessions++
		s.server.mu.Unlock()
	}
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.server.mu.Lock()
	err := s.server.rcptErr
	s.server.mu.Unlock()
	if err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	if len(s.server.dataErrs) > 0 {
		err := s.server.dataErrs[0]
		s.server.dataErrs = s.server.dataErrs[1:]
		return err
	}
	s.server.messages = append(s.server.messages, receivedMessage{From: s.from, To: append([]string(nil), s.to...), Data: data})
	return nil
}

func (s *testSession) Reset() { s.from, s.to = "", nil }

func (s *testSession) Logout() error { return nil }

// selfSigned returns a server certificate for 127.0.0.1 and localhost, and a client TLS
// configuration that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bridge notify test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12},
		&tls.Config{RootCAs: pool}
}
