package neo4jstore

// The store side of `bridge import` and `bridge export`: the reference data that import rows are
// validated against, the one-transaction import of a validated file, and keyset-paged export.
// The file format and its validation live in internal/csvio; this file sees only domain values.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MaxImportRows is the most rows one import may write. The whole file goes into one
// transaction, whose state the server holds in memory; the command's documentation states the
// same limit (csvio.MaxRows).
const MaxImportRows = 50_000

// MaxExportPage bounds one export round trip.
const MaxExportPage = 5_000

// Rows per statement inside the import transaction: small enough for a steady progress display,
// large enough that round trips do not dominate.
const (
	importWriteChunk = 1_000
	importReadChunk  = 5_000
)

// ImportReference is what import rows may point to: every country code, municipality (key,
// country, official code), theme id and organisation (id and parent id).
type ImportReference struct {
	Countries      []string
	Municipalities []bridge.Municipality
	ThemeIDs       []string
	Organisations  []bridge.Organisation
}

const qImportReference = `
CALL () { MATCH (c:Country) RETURN collect(c.code) AS countries }
CALL () { MATCH (m:Municipality) RETURN collect({id: m.id, country: m.country, officialCode: m.officialCode}) AS municipalities }
CALL () { MATCH (t:Theme) RETURN collect(t.id) AS themes }
CALL () {
  MATCH (o:Organisation)
  OPTIONAL MATCH (o)-[:PART_OF]->(p:Organisation)
  RETURN collect({id: o.id, parent: p.id}) AS organisations
}
RETURN countries, municipalities, themes, organisations`

// ImportReference loads the reference data for validating an import file in one round trip, so
// that validation never queries per row.
func (s *Store) ImportReference(ctx context.Context) (ImportReference, error) {
	recs, err := s.bulk().read(ctx, "import_reference", qImportReference, nil)
	if err != nil {
		return ImportReference{}, err
	}
	var ref ImportReference
	if len(recs) == 0 {
		return ref, nil
	}
	rec := recordRow(recs[0])
	ref.Countries, ref.ThemeIDs = rec.Strs("countries"), rec.Strs("themes")
	for _, m := range rec.Rows("municipalities") {
		ref.Municipalities = append(ref.Municipalities, bridge.Municipality{ID: m.Str("id"), CountryCode: m.Str("country"),
			OfficialCode: m.OptStr("officialCode")})
	}
	for _, o := range rec.Rows("organisations") {
		ref.Organisations = append(ref.Organisations, bridge.Organisation{ID: o.Str("id"), ParentID: o.OptStr("parent")})
	}
	return ref, rec.Err("import reference")
}

// ImportOptions are the caller's hooks into an import transaction. Both may run more than once:
// the driver retries the transaction on transient errors.
type ImportOptions[T any] struct {
	// Merge completes a row that updates an existing node, e.g. with the values of the columns
	// that the file does not have. Nil leaves rows as they are.
	Merge func(existing T, incoming *T)
	// Progress is told how many of the rows are done (written, unchanged or skipped).
	Progress func(done, total int)
}

// ImportResult says what an import did. Skipped holds the indexes (into the rows given) of the
// people left alone because they maintain their own profile.
type ImportResult struct {
	Created, Updated, Unchanged int
	Skipped                     []int
	Counts                      WriteCounts
}

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
  .openToIntroductions, .introductionsPerQuarter, .confirmed, .source, .demo,
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
    p.introductionsPerQuarter = row.perQuarter, p.lastActiveAt = datetime()
REMOVE p.reconfirmRequestedAt, p.reconfirmBy
WITH p, row
CALL (p, row) { MATCH (p)-[old:LOCATED_IN]->(m) WHERE row.municipality IS NULL OR m.id <> row.municipality DELETE old }
CALL (p, row) { MATCH (m:Municipality {id: row.municipality}) MERGE (p)-[:LOCATED_IN]->(m) }
CALL (p, row) { MATCH (p)-[old:WORKS_ON]->(t) WHERE NOT t.id IN [x IN row.themes | x.id] DELETE old }
CALL (p, row) {
  UNWIND row.themes AS x
  MATCH (t:Theme {id: x.id})
  MERGE (p)-[w:WORKS_ON]->(t) SET w.mode = x.mode
}
CALL (p, row) { MATCH (p)-[old:WORKS_AT]->(o) WHERE NOT o.id IN [a IN row.affiliations | a.org] DELETE old }
CALL (p, row) {
  UNWIND row.affiliations AS a
  MATCH (o:Organisation {id: a.org})
  MERGE (p)-[w:WORKS_AT]->(o) SET w.role = a.role
}
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
		return nil, nil
	})
	if err != nil {
		return ImportResult{}, ieMemoryError(err)
	}
	return res, nil
}

// ieRun runs one statement inside a transaction, collects its records and adds its update
// counters to counts (when not nil).
func ieRun(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any, counts *WriteCounts) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return nil, ieMemoryError(err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, ieMemoryError(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, ieMemoryError(err)
	}
	if counts != nil {
		c := sum.Counters()
		*counts = counts.Add(WriteCounts{c.NodesCreated(), c.NodesDeleted(), c.RelationshipsCreated(),
			c.RelationshipsDeleted(), c.PropertiesSet()})
	}
	return recs, nil
}

// ieMemoryError turns the server's "transaction memory exhausted" errors into a message the
// operator can act on. The server classifies them as transient, which would make the driver
// retry (and the generic translation say "try again shortly"), but the same file will exhaust the
// same memory again: a domain error is not retried and passes translate unchanged.
//
// The error may also come at commit, after the work function, wrapped in the driver's
// TransactionExecutionLimit (which does not unwrap to its causes): its causes are searched too.
func ieMemoryError(err error) error {
	causes := []error{err}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		causes = append(causes, limit.Errors...)
	}
	for _, cause := range causes {
		var neoErr *neo4j.Neo4jError
		if !errors.As(cause, &neoErr) || (neoErr.Code != "Neo.TransientError.General.MemoryPoolOutOfMemoryError" &&
			neoErr.Code != "Neo.TransientError.General.TransactionOutOfMemoryError") {
			continue
		}
		return &bridge.Error{Code: bridge.CodeBadUserInput, Err: fmt.Errorf("server error %s", neoErr.Code),
			Message: "the file needs more transaction memory than the database server allows (about 20 kB per row); " +
				"split it into smaller files, or give the server more heap (server.memory.heap.max_size) and transaction memory " +
				"(dbms.memory.transaction.total.max)"}
	}
	return err
}

// ieCheckRefs runs a reference check that returns the number of missing targets, and turns a
// non-zero answer into a CONFLICT that rolls the transaction back.
func ieCheckRefs(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) error {
	recs, err := ieRun(ctx, tx, query, params, nil)
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("reference check: %d records", len(recs))
	}
	missing, err := column(recs[0], "missing", (*row).Int)
	if err != nil {
		return fmt.Errorf("reference check: %w", err)
	}
	if missing > 0 {
		return bridge.Errorf(bridge.CodeConflict, "%d municipalities, themes or organisations that the file names were removed while it was checked; nothing was imported, run the import again", missing)
	}
	return nil
}

// ieWritten reads the row indexes that an import statement returns, one record each (column
// written).
func ieWritten(recs []*neo4j.Record) (map[int]bool, error) {
	out := map[int]bool{}
	for _, r := range recs {
		i, err := column(r, "written", (*row).Int)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		out[i] = true
	}
	return out, nil
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
		"themes": themes, "affiliations": affs, "open": p.OpenToIntroductions, "perQuarter": int64(p.IntroductionsPerQuarter)}
}

// samePersonImport reports whether writing incoming over existing would change nothing an import
// owns. Themes and affiliations are sets (the projection orders them by id); languages keep
// their order, as the person gave it.
func samePersonImport(existing, incoming bridge.Person) bool {
	e, n := existing, incoming
	if e.Email != n.Email || e.GivenName != n.GivenName || e.FamilyName != n.FamilyName || e.Title != n.Title ||
		e.Bio != n.Bio || e.Phone != n.Phone || e.CountryCode != n.CountryCode || e.MunicipalityID != n.MunicipalityID ||
		e.OpenToIntroductions != n.OpenToIntroductions || e.IntroductionsPerQuarter != n.IntroductionsPerQuarter ||
		e.Visibility != bridge.VisibilitySecretariat || !slices.Equal(e.Languages, n.Languages) {
		return false
	}
	themeKey := func(t bridge.ThemeLink) string { return t.ThemeID + ":" + string(t.Mode) }
	affKey := func(a bridge.Affiliation) string { return a.OrganisationID + "\x00" + a.Role }
	return sameSet(e.Themes, n.Themes, themeKey) && sameSet(e.Affiliations, n.Affiliations, affKey)
}

func sameSet[T any](a, b []T, key func(T) string) bool {
	if len(a) != len(b) {
		return false
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i], kb[i] = key(a[i]), key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// personFromImportRow maps qPersonImportProjection's map to a Person. An affiliation's since,
// stored as a string or as a Cypher date, comes as a string (toString in the projection).
func personFromImportRow(r *row) (bridge.Person, error) {
	p := bridge.Person{ID: r.Str("id"), Email: r.OptStr("email"), GivenName: r.OptStr("givenName"),
		FamilyName: r.OptStr("familyName"), Title: r.OptStr("title"), Bio: r.OptStr("bio"), Phone: r.OptStr("phone"),
		Languages: r.Strs("languages"), CountryCode: r.OptStr("country"), Visibility: bridge.Visibility(r.OptStr("visibility")),
		Source: bridge.PersonSource(r.OptStr("source")), MunicipalityID: r.OptStr("municipality"),
		OpenToIntroductions: r.OptBool("openToIntroductions"), Confirmed: r.OptBool("confirmed"), Demo: r.OptBool("demo"),
		IntroductionsPerQuarter: r.OptInt("introductionsPerQuarter"), Themes: themeLinks(r), Affiliations: affiliations(r)}
	return p, r.Err("person " + p.ID)
}

// The organisation as an import row sees it.
const qOrganisationImportProjection = `
CALL (o) { OPTIONAL MATCH (o)-[:LOCATED_IN]->(m:Municipality) RETURN collect(m.id)[0] AS municipality }
CALL (o) { OPTIONAL MATCH (o)-[:PART_OF]->(x:Organisation) RETURN collect(x.id)[0] AS parent }
RETURN o{.id, .name, .nameEn, .kind, .description, .country, .website, .emailDomain, .source, .active, .demo,
  municipality: municipality, parent: parent} AS org`

const (
	qImportExistingOrganisations = `
UNWIND $ids AS id
MATCH (o:Organisation {id: id})` + qOrganisationImportProjection

	qImportCheckOrganisationRefs = `
RETURN size([x IN $municipalities WHERE NOT EXISTS { MATCH (:Municipality {id: x}) }])
     + size([x IN $countries WHERE NOT EXISTS { MATCH (:Country {code: x}) }])
     + size([x IN $parents WHERE NOT EXISTS { MATCH (:Organisation {id: x}) }]) AS missing`

	// qImportOrganisations writes new and changed organisations and their places; parents follow
	// in qImportOrganisationParents, once every organisation of the file exists.
	qImportOrganisations = `
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o.source = 'IMPORT', o.active = true, o.demo = false
SET o.name = row.name, o.nameEn = row.nameEn, o.kind = row.kind, o.description = row.description,
    o.country = row.country, o.website = row.website, o.emailDomain = row.emailDomain, o.searchText = row.searchText
WITH o, row
CALL (o, row) { MATCH (o)-[old:IN_COUNTRY]->(c) WHERE row.country IS NULL OR c.code <> row.country DELETE old }
CALL (o, row) { MATCH (c:Country {code: row.country}) MERGE (o)-[:IN_COUNTRY]->(c) }
CALL (o, row) { MATCH (o)-[old:LOCATED_IN]->(m) WHERE row.municipality IS NULL OR m.id <> row.municipality DELETE old }
CALL (o, row) { MATCH (m:Municipality {id: row.municipality}) MERGE (o)-[:LOCATED_IN]->(m) }
RETURN count(*) AS written`

	// qImportOrganisationParents replaces a changed parent link; an unchanged one keeps its
	// confirmed flag, a new one is unconfirmed.
	qImportOrganisationParents = `
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id})
CALL (o, row) { MATCH (o)-[old:PART_OF]->(x) WHERE row.parent IS NULL OR x.id <> row.parent DELETE old }
CALL (o, row) { MATCH (x:Organisation {id: row.parent}) MERGE (o)-[r:PART_OF]->(x) ON CREATE SET r.confirmed = false }`
)

// ImportOrganisations writes validated organisations in ONE write transaction, matching existing
// ones by id. New organisations are active, of source IMPORT; existing ones keep their source,
// activity and demo flag. A parent may be any organisation in the graph or in the rows. Writing
// the same rows again changes nothing.
func (s *Store) ImportOrganisations(ctx context.Context, orgs []bridge.Organisation, opt ImportOptions[bridge.Organisation]) (ImportResult, error) {
	if len(orgs) > MaxImportRows {
		return ImportResult{}, bridge.Errorf(bridge.CodeBadUserInput, "an import may hold at most %d rows, not %d", MaxImportRows, len(orgs))
	}
	ids := make([]string, len(orgs))
	seen := map[string]bool{}
	refs := map[string]map[string]bool{"municipalities": {}, "countries": {}, "parents": {}}
	for i, o := range orgs {
		if o.ID == "" || seen[o.ID] {
			return ImportResult{}, bridge.Errorf(bridge.CodeBadUserInput, "row %d: a missing or repeated id", i+1)
		}
		ids[i], seen[o.ID] = o.ID, true
	}
	for _, o := range orgs {
		if o.MunicipalityID != "" {
			refs["municipalities"][o.MunicipalityID] = true
		}
		if o.CountryCode != "" {
			refs["countries"][o.CountryCode] = true
		}
		if o.ParentID != "" && !seen[o.ParentID] {
			refs["parents"][o.ParentID] = true
		}
	}
	checkParams := map[string]any{}
	for k, set := range refs {
		checkParams[k] = slices.Sorted(maps.Keys(set))
	}

	var res ImportResult
	_, err := s.bulk().run(ctx, neo4j.AccessModeWrite, "import_organisations", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res = ImportResult{}
		if err := ieCheckRefs(ctx, tx, qImportCheckOrganisationRefs, checkParams); err != nil {
			return nil, err
		}
		existing := map[string]bridge.Organisation{}
		for start := 0; start < len(ids); start += importReadChunk {
			recs, err := ieRun(ctx, tx, qImportExistingOrganisations, map[string]any{"ids": ids[start:min(start+importReadChunk, len(ids))]}, nil)
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				o, err := organisationFromImportRow(recordRow(r).Row("org"))
				if err != nil {
					return nil, err
				}
				existing[o.ID] = o
			}
		}
		var write []map[string]any
		for _, o := range orgs {
			incoming := o
			if old, found := existing[o.ID]; found {
				if opt.Merge != nil {
					opt.Merge(old, &incoming)
				}
				if sameOrganisationImport(old, incoming) {
					res.Unchanged++
					continue
				}
				res.Updated++
			} else {
				res.Created++
			}
			write = append(write, organisationImportRow(incoming))
		}
		// The organisations first, then their parents (which may be any row), over the changed rows;
		// progress counts the first pass, the second is a fraction of it.
		done := len(orgs) - len(write)
		if opt.Progress != nil {
			opt.Progress(done, len(orgs))
		}
		for _, q := range []string{qImportOrganisations, qImportOrganisationParents} {
			for start := 0; start < len(write); start += importWriteChunk {
				chunk := write[start:min(start+importWriteChunk, len(write))]
				if _, err := ieRun(ctx, tx, q, map[string]any{"rows": chunk}, &res.Counts); err != nil {
					return nil, err
				}
				if q == qImportOrganisations {
					done += len(chunk)
					if opt.Progress != nil {
						opt.Progress(done, len(orgs))
					}
				}
			}
		}
		return nil, nil
	})
	if err != nil {
		return ImportResult{}, ieMemoryError(err)
	}
	return res, nil
}

func organisationImportRow(o bridge.Organisation) map[string]any {
	return map[string]any{"id": o.ID, "name": o.Name, "nameEn": nullIfEmpty(o.NameEn), "kind": string(o.Kind),
		"description": nullIfEmpty(o.Description), "country": nullIfEmpty(o.CountryCode),
		"municipality": nullIfEmpty(o.MunicipalityID), "parent": nullIfEmpty(o.ParentID),
		"website": nullIfEmpty(o.Website), "emailDomain": nullIfEmpty(o.EmailDomain),
		"searchText": strings.TrimSpace(o.Name + " " + o.NameEn)}
}

func sameOrganisationImport(e, n bridge.Organisation) bool {
	return e.Name == n.Name && e.NameEn == n.NameEn && e.Kind == n.Kind && e.Description == n.Description &&
		e.CountryCode == n.CountryCode && e.MunicipalityID == n.MunicipalityID && e.ParentID == n.ParentID &&
		e.Website == n.Website && e.EmailDomain == n.EmailDomain
}

func organisationFromImportRow(r *row) (bridge.Organisation, error) {
	o := bridge.Organisation{ID: r.Str("id"), Name: r.OptStr("name"), NameEn: r.OptStr("nameEn"),
		Kind: bridge.OrganisationKind(r.OptStr("kind")), Description: r.OptStr("description"), CountryCode: r.OptStr("country"),
		Website: r.OptStr("website"), EmailDomain: r.OptStr("emailDomain"), Source: r.OptStr("source"),
		MunicipalityID: r.OptStr("municipality"), ParentID: r.OptStr("parent"), Active: r.OptBool("active"), Demo: r.OptBool("demo")}
	return o, r.Err("organisation " + o.ID)
}

// Export reads in keyset pages on our id: each page is one round trip that starts where the last
// one ended (an index seek on the id), so that exporting 100,000 people costs the same per page
// from the first page to the last, and memory holds one page at a time.
const (
	qExportPeoplePage = `
MATCH (p:Person)
WHERE p.id > $after AND ($includeDemo OR coalesce(p.demo, false) = false)
WITH p ORDER BY p.id LIMIT $limit` + qPersonImportProjection

	qExportPeopleCount = `
MATCH (p:Person) WHERE $includeDemo OR coalesce(p.demo, false) = false
RETURN count(p) AS total`

	qExportOrganisationsPage = `
MATCH (o:Organisation)
WHERE o.id > $after AND ($includeDemo OR coalesce(o.demo, false) = false)
WITH o ORDER BY o.id LIMIT $limit` + qOrganisationImportProjection

	qExportOrganisationsCount = `
MATCH (o:Organisation) WHERE $includeDemo OR coalesce(o.demo, false) = false
RETURN count(o) AS total`
)

// ExportFilter chooses what an export reads.
type ExportFilter struct {
	IncludeDemo bool // demo people and organisations are left out unless asked for
}

func exportParams(f ExportFilter, after string, limit int) (map[string]any, error) {
	if limit < 1 || limit > MaxExportPage {
		return nil, bridge.Errorf(bridge.CodeBadUserInput, "an export page holds 1 to %d rows", MaxExportPage)
	}
	return map[string]any{"after": after, "limit": int64(limit), "includeDemo": f.IncludeDemo}, nil
}

// CountExportPeople returns how many people an export will write (for its progress display).
func (s *Store) CountExportPeople(ctx context.Context, f ExportFilter) (int, error) {
	return s.exportCount(ctx, "export_people_count", qExportPeopleCount, f)
}

// CountExportOrganisations returns how many organisations an export will write.
func (s *Store) CountExportOrganisations(ctx context.Context, f ExportFilter) (int, error) {
	return s.exportCount(ctx, "export_organisations_count", qExportOrganisationsCount, f)
}

func (s *Store) exportCount(ctx context.Context, name, query string, f ExportFilter) (int, error) {
	recs, err := s.read(ctx, name, query, map[string]any{"includeDemo": f.IncludeDemo})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return column(recs[0], "total", (*row).Int)
}

// ExportPeople returns up to limit people whose id sorts after `after` ("" for the first page),
// ordered by id, with what an import row holds: the caller pages on by passing the last id.
func (s *Store) ExportPeople(ctx context.Context, f ExportFilter, after string, limit int) ([]bridge.Person, error) {
	params, err := exportParams(f, after, limit)
	if err != nil {
		return nil, err
	}
	recs, err := s.read(ctx, "export_people_page", qExportPeoplePage, params)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Person, 0, len(recs))
	for _, r := range recs {
		p, err := personFromImportRow(recordRow(r).Row("person"))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ExportOrganisations returns up to limit organisations whose id sorts after `after`, ordered by
// id.
func (s *Store) ExportOrganisations(ctx context.Context, f ExportFilter, after string, limit int) ([]bridge.Organisation, error) {
	params, err := exportParams(f, after, limit)
	if err != nil {
		return nil, err
	}
	recs, err := s.read(ctx, "export_organisations_page", qExportOrganisationsPage, params)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Organisation, 0, len(recs))
	for _, r := range recs {
		o, err := organisationFromImportRow(recordRow(r).Row("org"))
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

const qAuditExport = `
CREATE (a:AuditEvent {id: $id, action: $action, at: datetime(), actor: $actor, count: $count})
RETURN a.id AS id`

// AuditExport records that personal data left the system in bulk: which export, by which tool
// and how many records, never the data itself. It returns the event's id.
func (s *Store) AuditExport(ctx context.Context, action, actor string, count int) (string, error) {
	id := uuid.NewString()
	_, err := s.write(ctx, "audit_export", statement{qAuditExport, map[string]any{"id": id, "action": action, "actor": actor, "count": int64(count)}})
	return id, err
}
