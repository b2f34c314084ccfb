package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/textproto"
	"strconv"
)

// Stage is the step of an SMTP delivery at which an error happened.
type Stage string

// The stages of a delivery. Failures before MAIL FROM (connect, TLS, greeting, EHLO, AUTH) are
// about the mail server or our configuration, not the message: they are temporary whatever the
// reply code, so that a wrong password or a server under maintenance does not fail every message
// at once. From MAIL FROM on, a 5xx reply rejects this message and is permanent.
const (
	StageConnect Stage = "connect"
	StageTLS     Stage = "tls"
	StageHello   Stage = "hello"
	StageAuth    Stage = "auth"
	StageMail    Stage = "mail"
	StageRcpt    Stage = "rcpt"
	StageData    Stage = "data"
)

// SendError is a transport failure with the stage at which it happened. Its Error text may quote
// the server's reply (and so an address): callers log Classify's reason code, never the text.
type SendError struct {
	Stage Stage
	Err   error
}

func (e *SendError) Error() string { return "smtp " + string(e.Stage) + ": " + e.Err.Error() }

// Unwrap exposes the cause.
func (e *SendError) Unwrap() error { return e.Err }

// PermanentError marks a failure that retrying cannot fix (a message that cannot be rendered).
type PermanentError struct {
	Reason string // a short code
	Err    error
}

func (e *PermanentError) Error() string { return e.Reason + ": " + e.Err.Error() }

// Unwrap exposes the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// Classify turns a transport error into a short reason code (stored as the notification's
// lastError and logged; never an address or a server message) and whether it is permanent:
//
//   - an SMTP reply 4xx is temporary ("smtp_451"); 5xx is permanent ("smtp_550") from MAIL FROM
//     on, and temporary before it ("auth_535", "hello_554"): see Stage;
//   - a timeout ("timeout"), a network error ("network") or a TLS failure ("tls") is temporary;
//   - a *PermanentError is permanent with its reason;
//   - anything else is temporary ("error"): retried until the attempts run out.
func Classify(err error) (reason string, permanent bool) {
	var perm *PermanentError
	if errors.As(err, &perm) {
		return perm.Reason, true
	}
	stage := Stage("")
	var se *SendError
	if errors.As(err, &se) {
		stage = se.Stage
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		code := strconv.Itoa(tp.Code)
		switch {
		case stage == StageAuth:
			return "auth_" + code, false
		case stage == StageConnect || stage == StageHello || stage == StageTLS:
			return string(stage) + "_" + code, false
		case tp.Code >= 500 && tp.Code < 600:
			return "smtp_" + code, true
		case tp.Code >= 400 && tp.Code < 500:
			return "smtp_" + code, false
		}
		return "smtp_" + code, false
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout", false
	case stage == StageTLS, isTLSError(err):
		return "tls", false
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, context.Canceled), errors.As(err, &ne):
		return "network", false
	case stage == StageAuth:
		return "auth", false
	}
	return "error", false
}

func isTLSError(err error) bool {
	var rec tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var alert tls.AlertError
	return errors.As(err, &rec) || errors.As(err, &cert) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &alert)
}
