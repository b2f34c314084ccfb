package notify

import (
	"bytes"
	"errors"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Header is what the Sender decides about a message; the renderer writes it out.
type Header struct {
	From mail.Address
	To   mail.Address
	Date time.Time
}

// Renderer turns a claimed notification into an RFC 5322 message (CRLF line endings). Its errors
// must not quote personal data.
type Renderer interface {
	Render(item bridge.OutboxItem, h Header) ([]byte, error)
}

// MessageIDDomain is the domain of every Message-ID: <notification-id@bridge.invalid>. A
// notification keeps its Message-ID across attempts, so a mail system that received it twice can
// tell.
const MessageIDDomain = "bridge.invalid"

// TextRenderer renders the English plain-text messages (text/template, UTF-8, quoted-printable).
type TextRenderer struct {
	// PublicURL is where people reach the web app (BRIDGE_PUBLIC_URL, no trailing slash); the
	// messages link to the page where the recipient acts. Empty: no links.
	PublicURL string
}

// NewTextRenderer returns the renderer of the English plain-text messages, linking to the web
// app at publicURL (empty: no links).
func NewTextRenderer(publicURL ...string) TextRenderer {
	r := TextRenderer{}
	if len(publicURL) > 0 {
		r.PublicURL = strings.TrimSuffix(publicURL[0], "/")
	}
	return r
}

// pageOf is the web app's page where the recipient of a kind acts: their introductions (answer,
// status, contact details), their profile (confirm it), or the peers to look for others.
var pageOf = map[string]string{
	bridge.NotificationIntroductionAsked:       "/introductions",
	bridge.NotificationReminder:                "/introductions",
	bridge.NotificationIntroductionIntroduced:  "/introductions",
	bridge.NotificationContactChanged:          "/introductions",
	bridge.NotificationIntroductionNotPossible: "/peers",
	bridge.NotificationReconfirmProfile:        "/me",
}

// The subjects and bodies, by kind. The texts never say who declined, or that anyone did: an
// introduction that will not happen is "not possible at the moment".
var (
	subjects = map[string]string{
		bridge.NotificationIntroductionAsked:           "Bridge: you have been asked for an introduction",
		bridge.NotificationIntroductionIntroduced:      "Bridge: you have been introduced",
		bridge.NotificationIntroductionNotPossible:     "Bridge: an introduction is not possible at the moment",
		bridge.NotificationIntroductionRequestReceived: "Bridge: a new introduction request",
		bridge.NotificationContactChanged:              "Bridge: updated contact details of someone you were introduced to",
		bridge.NotificationReminder:                    "Bridge: an introduction waits for your answer",
		bridge.NotificationReconfirmProfile:            "Bridge: please confirm your profile",
		bridge.NotificationPartyErased:                 "Bridge: please delete contact details you received",
		bridge.NotificationPersonErased:                "Bridge: a person's data was erased",
	}
	bodies = template.Must(template.New("bodies").Parse(`
{{- define "greeting"}}{{if .Greeting}}Hello {{.Greeting}},{{else}}Hello,{{end}}{{end}}
{{- define "footer"}}
-- 
Bridge, the expert network of Nordic co-operation on integration.
You receive this message because of an introduction in Bridge.
{{end}}
{{- define "INTRODUCTION_ASKED"}}{{template "greeting" .}}

You have been asked for an introduction{{if .Theme}} about {{.Theme}}{{end}}; sign in to Bridge to accept or decline{{if .Link}}:
{{.Link}}{{else}}.{{end}}

Your contact details are shared only when both of you accept.
{{template "footer" .}}{{end}}
{{- define "INTRODUCTION_INTRODUCED"}}{{template "greeting" .}}

You and {{.Other.Name}} are introduced: you both accepted the introduction{{if .Theme}} about {{.Theme}}{{end}}. Here is how to reach them:

{{template "contact" .}}

They have received your contact details as well. Write to each other directly; Bridge does not pass messages on.
{{- if .Link}}

Your introductions: {{.Link}}{{end}}
{{template "footer" .}}{{end}}
{{- define "contact"}}{{.Other.Name}}
{{- if .Other.Title}}
Title: {{.Other.Title}}{{end}}
{{- if .Other.Organisations}}
Organisation: {{.Other.Organisations}}{{end}}
{{- if .Other.Email}}
E-mail: {{.Other.Email}}{{end}}
{{- if .Other.Phone}}
Phone: {{.Other.Phone}}{{end}}{{end}}
{{- define "INTRODUCTION_CONTACT_CHANGED"}}{{template "greeting" .}}

{{.Other.Name}}, whom you were introduced to through Bridge{{if .Theme}} about {{.Theme}}{{end}}, has updated the details you received. Their details now:

{{template "contact" .}}

Please replace the details you kept from the earlier message.
{{- if .Link}}

Your introductions: {{.Link}}{{end}}
{{template "footer" .}}{{end}}
{{- define "INTRODUCTION_REMINDER"}}{{template "greeting" .}}

You have been asked for an introduction{{if .Theme}} about {{.Theme}}{{end}} and have not answered yet. {{if .Closes}}It closes on {{.Closes}}{{else}}It closes soon{{end}} if it is not accepted by then; sign in to Bridge to accept or decline{{if .Link}}:
{{.Link}}{{else}}.{{end}}

Your contact details are shared only when both of you accept.
{{template "footer" .}}{{end}}
{{- define "INTRODUCTION_PARTY_ERASED"}}{{template "greeting" .}}

Someone you were introduced to through Bridge{{if .Theme}} about {{.Theme}}{{end}} has had their personal data erased from Bridge.

Please delete the contact details of that person that you received from Bridge, unless you have your own reason to keep them (for example, you have worked together since).
{{template "footer" .}}{{end}}
{{- define "PERSON_ERASED"}}Hello,

A person's data was erased from Bridge.

Person id: {{.SubjectID}}

The id is pseudonymous: it leads to no data any more. The audit log holds the ERASE event with who asked for it and what was removed (counts only).
{{template "footer" .}}{{end}}
{{- define "INTRODUCTION_NOT_POSSIBLE"}}{{template "greeting" .}}

The introduction{{if .Theme}} about {{.Theme}}{{end}} is not possible at the moment.

You can look for other people who work on the same questions in Bridge{{if .Link}}:
{{.Link}}{{else}}.{{end}}
{{template "footer" .}}{{end}}
{{- define "INTRODUCTION_REQUEST_RECEIVED"}}Hello,

A new introduction request is waiting in the queue.

Introduction: {{.IntroductionID}}

Sign in to Bridge to handle it.
{{template "footer" .}}{{end}}
{{- define "RECONFIRM_PROFILE"}}{{template "greeting" .}}

The programme secretariat added a profile for you to Bridge, the expert network of Nordic co-operation on integration, and you have not confirmed it yet.

We keep profiles that their owner has not confirmed for a limited time only. To keep yours, sign in to Bridge with this e-mail address by {{.Deadline}}{{if .Link}} ({{.Link}}){{end}}. If you do not, your profile will be deleted after that date; you need not do anything else.

You can also ask the secretariat to delete it at once.

-- 
Bridge, the expert network of Nordic co-operation on integration.
You receive this message because the secretariat added a profile for you to Bridge.
{{end}}`))
)

// bodyData is what a body template sees: single-line values, control characters removed.
type bodyData struct {
	Greeting       string
	Theme          string
	IntroductionID string
	Closes         string // the expiry date (UTC), for reminders
	SubjectID      string // PERSON_ERASED: the erased id
	Deadline       string // RECONFIRM_PROFILE: the date the profile is erased after, e.g. "12 March 2027" (UTC)
	Link           string // the web app's page where the recipient acts; empty without a public URL
	Other          struct{ Name, Title, Organisations, Email, Phone string }
}

// Render writes the message: Date, From, To, Subject, Message-ID, MIME-Version, Content-Type
// (text/plain; charset=utf-8), Content-Transfer-Encoding (quoted-printable), Auto-Submitted, then
// the body. Names in From and To are Q-encoded (net/mail), the subject too when it needs it.
func (r TextRenderer) Render(it bridge.OutboxItem, h Header) ([]byte, error) {
	subject, ok := subjects[it.Kind]
	if !ok || bodies.Lookup(it.Kind) == nil {
		return nil, errors.New("render: unknown notification kind")
	}
	if !safeID(it.ID) {
		return nil, errors.New("render: the notification id is not a UUID-like token")
	}
	var d bodyData
	if !it.ToSecretariat() {
		d.Greeting = oneLine(it.Recipient.GivenName)
		if d.Greeting == "" {
			d.Greeting = oneLine(it.Recipient.DisplayName())
		}
	}
	if page, ok := pageOf[it.Kind]; ok && r.PublicURL != "" && !it.ToSecretariat() {
		d.Link = r.PublicURL + page
	}
	d.Theme = oneLine(it.ThemeLabel)
	d.IntroductionID = oneLine(it.IntroductionID)
	if !it.ExpiresAt.IsZero() {
		d.Closes = it.ExpiresAt.UTC().Format("2 January 2006")
	}
	if it.Kind == bridge.NotificationPersonErased {
		if !it.ToSecretariat() || !safeID(it.SubjectID) {
			return nil, errors.New("render: a PERSON_ERASED notification not to the secretariat or without an id")
		}
		d.SubjectID = it.SubjectID
	}
	if it.Kind == bridge.NotificationReconfirmProfile {
		if it.ReconfirmBy.IsZero() || it.ToSecretariat() {
			return nil, errors.New("render: a RECONFIRM_PROFILE notification without a recipient or a deadline")
		}
		d.Deadline = it.ReconfirmBy.UTC().Format("2 January 2006")
	}
	if bridge.CarriesCounterpart(it.Kind) {
		// Contact details are released only for a connected introduction (both accepted).
		if it.Counterpart == nil || !bridge.IntroductionStatus(it.IntroductionStatus).Connected() {
			return nil, errors.New("render: contact details without a connected introduction and its other party")
		}
		c := it.Counterpart
		d.Other.Name = oneLine(c.DisplayName())
		d.Other.Title = oneLine(c.Title)
		d.Other.Organisations = oneLine(strings.Join(c.Organisations, "; "))
		d.Other.Email = oneLine(c.Email)
		d.Other.Phone = oneLine(c.Phone)
		if d.Other.Name == "" {
			d.Other.Name = "the other person"
		}
	}
	var body bytes.Buffer
	if err := bodies.ExecuteTemplate(&body, it.Kind, d); err != nil {
		return nil, errors.New("render: template failed")
	}

	var msg bytes.Buffer
	header := func(name, value string) {
		msg.WriteString(fold(name+": "+value) + "\r\n")
	}
	header("Date", h.Date.Format(time.RFC1123Z))
	header("From", formatAddress(h.From))
	header("To", formatAddress(h.To))
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Message-ID", "<"+it.ID+"@"+MessageIDDomain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies, please
	msg.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&msg)
	text := strings.Trim(strings.ReplaceAll(body.String(), "\r\n", "\n"), "\n") + "\n"
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, errors.New("render: encode body")
	}
	if err := qp.Close(); err != nil {
		return nil, errors.New("render: encode body")
	}
	out := msg.Bytes()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		out = append(out, '\r', '\n')
	}
	return out, nil
}

// fold breaks a header line longer than 78 characters at spaces (RFC 5322 folding). Encoded
// words hold no spaces, and net/mail separates the words of a long name with spaces.
func fold(line string) string {
	const limit = 78
	if len(line) <= limit {
		return line
	}
	var b strings.Builder
	n := 0 // length of the current output line
	for i, word := range strings.Split(line, " ") {
		switch {
		case i == 0:
		case n+1+len(word) > limit:
			b.WriteString("\r\n")
			n = 0
			fallthrough
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

// formatAddress is net/mail's form ("=?utf-8?q?…?=" <addr> for names that need encoding), with
// the name made one line first.
func formatAddress(a mail.Address) string {
	a.Name = oneLine(a.Name)
	return a.String()
}

// oneLine replaces control characters (line breaks above all: header and body injection) with
// spaces and trims the result.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s))
}

// safeID reports whether id can stand in a Message-ID: letters, digits and hyphens.
func safeID(id string) bool {
	if id == "" || len(id) > 100 {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}
