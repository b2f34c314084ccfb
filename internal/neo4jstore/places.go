package neo4jstore

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var _ bridge.PlaceService = (*Store)(nil)

// The page queries count all matches and read one page after the cursor in one round trip.
// The count walks the (indexed) filter, not the pages; the page is a keyset read on the key.
const (
	municipalityProjection = `m{.id, .officialCode, .name, .names, .country, .population, .populationDate, .populationSource,
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
  CALL db.index.fulltext.queryNodes('things_text', $text) YIELD node AS m
  WITH m WHERE m:Municipality
    AND ($country IS NULL OR m.country = $country)
    AND ($region IS NULL OR EXISTS { (m)-[:IN_REGION]->(:Region {id: $region}) })
  RETURN count(m) AS total
}
CALL () {
  CALL db.index.fulltext.queryNodes('things_text', $text) YIELD node AS m
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
	page.Items, page.TotalCount, page.HasNextPage, err = readPage(recs, p.First, municipalityFromRow)
	return page, err
}

// MunicipalityByID implements bridge.PlaceService.
func (s *Store) MunicipalityByID(ctx context.Context, id string) (*bridge.Municipality, error) {
	recs, err := s.read(ctx, "municipality_by_id", qMunicipalityByID, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	m, err := municipalityFromRow(recordRow(recs[0]).Row("item"))
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
		r, err := regionFromRow(recordRow(rec).Row("item"))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// RegionByID implements bridge.PlaceService.
func (s *Store) RegionByID(ctx context.Context, id string) (*bridge.Region, error) {
	recs, err := s.read(ctx, "region_by_id", qRegionByID, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	r, err := regionFromRow(recordRow(recs[0]).Row("item"))
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func regionFromRow(r *row) (bridge.Region, error) {
	out := bridge.Region{ID: r.Str("id"), OfficialCode: r.OptStr("officialCode"), Name: r.Str("name"),
		Level: r.OptStr("level"), CountryCode: r.Str("country")}
	return out, r.Err("region record")
}

func municipalityFromRow(r *row) (bridge.Municipality, error) {
	out := bridge.Municipality{ID: r.Str("id"), OfficialCode: r.OptStr("officialCode"), Name: r.Str("name"),
		Names: r.Strs("names"), CountryCode: r.Str("country"), PopulationDate: r.OptStr("populationDate"),
		Population: r.OptInt("population"), PopulationSource: r.OptStr("populationSource")}
	if region := r.OptRow("region"); region != nil {
		reg, err := regionFromRow(region)
		if err != nil {
			return out, err
		}
		out.Region, out.RegionID = &reg, reg.ID
	}
	return out, r.Err("municipality record")
}

// FullTextQuery turns what a user typed into a Lucene query for the search_text index: only
// letters and digits survive (no Lucene syntax reaches the index), and every word must match
// either exactly or as a prefix (Reykjavik finds Reykjavíkurborg). Each word is folded as the
// index's standard-folding analyzer folds (foldWord: ö→o, å→a, í→i), because Lucene does not
// analyze prefix terms: "Jyväs" must look up "jyvas*". It returns "" when nothing is left.
func FullTextQuery(text string) string {
	return fieldQuery("", foldedWords(queryWords(text)), true)
}

// queryWords are the words of what a user typed, lower case, composed (NFC), at most eight.
func queryWords(text string) []string {
	// Compose first (NFC, as stored text is): a combining mark is not a letter, so "o" + U+0308
	// would otherwise split a word in two.
	words := strings.FieldsFunc(strings.ToLower(norm.NFC.String(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 8 {
		words = words[:8]
	}
	return words
}

func foldedWords(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = foldWord(w)
	}
	return out
}

// spellingQuery is the query for words spelt one letter off: every word of five letters or more
// may differ by one edit (Lucene's fuzzy term: stokholm~1 finds stockholm), shorter ones match
// as in FullTextQuery (one letter off in a short word finds too many others).
func spellingQuery(folded []string) string {
	parts := make([]string, 0, len(folded))
	for _, w := range folded {
		if utf8.RuneCountInString(w) >= 5 {
			parts = append(parts, "("+w+" OR "+w+"~1)")
		} else {
			parts = append(parts, "("+w+" OR "+w+"*)")
		}
	}
	return strings.Join(parts, " AND ")
}

// fieldQuery is a Lucene query in which every word must match, in field (every field of the
// index when empty), exactly or, with prefix, also as the beginning of a word.
func fieldQuery(field string, words []string, prefix bool) string {
	parts := make([]string, 0, len(words))
	for _, w := range words {
		term := w
		if prefix {
			term = "(" + w + " OR " + w + "*)"
		}
		if field != "" {
			term = field + ":" + term
		}
		parts = append(parts, term)
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
		m, err := municipalityFromRow(recordRow(r).Row("item"))
		if err != nil {
			return nil, err
		}
		out[m.ID] = m
	}
	return out, nil
}
