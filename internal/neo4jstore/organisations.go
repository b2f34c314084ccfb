package neo4jstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

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
		x, _ := r.Get("item")
		o, err := orgFromValue(x)
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
	if err != nil || len(recs) == 0 {
		return bridge.OrganisationPage{}, err
	}
	total, _, err1 := neo4j.GetRecordValue[int64](recs[0], "total")
	items, _, err2 := neo4j.GetRecordValue[[]any](recs[0], "items")
	if err := errors.Join(err1, err2); err != nil {
		return bridge.OrganisationPage{}, fmt.Errorf("organisations: %w", err)
	}
	page := bridge.OrganisationPage{TotalCount: int(total)}
	for _, x := range items {
		o, err := orgFromValue(x)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, o)
	}
	if len(page.Items) > p.First {
		page.Items, page.HasNextPage = page.Items[:p.First], true
	}
	return page, nil
}

func orgFromValue(x any) (bridge.Organisation, error) {
	var o bridge.Organisation
	m, ok := x.(map[string]any)
	if !ok {
		return o, fmt.Errorf("organisation: want map, got %T", x)
	}
	var errs []error
	var kind string
	o.ID, errs = str(m, "id", errs)
	o.Name, errs = str(m, "name", errs)
	o.NameEn, errs = optStr(m, "nameEn", errs)
	kind, errs = str(m, "kind", errs)
	o.Kind = bridge.OrganisationKind(kind)
	o.Description, errs = optStr(m, "description", errs)
	o.CountryCode, errs = optStr(m, "country", errs)
	o.Website, errs = optStr(m, "website", errs)
	o.EmailDomain, errs = optStr(m, "emailDomain", errs)
	o.Source, errs = optStr(m, "source", errs)
	o.MunicipalityID, errs = optStr(m, "municipality", errs)
	o.ParentID, errs = optStr(m, "parent", errs)
	o.ParentConfirmed, _ = m["parentConfirmed"].(bool)
	o.Active, _ = m["active"].(bool)
	o.Demo, _ = m["demo"].(bool)
	if v, ok := m["version"].(int64); ok {
		o.Version = int(v)
	}
	if err := errors.Join(errs...); err != nil {
		return o, fmt.Errorf("organisation record: %w", err)
	}
	return o, nil
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
	var errs []error
	each := func(key string, conv func(map[string]any) []error) {
		raw, _, err := neo4j.GetRecordValue[[]any](recs[0], key)
		errs = append(errs, err)
		for _, x := range raw {
			m, ok := x.(map[string]any)
			if !ok {
				errs = append(errs, fmt.Errorf("%s: want map, got %T", key, x))
				continue
			}
			errs = append(errs, conv(m)...)
		}
	}
	each("groups", func(m map[string]any) (errs []error) {
		var g bridge.ExpertGroup
		var kind string
		g.ID, errs = str(m, "id", errs)
		g.Name, errs = str(m, "name", errs)
		kind, errs = str(m, "kind", errs)
		g.Kind = bridge.GroupKind(kind)
		g.Description, errs = optStr(m, "description", errs)
		g.ThemeIDs, errs = strList(m, "themes", errs)
		out.Groups = append(out.Groups, g)
		return errs
	})
	each("events", func(m map[string]any) (errs []error) {
		var e bridge.Event
		e.ID, errs = str(m, "id", errs)
		e.Name, errs = str(m, "name", errs)
		e.Description, errs = optStr(m, "description", errs)
		e.City, errs = optStr(m, "city", errs)
		e.CountryCode, errs = optStr(m, "country", errs)
		e.StartDate, errs = str(m, "startDate", errs)
		e.EndDate, errs = str(m, "endDate", errs)
		e.ThemeIDs, errs = strList(m, "themes", errs)
		out.Events = append(out.Events, e)
		return errs
	})
	each("practices", func(m map[string]any) (errs []error) {
		var p bridge.Practice
		var kind string
		p.ID, errs = str(m, "id", errs)
		p.Title, errs = str(m, "title", errs)
		kind, errs = str(m, "kind", errs)
		p.Kind = bridge.PracticeKind(kind)
		p.Summary, errs = optStr(m, "summary", errs)
		p.URL, errs = optStr(m, "url", errs)
		p.CountryCodes, errs = strList(m, "countries", errs)
		p.ThemeIDs, errs = strList(m, "themes", errs)
		if y, ok := m["year"].(int64); ok {
			p.Year = int(y)
		}
		out.Practices = append(out.Practices, p)
		return errs
	})
	if err := errors.Join(errs...); err != nil {
		return out, fmt.Errorf("programme: %w", err)
	}
	return out, nil
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
