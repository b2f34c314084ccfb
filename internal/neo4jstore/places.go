package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/text/unicode/norm"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var _ bridge.PlaceService = (*Store)(nil)

// The page queries count all matches and read one page after the cursor in one round trip.
// The count walks the (indexed) filter, not the pages; the page is a keyset read on the key.
const (
	municipalityProjection = `m{.id, .officialCode, .name, .names, .country, .population, .populationDate,
	region: r{.id, .officialCode, .name, .level, .country}}`

	qMunicipalitiesPage = `
CALL () {
  MATCH (m:Municipality)
  WHERE ($country IS NULL OR m.country = $country)
    AND ($region IS NULL OR EXISTS { (m)-[:IN_REGION]->(:Region {id: $region}) })
  RETURN count(m) AS total
}
CALL () {
  MATCH (m:Municipality)
  WHERE ($country IS NULL OR m.country = $country)
    AND ($region IS NULL OR EXISTS { (m)-[:IN_REGION]->(:Region {id: $region}) })
    AND ($after IS NULL OR m.id > $after)
  WITH m ORDER BY m.id LIMIT $limit
  OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region)
  RETURN collect(` + municipalityProjection + `) AS items
}
RETURN total, items`

	qMunicipalitiesTextPage = `
CALL () {
  CALL db.index.fulltext.queryNodes('search_text', $text) YIELD node AS m
  WITH m WHERE m:Municipality
    AND ($country IS NULL OR m.country = $country)
    AND ($region IS NULL OR EXISTS { (m)-[:IN_REGION]->(:Region {id: $region}) })
  RETURN count(m) AS total
}
CALL () {
  CALL db.index.fulltext.queryNodes('search_text', $text) YIELD node AS m
  WITH m WHERE m:Municipality
    AND ($country IS NULL OR m.country = $country)
    AND ($region IS NULL OR EXISTS { (m)-[:IN_REGION]->(:Region {id: $region}) })
    AND ($after IS NULL OR m.id > $after)
  WITH m ORDER BY m.id LIMIT $limit
  OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region)
  RETURN collect(` + municipalityProjection + `) AS items
}
RETURN total, items`

	qMunicipalityByID = `
MATCH (m:Municipality {id: $id})
OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region)
RETURN ` + municipalityProjection + ` AS item`
)

// Municipalities implements bridge.PlaceService.
func (s *Store) Municipalities(ctx context.Context, f bridge.MunicipalityFilter, p bridge.Page) (bridge.MunicipalityPage, error) {
	params := map[string]any{"country": nullIfEmpty(f.CountryCode), "region": nullIfEmpty(f.RegionID),
		"after": nullIfEmpty(p.After), "limit": int64(p.First + 1)}
	query, name := qMunicipalitiesPage, "municipalities_page"
	if f.Text != "" {
		text := FullTextQuery(f.Text)
		if text == "" {
			return bridge.MunicipalityPage{}, bridge.InvalidInput([]string{"filter", "text"}, "the text has no letters or digits to search for")
		}
		params["text"] = text
		query, name = qMunicipalitiesTextPage, "municipalities_text_page"
	}
	recs, err := s.read(ctx, name, query, params)
	if err != nil {
		return bridge.MunicipalityPage{}, err
	}
	var page bridge.MunicipalityPage
	if len(recs) == 0 {
		return page, nil
	}
	total, _, err := neo4j.GetRecordValue[int64](recs[0], "total")
	if err != nil {
		return page, fmt.Errorf("municipalities: total: %w", err)
	}
	items, _, err := neo4j.GetRecordValue[[]any](recs[0], "items")
	if err != nil {
		return page, fmt.Errorf("municipalities: items: %w", err)
	}
	page.TotalCount = int(total)
	for _, it := range items {
		m, err := municipalityFromValue(it)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, m)
	}
	if len(page.Items) > p.First {
		page.Items, page.HasNextPage = page.Items[:p.First], true
	}
	return page, nil
}

// MunicipalityByID implements bridge.PlaceService.
func (s *Store) MunicipalityByID(ctx context.Context, id string) (*bridge.Municipality, error) {
	recs, err := s.read(ctx, "municipality_by_id", qMunicipalityByID, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	v, _ := recs[0].Get("item")
	m, err := municipalityFromValue(v)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

const (
	qRegions = `
MATCH (r:Region) WHERE $country IS NULL OR r.country = $country
RETURN r{.id, .officialCode, .name, .level, .country} AS item ORDER BY r.id`
	qRegionByID = `
MATCH (r:Region {id: $id})
RETURN r{.id, .officialCode, .name, .level, .country} AS item`
)

// Regions implements bridge.PlaceService.
func (s *Store) Regions(ctx context.Context, countryCode string) ([]bridge.Region, error) {
	recs, err := s.read(ctx, "regions", qRegions, map[string]any{"country": nullIfEmpty(countryCode)})
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Region, 0, len(recs))
	for _, rec := range recs {
		v, _ := rec.Get("item")
		r, err := regionFromValue(v)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, nil
}

// RegionByID implements bridge.PlaceService.
func (s *Store) RegionByID(ctx context.Context, id string) (*bridge.Region, error) {
	recs, err := s.read(ctx, "region_by_id", qRegionByID, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	v, _ := recs[0].Get("item")
	return regionFromValue(v)
}

func regionFromValue(v any) (*bridge.Region, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("region: want map, got %T", v)
	}
	var r bridge.Region
	var errs []error
	r.ID, errs = str(m, "id", errs)
	r.OfficialCode, errs = optStr(m, "officialCode", errs)
	r.Name, errs = str(m, "name", errs)
	r.Level, errs = optStr(m, "level", errs)
	r.CountryCode, errs = str(m, "country", errs)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("region record: %w", err)
	}
	return &r, nil
}

func municipalityFromValue(v any) (bridge.Municipality, error) {
	var out bridge.Municipality
	m, ok := v.(map[string]any)
	if !ok {
		return out, fmt.Errorf("municipality: want map, got %T", v)
	}
	var errs []error
	out.ID, errs = str(m, "id", errs)
	out.OfficialCode, errs = optStr(m, "officialCode", errs)
	out.Name, errs = str(m, "name", errs)
	out.Names, errs = strList(m, "names", errs)
	out.CountryCode, errs = str(m, "country", errs)
	out.PopulationDate, errs = optStr(m, "populationDate", errs)
	if p, ok := m["population"].(int64); ok {
		out.Population = int(p)
	}
	region, err := regionFromValue(m["region"])
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return out, fmt.Errorf("municipality record: %w", err)
	}
	if region != nil {
		out.Region, out.RegionID = region, region.ID
	}
	return out, nil
}

// FullTextQuery turns what a user typed into a Lucene query for the search_text index: only
// letters and digits survive (no Lucene syntax reaches the index), and every word must match
// either exactly or as a prefix (Reykjavik finds Reykjavíkurborg). Letter folding (ö→o, å→a)
// happens in the index's standard-folding analyzer. It returns "" when nothing is left.
func FullTextQuery(text string) string {
	// Compose first (NFC, as stored text is): a combining mark is not a letter, so "o" + U+0308
	// would otherwise split a word in two.
	words := strings.FieldsFunc(strings.ToLower(norm.NFC.String(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 8 {
		words = words[:8]
	}
	parts := make([]string, 0, len(words))
	for _, w := range words {
		parts = append(parts, "("+w+" OR "+w+"*)")
	}
	return strings.Join(parts, " AND ")
}

const qMunicipalitiesByIDs = `
UNWIND $ids AS id
MATCH (m:Municipality {id: id})
OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region)
RETURN ` + municipalityProjection + ` AS item`

// MunicipalitiesByIDs returns the municipalities with the keys, each with its region, keyed by key.
func (s *Store) MunicipalitiesByIDs(ctx context.Context, ids []string) (map[string]bridge.Municipality, error) {
	out := make(map[string]bridge.Municipality, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "municipalities_by_ids", qMunicipalitiesByIDs, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		v, _ := r.Get("item")
		m, err := municipalityFromValue(v)
		if err != nil {
			return nil, err
		}
		out[m.ID] = m
	}
	return out, nil
}
