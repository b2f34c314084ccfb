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

	orgFilters = `
  WHERE ($country IS NULL OR o.country = $country)
    AND ($kinds IS NULL OR o.kind IN $kinds)
    AND ($inactive OR o.active)`
	orgPageTail = `
  WITH o WHERE $after IS NULL OR o.id > $after
  WITH o ORDER BY o.id LIMIT $limit
  RETURN collect(` + orgProjection + `) AS items
}
RETURN total, items`
	qOrganisationsPage = `
CALL () { MATCH (o:Organisation)` + orgFilters + ` RETURN count(o) AS total }
CALL () { MATCH (o:Organisation)` + orgFilters + orgPageTail
	orgByText          = `CALL db.index.fulltext.queryNodes('search_text', $text) YIELD node AS o WITH o WHERE o:Organisation`
	qOrganisationsText = `
CALL () { ` + orgByText + ` WITH o` + orgFilters + ` RETURN count(o) AS total }
CALL () { ` + orgByText + ` WITH o` + orgFilters + orgPageTail
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
		"inactive": f.IncludeInactive, "after": nullIfEmpty(p.After), "limit": int64(p.First + 1)}
	query, name := qOrganisationsPage, "organisations_page"
	if f.Text != "" {
		text := FullTextQuery(f.Text)
		if text == "" {
			return bridge.OrganisationPage{}, bridge.InvalidInput([]string{"filter", "text"}, "the text has no letters or digits to search for")
		}
		params["text"] = text
		query, name = qOrganisationsText, "organisations_text_page"
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

// qProgramme reads the groups, events and practices in one round trip.
const qProgramme = `
RETURN
  COLLECT { MATCH (g:ExpertGroup) WITH g ORDER BY g.id
            RETURN g{.id, .name, .kind, .description, themes: [(g)-[:FOCUSES_ON]->(t:Theme) | t.id]} } AS groups,
  COLLECT { MATCH (e:Event) WITH e ORDER BY e.startDate, e.id
            RETURN e{.id, .name, .description, .city, .country, startDate: toString(e.startDate),
                     endDate: toString(e.endDate), themes: [(e)-[:ABOUT]->(t:Theme) | t.id]} } AS events,
  COLLECT { MATCH (p:Practice) WITH p ORDER BY p.id
            RETURN p{.id, .title, .kind, .summary, .year, .url, .countries,
                     themes: [(p)-[:ABOUT]->(t:Theme) | t.id]} } AS practices`

// Programme implements bridge.ProgrammeService.
func (s *Store) Programme(ctx context.Context) (bridge.Programme, error) {
	var out bridge.Programme
	recs, err := s.read(ctx, "programme", qProgramme, nil)
	if err != nil || len(recs) == 0 {
		return out, err
	}
	rec := recordRow(recs[0])
	for _, g := range rec.Rows("groups") {
		out.Groups = append(out.Groups, bridge.ExpertGroup{ID: g.Str("id"), Name: g.Str("name"),
			Kind: bridge.GroupKind(g.Str("kind")), Description: g.OptStr("description"), ThemeIDs: g.Strs("themes")})
	}
	for _, e := range rec.Rows("events") {
		out.Events = append(out.Events, bridge.Event{ID: e.Str("id"), Name: e.Str("name"), Description: e.OptStr("description"),
			City: e.OptStr("city"), CountryCode: e.OptStr("country"), StartDate: e.Str("startDate"), EndDate: e.Str("endDate"),
			ThemeIDs: e.Strs("themes")})
	}
	for _, p := range rec.Rows("practices") {
		out.Practices = append(out.Practices, bridge.Practice{ID: p.Str("id"), Title: p.Str("title"),
			Kind: bridge.PracticeKind(p.Str("kind")), Summary: p.OptStr("summary"), URL: p.OptStr("url"),
			CountryCodes: p.Strs("countries"), ThemeIDs: p.Strs("themes"), Year: p.OptInt("year")})
	}
	return out, rec.Err("programme")
}

const (
	practiceThemeFilter = `
WHERE $themes IS NULL OR EXISTS { MATCH (p)-[:ABOUT]->(:Theme)-[:BROADER*0..2]->(ft:Theme) WHERE ft.id IN $themes }
RETURN p.id AS value ORDER BY value`
	qPracticeIDs     = `MATCH (p:Practice)` + practiceThemeFilter
	qPracticeIDsText = `CALL db.index.fulltext.queryNodes('search_text', $text) YIELD node AS p
WITH p WHERE p:Practice` + "\n" + `WITH p` + practiceThemeFilter
)

// PracticeIDs implements bridge.ProgrammeService.
func (s *Store) PracticeIDs(ctx context.Context, text string, themeIDs []string) ([]string, error) {
	params := map[string]any{"themes": nullIfNone(themeIDs)}
	if text == "" {
		return s.readStrings(ctx, "practice_ids", qPracticeIDs, params)
	}
	if params["text"] = FullTextQuery(text); params["text"] == "" {
		return nil, bridge.InvalidInput([]string{"filter", "text"}, "the text has no letters or digits to search for")
	}
	return s.readStrings(ctx, "practice_ids_text", qPracticeIDsText, params)
}
