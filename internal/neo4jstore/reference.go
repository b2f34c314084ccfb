package neo4jstore

import (
	"context"
	"slices"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Reference data statements. Each MERGEs nodes on our keys and then replaces the outgoing
// relationships that the reference data owns, so that seeding again changes nothing and seeding
// changed data leaves no stale link. Optional properties are set to null when empty, which
// removes them (uniqueness constraints then ignore them).
const (
	qUpsertRegions = `
UNWIND $rows AS row
MERGE (r:Region {id: row.id})
SET r.officialCode = row.officialCode, r.name = row.name, r.level = row.level, r.country = row.country,
    r.searchText = row.name
WITH r, row
OPTIONAL MATCH (r)-[old:IN_COUNTRY]->()
DELETE old
WITH DISTINCT r, row
MATCH (c:Country {code: row.country})
MERGE (r)-[:IN_COUNTRY]->(c)`

	qUpsertMunicipalities = `
UNWIND $rows AS row
MERGE (m:Municipality {id: row.id})
SET m.officialCode = row.officialCode, m.name = row.name, m.names = row.names, m.country = row.country,
    m.population = row.population, m.populationDate = row.populationDate,
    m.populationSource = row.populationSource, m.searchText = row.searchText
WITH m, row
OPTIONAL MATCH (m)-[old:IN_REGION|IN_COUNTRY]->()
DELETE old
WITH DISTINCT m, row
MATCH (c:Country {code: row.country})
MERGE (m)-[:IN_COUNTRY]->(c)
WITH m, row
OPTIONAL MATCH (r:Region {id: row.region})
FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END | MERGE (m)-[:IN_REGION]->(r))`

	qUpsertOrganisations = `
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
SET o.name = row.name, o.nameEn = row.nameEn, o.kind = row.kind, o.description = row.description,
    o.country = row.country, o.website = row.website, o.emailDomain = row.emailDomain, o.source = row.source,
    o.active = row.active, o.demo = row.demo, o.searchText = row.searchText
WITH o, row
OPTIONAL MATCH (o)-[old:IN_COUNTRY|LOCATED_IN|PART_OF]->()
DELETE old
WITH DISTINCT o, row
OPTIONAL MATCH (c:Country {code: row.country})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (o)-[:IN_COUNTRY]->(c))
WITH o, row
OPTIONAL MATCH (m:Municipality {id: row.municipality})
FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | MERGE (o)-[:LOCATED_IN]->(m))`

	qLinkOrganisationParents = `
UNWIND $rows AS row
WITH row WHERE row.parent IS NOT NULL
MATCH (o:Organisation {id: row.id}), (p:Organisation {id: row.parent})
MERGE (o)-[r:PART_OF]->(p)
SET r.confirmed = row.parentConfirmed`

	qUpsertThemes = `
UNWIND $rows AS row
MERGE (t:Theme {id: row.id})
SET t += row.props, t.languages = row.languages, t.crossWalks = row.crossWalks, t.name = row.name,
    t.aliases = coalesce(row.aliases, t.aliases),
    t.searchText = row.searchText + reduce(s = '', a IN coalesce(row.aliases, t.aliases, []) | s + ' | ' + a)
WITH t
OPTIONAL MATCH (t)-[old:BROADER]->()
DELETE old`

	qLinkBroaderThemes = `
UNWIND $rows AS row
UNWIND row.broader AS b
MATCH (t:Theme {id: row.id}), (p:Theme {id: b})
MERGE (t)-[:BROADER]->(p)`

	qUpsertGroups = `
UNWIND $rows AS row
MERGE (g:ExpertGroup {id: row.id})
SET g.name = row.name, g.kind = row.kind, g.description = row.description, g.searchText = row.description
WITH g, row
OPTIONAL MATCH (g)-[old:FOCUSES_ON]->()
DELETE old
WITH DISTINCT g, row
UNWIND row.themes AS tid
MATCH (t:Theme {id: tid})
MERGE (g)-[:FOCUSES_ON]->(t)`

	qUpsertEvents = `
UNWIND $rows AS row
MERGE (e:Event {id: row.id})
SET e.name = row.name, e.description = row.description, e.startDate = date(row.startDate),
    e.endDate = date(row.endDate), e.city = row.city, e.country = row.country, e.searchText = row.description
WITH e, row
OPTIONAL MATCH (e)-[old:ABOUT|IN_COUNTRY]->()
DELETE old
WITH DISTINCT e, row
OPTIONAL MATCH (c:Country {code: row.country})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (e)-[:IN_COUNTRY]->(c))
WITH e, row
UNWIND row.themes AS tid
MATCH (t:Theme {id: tid})
MERGE (e)-[:ABOUT]->(t)`

	qUpsertPractices = `
UNWIND $rows AS row
MERGE (p:Practice {id: row.id})
SET p.title = row.title, p.name = row.title, p.kind = row.kind, p.summary = row.summary, p.year = row.year,
    p.url = row.url, p.countries = row.countries, p.searchText = row.summary
WITH p, row
OPTIONAL MATCH (p)-[old:ABOUT|CONCERNS]->()
DELETE old
WITH DISTINCT p, row
CALL (p, row) {
  UNWIND row.themes AS tid
  MATCH (t:Theme {id: tid})
  MERGE (p)-[:ABOUT]->(t)
}
CALL (p, row) {
  UNWIND row.countries AS cc
  MATCH (c:Country {code: cc})
  MERGE (p)-[:CONCERNS]->(c)
}`
)

// UpsertReference writes all reference data in one transaction: after it, the graph holds either
// all of it or, on any failure, what it held before. Countries are written first, since
// everything else links to them.
func (s *Store) UpsertReference(ctx context.Context, ref bridge.ReferenceData) error {
	countries, err := countryRows(ref.Countries)
	if err != nil {
		return err
	}
	orgs := organisationRows(ref.Organisations)
	themes := themeRows(ref.Themes)
	p := func(rows []map[string]any) map[string]any { return map[string]any{"rows": rows} }
	_, err = s.bulk().write(ctx, "upsert_reference",
		statement{qUpsertCountries, p(countries)},
		statement{qUnlinkStaleCountryParents, p(countries)},
		statement{qLinkCountryParents, p(countries)},
		statement{qUpsertRegions, p(regionRows(ref.Regions))},
		statement{qUpsertMunicipalities, p(municipalityRows(ref.Municipalities))},
		statement{qUpsertOrganisations, p(orgs)},
		statement{qLinkOrganisationParents, p(orgs)},
		statement{qUpsertThemes, p(themes)},
		statement{qLinkBroaderThemes, p(themes)},
		statement{qUpsertGroups, p(groupRows(ref.Groups))},
		statement{qUpsertEvents, p(eventRows(ref.Events))},
		statement{qUpsertPractices, p(practiceRows(ref.Practices))},
	)
	return err
}

// nullIfEmpty maps an empty optional value to null, which removes the property when SET.
func nullIfEmpty[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// emptyIfNil is xs, or an empty list for none (a parameter that UNWIND or a list property reads).
func emptyIfNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func regionRows(rs []bridge.Region) []map[string]any {
	rows := make([]map[string]any, 0, len(rs))
	for _, r := range rs {
		rows = append(rows, map[string]any{"id": r.ID, "officialCode": r.OfficialCode, "name": r.Name,
			"level": r.Level, "country": r.CountryCode})
	}
	return rows
}

func municipalityRows(ms []bridge.Municipality) []map[string]any {
	rows := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, map[string]any{"id": m.ID, "officialCode": nullIfEmpty(m.OfficialCode), "name": m.Name,
			"names": emptyIfNil(m.Names), "country": m.CountryCode, "region": nullIfEmpty(m.RegionID),
			"population": nullIfEmpty(int64(m.Population)), "populationDate": nullIfEmpty(m.PopulationDate),
			"populationSource": nullIfEmpty(m.PopulationSource), "searchText": searchText(append(slices.Clone(m.Names), m.Aliases...)...)})
	}
	return rows
}

func organisationRows(os []bridge.Organisation) []map[string]any {
	rows := make([]map[string]any, 0, len(os))
	for _, o := range os {
		rows = append(rows, map[string]any{"id": o.ID, "name": o.Name, "nameEn": nullIfEmpty(o.NameEn),
			"kind": string(o.Kind), "description": nullIfEmpty(o.Description), "country": nullIfEmpty(o.CountryCode),
			"municipality": nullIfEmpty(o.MunicipalityID), "parent": nullIfEmpty(o.ParentID),
			"parentConfirmed": o.ParentConfirmed, "website": nullIfEmpty(o.Website),
			"emailDomain": nullIfEmpty(o.EmailDomain), "source": nullIfEmpty(o.Source), "active": o.Active,
			"demo": o.Demo, "searchText": searchText(o.Name, o.NameEn)})
	}
	return rows
}

// aliasesOrKeep is a theme's aliases for themeRows: nil (keep the stored ones) when it has
// none, since a theme saved by the secretariat comes without the seeded aliases.
func aliasesOrKeep(aliases []string) any {
	if len(aliases) == 0 {
		return nil
	}
	return aliases
}

// themeRows stores labels and descriptions as label_<lang> and description_<lang> properties
// (Neo4j properties cannot hold maps); searchText holds every label and alias, so a theme is
// found by its name in any language and by the words practitioners use for it.
func themeRows(ts []bridge.Theme) []map[string]any {
	rows := make([]map[string]any, 0, len(ts))
	for _, t := range ts {
		props := map[string]any{}
		var langs, labels []string
		for _, lang := range append(append([]string{}, bridge.RequiredLabelLanguages...), bridge.OptionalLabelLanguages...) {
			if l, ok := t.Labels[lang]; ok && l != "" {
				props["label_"+lang] = l
				langs = append(langs, lang)
				labels = append(labels, l)
			}
			if d, ok := t.Descriptions[lang]; ok && d != "" {
				props["description_"+lang] = d
			}
		}
		rows = append(rows, map[string]any{"id": t.ID, "props": props, "languages": emptyIfNil(langs),
			"crossWalks": emptyIfNil(t.CrossWalks), "broader": emptyIfNil(t.Broader),
			"searchText": strings.Join(labels, " | "), "name": t.Labels["en"], "aliases": aliasesOrKeep(t.Aliases)})
	}
	return rows
}

func groupRows(gs []bridge.ExpertGroup) []map[string]any {
	rows := make([]map[string]any, 0, len(gs))
	for _, g := range gs {
		rows = append(rows, map[string]any{"id": g.ID, "name": g.Name, "kind": string(g.Kind),
			"description": g.Description, "themes": emptyIfNil(g.ThemeIDs)})
	}
	return rows
}

func eventRows(es []bridge.Event) []map[string]any {
	rows := make([]map[string]any, 0, len(es))
	for _, e := range es {
		rows = append(rows, map[string]any{"id": e.ID, "name": e.Name, "description": e.Description,
			"startDate": e.StartDate, "endDate": e.EndDate, "city": e.City, "country": nullIfEmpty(e.CountryCode),
			"themes": emptyIfNil(e.ThemeIDs)})
	}
	return rows
}

func practiceRows(ps []bridge.Practice) []map[string]any {
	rows := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, map[string]any{"id": p.ID, "title": p.Title, "kind": string(p.Kind), "summary": p.Summary,
			"year": nullIfEmpty(int64(p.Year)), "url": nullIfEmpty(p.URL), "themes": emptyIfNil(p.ThemeIDs),
			"countries": emptyIfNil(p.CountryCodes)})
	}
	return rows
}
