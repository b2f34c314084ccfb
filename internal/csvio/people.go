package csvio

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The columns of a people file, in the order export writes them. docs/import.md describes each.
const (
	colEmail        = "email"
	colGivenName    = "given_name"
	colFamilyName   = "family_name"
	colTitle        = "title"
	colBio          = "bio"
	colPhone        = "phone"
	colCountry      = "country"
	colMunicipality = "municipality"
	colLanguages    = "languages"
	colThemes       = "themes"
	colOrganisation = "organisation"
	colRole         = "role"
	colOpen         = "open_to_introductions"
	colPerQuarter   = "introductions_per_quarter"
	colLanguage     = "language"
)

// PeopleColumns returns the columns of a people file in export order.
func PeopleColumns() []string {
	return []string{colEmail, colGivenName, colFamilyName, colTitle, colBio, colPhone, colCountry, colMunicipality,
		colLanguages, colThemes, colOrganisation, colRole, colOpen, colPerQuarter, colLanguage}
}

// peopleRequired are the columns every people file must have.
func peopleRequired() []string {
	return []string{colEmail, colGivenName, colFamilyName, colCountry}
}

// PersonRow is one valid row of a people file.
type PersonRow struct {
	Line   int
	Person bridge.Person
}

// PeopleFile is a people file that passed validation.
type PeopleFile struct {
	columns map[string]bool
	ref     refIndex
	Rows    []PersonRow
}

// People returns the rows as domain values, in file order.
func (f *PeopleFile) People() []bridge.Person {
	out := make([]bridge.Person, len(f.Rows))
	for i, r := range f.Rows {
		out[i] = r.Person
	}
	return out
}

// ParsePeople reads and validates a whole people file against the reference data. It returns
// the file when there is no problem, or every problem found (nil file) otherwise; err is for
// failures to read. progress, when not nil, is told how many rows of how many are validated.
func ParsePeople(r io.Reader, ref Reference, progress func(done, total int)) (*PeopleFile, []RowError, error) {
	f, _, errs, err := ParsePeopleWith(r, ref, Options{Progress: progress})
	return f, errs, err
}

// ParsePeopleWith is ParsePeople with a column mapping; it also returns the file's layout.
func ParsePeopleWith(r io.Reader, ref Reference, opts Options) (*PeopleFile, Layout, []RowError, error) {
	progress := opts.Progress
	t, layout, errs, err := readTable(r, PeopleColumns(), peopleRequired(), opts.Mapping)
	if err != nil || t == nil {
		return nil, layout, errs, err
	}
	if t.has(colRole) && !t.has(colOrganisation) {
		return nil, layout, append(errs, RowError{Line: 1, Column: colRole, Reason: "the role column needs the organisation column"}), nil
	}
	ix := ref.index()
	f := &PeopleFile{columns: map[string]bool{}, ref: ix}
	for _, name := range t.header {
		f.columns[name] = name != ""
	}
	firstLine := map[string]int{} // e-mail key → line of its first row
	for i, rec := range t.rows {
		c := &rowCheck{line: rec.line}
		p := personFromRecord(c, t, rec, ix)
		if p.Email != "" {
			key := bridge.EmailKey(p.Email)
			if first, dup := firstLine[key]; dup {
				c.fail(colEmail, "the same e-mail address as line %d (e-mails are compared without regard to case)", first)
			} else {
				firstLine[key] = rec.line
			}
		}
		if len(c.errs) == 0 {
			f.Rows = append(f.Rows, PersonRow{Line: rec.line, Person: p})
		}
		errs = append(errs, c.errs...)
		if progress != nil && (i%500 == 499 || i == len(t.rows)-1) {
			progress(i+1, len(t.rows))
		}
	}
	if len(errs) > 0 {
		sortErrors(errs)
		return nil, layout, errs, nil
	}
	return f, layout, nil, nil
}

// personFromRecord validates one row and returns the person it describes.
func personFromRecord(c *rowCheck, t *table, rec record, ix refIndex) bridge.Person {
	get := func(col string) string { return t.cell(rec, col) }
	p := bridge.Person{
		Email:      get(colEmail),
		GivenName:  get(colGivenName),
		FamilyName: get(colFamilyName),
		Title:      get(colTitle),
		Bio:        get(colBio),
		Phone:      get(colPhone),
	}
	if c.required(colEmail, p.Email) {
		c.email(colEmail, p.Email)
	}
	if c.required(colGivenName, p.GivenName) {
		p.GivenName = c.oneLine(colGivenName, p.GivenName, MaxNameLen, true)
	}
	if c.required(colFamilyName, p.FamilyName) {
		p.FamilyName = c.oneLine(colFamilyName, p.FamilyName, MaxNameLen, true)
	}
	p.Title = c.oneLine(colTitle, p.Title, MaxTitleLen, false)
	p.Bio = c.text(colBio, p.Bio, MaxBioLen)
	p.Phone = c.phone(colPhone, p.Phone)

	country := strings.ToUpper(get(colCountry))
	if c.required(colCountry, country) {
		if ix.countries[country] {
			p.CountryCode = country
		} else {
			c.fail(colCountry, "unknown country %q (one of DK FI IS NO SE FO GL AX)", short(country))
		}
	}
	if v := get(colMunicipality); v != "" && p.CountryCode != "" {
		id, reason, sugg := ix.municipality(p.CountryCode, v)
		if reason != "" {
			c.failSuggesting(colMunicipality, sugg, "%s", reason)
		}
		p.MunicipalityID = id
	}
	p.Languages = c.languages(colLanguages, get(colLanguages))
	p.Themes = parseThemes(c, colThemes, get(colThemes), ix)

	org, role := get(colOrganisation), get(colRole)
	role = c.oneLine(colRole, role, MaxTitleLen, false)
	if ids := byName(ix.orgNames, org); org != "" && !ix.hasOrg(org) && len(ids) == 1 {
		org = ids[0] // named by its name
	}
	switch {
	case org != "" && !ix.hasOrg(org):
		c.failSuggesting(colOrganisation, ix.suggest(ix.orgNames, org, same),
			"unknown organisation %q (the organisation must be in Bridge: import it first)", short(org))
	case org != "":
		p.Affiliations = []bridge.Affiliation{{OrganisationID: org, Role: role}}
	case role != "":
		c.fail(colRole, "a role needs an organisation")
	}
	p.OpenToIntroductions = c.boolean(colOpen, get(colOpen), false)
	p.IntroductionsPerQuarter = c.intRange(colPerQuarter, get(colPerQuarter), 0, MaxPerQuarter, 0)
	if v := strings.ToLower(get(colLanguage)); v != "" {
		if slices.Contains(bridge.MessageLanguages, v) {
			p.Language = v
		} else {
			c.fail(colLanguage, "unknown language %q (the language Bridge writes to the person in: one of %s)",
				short(v), strings.Join(bridge.MessageLanguages, " "))
		}
	}
	return p
}

func (ix refIndex) hasOrg(id string) bool {
	_, ok := ix.orgParents[id]
	return ok
}

// parseThemes parses "theme-id:OFFERS;other-theme:SEEKS" (modes in any case); a theme may be
// named by any of its labels instead of its id ("Health:OFFERS").
func parseThemes(c *rowCheck, column, v string, ix refIndex) []bridge.ThemeLink {
	items := splitList(v)
	if len(items) > MaxThemesPerRow {
		c.fail(column, "too many themes: %d, at most %d", len(items), MaxThemesPerRow)
		return nil
	}
	out := make([]bridge.ThemeLink, 0, len(items))
	seen := map[string]bool{}
	for i, item := range items {
		id, m, found := item, "", false
		if at := strings.LastIndex(item, ":"); at >= 0 {
			id, m, found = item[:at], item[at+1:], true
		}
		id, mode := strings.TrimSpace(id), bridge.ThemeMode(strings.ToUpper(strings.TrimSpace(m)))
		if ids := byName(ix.themeNames, id); !ix.themes[id] && len(ids) == 1 {
			id = ids[0] // named by a label
		}
		switch {
		case !found || mode == "":
			c.fail(column, "theme %q needs a mode: %s:OFFERS, %s:SEEKS or %s:BOTH", short(id), short(id), short(id), short(id))
		case !ix.themes[id]:
			c.failSuggesting(column, ix.suggest(ix.themeNames, id, func(key string) string {
				return replaceItem(items, i, key+":"+strings.TrimSpace(m))
			}), "unknown theme %q", short(id))
		case !mode.Valid():
			c.fail(column, "theme %s: unknown mode %q (OFFERS, SEEKS or BOTH)", id, short(string(mode)))
		case seen[id]:
			c.fail(column, "theme %s is listed twice", id)
		default:
			seen[id] = true
			out = append(out, bridge.ThemeLink{ThemeID: id, Mode: mode})
		}
	}
	return out
}

// Merge completes a row that updates an existing person: the columns that the file does not have
// keep the stored values, so that a file of only e-mails, names and countries does not erase
// titles or themes. Columns the file has replace the stored values, empty cells included.
func (f *PeopleFile) Merge(existing bridge.Person, incoming *bridge.Person) {
	keep := func(col string) bool { return !f.columns[col] }
	if keep(colTitle) {
		incoming.Title = existing.Title
	}
	if keep(colBio) {
		incoming.Bio = existing.Bio
	}
	if keep(colPhone) {
		incoming.Phone = existing.Phone
	}
	if keep(colMunicipality) && f.ref.munis[existing.MunicipalityID].CountryCode == incoming.CountryCode {
		incoming.MunicipalityID = existing.MunicipalityID
	}
	if keep(colLanguages) {
		incoming.Languages = existing.Languages
	}
	if keep(colThemes) {
		incoming.Themes = existing.Themes
	}
	switch {
	case keep(colOrganisation):
		incoming.Affiliations = existing.Affiliations
	case keep(colRole) && len(incoming.Affiliations) == 1:
		for _, a := range existing.Affiliations {
			if a.OrganisationID == incoming.Affiliations[0].OrganisationID {
				// A new slice: the row's own may be shared with the parsed file.
				incoming.Affiliations = []bridge.Affiliation{{OrganisationID: a.OrganisationID, Role: a.Role}}
			}
		}
	}
	if keep(colOpen) {
		incoming.OpenToIntroductions = existing.OpenToIntroductions
	}
	if keep(colPerQuarter) {
		incoming.IntroductionsPerQuarter = existing.IntroductionsPerQuarter
	}
	if keep(colLanguage) {
		incoming.Language = existing.Language
	}
}

// PersonRecord is a person as a row of PeopleColumns, the inverse of the import: importing the
// row gives the same person. A person with several affiliations has only the first (by
// organisation id) in the row; truncated says so.
func PersonRecord(p bridge.Person) (rec []string, truncated bool) {
	themes := make([]string, 0, len(p.Themes))
	for _, t := range p.Themes {
		themes = append(themes, t.ThemeID+":"+string(t.Mode))
	}
	var org, role string
	if len(p.Affiliations) > 0 {
		first := p.Affiliations[0]
		for _, a := range p.Affiliations[1:] {
			if a.OrganisationID < first.OrganisationID {
				first = a
			}
		}
		org, role = first.OrganisationID, first.Role
	}
	return []string{p.Email, p.GivenName, p.FamilyName, p.Title, p.Bio, p.Phone, p.CountryCode, p.MunicipalityID,
		strings.Join(p.Languages, ListSeparator), strings.Join(themes, ListSeparator), org, role,
		strconv.FormatBool(p.OpenToIntroductions), strconv.Itoa(p.IntroductionsPerQuarter), p.Language}, len(p.Affiliations) > 1
}
