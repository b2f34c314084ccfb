package csvio

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Length limits of the text columns, in characters. They keep a profile readable and a row's
// size bounded; the documentation (docs/import.md) lists them.
const (
	MaxNameLen        = 100                   // given_name, family_name
	MaxTitleLen       = 200                   // title, role
	MaxBioLen         = 2000                  // bio, description
	MaxPhoneLen       = bridge.MaxPhoneLength // phone
	MaxEmailLen       = 254                   // email (RFC 5321 path limit)
	MaxOrgNameLen     = 300                   // name, name_en
	MaxOrgIDLen       = 100                   // id, parent
	MaxURLLen         = 500                   // website
	MaxDomainLen      = 253                   // email_domain
	MaxPerQuarter     = 20                    // introductions_per_quarter
	MaxThemesPerRow   = 50                    // themes
	MaxLanguagesInRow = 20                    // languages
)

// rowCheck collects the problems of one row.
type rowCheck struct {
	line int
	errs []RowError
}

func (c *rowCheck) fail(column, format string, args ...any) {
	c.errs = append(c.errs, RowError{Line: c.line, Column: column, Reason: fmt.Sprintf(format, args...)})
}

// failSuggesting reports a problem with what the cell may have meant.
func (c *rowCheck) failSuggesting(column string, suggestions []Suggestion, format string, args ...any) {
	c.fail(column, format, args...)
	c.errs[len(c.errs)-1].Suggestions = suggestions
}

// required reports an empty cell of a required column.
func (c *rowCheck) required(column, v string) bool {
	if v == "" {
		c.fail(column, "required; the cell is empty")
		return false
	}
	return true
}

// oneLine cleans a one-line cell (a name, a title, a role) with the API's rule, bridge.CleanLine:
// no line break, control or direction-override character, something visible when required, NFC,
// trimmed, at most maxLen characters. It returns the form to store.
func (c *rowCheck) oneLine(column, v string, maxLen int, required bool) string {
	return c.clean(bridge.CleanLine, column, v, maxLen, required)
}

// text cleans a cell of several lines (a bio, a description) with bridge.CleanText.
func (c *rowCheck) text(column, v string, maxLen int) string {
	return c.clean(bridge.CleanText, column, v, maxLen, false)
}

func (c *rowCheck) clean(clean func([]string, string, bool, int) (string, error), column, v string, maxLen int, required bool) string {
	out, err := clean(nil, v, required, maxLen)
	if err != nil {
		c.fail(column, "%s", reason(err))
		return v
	}
	return out
}

// reason is the message of a validation error of package bridge (which never repeats the value).
func reason(err error) string {
	var e *bridge.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "not valid"
}

// email checks an address: a plain address (no display name), one @, a domain with a dot. The
// reason never repeats the address, which is personal data.
func (c *rowCheck) email(column, v string) {
	if utf8.RuneCountInString(v) > MaxEmailLen {
		c.fail(column, "too long: at most %d characters", MaxEmailLen)
		return
	}
	a, err := mail.ParseAddress(v)
	at := strings.LastIndexByte(v, '@')
	if err != nil || a.Name != "" || a.Address != v || strings.Count(v, "@") != 1 || at < 1 ||
		!strings.Contains(v[at+1:], ".") || strings.HasSuffix(v, ".") || strings.ContainsAny(v, " \t") {
		c.fail(column, "not a valid e-mail address (expected name@example.org)")
	}
}

// boolean parses true/false (any case); empty gives def.
func (c *rowCheck) boolean(column, v string, def bool) bool {
	switch strings.ToLower(v) {
	case "":
		return def
	case "true":
		return true
	case "false":
		return false
	}
	c.fail(column, "must be true or false, not %q", short(v))
	return def
}

// intRange parses a whole number within [lo, hi]; empty gives def.
func (c *rowCheck) intRange(column, v string, lo, hi, def int) int {
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		c.fail(column, "must be a whole number from %d to %d, not %q", lo, hi, short(v))
		return def
	}
	if n < lo || n > hi {
		c.fail(column, "must be from %d to %d, not %d", lo, hi, n)
		return def
	}
	return n
}

// phone checks a phone number with the API's rule (bridge.CleanPhone) and returns the form to
// store.
func (c *rowCheck) phone(column, v string) string {
	out, err := bridge.CleanPhone(nil, v)
	if err != nil {
		c.fail(column, "%s", reason(err))
		return v
	}
	return out
}

// splitList splits a list cell on ListSeparator, trimming items and dropping empty ones (a
// trailing separator is common in hand-edited files).
func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ListSeparator) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// languages parses "sv;en;fi" into lower-cased ISO 639-1 codes, in the order given.
func (c *rowCheck) languages(column, v string) []string {
	items := splitList(v)
	if len(items) > MaxLanguagesInRow {
		c.fail(column, "too many languages: %d, at most %d", len(items), MaxLanguagesInRow)
		return nil
	}
	out := make([]string, 0, len(items))
	seen := map[string]bool{}
	for _, x := range items {
		code := strings.ToLower(x)
		switch {
		case !isISO6391(code):
			c.fail(column, "unknown language %q (use ISO 639-1 codes such as sv, fi, en)", short(x))
		case seen[code]:
			c.fail(column, "language %s is listed twice", code)
		default:
			seen[code] = true
			out = append(out, code)
		}
	}
	return out
}

// isSlug reports whether s is lower-case letters and digits in words joined by single hyphens,
// the form of an organisation id ("se-migrationsverket").
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}

func (c *rowCheck) slug(column, v string) bool {
	switch {
	case len(v) > MaxOrgIDLen:
		c.fail(column, "too long: %d characters, at most %d", len(v), MaxOrgIDLen)
	case !isSlug(v):
		c.fail(column, "%q is not an id of lower-case letters, digits and single hyphens (a-z, 0-9, -)", short(v))
	default:
		return true
	}
	return false
}

// website checks an https URL with a host and no credentials.
func (c *rowCheck) website(column, v string) {
	if v == "" {
		return
	}
	if len(v) > MaxURLLen {
		c.fail(column, "too long: %d characters, at most %d", len(v), MaxURLLen)
		return
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Host == "" || strings.ContainsAny(v, " \t"):
		c.fail(column, "not a web address (expected https://example.org/...)")
	case u.Scheme != "https":
		c.fail(column, "must start with https://")
	case u.User != nil:
		c.fail(column, "must not carry a user name or password")
	}
}

// isLabel reports whether s is one DNS label: 1 to 63 letters, digits and inner hyphens.
func isLabel(s string) bool {
	return len(s) <= 63 && (isSlug(s) || (isSlug(strings.ReplaceAll(s, "--", "-")) && s[0] != '-'))
}

// domain checks an e-mail domain such as "migrationsverket.se" (lower-cased by the caller).
func (c *rowCheck) domain(column, v string) {
	if v == "" {
		return
	}
	labels := strings.Split(v, ".")
	ok := len(v) <= MaxDomainLen && len(labels) >= 2
	for _, l := range labels {
		ok = ok && isLabel(l)
	}
	if !ok {
		c.fail(column, "%q is not a domain name (expected example.org, without @)", short(v))
	}
}
