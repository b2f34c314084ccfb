package neo4jstore

import (
	"context"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var _ bridge.CountryService = (*Store)(nil)

const qCountries = `
MATCH (c:Country)
OPTIONAL MATCH (c)-[:PART_OF]->(p:Country)
RETURN c.code AS code, c.name AS name, c.localNames AS localNames, c.kind AS kind, p.code AS parent
ORDER BY code`

// Countries returns every country and territory ordered by code, with Parent pointing into the
// same slice: the whole tree costs one round trip, however deep a client nests `parent`.
func (s *Store) Countries(ctx context.Context) ([]bridge.Country, error) {
	recs, err := s.read(ctx, "countries", qCountries, nil)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Country, 0, len(recs))
	for _, r := range recs {
		rec := recordRow(r)
		c := countryFromRow(rec)
		c.ParentCode = rec.OptStr("parent")
		if err := rec.Err("country record"); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	linkParents(out)
	return out, nil
}

const qCountryByCode = `
MATCH (c:Country {code: $code})
OPTIONAL MATCH path = (c)-[:PART_OF*1..3]->(a:Country)
WITH c, a, length(path) AS depth ORDER BY depth
RETURN c.code AS code, c.name AS name, c.localNames AS localNames, c.kind AS kind,
       [x IN collect(a) | {code: x.code, name: x.name, localNames: x.localNames, kind: x.kind}] AS ancestors`

// CountryByCode returns the country with its chain of parents in one round trip, or nil.
func (s *Store) CountryByCode(ctx context.Context, code string) (*bridge.Country, error) {
	recs, err := s.read(ctx, "country_by_code", qCountryByCode, map[string]any{"code": code})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	rec := recordRow(recs[0])
	c := countryFromRow(rec)
	cur := &c
	for _, a := range rec.Rows("ancestors") {
		p := countryFromRow(a)
		cur.ParentCode = p.Code
		cur.Parent = &p
		cur = &p
	}
	if err := rec.Err("country " + code); err != nil {
		return nil, err
	}
	return &c, nil
}

// countryFromRow reads a country without its parent, which the chain of ancestors of
// CountryByCode gives and Countries reads in a column of its own.
func countryFromRow(r *row) bridge.Country {
	return bridge.Country{Code: r.Str("code"), Name: r.Str("name"), Kind: bridge.CountryKind(r.Str("kind")),
		LocalNames: r.Strs("localNames")}
}

// linkParents points each country's Parent at its parent's element in the same slice.
func linkParents(cs []bridge.Country) {
	byCode := make(map[string]*bridge.Country, len(cs))
	for i := range cs {
		byCode[cs[i].Code] = &cs[i]
	}
	for i := range cs {
		if cs[i].ParentCode != "" {
			cs[i].Parent = byCode[cs[i].ParentCode]
		}
	}
}

const (
	qUpsertCountries = `
UNWIND $rows AS row
MERGE (c:Country {code: row.code})
SET c.name = row.name, c.localNames = row.localNames, c.kind = row.kind,
    c.searchText = row.searchText`
	qUnlinkStaleCountryParents = `
UNWIND $rows AS row
MATCH (c:Country {code: row.code})-[r:PART_OF]->(p:Country)
WHERE p.code <> coalesce(row.parent, '')
DELETE r`
	qLinkCountryParents = `
UNWIND $rows AS row
WITH row WHERE row.parent IS NOT NULL
MATCH (c:Country {code: row.code}), (p:Country {code: row.parent})
MERGE (c)-[:PART_OF]->(p)`
)

// UpsertCountries writes the countries and their PART_OF links in one transaction. Running it
// again with the same input changes nothing.
func (s *Store) UpsertCountries(ctx context.Context, cs []bridge.Country) error {
	rows, err := countryRows(cs)
	if err != nil {
		return err
	}
	p := map[string]any{"rows": rows}
	_, err = s.write(ctx, "upsert_countries",
		statement{qUpsertCountries, p}, statement{qUnlinkStaleCountryParents, p}, statement{qLinkCountryParents, p})
	return err
}

// countryRows validates the countries (each, and that parents are among them) and turns them into
// statement parameters.
func countryRows(cs []bridge.Country) ([]map[string]any, error) {
	rows := make([]map[string]any, 0, len(cs))
	known := make(map[string]bool, len(cs))
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		known[c.Code] = true
	}
	for _, c := range cs {
		var parent any
		if c.ParentCode != "" {
			if !known[c.ParentCode] {
				return nil, bridge.InvalidInput([]string{c.Code, "parent"}, "unknown parent country %q", c.ParentCode)
			}
			parent = c.ParentCode
		}
		local := emptyIfNil(c.LocalNames)
		search := strings.TrimSpace(c.Name + " " + strings.Join(local, " "))
		rows = append(rows, map[string]any{"code": c.Code, "name": c.Name, "localNames": local,
			"kind": string(c.Kind), "parent": parent, "searchText": search})
	}
	return rows, nil
}
