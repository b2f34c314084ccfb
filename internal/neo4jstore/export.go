package neo4jstore

// The store side of `bridge export`: keyset-paged reads of people and organisations, and the
// audit event of an export.

import (
	"context"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MaxExportPage bounds one export round trip.
const MaxExportPage = 5_000

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
func (s *Store) AuditExport(ctx context.Context, action bridge.AuditAction, actor string, count int) (string, error) {
	id := uuid.NewString()
	_, err := s.write(ctx, "audit_export", statement{qAuditExport, map[string]any{"id": id, "action": string(action), "actor": actor, "count": int64(count)}})
	return id, err
}
