package neo4jstore

// Importing organisations: one transaction for a validated file (see import.go).

import (
	"context"
	"maps"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

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
		return nil, ieAudit(ctx, tx, opt.Audit, "organisations", res)
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
		"searchText": searchText(o.Name, o.NameEn)}
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
