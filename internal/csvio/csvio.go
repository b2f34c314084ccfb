// Package csvio reads and writes the secretariat's bulk files: people and organisations as CSV
// (import and export) and JSON (export). It is pure logic: it parses a file, validates every row
// against the reference data that the caller loaded from the graph, and turns rows into domain
// values (and domain values back into rows); it never talks to the database.
//
// Validation is complete before anything is written: a file is read whole (up to MaxRows rows),
// every problem is reported as a RowError with its line, column and reason, and the caller writes
// only a file without errors. Reasons never quote e-mail addresses or other personal data; they
// may quote short codes (a theme id, a municipality code) so that the operator can fix them.
//
// The values in this package hold no shared state: a parsed file, a Writer and a Progress belong
// to one goroutine.
package csvio

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MaxRows is the most data rows one import file may hold. A valid file is written in one
// transaction, so that a crash leaves all of it or nothing; the limit keeps that transaction
// within the server's memory and the bulk timeout.
const MaxRows = 50_000

// MaxFileBytes bounds the size of an import file, so that a runaway file (or a single huge cell)
// cannot exhaust memory before validation has a chance to reject it.
const MaxFileBytes = 64 << 20

// ListSeparator separates the items of a list cell (languages, themes).
const ListSeparator = ";"

// RowError is one problem of an import file. Line is the line on which the row starts (1 is the
// header; 0 means the file as a whole); Column is the column's name, or empty when the problem is
// the row or file itself.
type RowError struct {
	Line   int
	Column string
	Reason string
	// Suggestions are what the cell may have meant ("did you mean"), for an unknown
	// municipality, theme or organisation; empty otherwise.
	Suggestions []Suggestion
}

// Format renders the error the way the command prints it: "FILE:LINE: column COLUMN: reason".
func (e RowError) Format(file string) string {
	var b strings.Builder
	b.WriteString(file)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Column != "" {
		b.WriteString("column " + e.Column + ": ")
	}
	b.WriteString(e.Reason)
	for i, sg := range e.Suggestions {
		switch i {
		case 0:
			b.WriteString("; did you mean ")
		case len(e.Suggestions) - 1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(sg.Value))
		if i == len(e.Suggestions)-1 {
			b.WriteString("?")
		}
	}
	return b.String()
}

// Error lets a RowError travel as an error; it names no file.
func (e RowError) Error() string { return e.Format("line") }

// Reference is the reference data that import rows may point to, as loaded from the graph before
// validation (in one or a few reads, never one per row).
type Reference struct {
	Countries      []string              // country codes: DK FI IS NO SE FO GL AX
	Municipalities []bridge.Municipality // ID, CountryCode, OfficialCode, Name and Names are used
	ThemeIDs       []string
	// Themes are the themes with their labels (ID and Labels are used), so that a theme may be
	// named by any of its labels; a theme only in ThemeIDs is known by its id.
	Themes        []bridge.Theme
	Organisations []bridge.Organisation // ID, ParentID, Name and NameEn are used
}

// sortErrors orders problems by line, keeping the order within a line (columns left to right),
// so that the report reads top to bottom.
func sortErrors(errs []RowError) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
}

// refIndex is the Reference in the shape validation asks it questions.
type refIndex struct {
	countries  map[string]bool
	munis      map[string]bridge.Municipality // by key
	munisCode  map[[2]string]string           // (country, official code) → key
	themes     map[string]bool
	orgParents map[string]string  // organisation id → parent id ("" when none)
	muniNames  map[string][]named // country → the names of its municipalities
	themeNames []named            // every label and id of every theme
	orgNames   []named            // every organisation's id, name and English name
	budget     *int               // problems that may still get suggestions
}

func (r Reference) index() refIndex {
	budget := maxSuggestedErrors
	ix := refIndex{countries: map[string]bool{}, munis: map[string]bridge.Municipality{},
		munisCode: map[[2]string]string{}, themes: map[string]bool{}, orgParents: map[string]string{},
		muniNames: map[string][]named{}, budget: &budget}
	for _, c := range r.Countries {
		ix.countries[c] = true
	}
	for _, m := range r.Municipalities {
		ix.munis[m.ID] = m
		if m.OfficialCode != "" {
			ix.munisCode[[2]string{m.CountryCode, m.OfficialCode}] = m.ID
		}
		for _, name := range append([]string{m.Name}, m.Names...) {
			if name != "" {
				ix.muniNames[m.CountryCode] = append(ix.muniNames[m.CountryCode], newNamed(m.ID, name))
			}
		}
	}
	for _, t := range r.ThemeIDs {
		ix.themes[t] = true
		ix.themeNames = append(ix.themeNames, newNamed(t, t))
	}
	for _, t := range r.Themes {
		if !ix.themes[t.ID] {
			ix.themes[t.ID] = true
			ix.themeNames = append(ix.themeNames, newNamed(t.ID, t.ID))
		}
		for _, lang := range slices.Sorted(maps.Keys(t.Labels)) {
			if l := t.Labels[lang]; l != "" {
				ix.themeNames = append(ix.themeNames, newNamed(t.ID, l))
			}
		}
	}
	for _, o := range r.Organisations {
		ix.orgParents[o.ID] = o.ParentID
		ix.orgNames = append(ix.orgNames, newNamed(o.ID, o.ID))
		for _, name := range []string{o.Name, o.NameEn} {
			if name != "" {
				ix.orgNames = append(ix.orgNames, newNamed(o.ID, name))
			}
		}
	}
	return ix
}

// suggest returns the suggestions for an unknown cell v among names, while the file's budget of
// suggested problems lasts.
func (ix refIndex) suggest(names []named, v string, value func(key string) string) []Suggestion {
	if *ix.budget <= 0 {
		return nil
	}
	*ix.budget--
	return suggestions(suggest(names, v), value)
}

func same(key string) string { return key }

// municipality resolves a municipality cell: our key ("SE-1280"), the official code within the
// row's country ("1280"), or a name of one municipality of the country in any of its languages
// ("Malmö"). Spreadsheet programs drop leading zeros ("0114" becomes "114"), so a numeric code
// that matches nothing is tried again with zeros added, when exactly one padding matches. An
// unknown cell comes back with suggestions.
func (ix refIndex) municipality(country, v string) (string, string, []Suggestion) {
	if m, ok := ix.munis[upperCountryPrefix(v)]; ok {
		if m.CountryCode != country {
			return "", fmt.Sprintf("municipality %s is in %s, not in %s", m.ID, m.CountryCode, country), nil
		}
		return m.ID, "", nil
	}
	if id, ok := ix.munisCode[[2]string{country, v}]; ok {
		return id, "", nil
	}
	if isDigits(v) && len(v) < 4 {
		var found []string
		for width := len(v) + 1; width <= 4; width++ {
			if id, ok := ix.munisCode[[2]string{country, strings.Repeat("0", width-len(v)) + v}]; ok {
				found = append(found, id)
			}
		}
		if len(found) == 1 {
			return found[0], "", nil
		}
	}
	switch ids := byName(ix.muniNames[country], v); {
	case len(ids) == 1:
		return ids[0], "", nil
	case len(ids) > 1:
		return "", fmt.Sprintf("%q names several municipalities in %s (%s); give the key", short(v), country, strings.Join(ids, ", ")),
			ix.suggest(ix.muniNames[country], v, same)
	}
	for _, other := range slices.Sorted(maps.Keys(ix.muniNames)) {
		if ids := byName(ix.muniNames[other], v); other != country && len(ids) == 1 {
			return "", fmt.Sprintf("municipality %s is in %s, not in %s", ids[0], other, country), nil
		}
	}
	return "", fmt.Sprintf("unknown municipality %q in %s (give our key such as SE-1280, the official code within the country or the name)", short(v), country),
		ix.suggest(ix.muniNames[country], v, same)
}

// upperCountryPrefix upper-cases the country part of a municipality key ("se-1280" → "SE-1280")
// and leaves the rest alone (Icelandic keys carry a lower-case slug).
func upperCountryPrefix(v string) string {
	if len(v) >= 3 && v[2] == '-' {
		return strings.ToUpper(v[:2]) + v[2:]
	}
	return v
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// short quotes at most 40 characters of a cell, so that an error message never carries a whole
// paragraph of someone's text.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:37]) + "..."
}

// record is one data row as read: its cells by column index and the line it starts on.
type record struct {
	line  int
	cells []string
}

// table is a file as read: the column each cell fills (by the file's column index; "" for a
// column left out), the column index of each name, and the rows.
type table struct {
	header []string
	col    map[string]int
	rows   []record
}

// cell returns the trimmed value of a column, or "" when the column is absent.
func (t *table) cell(r record, name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

func (t *table) has(name string) bool {
	_, ok := t.col[name]
	return ok
}

// Options change how a file is read.
type Options struct {
	// Mapping says, for each column of the file in order, which column it fills ("" leaves it
	// out). Nil maps automatically: a column's name (any case; spaces and hyphens read as "_")
	// or one of its aliases (AutoMapping).
	Mapping []string
	// Progress, when not nil, is told how many rows of how many are validated.
	Progress func(done, total int)
}

// Layout is the shape of a file as read: its header as written, the column each header fills
// ("" when left out or unknown) and how many data rows it has.
type Layout struct {
	Header  []string
	Mapping []string
	Rows    int
}

// headerKey is the form in which a header names a column: lower case, spaces and hyphens as "_".
func headerKey(h string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
}

// aliases are other names spreadsheets commonly give the columns.
var aliases = map[string]string{
	"e_mail": colEmail, "mail": colEmail, "email_address": colEmail, "e_mail_address": colEmail,
	"first_name": colGivenName, "firstname": colGivenName, "forename": colGivenName,
	"last_name": colFamilyName, "lastname": colFamilyName, "surname": colFamilyName,
	"job_title": colTitle, "telephone": colPhone, "phone_number": colPhone, "mobile": colPhone,
	"organization": colOrganisation, "theme": colThemes,
	"organisation_id": colID, "organization_id": colID, "english_name": colNameEn,
}

// AutoMapping is the mapping Options.Mapping defaults to, for the file's header and the columns
// of its kind (PeopleColumns, OrganisationColumns).
func AutoMapping(header, known []string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		k := headerKey(h)
		if a, ok := aliases[k]; ok && !slices.Contains(known, k) {
			k = a
		}
		if slices.Contains(known, k) {
			out[i] = k
		}
	}
	return out
}

// readTable reads a whole CSV file: it strips a UTF-8 byte-order mark, detects the delimiter
// (comma, semicolon as Nordic spreadsheet programs write, or tab) from the header line, accepts
// CRLF line ends, and maps the header to the known columns (opts.Mapping, or by name
// case-insensitively and by alias). Problems of the file's shape come back as RowErrors; err is
// for reading failures only. The layout is complete whenever the header could be read.
func readTable(r io.Reader, known []string, required []string, mapping []string) (*table, Layout, []RowError, error) {
	var layout Layout
	counted := &countingReader{r: io.LimitReader(r, MaxFileBytes+1)}
	tooLarge := RowError{Reason: fmt.Sprintf("the file is larger than %d MiB", MaxFileBytes>>20)}
	br := bufio.NewReaderSize(counted, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(br.Size())
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, layout, nil, err
	}
	cr := csv.NewReader(br)
	cr.Comma = detectDelimiter(first)
	cr.FieldsPerRecord = -1 // checked here, so that a short row is reported and reading goes on

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, layout, []RowError{{Line: 1, Reason: "the file is empty; the first line must name the columns"}}, nil
	}
	if err != nil {
		return nil, layout, []RowError{csvError(err)}, nil
	}
	for _, h := range header {
		layout.Header = append(layout.Header, strings.TrimSpace(h))
	}
	auto := mapping == nil
	if auto {
		mapping = AutoMapping(header, known)
	}
	layout.Mapping = make([]string, len(header))
	t := &table{col: map[string]int{}}
	var errs []RowError
	for i, h := range header {
		name := ""
		if i < len(mapping) {
			name = mapping[i]
		}
		t.header = append(t.header, name)
		switch {
		case auto && strings.TrimSpace(h) == "":
			errs = append(errs, RowError{Line: 1, Column: strconv.Itoa(i + 1), Reason: "the column has no name"})
		case auto && name == "":
			errs = append(errs, RowError{Line: 1, Column: short(strings.ToLower(strings.TrimSpace(h))), Reason: "unknown column; the columns are " + strings.Join(known, ", ")})
		case name == "":
		case !slices.Contains(known, name):
			errs = append(errs, RowError{Line: 1, Column: short(name), Reason: "unknown column; the columns are " + strings.Join(known, ", ")})
		case t.has(name):
			errs = append(errs, RowError{Line: 1, Column: name, Reason: "the column appears twice"})
		default:
			t.col[name] = i
			layout.Mapping[i] = name
		}
	}
	for _, name := range required {
		if !t.has(name) {
			errs = append(errs, RowError{Line: 1, Column: name, Reason: "required column is missing"})
		}
	}
	if len(errs) > 0 {
		return nil, layout, errs, nil // rows cannot be read reliably against a wrong header
	}
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if counted.n > MaxFileBytes {
			return nil, layout, []RowError{tooLarge}, nil
		}
		if err != nil {
			return nil, layout, append(errs, csvError(err)), nil
		}
		line, _ := cr.FieldPos(0)
		if allEmpty(cells) {
			continue // a spreadsheet's trailing empty rows
		}
		if len(t.rows) == MaxRows {
			return nil, layout, append(errs, RowError{Line: line, Reason: fmt.Sprintf(
				"the file has more than %s rows; split it into files of at most %s rows (one file is written in one transaction)",
				thousands(MaxRows), thousands(MaxRows))}), nil
		}
		if len(cells) != len(header) {
			errs = append(errs, RowError{Line: line, Reason: fmt.Sprintf("the row has %d cells, the header has %d", len(cells), len(header))})
			continue
		}
		for i, c := range cells {
			if t.header[i] == "" {
				cells[i] = "" // a column left out is not read
				continue
			}
			if !utf8.ValidString(c) {
				errs = append(errs, RowError{Line: line, Column: t.header[i], Reason: "not valid UTF-8 text; save the file as \"CSV UTF-8\""})
				c = strings.ToValidUTF8(c, "\uFFFD") // reported once, here, not again as a bad value
			}
			cells[i] = unescapeFormula(strings.TrimSpace(c))
		}
		t.rows = append(t.rows, record{line: line, cells: cells})
	}
	if counted.n > MaxFileBytes {
		return nil, layout, []RowError{tooLarge}, nil
	}
	layout.Rows = len(t.rows)
	return t, layout, errs, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// csvError turns a CSV syntax error (a stray quote) into a RowError. Reading stops there: after a
// broken quote the reader cannot tell where rows begin.
func csvError(err error) RowError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			reason = `a quote (") inside a cell that is not quoted; quote the whole cell and double the quote`
		case errors.Is(pe.Err, csv.ErrQuote):
			reason = "a quoted cell is not closed; the rest of the file cannot be read"
		}
		return RowError{Line: pe.StartLine, Reason: reason}
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return RowError{Reason: "a line is too long"}
	}
	return RowError{Reason: "the file cannot be read as CSV"}
}

// detectDelimiter picks the separator of the header line: the header holds only column names,
// so whichever of comma, semicolon or tab occurs there is the separator.
func detectDelimiter(head []byte) rune {
	if i := bytes.IndexAny(head, "\r\n"); i >= 0 {
		head = head[:i]
	}
	best, bestN := ',', bytes.Count(head, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if n := bytes.Count(head, []byte(string(d))); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// formulaStart are the first characters that make spreadsheet programs evaluate a cell as a
// formula (OWASP "CSV injection").
const formulaStart = "=+-@"

// escapeFormula prefixes an apostrophe to a cell that a spreadsheet would evaluate, so that an
// exported bio starting with "=" stays text; unescapeFormula removes it again on import.
func escapeFormula(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

func unescapeFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
