package neo4jstore

// Importing people: one transaction for a validated file (see import.go).

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The person as an import row sees it: the same projection for the existing people that an
// import compares with and for export, so that "unchanged" means "export would write the same".
const qPersonImportProjection = `
CALL (p) { OPTIONAL MATCH (p)-[:LOCATED_IN]->(m:Municipality) RETURN collect(m.id)[0] AS municipality }
CALL (p) {
  OPTIONAL MATCH (p)-[w:WORKS_ON]->(t:Theme)
  WITH w, t ORDER BY t.id
  RETURN collect(CASE WHEN t IS NULL THEN null ELSE {id: t.id, mode: w.mode} END) AS themes
}
CALL (p) {
  OPTIONAL MATCH (p)-[a:WORKS_AT]->(o:Organisation)
  WITH a, o ORDER BY o.id
  RETURN collect(CASE WHEN o IS NULL THEN null ELSE {org: o.id, role: a.role, since: toString(a.since)} END) AS affiliations
}
RETURN p{.id, .email, .emailKey, .givenName, .familyName, .title, .bio, .phone, .languages, .country, .visibility,
  .openToIntroductions, .introductionsPerQuarter, .confirmed, .source, .demo, .language,
  municipality: municipality, themes: themes, affiliations: affiliations} AS person`

const (
	qImportExistingPeople = `
UNWIND $keys AS k
MATCH (p:Person {emailKey: k})` + qPersonImportProjection

	// qImportCheckPeopleRefs re-checks, inside the write transaction, that everything the rows
	// point to still exists: validation ran on a read taken before the transaction began.
	qImportCheckPeopleRefs = `
RETURN size([x IN $municipalities WHERE NOT EXISTS { MATCH (:Municipality {id: x}) }])
     + size([x IN $themes WHERE NOT EXISTS { MATCH (:Theme {id: x}) }])
     + size([x IN $organisations WHERE NOT EXISTS { MATCH (:Organisation {id: x}) }]) AS missing`

	// qImportPeople writes new and changed people. It replaces only the links a row owns
	// (municipality, themes, affiliations), deleting only those that differ, so that link
	// properties the file does not carry (an affiliation's since) survive. A person who confirmed
	// the profile in the meantime is left alone; the statement returns the rows it wrote. A row
	// written counts as activity for the retention job (lastActiveAt) and ends its reconfirmation
	// request: the secretariat maintains the profile.
	qImportPeople = `
UNWIND $rows AS row
MERGE (p:Person {emailKey: row.emailKey})
ON CREATE SET p.id = row.id, p.source = 'IMPORT', p.demo = false, p.confirmed = false, p.createdAt = datetime()
WITH p, row WHERE coalesce(p.confirmed, false) = false
SET p.givenName = row.givenName, p.familyName = row.familyName, p.name = row.name, p.title = row.title,
    p.bio = row.bio, p.email = row.email, p.phone = row.phone, p.languages = row.languages,
    p.country = row.country, p.visibility = 'SECRETARIAT', p.openToIntroductions = row.open,
    p.introductionsPerQuarter = row.perQuarter, p.language = row.language, p.lastActiveAt = datetime()
REMOVE p.reconfirmRequestedAt, p.reconfirmBy
WITH p, row
CALL (p, row) { MATCH (p)-[old:LOCATED_IN]->(m) WHERE row.municipality IS NULL OR m.id <> row.municipality DELETE old }
CALL (p, row) { MATCH (m:Municipality {id: row.municipality}) MERGE (p)-[:LOCATED_IN]->(m) }
CALL (p, row) { MATCH (p)-[old:WORKS_ON]->(t) WHERE NOT t.id IN [x IN row.themes | x.id] DELETE old }
CALL (p, row) {
  UNWIND row.themes AS x
  MATCH (t:Theme {id: x.id})
  MERGE (p)-[w:WORKS_ON]->(t) SET w.mode = x.mode, w.theme = t.id, w.person = p.id
}
CALL (p, row) { MATCH (p)-[old:WORKS_AT]->(o) WHERE NOT o.id IN [a IN row.affiliations | a.org] DELETE old }
CALL (p, row) {
  UNWIND row.affiliations AS a
  MATCH (o:Organisation {id: a.org})
  MERGE (p)-[w:WORKS_AT]->(o) SET w.role = a.role
}` + syncLinkNames + `
RETURN row.i AS written`
)

// ImportPeople writes validated people in ONE write transaction: after it the graph holds all of
// the rows or, on any failure, none. A row matches an existing person by e-mail, compared without
// regard to case (bridge.EmailKey); a match that the person has confirmed is skipped (the person
// maintains it), one that would not change is left untouched, and the rest are written. New
// people are SECRETARIAT-visible, unconfirmed and of source IMPORT, with a fresh UUID drawn
// before the transaction (whose work may be retried). Writing the same rows again changes
// nothing.
func (s *Store) ImportPeople(ctx context.Context, people []bridge.Person, opt ImportOptions[bridge.Person]) (ImportResult, error) {
	if len(people) > MaxImportRows {
		return ImportResult{}, bridge.Errorf(bridge.CodeBadUserInput, "an import may hold at most %d rows, not %d", MaxImportRows, len(people))
	}
	rows := slices.Clone(people)
	keys := make([]string, len(rows))
	seen := map[string]bool{}
	refs := map[string]map[string]bool{"municipalities": {}, "themes": {}, "organisations": {}}
	for i := range rows {
		p := &rows[i]
		keys[i] = bridge.EmailKey(p.Email)
		if keys[i] == "" || seen[keys[i]] {
			return ImportResult{}, bridge.Errorf(bridge.CodeBadUserInput, "row %d: a missing or repeated e-mail address", i+1)
		}
		seen[keys[i]] = true
		p.ID = uuid.NewString() // used only if the person is new
		if p.MunicipalityID != "" {
			refs["municipalities"][p.MunicipalityID] = true
		}
		for _, t := range p.Themes {
			refs["themes"][t.ThemeID] = true
		}
		for _, a := range p.Affiliations {
			refs["organisations"][a.OrganisationID] = true
		}
	}
	checkParams := map[string]any{}
	for k, set := range refs {
		checkParams[k] = slices.Sorted(maps.Keys(set))
	}

	var res ImportResult
	_, err := s.bulk().run(ctx, neo4j.AccessModeWrite, "import_people", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res = ImportResult{} // the work may run again on retry
		if err := ieCheckRefs(ctx, tx, qImportCheckPeopleRefs, checkParams); err != nil {
			return nil, err
		}
		existing := map[string]bridge.Person{}
		for start := 0; start < len(keys); start += importReadChunk {
			recs, err := ieRun(ctx, tx, qImportExistingPeople, map[string]any{"keys": keys[start:min(start+importReadChunk, len(keys))]}, nil)
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				// Keyed by the stored key the MATCH used, not one derived again from the address.
				person := recordRow(r).Row("person")
				key := person.Str("emailKey")
				p, err := personFromImportRow(person)
				if err != nil {
					return nil, err
				}
				existing[key] = p
			}
		}
		var write []map[string]any
		var writeIdx []int // the row index of each entry of write
		updates := map[int]bool{}
		for i := range rows {
			incoming := rows[i] // a copy: a retry starts again from the file's row
			old, found := existing[keys[i]]
			switch {
			case found && old.Confirmed:
				res.Skipped = append(res.Skipped, i)
				continue
			case found:
				if opt.Merge != nil {
					opt.Merge(old, &incoming)
				}
				if samePersonImport(old, incoming) {
					res.Unchanged++
					continue
				}
				updates[i] = true
			}
			write = append(write, personImportRow(i, incoming))
			writeIdx = append(writeIdx, i)
		}
		done := len(rows) - len(write)
		if opt.Progress != nil {
			opt.Progress(done, len(rows))
		}
		for start := 0; start < len(write); start += importWriteChunk {
			chunk := write[start:min(start+importWriteChunk, len(write))]
			recs, err := ieRun(ctx, tx, qImportPeople, map[string]any{"rows": chunk}, &res.Counts)
			if err != nil {
				return nil, err
			}
			written, err := ieWritten(recs)
			if err != nil {
				return nil, err
			}
			for _, i := range writeIdx[start : start+len(chunk)] {
				switch {
				case !written[i]: // confirmed by the person since the read above
					res.Skipped = append(res.Skipped, i)
				case updates[i]:
					res.Updated++
				default:
					res.Created++
				}
			}
			done += len(chunk)
			if opt.Progress != nil {
				opt.Progress(done, len(rows))
			}
		}
		slices.Sort(res.Skipped)
		return nil, ieAudit(ctx, tx, opt.Audit, "people", res)
	})
	if err != nil {
		return ImportResult{}, ieMemoryError(err)
	}
	return res, nil
}

// personImportRow is the parameter row of qImportPeople. Empty optional values are null, which
// removes the property.
func personImportRow(i int, p bridge.Person) map[string]any {
	themes := make([]map[string]any, 0, len(p.Themes))
	for _, t := range p.Themes {
		themes = append(themes, map[string]any{"id": t.ThemeID, "mode": string(t.Mode)})
	}
	affs := make([]map[string]any, 0, len(p.Affiliations))
	for _, a := range p.Affiliations {
		affs = append(affs, map[string]any{"org": a.OrganisationID, "role": nullIfEmpty(a.Role)})
	}
	return map[string]any{"i": int64(i), "id": p.ID, "emailKey": bridge.EmailKey(p.Email), "email": p.Email,
		"givenName": p.GivenName, "familyName": p.FamilyName, "name": strings.TrimSpace(p.GivenName + " " + p.FamilyName),
		"title": nullIfEmpty(p.Title), "bio": nullIfEmpty(p.Bio), "phone": nullIfEmpty(p.Phone),
		"languages": emptyIfNil(p.Languages), "country": p.CountryCode, "municipality": nullIfEmpty(p.MunicipalityID),
		"themes": themes, "affiliations": affs, "open": p.OpenToIntroductions, "perQuarter": int64(p.IntroductionsPerQuarter),
		"language": nullIfEmpty(p.Language)}
}

// samePersonImport reports whether writing incoming over existing would change nothing an import
// owns. Themes and affiliations are sets (the projection orders them by id); languages keep
// their order, as the person gave it.
func samePersonImport(existing, incoming bridge.Person) bool {
	e, n := existing, incoming
	if e.Email != n.Email || e.GivenName != n.GivenName || e.FamilyName != n.FamilyName || e.Title != n.Title ||
		e.Bio != n.Bio || e.Phone != n.Phone || e.CountryCode != n.CountryCode || e.MunicipalityID != n.MunicipalityID ||
		e.OpenToIntroductions != n.OpenToIntroductions || e.IntroductionsPerQuarter != n.IntroductionsPerQuarter ||
		e.Visibility != bridge.VisibilitySecretariat || !slices.Equal(e.Languages, n.Languages) || e.Language != n.Language {
		return false
	}
	themeKey := func(t bridge.ThemeLink) string { return t.ThemeID + ":" + string(t.Mode) }
	affKey := func(a bridge.Affiliation) string { return a.OrganisationID + "\x00" + a.Role }
	return sameSet(e.Themes, n.Themes, themeKey) && sameSet(e.Affiliations, n.Affiliations, affKey)
}

// personFromImportRow maps qPersonImportProjection's map to a Person. An affiliation's since,
// stored as a string or as a Cypher date, comes as a string (toString in the projection).
func personFromImportRow(r *row) (bridge.Person, error) {
	p := bridge.Person{ID: r.Str("id"), Email: r.OptStr("email"), GivenName: r.OptStr("givenName"),
		FamilyName: r.OptStr("familyName"), Title: r.OptStr("title"), Bio: r.OptStr("bio"), Phone: r.OptStr("phone"),
		Languages: r.Strs("languages"), CountryCode: r.OptStr("country"), Visibility: bridge.Visibility(r.OptStr("visibility")),
		Source: bridge.PersonSource(r.OptStr("source")), MunicipalityID: r.OptStr("municipality"),
		OpenToIntroductions: r.OptBool("openToIntroductions"), Confirmed: r.OptBool("confirmed"), Demo: r.OptBool("demo"),
		IntroductionsPerQuarter: r.OptInt("introductionsPerQuarter"), Language: r.OptStr("language"),
		Themes: themeLinks(r), Affiliations: affiliations(r)}
	return p, r.Err("person " + p.ID)
}
