package bridge

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Input hygiene: every piece of free text a client or an import file gives (names, titles,
// labels, descriptions, messages, notes) goes through CleanLine or CleanText before it is
// stored, and phone numbers through CleanPhone. Both refuse what can deceive a reader or a
// terminal and store one form of what they accept:
//
//   - the text must be valid UTF-8; white space and zero-width characters (U+200B–U+200D, U+2060,
//     U+FEFF, U+180E) at both ends are trimmed; inside, ZWNJ and ZWJ stay (Persian words and emoji
//     sequences need them);
//   - control characters are refused: C0 (NUL, BEL, ESC and so the ANSI escape sequences), DEL
//     and C1 (U+0080–U+009F, CSI and NEL included); CleanText allows the tab and line breaks;
//   - line breaks (LF, CR, U+2028, U+2029) are refused in one-line fields; CleanText stores them
//     all as LF;
//   - the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
//     deprecated format characters (U+206A–U+206F) and the interlinear annotation characters
//     (U+FFF9–U+FFFB) are refused: they reorder or hide what follows them ("Trojan Source",
//     CVE-2021-42574), so "Anna\u202Egreb" would show as another name. The implicit direction
//     marks (U+200E LRM, U+200F RLM, U+061C ALM) are allowed: they change nothing beyond the
//     neutral characters next to them and right-to-left writers use them;
//   - the text is normalised to Unicode NFC, so a name typed on a system that decomposes "ä" into
//     "a" + U+0308 is stored, searched and compared as the same name;
//   - text with no visible character (only white space, format characters, zero-width or filler
//     characters) is refused, and counts as missing in a required field;
//   - the limit counts characters (code points) of the stored form.
//
// Errors are BAD_USER_INPUT with the field path and a message that never repeats the value.

// CleanLine cleans a one-line field (a name, a title, a role, a label) at path: it returns the
// stored form, or BAD_USER_INPUT. An empty optional field is "".
func CleanLine(path []string, v string, required bool, max int) (string, error) {
	return cleanText(path, v, required, max, false)
}

// CleanText cleans a field of several lines (a bio, a description, a message, a note): as
// CleanLine, but tabs and line breaks are allowed and every line break is stored as "\n".
func CleanText(path []string, v string, required bool, max int) (string, error) {
	return cleanText(path, v, required, max, true)
}

func cleanText(path []string, v string, required bool, max int, multiline bool) (string, error) {
	if !utf8.ValidString(v) {
		return "", InvalidInput(path, "not valid UTF-8 text")
	}
	if multiline {
		v = lineBreaks.Replace(v)
	}
	v = strings.TrimFunc(v, isTrimmed)
	for _, r := range v {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			if !multiline {
				return "", InvalidInput(path, "a line break is not allowed here")
			}
			if r != '\n' {
				return "", InvalidInput(path, "control characters are not allowed")
			}
		case r == '\t' && multiline:
		case unicode.IsControl(r):
			return "", InvalidInput(path, "control characters are not allowed")
		case isReordering(r):
			return "", InvalidInput(path, "characters that change the direction or display of text (such as U+202E) are not allowed")
		}
	}
	v = norm.NFC.String(v)
	switch {
	case v == "" && required:
		return "", InvalidInput(path, "required")
	case v != "" && strings.IndexFunc(v, func(r rune) bool { return !isInvisible(r) }) < 0:
		return "", InvalidInput(path, "the text has no visible characters")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", InvalidInput(path, "too long: %d characters, at most %d", n, max)
	}
	return v, nil
}

// lineBreaks turns every line break CleanText accepts into "\n".
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n")

// isReordering reports the format characters that reorder or hide the text after them.
func isReordering(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u206F') || (r >= '\uFFF9' && r <= '\uFFFB')
}

// isZeroWidth reports the zero-width characters that mean nothing at either end of a text.
func isZeroWidth(r rune) bool {
	return (r >= '\u200B' && r <= '\u200D') || r == '\u2060' || r == '\uFEFF' || r == '\u180E'
}

func isTrimmed(r rune) bool { return unicode.IsSpace(r) || isZeroWidth(r) }

// isInvisible reports a character that shows nothing on its own: white space, format characters
// (Cf: zero-width, direction marks, soft hyphen, tags), the Hangul fillers and the blank braille
// pattern (both used to make names look empty), the combining grapheme joiner and the variation
// selectors.
func isInvisible(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', '\u2800', '\u034F':
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// MaxPhoneLength bounds a phone number as written, in characters.
const MaxPhoneLength = 40

// The number of digits of a phone number: E.164 allows at most 15 (country code included); fewer
// than 6 is no subscriber number anywhere in the Nordic countries.
const (
	minPhoneDigits = 6
	maxPhoneDigits = 15
)

// phoneSeparators are the spaces and dashes a word processor or a phone's contact card puts in a
// number; they are stored as a plain space or hyphen.
var phoneSeparators = strings.NewReplacer("\u00A0", " ", "\u2007", " ", "\u202F", " ", "\u2009", " ",
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2212", "-")

// CleanPhone cleans an optional phone number at path: an international number as people write it,
// an optional leading "+", then digits, spaces, hyphens and at most one level of parentheses
// ("+358 (0)40 123 4567"), with 6 to 15 digits. It returns the trimmed number ("" for none).
//
// The shape is checked, not whether the number exists: Bridge never dials, the person reading it
// does. A numbering-plan library (libphonenumber and its ports) would refuse the demo data's and
// test fixtures' numbers under the country code +00, which does not exist on purpose (seed/demo),
// and its metadata changes with every national plan; so the rule stays this small.
func CleanPhone(path []string, v string) (string, error) {
	v, err := CleanLine(path, phoneSeparators.Replace(v), false, MaxPhoneLength)
	if err != nil || v == "" {
		return v, err
	}
	digits, open := 0, false
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-':
		case r == '(' && !open:
			open = true
		case r == ')' && open:
			open = false
		default:
			return "", InvalidInput(path, "a phone number may hold only digits, spaces, hyphens, parentheses and a leading +, such as +46 8 123 456 78")
		}
	}
	switch {
	case open:
		return "", InvalidInput(path, "a parenthesis of the phone number is not closed")
	case digits < minPhoneDigits || digits > maxPhoneDigits:
		return "", InvalidInput(path, "a phone number has %d to %d digits, such as +46 8 123 456 78", minPhoneDigits, maxPhoneDigits)
	}
	return v, nil
}

// The dates people give (since, until, an event's days) are ISO calendar dates within these
// bounds: nothing in Bridge happened before 1900, and a date beyond 2100 is a typing error or a
// placeholder such as 9999-12-31.
var (
	EarliestDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	LatestDate   = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

// ParseDate parses an ISO calendar date (2024-01-31) that exists (no 30 February) between
// EarliestDate and LatestDate; otherwise BAD_USER_INPUT at path.
func ParseDate(path []string, v string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, v)
	switch {
	case err != nil:
		return time.Time{}, InvalidInput(path, "a date such as 2024-01-31")
	case d.Before(EarliestDate) || d.After(LatestDate):
		return time.Time{}, InvalidInput(path, "a date between %s and %s", EarliestDate.Format(time.DateOnly), LatestDate.Format(time.DateOnly))
	}
	return d, nil
}

// latestToday is the last calendar day that is today somewhere on Earth at now (UTC+14), so that
// someone east of UTC can give today's date just after their midnight.
func latestToday(now time.Time) time.Time {
	y, m, d := now.UTC().Add(14 * time.Hour).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ValidateSince checks an optional start date (since when someone works somewhere or belongs to
// a group): a real date (ParseDate) that is not in the future at now.
func ValidateSince(path []string, v string, now time.Time) error {
	if v == "" {
		return nil
	}
	d, err := ParseDate(path, v)
	if err != nil {
		return err
	}
	if d.After(latestToday(now)) {
		return InvalidInput(path, "since cannot be in the future")
	}
	return nil
}

// ValidatePeriod checks since and until under prefix: since as ValidateSince; until (optional,
// and only with a since) a real date, not before since. until may lie ahead (a term that ends).
func ValidatePeriod(prefix []string, since, until string, now time.Time) error {
	if err := ValidateSince(sub(prefix, "since"), since, now); err != nil {
		return err
	}
	if until == "" {
		return nil
	}
	if since == "" {
		return InvalidInput(sub(prefix, "since"), "an end date needs a start date")
	}
	end, err := ParseDate(sub(prefix, "until"), until)
	if err != nil {
		return err
	}
	if start, _ := time.Parse(time.DateOnly, since); end.Before(start) {
		return InvalidInput(sub(prefix, "until"), "until cannot be before since")
	}
	return nil
}
