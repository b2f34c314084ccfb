package notify

import (
	"bytes"
	"embed"
	"errors"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
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

// TextRenderer renders the plain-text messages (text/template, UTF-8, quoted-printable) in the
// recipient's language (bridge.OutboxItem.Language; English for the secretariat).
type TextRenderer struct {
	// PublicURL is where people reach the web app (BRIDGE_PUBLIC_URL, no trailing slash); the
	// messages link to the page where the recipient acts. Empty: no links.
	PublicURL string
}

// NewTextRenderer returns the renderer of the plain-text messages, linking to the web app at
// publicURL (empty: no links).
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
	bridge.NotificationFollowUp:                "/introductions",
}

// messageFiles are the subjects and bodies, one text/template file per language
// (messages/<lang>.tmpl, lang one of bridge.MessageLanguages), each defining the same templates:
// "subject <KIND>" and "<KIND>" for every kind, and "greeting", "footer", "contact" and "the
// other person". The texts never say who declined, or that anyone did: an introduction that will
// not happen is "not possible at the moment", in every language (the rules head en.tmpl).
//
//go:embed messages/*.tmpl
var messageFiles embed.FS

// catalogs are the parsed message files by language; a test fails when a language lacks a
// subject or a body of any kind.
var catalogs = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, lang := range bridge.MessageLanguages {
		// The files are part of the binary, and the tests parse and execute them all.
		out[lang] = template.Must(template.New(lang).ParseFS(messageFiles, "messages/"+lang+".tmpl"))
	}
	return out
}()

// subjectOf is the name of a kind's subject template.
func subjectOf(kind string) string { return "subject " + kind }

// bodyData is what a body template sees: single-line values, control characters removed.
type bodyData struct {
	Greeting       string
	Theme          string
	IntroductionID string
	Closes         string // the expiry date (UTC, in the message's language), for reminders
	SubjectID      string // PERSON_ERASED: the erased id
	Deadline       string // RECONFIRM_PROFILE: the date the profile is erased after, e.g. "12 March 2027" (UTC)
	Link           string // the web app's page where the recipient acts; empty without a public URL
	// Answers are INTRODUCTION_FOLLOW_UP's deep links, one per outcome (USEFUL, MET, NOT_USEFUL,
	// NO_CONTACT): each opens the answer chosen, to be sent with one button. The link itself
	// changes nothing, because mail scanners open links before people do.
	Answers map[string]string
	Event   string // EVENT_SUGGESTIONS: the event's name (never a suggested person's)
	Other   struct{ Name, Title, Organisations, Email, Phone string }
}

// Render writes the message: Date, From, To, Subject, Message-ID, MIME-Version, Content-Type
// (text/plain; charset=utf-8), Content-Transfer-Encoding (quoted-printable), Auto-Submitted, then
// the body. Names in From and To are Q-encoded (net/mail), the subject too when it needs it.
func (r TextRenderer) Render(it bridge.OutboxItem, h Header) ([]byte, error) {
	lang := bridge.MessageLanguage(it.Language)
	if it.ToSecretariat() {
		// No language is configured for the secretariat's address.
		lang = bridge.DefaultLanguage
	}
	texts := catalogs[lang]
	if texts.Lookup(subjectOf(it.Kind)) == nil || texts.Lookup(it.Kind) == nil {
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
		if it.Kind == bridge.NotificationFollowUp && safeID(it.IntroductionID) {
			d.Answers = followUpLinks(r.PublicURL, it.IntroductionID)
		}
	}
	d.Theme = oneLine(it.ThemeLabel)
	d.IntroductionID = oneLine(it.IntroductionID)
	if !it.ExpiresAt.IsZero() {
		d.Closes = formatDate(lang, it.ExpiresAt)
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
		d.Deadline = formatDate(lang, it.ReconfirmBy)
	}
	if it.Kind == bridge.NotificationEventSuggestions {
		if it.ToSecretariat() || it.EventID == "" || oneLine(it.EventName) == "" {
			return nil, errors.New("render: an EVENT_SUGGESTIONS notification without a recipient or an event")
		}
		d.Event = oneLine(it.EventName)
		if r.PublicURL != "" {
			// The page of the recipient's suggestions at the event: whom they may see, read when
			// they open it.
			d.Link = r.PublicURL + "/events/" + bridge.GlobalID("Event", it.EventID) + "/suggestions"
		}
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
			var other bytes.Buffer
			if err := texts.ExecuteTemplate(&other, "the other person", d); err != nil {
				return nil, errors.New("render: template failed")
			}
			d.Other.Name = other.String()
		}
	}
	var subjectText, body bytes.Buffer
	if err := texts.ExecuteTemplate(&subjectText, subjectOf(it.Kind), d); err != nil {
		return nil, errors.New("render: template failed")
	}
	if err := texts.ExecuteTemplate(&body, it.Kind, d); err != nil {
		return nil, errors.New("render: template failed")
	}
	subject := oneLine(subjectText.String())

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

// FollowUpOutcomes are the answers a follow-up e-mail links to, in its order.
var FollowUpOutcomes = []string{"USEFUL", "MET", "NOT_USEFUL", "NO_CONTACT"}

// followUpLinks are the follow-up's deep links: the web app's page of one answer to the
// introduction (by its global id), /introductions/{id}/followup?outcome=X.
func followUpLinks(publicURL, introductionID string) map[string]string {
	id := url.PathEscape(bridge.GlobalID("Introduction", introductionID))
	out := make(map[string]string, len(FollowUpOutcomes))
	for _, o := range FollowUpOutcomes {
		out[o] = publicURL + "/introductions/" + id + "/followup?outcome=" + o
	}
	return out
}
