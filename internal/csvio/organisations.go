package csvio

import (
	"io"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The columns of an organisations file, in the order export writes them.
const (
	colID          = "id"
	colName        = "name"
	colNameEn      = "name_en"
	colKind        = "kind"
	colOrgCountry  = "country"
	colOrgMuni     = "municipality"
	colParent      = "parent"
	colWebsite     = "website"
	colEmailDomain = "email_domain"
	colDescription = "description"
)

// OrganisationColumns returns the columns of an organisations file in export order.
func OrganisationColumns() []string {
	return []string{colID, colName, colNameEn, colKind, colOrgCountry, colOrgMuni, colParent, colWebsite,
		colEmailDomain, colDescription}
}

func organisationsRequired() []string { return []string{colID, colName, colKind, colOrgCountry} }

// OrganisationRow is one valid row of an organisations file.
type OrganisationRow struct {
	Line         int
	Organisation bridge.Organisation
}

// OrganisationsFile is an organisations file that passed validation.
type OrganisationsFile struct {
	columns map[string]bool
	ref     refIndex
	Rows    []OrganisationRow
}

// Organisations returns the rows as domain values, in file order.
func (f *OrganisationsFile) Organisations() []bridge.Organisation {
	out := make([]bridge.Organisation, len(f.Rows))
	for i, r := range f.Rows {
		out[i] = r.Organisation
	}
	return out
}

// ParseOrganisations reads and validates a whole organisations file against the reference data.
// A parent may be an organisation in the graph or any row of the same file (export writes rows
// in id order, so a parent can come after its child); a parent chain must not loop.
func ParseOrganisations(r io.Reader, ref Reference, progress func(done, total int)) (*OrganisationsFile, []RowError, error) {
	f, _, errs, err := ParseOrganisationsWith(r, ref, Options{Progress: progress})
	return f, errs, err
}

// ParseOrganisationsWith is ParseOrganisations with a column mapping; it also returns the file's
// layout.
func ParseOrganisationsWith(r io.Reader, ref Reference, opts Options) (*OrganisationsFile, Layout, []RowError, error) {
	progress := opts.Progress
	t, layout, errs, err := readTable(r, OrganisationColumns(), organisationsRequired(), opts.Mapping)
	if err != nil || t == nil {
		return nil, layout, errs, err
	}
	ix := ref.index()
	f := &OrganisationsFile{columns: map[string]bool{}, ref: ix}
	for _, name := range t.header {
		f.columns[name] = name != ""
	}
	// First pass: the ids of the file, so that a parent may come later in the file.
	inFile := map[string]int{}
	for _, rec := range t.rows {
		if id := strings.ToLower(t.cell(rec, colID)); id != "" {
			if _, dup := inFile[id]; !dup {
				inFile[id] = rec.line
			}
		}
	}
	parents := map[string]string{} // the parent links once the file is written
	for id, parent := range ix.orgParents {
		parents[id] = parent
	}
	type checked struct {
		c   *rowCheck
		org bridge.Organisation
	}
	var rows []checked
	for i, rec := range t.rows {
		c := &rowCheck{line: rec.line}
		o := organisationFromRecord(c, t, rec, ix, inFile)
		if first := inFile[o.ID]; o.ID != "" && first != rec.line {
			c.fail(colID, "the same id as line %d", first)
		}
		if f.columns[colParent] || !ix.hasOrg(o.ID) {
			parents[o.ID] = o.ParentID
		}
		rows = append(rows, checked{c, o})
		if progress != nil && (i%500 == 499 || i == len(t.rows)-1) {
			progress(i+1, len(t.rows))
		}
	}
	for _, r := range rows {
		if r.org.ParentID != "" && r.org.ParentID != r.org.ID {
			if cycle := parentCycle(parents, r.org.ID); cycle != "" {
				r.c.fail(colParent, "the parents form a loop: %s", cycle)
			}
		}
		if len(r.c.errs) == 0 {
			f.Rows = append(f.Rows, OrganisationRow{Line: r.c.line, Organisation: r.org})
		}
		errs = append(errs, r.c.errs...)
	}
	if len(errs) > 0 {
		sortErrors(errs)
		return nil, layout, errs, nil
	}
	return f, layout, nil, nil
}

// parentCycle follows the parent links from id and returns the loop ("a → b → a") when it comes
// back to id, or "" when the chain ends.
func parentCycle(parents map[string]string, id string) string {
	path := []string{id}
	seen := map[string]bool{id: true}
	for cur := parents[id]; cur != ""; cur = parents[cur] {
		path = append(path, cur)
		if cur == id {
			return strings.Join(path, " → ")
		}
		if seen[cur] {
			return "" // a loop further up that does not pass through id: reported on its own rows
		}
		seen[cur] = true
	}
	return ""
}

func organisationFromRecord(c *rowCheck, t *table, rec record, ix refIndex, inFile map[string]int) bridge.Organisation {
	get := func(col string) string { return t.cell(rec, col) }
	o := bridge.Organisation{
		ID:          strings.ToLower(get(colID)),
		Name:        get(colName),
		NameEn:      get(colNameEn),
		Kind:        bridge.OrganisationKind(strings.ToUpper(get(colKind))),
		Website:     get(colWebsite),
		EmailDomain: strings.ToLower(get(colEmailDomain)),
		Description: get(colDescription),
		ParentID:    strings.ToLower(get(colParent)),
	}
	if c.required(colID, o.ID) {
		c.slug(colID, o.ID)
	}
	if c.required(colName, o.Name) {
		o.Name = c.oneLine(colName, o.Name, MaxOrgNameLen, true)
	}
	o.NameEn = c.oneLine(colNameEn, o.NameEn, MaxOrgNameLen, false)
	if c.required(colKind, string(o.Kind)) && !o.Kind.Valid() {
		kinds := make([]string, len(bridge.OrganisationKinds))
		for i, k := range bridge.OrganisationKinds {
			kinds[i] = string(k)
		}
		c.fail(colKind, "unknown kind %q (one of %s)", short(string(o.Kind)), strings.Join(kinds, ", "))
	}
	country := strings.ToUpper(get(colOrgCountry))
	switch {
	case country == "" && o.Kind != bridge.OrgNordic:
		c.fail(colOrgCountry, "required, except for kind %s", bridge.OrgNordic)
	case country != "" && !ix.countries[country]:
		c.fail(colOrgCountry, "unknown country %q (one of DK FI IS NO SE FO GL AX)", short(country))
	default:
		o.CountryCode = country
	}
	if v := get(colOrgMuni); v != "" {
		if country == "" {
			c.fail(colOrgMuni, "a municipality needs a country")
		} else if o.CountryCode != "" {
			id, reason, sugg := ix.municipality(o.CountryCode, v)
			if reason != "" {
				c.failSuggesting(colOrgMuni, sugg, "%s", reason)
			}
			o.MunicipalityID = id
		}
	}
	if o.ParentID != "" {
		_, inGraph := ix.orgParents[o.ParentID]
		_, inThisFile := inFile[o.ParentID]
		switch {
		case o.ParentID == o.ID:
			c.fail(colParent, "an organisation cannot be its own parent")
		case !inGraph && !inThisFile:
			c.fail(colParent, "unknown organisation %q (not in Bridge and not in this file)", short(o.ParentID))
		}
	}
	c.website(colWebsite, o.Website)
	c.domain(colEmailDomain, o.EmailDomain)
	o.Description = c.text(colDescription, o.Description, MaxBioLen)
	return o
}

// Merge completes a row that updates an existing organisation: the columns that the file does
// not have keep the stored values.
func (f *OrganisationsFile) Merge(existing bridge.Organisation, incoming *bridge.Organisation) {
	keep := func(col string) bool { return !f.columns[col] }
	if keep(colNameEn) {
		incoming.NameEn = existing.NameEn
	}
	if keep(colOrgMuni) && incoming.CountryCode != "" && f.ref.munis[existing.MunicipalityID].CountryCode == incoming.CountryCode {
		incoming.MunicipalityID = existing.MunicipalityID
	}
	if keep(colParent) {
		incoming.ParentID = existing.ParentID
	}
	if keep(colWebsite) {
		incoming.Website = existing.Website
	}
	if keep(colEmailDomain) {
		incoming.EmailDomain = existing.EmailDomain
	}
	if keep(colDescription) {
		incoming.Description = existing.Description
	}
}

// OrganisationRecord is an organisation as a row of OrganisationColumns.
func OrganisationRecord(o bridge.Organisation) []string {
	return []string{o.ID, o.Name, o.NameEn, string(o.Kind), o.CountryCode, o.MunicipalityID, o.ParentID, o.Website,
		o.EmailDomain, o.Description}
}
