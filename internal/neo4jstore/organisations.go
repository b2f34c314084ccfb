package neo4jstore

import (
	"context"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var (
	_ bridge.OrganisationService = (*Store)(nil)
	_ bridge.ProgrammeService    = (*Store)(nil)
)

const (
	orgProjection = `o{.id, .name, .nameEn, .kind, .description, .country, .website, .emailDomain, .source, .active, .demo,
  version: coalesce(o.version, 0),
  municipality: [(o)-[:LOCATED_IN]->(m:Municipality) | m.id][0],
  parent: [(o)-[r:PART_OF]->(q:Organisation) | q.id][0],
  parentConfirmed: coalesce([(o)-[r:PART_OF]->(:Organisation) | r.confirmed][0], false)}`

	qOrganisationsByIDs = `
UNWIND $ids AS id
MATCH (o:Organisation {id: id})
RETURN ` + orgProjection + ` AS item`

	orgConds = `($country IS NULL OR o.country = $country)
    AND ($kinds IS NULL OR o.kind IN $kinds)
    AND ($inactive OR o.active)`
	// The page seeks the id index from the cursor ($after is "" on the first page: every id
	// sorts after it), so that the index gives the order and LIMIT stops the scan after the page.
	orgPageTail = `
  WITH o ORDER BY o.id LIMIT $limit
  RETURN collect(` + orgProjection + `) AS items
}
RETURN total, items`
	orgByText = `CALL db.index.fulltext.queryNodes('things_text', $text) YIELD node AS o WITH o WHERE o:Organisation`
	orgCount  = `CALL () { MATCH (o:Organisation) WHERE ` + orgConds + ` RETURN count(o) AS total }`
	orgPage   = `
CALL () { MATCH (o:Organisation) WHERE o.id > $after AND ` + orgConds + orgPageTail
	orgTextCount = `CALL () { ` + orgByText + ` AND ` + orgConds + ` RETURN count(o) AS total }`
	orgTextPage  = `
CALL () { ` + orgByText + ` AND o.id > $after AND ` + orgConds + orgPageTail
	// Without totalCount in the selection the page is read alone (-1 is never shown).
	noCount = `WITH -1 AS total`

	qOrganisationsPage        = orgCount + orgPage
	qOrganisationsPageNoCount = noCount + orgPage
	qOrganisationsText        = orgTextCount + orgTextPage
	qOrganisationsTextNoCount = noCount + orgTextPage
)

// OrganisationsByIDs implements bridge.OrganisationService.
func (s *Store) OrganisationsByIDs(ctx context.Context, ids []string) (map[string]bridge.Organisation, error) {
	out := make(map[string]bridge.Organisation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "organisations_by_ids", qOrganisationsByIDs, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		o, err := orgFromRow(recordRow(r).Row("item"))
		if err != nil {
			return nil, err
		}
		out[o.ID] = o
	}
	return out, nil
}

// Organisations implements bridge.OrganisationService.
func (s *Store) Organisations(ctx context.Context, f bridge.OrganisationFilter, p bridge.Page) (bridge.OrganisationPage, error) {
	params := map[string]any{"country": nullIfEmpty(f.CountryCode), "kinds": nullIfNone(f.Kinds),
		"inactive": f.IncludeInactive, "after": p.After, "limit": int64(p.First + 1)}
	query, name := qOrganisationsPage, "organisations_page"
	if p.SkipCount {
		query = qOrganisationsPageNoCount
	}
	if f.Text != "" {
		text := FullTextQuery(f.Text)
		if text == "" {
			return bridge.OrganisationPage{}, bridge.InvalidInput([]string{"filter", "text"}, "the text has no letters or digits to search for")
		}
		params["text"] = text
		query, name = qOrganisationsText, "organisations_text_page"
		if p.SkipCount {
			query = qOrganisationsTextNoCount
		}
	}
	recs, err := s.read(ctx, name, query, params)
	if err != nil {
		return bridge.OrganisationPage{}, err
	}
	var page bridge.OrganisationPage
	page.Items, page.TotalCount, page.HasNextPage, err = readPage(recs, p.First, orgFromRow)
	return page, err
}

func orgFromRow(r *row) (bridge.Organisation, error) {
	o := bridge.Organisation{ID: r.Str("id"), Name: r.Str("name"), NameEn: r.OptStr("nameEn"),
		Kind: bridge.OrganisationKind(r.Str("kind")), Description: r.OptStr("description"), CountryCode: r.OptStr("country"),
		Website: r.OptStr("website"), EmailDomain: r.OptStr("emailDomain"), Source: r.OptStr("source"),
		MunicipalityID: r.OptStr("municipality"), ParentID: r.OptStr("parent"), ParentConfirmed: r.Bool("parentConfirmed"),
		Active: r.OptBool("active"), Demo: r.OptBool("demo"), Version: r.Int("version")}
	return o, r.Err("organisation record")
}
