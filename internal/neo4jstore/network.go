package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/network"
)

// The map of the network (internal/network): secretariat-only reports (QueryPolicy) that read in
// proportion to the graph, measured by `make bench-network`. Every person they count is listed
// for the viewer (for the secretariat: every visibility level, paused or not); erased people are
// no longer in the graph.

var _ network.Store = (*Store)(nil)

// sizeClassOf is bridge.SizeClassOf in Cypher, for the municipality m.
const sizeClassOf = `CASE WHEN coalesce(m.population, 0) <= 0 THEN 'UNKNOWN' WHEN m.population < 5000 THEN 'VERY_SMALL'
  WHEN m.population < 20000 THEN 'SMALL' WHEN m.population < 50000 THEN 'MEDIUM' WHEN m.population < 200000 THEN 'LARGE' ELSE 'CITY' END`

// coveragePerson and coverageOrg narrow a coverage count to network.Filter's slice ($kind and
// $size null for any): a person who works at an organisation of the kind and lives in a
// municipality of the size class; an organisation of the kind in such a municipality. Inside
// EXISTS, m is the municipality matched by the query when it has one (the same one), else new.
const (
	coveragePerson = `
    AND ($kind IS NULL OR EXISTS { MATCH (p)-[:WORKS_AT]->(ko:Organisation) WHERE ko.kind = $kind })
    AND ($size IS NULL OR EXISTS { MATCH (p)-[:LOCATED_IN]->(m:Municipality) WHERE ` + sizeClassOf + ` = $size })`
	coverageOrg = `
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($size IS NULL OR EXISTS { MATCH (o)-[:LOCATED_IN]->(m:Municipality) WHERE ` + sizeClassOf + ` = $size })`
)

var (
	// qCoverageTheme: people per country and theme they work on; organisations with such staff.
	qCoverageTheme = `
CALL {
  MATCH (p:Person)-[:WORKS_ON]->(t:Theme) WHERE ` + listed("p") + coveragePerson + `
  RETURN p.country AS country, t.id AS key, count(DISTINCT p) AS people, 0 AS orgs
  UNION ALL
  MATCH (o:Organisation)<-[:WORKS_AT]-(p:Person)-[:WORKS_ON]->(t:Theme) WHERE ` + listed("p") + coveragePerson + coverageOrg + `
  RETURN o.country AS country, t.id AS key, 0 AS people, count(DISTINCT o) AS orgs
}
RETURN country, key, sum(people) AS people, sum(orgs) AS orgs`

	// qCoverageKind: people per country and kind of organisation they work at; organisations per kind.
	qCoverageKind = `
CALL {
  MATCH (p:Person)-[:WORKS_AT]->(o:Organisation) WHERE ` + listed("p") + coveragePerson + coverageOrg + `
  RETURN p.country AS country, o.kind AS key, count(DISTINCT p) AS people, 0 AS orgs
  UNION ALL
  MATCH (o:Organisation) WHERE true` + coverageOrg + `
  RETURN o.country AS country, o.kind AS key, 0 AS people, count(o) AS orgs
}
RETURN country, key, sum(people) AS people, sum(orgs) AS orgs`

	// qCoverageSize: people and organisations per country and size class of their municipality.
	qCoverageSize = `
CALL {
  MATCH (p:Person)-[:LOCATED_IN]->(m:Municipality) WHERE ` + listed("p") + coveragePerson + `
  RETURN m.country AS country, ` + sizeClassOf + ` AS key, count(p) AS people, 0 AS orgs
  UNION ALL
  MATCH (o:Organisation)-[:LOCATED_IN]->(m:Municipality) WHERE true` + coverageOrg + `
  RETURN m.country AS country, ` + sizeClassOf + ` AS key, 0 AS people, count(o) AS orgs
}
RETURN country, key, sum(people) AS people, sum(orgs) AS orgs`

	qThemeColumns = `MATCH (t:Theme) RETURN t.id AS id ORDER BY t.id LIMIT 1000`

	// qEmptyMunicipalities: municipalities where no listed person lives, largest first.
	qEmptyMunicipalities = `
MATCH (m:Municipality) WHERE NOT EXISTS { MATCH (m)<-[:LOCATED_IN]-(p:Person) WHERE ` + listed("p") + ` }
WITH m ORDER BY coalesce(m.population, 0) DESC, m.id
WITH collect(m{.id, .name, .country, population: coalesce(m.population, 0)}) AS ms
RETURN size(ms) AS total, ms[0..$first] AS items`

	// qNationalActors: organisations of a national kind without listed staff.
	qNationalActors = `
MATCH (o:Organisation) WHERE o.kind IN $national AND NOT EXISTS { MATCH (o)<-[:WORKS_AT]-(p:Person) WHERE ` + listed("p") + ` }
RETURN o{.id, .name, .country, .kind} AS item ORDER BY o.country, o.name, o.id LIMIT $first`

	// qGroupGaps: expert groups and the countries none of their current, listed members come from.
	qGroupGaps = `
MATCH (g:ExpertGroup)
WITH g, [(g)<-[r:MEMBER_OF]-(p:Person) WHERE ` + current("r") + ` AND ` + listed("p") + ` | p.country] AS present
WITH g, [c IN $countries WHERE NOT c IN present] AS missing WHERE size(missing) > 0
RETURN g.id AS id, g.name AS name, missing ORDER BY g.name, g.id LIMIT $first`

	// qNetworkGraph streams the person–organisation–group–event graph: one row per listed person
	// with the relationship type and id of what they work at, are a member of and attended; no
	// names (qNetworkNames reads those of the few nodes a report shows).
	qNetworkGraph = `
MATCH (p:Person) WHERE ` + listed("p") + `
RETURN p.id AS id, p.visibility = 'SECRETARIAT' OR coalesce(p.paused, false) AS hidden,
  [(p)-[r:WORKS_AT|MEMBER_OF|ATTENDED]->(x) | [type(r), x.id]] AS links`

	// qNetworkNames reads the names of the nodes a report shows (people listed for the viewer).
	qNetworkNames = `
CALL {
  UNWIND $people AS id MATCH (p:Person {id: id}) WHERE ` + listed("p") + ` RETURN 'PERSON' AS kind, p.id AS id, p.name AS name
  UNION ALL
  UNWIND $orgs AS id MATCH (o:Organisation {id: id}) RETURN 'ORGANISATION' AS kind, o.id AS id, o.name AS name
  UNION ALL
  UNWIND $groups AS id MATCH (g:ExpertGroup {id: id}) RETURN 'GROUP' AS kind, g.id AS id, g.name AS name
  UNION ALL
  UNWIND $events AS id MATCH (e:Event {id: id}) RETURN 'EVENT' AS kind, e.id AS id, e.name AS name
}
RETURN kind, id, name`

	// qNewProfiles: listed people created per month of the range.
	qNewProfiles = `
MATCH (p:Person) WHERE p.createdAt >= $from AND p.createdAt < $to AND ` + listed("p") + `
RETURN p.createdAt.year AS y, p.createdAt.month AS m, count(p) AS n`

	// qHiddenPeople: of the listed people, who members do not see or are not suggested.
	qHiddenPeople = `
MATCH (p:Person) WHERE ` + listed("p") + `
RETURN count(p) AS total, count(CASE WHEN p.visibility = 'SECRETARIAT' THEN 1 END) AS secretariatOnly,
  count(CASE WHEN coalesce(p.paused, false) THEN 1 END) AS paused,
  count(CASE WHEN NOT coalesce(p.suggestUntil > $now, false) THEN 1 END) AS notSuggestable`
)

// NetworkCounts implements network.Store.
func (s *Store) NetworkCounts(ctx context.Context, v bridge.Principal, dimension string, f network.Filter) ([]network.Count, error) {
	q := map[string]string{network.ByTheme: qCoverageTheme, network.ByKind: qCoverageKind, network.BySizeClass: qCoverageSize}[dimension]
	if q == "" {
		return nil, fmt.Errorf("network counts: unknown dimension %q", dimension)
	}
	params := viewerParams(v)
	params["kind"], params["size"] = nullIfEmpty(f.Kind), nullIfEmpty(f.SizeClass)
	recs, err := s.read(ctx, "network_coverage", q, params)
	if err != nil {
		return nil, err
	}
	out := make([]network.Count, 0, len(recs))
	for _, rec := range recs {
		r := recordRow(rec)
		out = append(out, network.Count{Country: r.OptStr("country"), Key: r.OptStr("key"), People: r.Int("people"), Organisations: r.Int("orgs")})
		if err := r.Err("network coverage"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// NetworkColumns implements network.Store: the themes' ids.
func (s *Store) NetworkColumns(ctx context.Context, _ string) ([]string, error) {
	recs, err := s.read(ctx, "network_columns", qThemeColumns, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(recs))
	for _, rec := range recs {
		r := recordRow(rec)
		out = append(out, r.Str("id"))
		if err := r.Err("network columns"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// NetworkGaps implements network.Store (the thin themes come from the coverage table).
func (s *Store) NetworkGaps(ctx context.Context, v bridge.Principal, first int) (network.Gaps, error) {
	p := viewerParams(v)
	p["first"], p["countries"], p["national"] = first, network.Countries, network.NationalKinds
	var g network.Gaps
	recs, err := s.read(ctx, "network_gaps_places", qEmptyMunicipalities, p)
	if err != nil {
		return g, err
	}
	for _, rec := range recs {
		r := recordRow(rec)
		g.EmptyMunicipalitiesTotal = r.Int("total")
		for _, m := range r.Rows("items") {
			g.EmptyMunicipalities = append(g.EmptyMunicipalities, network.Place{ID: m.Str("id"), Name: m.OptStr("name"), Country: m.OptStr("country"), Population: m.Int("population")})
		}
		if err := r.Err("empty municipalities"); err != nil {
			return g, err
		}
	}
	if recs, err = s.read(ctx, "network_gaps_actors", qNationalActors, p); err != nil {
		return g, err
	}
	for _, rec := range recs {
		r := recordRow(rec).Row("item")
		g.NationalActors = append(g.NationalActors, network.Actor{ID: r.Str("id"), Name: r.OptStr("name"), Country: r.OptStr("country"), Kind: r.OptStr("kind")})
		if err := r.Err("national actors"); err != nil {
			return g, err
		}
	}
	if recs, err = s.read(ctx, "network_gaps_groups", qGroupGaps, p); err != nil {
		return g, err
	}
	for _, rec := range recs {
		r := recordRow(rec)
		g.Groups = append(g.Groups, network.GroupGap{ID: r.Str("id"), Name: r.OptStr("name"), Countries: r.Strs("missing")})
		if err := r.Err("group gaps"); err != nil {
			return g, err
		}
	}
	return g, nil
}

// linkKinds are the node kinds of the relationship types of qNetworkGraph.
var linkKinds = map[string]string{"WORKS_AT": "ORGANISATION", "MEMBER_OF": "GROUP", "ATTENDED": "EVENT"}

// NetworkGraph implements network.Store: the nodes (without names) and edges, keyed kind:id.
func (s *Store) NetworkGraph(ctx context.Context, v bridge.Principal) ([]network.Node, []network.Edge, error) {
	recs, err := s.read(ctx, "network_graph", qNetworkGraph, viewerParams(v))
	if err != nil {
		return nil, nil, err
	}
	nodes := make([]network.Node, 0, len(recs))
	var edges []network.Edge
	seen := map[string]bool{}
	for _, rec := range recs {
		r := recordRow(rec)
		p := network.Node{Key: "PERSON:" + r.Str("id"), Kind: "PERSON", ID: r.Str("id"), Hidden: r.OptBool("hidden")}
		nodes = append(nodes, p)
		links, _ := r.Value("links").([]any)
		for _, l := range links {
			x, _ := l.([]any)
			if len(x) != 2 {
				continue
			}
			n := network.Node{Kind: linkKinds[fmt.Sprint(x[0])], ID: fmt.Sprint(x[1])}
			n.Key = n.Kind + ":" + n.ID
			if !seen[n.Key] {
				seen[n.Key] = true
				nodes = append(nodes, n)
			}
			edges = append(edges, network.Edge{From: p.Key, To: n.Key})
		}
		if err := r.Err("network graph"); err != nil {
			return nil, nil, err
		}
	}
	return nodes, edges, nil
}

// NetworkNames implements network.Store: names by node key (kind:id).
func (s *Store) NetworkNames(ctx context.Context, v bridge.Principal, nodes []network.Node) (map[string]string, error) {
	p := viewerParams(v)
	ids := map[string][]string{"PERSON": {}, "ORGANISATION": {}, "GROUP": {}, "EVENT": {}}
	for _, n := range nodes {
		if _, ok := ids[n.Kind]; ok {
			ids[n.Kind] = append(ids[n.Kind], n.ID)
		}
	}
	p["people"], p["orgs"], p["groups"], p["events"] = ids["PERSON"], ids["ORGANISATION"], ids["GROUP"], ids["EVENT"]
	recs, err := s.read(ctx, "network_names", qNetworkNames, p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(recs))
	for _, rec := range recs {
		r := recordRow(rec)
		out[r.Str("kind")+":"+r.Str("id")] = r.OptStr("name")
		if err := r.Err("network names"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// NewProfiles implements network.Store: months as 2006-01.
func (s *Store) NewProfiles(ctx context.Context, v bridge.Principal, from, to time.Time) (map[string]int, error) {
	p := viewerParams(v)
	p["from"], p["to"] = from.UTC(), to.UTC()
	recs, err := s.read(ctx, "network_new_profiles", qNewProfiles, p)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, rec := range recs {
		r := recordRow(rec)
		out[fmt.Sprintf("%04d-%02d", r.Int("y"), r.Int("m"))] = r.Int("n")
		if err := r.Err("new profiles"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HiddenPeople implements network.Store.
func (s *Store) HiddenPeople(ctx context.Context, v bridge.Principal) (network.Hidden, error) {
	recs, err := s.read(ctx, "network_hidden", qHiddenPeople, viewerParams(v))
	if err != nil || len(recs) == 0 {
		return network.Hidden{}, err
	}
	r := recordRow(recs[0])
	h := network.Hidden{Total: r.Int("total"), SecretariatOnly: r.Int("secretariatOnly"), Paused: r.Int("paused"), NotSuggestable: r.Int("notSuggestable")}
	return h, r.Err("hidden people")
}
