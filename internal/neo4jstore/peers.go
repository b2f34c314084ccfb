package neo4jstore

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// profileProjection is what matching knows of a person x (see bridge.MatchProfile). Who was
// introduced to whom is not public: "introduced" lists only connected introductions (both
// accepted) that the viewer is a party to, or all of them for the secretariat; a request, a
// decline, a withdrawal or an expiry is never a sign to anyone.
//
// The far ends carry no label test: from a person, each of these relationship types leads to one
// kind of node only (LOCATED_IN to a Municipality, IN_REGION to a Region, WORKS_ON to a Theme,
// MEMBER_OF to an ExpertGroup, ATTENDED to an Event, WORKS_AT to an Organisation, PARTY_TO to an
// Introduction and back to a Person), and a label test reads each node once more (issue 15:
// 200 profiles are most of what peers cost). A theme's id is read from the relationship
// (w.theme, see 0015_works_on_keys.cypher) rather than from the theme.
var profileProjection = `{id: x.id, name: x.name, country: x.country, languages: x.languages,
  place: [(x)-[:LOCATED_IN]->(m) | {municipality: m.id, population: m.population,
    region: [(m)-[:IN_REGION]->(r) | r.id][0]}][0],
  themes: [(x)-[w:WORKS_ON]->() | {id: w.theme, mode: w.mode}],
  groups: [(x)-[:MEMBER_OF]->(g) | g.id],
  events: [(x)-[:ATTENDED]->(e) | e.id],
  kinds: [(x)-[:WORKS_AT]->(o) | o.kind],
  introduced: [(x)-[:PARTY_TO]->(xi)<-[:PARTY_TO]-(y)
    WHERE y <> x AND xi.status IN $connected AND ($contact OR $viewerId IN [x.id, y.id]) | y.id]}`

// qPeerCandidates finds the person (if the viewer may see them) and the visible people open to
// introductions who share at least one theme, pre-ranked by a cheap score of shared and
// complementary themes and another country (the scoring itself is in package matching), with
// what matching needs of the person's themes. The rarity of a theme (people) counts only the
// people listed for the viewer, so that no one hidden from them moves a weight.
//
// Its cost follows the page, not the graph (issue 15: it read every person on the person's
// themes, 0.3-0.5 s at 100,000 people). Every expansion from a theme to its people reads the
// WORKS_ON relationship index (theme, person) in person-id order and stops at its LIMIT: the
// order is the index's, never the store's, so that it is the same whatever else was written
// (the differential test adds hidden people and compares every byte), and the privacy filter
// comes before each limit, so that no one hidden takes a place. Per theme of the person: at most
// $limit people who complement them (one seeks what the other offers) in another country, and at
// most $limit of any mode or country; on a theme with fewer such people than that, everyone, as
// a full scan would. The union is then pre-scored over every theme the two share and cut to
// $limit.
//
// Beside them, a bounded sample of the people on a broader, narrower or sibling theme of one of
// the person's themes (partial credit in matching): for each such theme at most $perRelated
// people, who complement the person's theme and work in another country unless the filter names
// countries, and of those at most $relatedLimit, complementarity first; they take the places of
// the last of the $limit others, so that no more profiles are read than before (each profile is
// what costs).
// hierarchy is the theme vocabulary's broader links and English labels (small; reference data).
var qPeerCandidates = `
MATCH (me:Person {id: $personId})
WHERE ` + visible("me") + `
CALL (me) {
  // The bounded expansion (see above), from each of my themes.
  MATCH (me)-[mw:WORKS_ON]->(t:Theme)
  WHERE ($themes IS NULL OR t.id IN $themes OR EXISTS { MATCH (t)-[:BROADER*1..2]->(ft:Theme) WHERE ft.id IN $themes })
  WITH me, collect([t, mw.mode]) AS mine
  UNWIND mine AS m
  CALL (me, m) {
    // The modes that complement mine (one seeks what the other offers).
    WITH me, m[0].id AS tid, CASE m[1] WHEN 'SEEKS' THEN ['OFFERS', 'BOTH'] WHEN 'OFFERS' THEN ['SEEKS', 'BOTH']
                                       ELSE ['SEEKS', 'OFFERS', 'BOTH'] END AS complements
    ` + themePeople("tid", `pw.mode IN complements AND p.country <> me.country AND p <> me AND `+suggestable("p")+peerFilters, "$limit") + `
    RETURN p
    UNION
    WITH me, m[0].id AS tid
    ` + themePeople("tid", `p <> me AND `+suggestable("p")+peerFilters, "$limit") + `
    RETURN p
  }
  WITH DISTINCT me, mine, p
  // A cheap pre-score with the strongest signals of package matching (complementarity, another
  // country) over every theme of mine that the two share, read from the candidate's few
  // themes, so that the limit keeps the candidates that scoring would put first. (Scoring only
  // the themes on which a candidate was found skips this read, a fifth of the query's time,
  // but on a popular theme the lists are cut, so a candidate who shares two themes is often
  // found on one: at 100,000 people the best ten peers then scored 7% less in sum, issue 15.)
  WITH me, p, mine, [(p)-[pw:WORKS_ON]->(pt) | [pt, pw.mode]] AS theirs
  WITH me, p, reduce(s = 0, m IN mine | s + reduce(a = 0, y IN theirs |
         a + CASE WHEN y[0] <> m[0] THEN 0
                  WHEN m[1] IN ['SEEKS', 'BOTH'] AND y[1] IN ['OFFERS', 'BOTH'] THEN 3
                  WHEN y[1] IN ['SEEKS', 'BOTH'] AND m[1] IN ['OFFERS', 'BOTH'] THEN 2
                  ELSE 1 END)) AS pre
  WITH p, pre + CASE WHEN p.country <> me.country THEN 1 ELSE 0 END AS pre
  ORDER BY pre DESC, p.id
  LIMIT $limit
  RETURN collect(p) AS exact
}
CALL (me, exact) {
  MATCH (me)-[mw:WORKS_ON]->(mt:Theme)
  CALL (mt) {
    MATCH (mt)-[:BROADER]-(rt:Theme) RETURN rt
    UNION
    MATCH (mt)-[:BROADER]->(:Theme)<-[:BROADER]-(rt:Theme) WHERE rt <> mt RETURN rt
  }
  // One sample per related theme, whichever of my themes it is related to.
  WITH me, exact, rt, any(m IN collect(mw.mode) WHERE m IN ['SEEKS', 'BOTH']) AS iSeek,
       any(m IN collect(mw.mode) WHERE m IN ['OFFERS', 'BOTH']) AS iOffer
  WHERE NOT EXISTS { (me)-[:WORKS_ON]->(rt) }
    AND ($themes IS NULL OR rt.id IN $themes OR EXISTS { MATCH (rt)-[:BROADER*1..2]->(ft:Theme) WHERE ft.id IN $themes })
  CALL (me, rt, iSeek, iOffer) {
    WITH me, rt.id AS tid, iSeek, iOffer, CASE WHEN iSeek AND iOffer THEN ['SEEKS', 'OFFERS', 'BOTH']
                                               WHEN iSeek THEN ['OFFERS', 'BOTH'] ELSE ['SEEKS', 'BOTH'] END AS complements
    ` + themePeople("tid", `pw.mode IN complements AND p <> me AND ($countries IS NOT NULL OR p.country <> me.country) AND `+
	suggestable("p")+peerFilters, "$perRelated", "iSeek") + `
    RETURN p, CASE WHEN iSeek AND pw.mode IN ['OFFERS', 'BOTH'] THEN 3 ELSE 2 END AS pre
  }
  WITH exact, p, max(pre) AS pre
  WHERE NOT p IN exact
  ORDER BY pre DESC, p.id
  LIMIT $relatedLimit
  RETURN collect(p) AS related
}
// The related ones take the places of the last exact ones: never more than $limit profiles.
WITH me, exact[..$limit - size(related)] + related AS found
WITH me, [x IN found | ` + profileProjection + `] AS candidates
WITH me, candidates, me AS x
RETURN ` + profileProjection + ` AS me, candidates,
  [(me)-[:WORKS_ON]->(t:Theme) | {id: t.id, depth: CASE WHEN EXISTS { (t)-[:BROADER]->() } THEN 1 ELSE 0 END,
    people: COUNT { MATCH (t)<-[:WORKS_ON]-(q:Person) WHERE ` + listed("q") + ` RETURN q LIMIT $rarityCap }, label: t.label_en}] AS themes,
  COLLECT { MATCH (t:Theme) RETURN {id: t.id, label: t.label_en, broader: [(t)-[:BROADER]->(b:Theme) | b.id]} } AS hierarchy`

// themePeople is the expansion from a theme (the Cypher expression theme, its id) to its people
// p (with pw, their WORKS_ON, and the variables carried) that every candidate query makes: the
// WORKS_ON (theme, person) index read in person-id order, the condition where tested before the
// limit (so that no one it excludes, e.g. someone hidden, takes a place), and a stop after limit
// people, whatever the theme holds.
func themePeople(theme, where, limit string, carry ...string) string {
	with := "p, pw"
	for _, c := range carry {
		with += ", " + c
	}
	return `MATCH (p:Person)-[pw:WORKS_ON]->()
    USING INDEX pw:WORKS_ON(theme, person)
    WHERE pw.theme = ` + theme + ` AND pw.person >= '' AND ` + where + `
    WITH ` + with + ` ORDER BY pw.theme, pw.person LIMIT ` + limit
}

// peerFilters are the PeerFilter conditions on a candidate p (the theme filter applies to the
// theme the candidate is found through).
const peerFilters = `
    AND ($countries IS NULL OR p.country IN $countries)
    AND (NOT $excludeOwn OR p.country <> me.country)
    AND ($langs IS NULL OR any(l IN p.languages WHERE l IN $langs))
    AND ($kinds IS NULL OR EXISTS { MATCH (p)-[:WORKS_AT]->(o:Organisation) WHERE o.kind IN $kinds })`

// PeerCandidates implements bridge.PeopleService. It answers NOT_FOUND when the person does not
// exist or the viewer may not see them: the two look the same.
func (s *Store) PeerCandidates(ctx context.Context, v bridge.Principal, personID string, f bridge.PeerFilter, limit int) (bridge.MatchProfile, []bridge.MatchProfile, map[string]bridge.ThemeInfo, error) {
	params := viewerParams(v)
	params["personId"], params["limit"] = personID, int64(limit)
	params["perRelated"], params["relatedLimit"] = int64(relatedPerTheme), int64(relatedLimit)
	params["countries"], params["langs"] = nullIfNone(f.Countries), nullIfNone(f.Languages)
	params["themes"], params["kinds"] = nullIfNone(f.ThemeIDs), nullIfNone(f.OrganisationKinds)
	params["excludeOwn"], params["rarityCap"] = f.ExcludeOwnCountry, int64(rarityCap)
	recs, err := s.read(ctx, "peer_candidates", qPeerCandidates, params)
	if err != nil {
		return bridge.MatchProfile{}, nil, nil, err
	}
	if len(recs) == 0 {
		return bridge.MatchProfile{}, nil, nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
	}
	rec := recordRow(recs[0])
	me, err := profileFromRow(rec.OptRow("me"))
	if err != nil {
		return me, nil, nil, err
	}
	cands := rec.Rows("candidates")
	out := make([]bridge.MatchProfile, 0, len(cands))
	for _, c := range cands {
		p, err := profileFromRow(c)
		if err != nil {
			return me, nil, nil, err
		}
		out = append(out, p)
	}
	themes := themeInfos(rec.Rows("themes"), rec.Rows("hierarchy"))
	return me, out, themes, rec.Err("peer candidates")
}

// rarityCap is where the count of the people listed on a theme (its rarity in matching) stops:
// a theme with that many people is common, and the count costs the same on every theme
// (matching's rarity factor differs by less than 0.04 between 1,000 people and 10,000).
const rarityCap = 1000

// The bounds of the related-theme sample of qPeerCandidates: a few people per related theme,
// and few in all, in the place of the last of the $limit candidates on the person's own themes
// (each candidate's profile is what costs: see peers.CandidateLimit).
const (
	relatedPerTheme = 5
	relatedLimit    = 40
)

// themeInfos is what matching knows of themes: the person's own themes with their depth and
// rarity, and every theme's broader themes and English label, from which matching tells a
// related theme.
func themeInfos(own, hierarchy []*row) map[string]bridge.ThemeInfo {
	themes := make(map[string]bridge.ThemeInfo, len(hierarchy))
	for _, t := range hierarchy {
		broader := t.Strs("broader")
		depth := 0
		if len(broader) > 0 {
			depth = 1
		}
		themes[t.Str("id")] = bridge.ThemeInfo{Depth: depth, LabelEn: t.OptStr("label"), Broader: broader}
	}
	for _, t := range own {
		id := t.Str("id")
		info := themes[id]
		info.Depth, info.People, info.LabelEn = t.Int("depth"), t.Int("people"), t.OptStr("label")
		themes[id] = info
	}
	return themes
}

func profileFromRow(r *row) (bridge.MatchProfile, error) {
	if r == nil {
		return bridge.MatchProfile{}, errors.New("profile record: missing")
	}
	p := bridge.MatchProfile{PersonID: r.Str("id"), Name: r.OptStr("name"), CountryCode: r.OptStr("country"), Languages: r.Strs("languages"),
		GroupIDs: r.Strs("groups"), EventIDs: r.Strs("events"), PastIntroductionWith: r.Strs("introduced"), Themes: themeLinks(r)}
	if place := r.OptRow("place"); place != nil {
		p.MunicipalityID, p.RegionID = place.OptStr("municipality"), place.OptStr("region")
		p.MunicipalityPopulation = place.OptInt("population")
	}
	for _, k := range r.Strs("kinds") {
		p.OrganisationKinds = append(p.OrganisationKinds, bridge.OrganisationKind(k))
	}
	return p, r.Err("profile record")
}

// qThemeCandidates finds the candidates for a request "someone on theme X in country Y": the
// people suggestable exactly as peer candidates, in the country, working on the theme or a
// narrower one (two levels), those who offer it first (the request seeks it), at most $limit.
// Like qPeerCandidates it reads each theme's people through the WORKS_ON (theme, person) index
// in person-id order and stops at the limit (those who offer first, then anyone), so that a
// popular theme costs what a rare one does.
var qThemeCandidates = `
MATCH (ft:Theme {id: $themeId})
CALL (ft) {
  MATCH (ft)<-[:BROADER*0..2]-(t:Theme)
  WITH ft, collect(t) AS under
  UNWIND under AS t
  CALL (t) {
    ` + themePeople("t.id", `pw.mode IN ['OFFERS', 'BOTH'] AND p.country = $country AND `+suggestable("p"), "$limit") + `
    RETURN p
    UNION
    ` + themePeople("t.id", `p.country = $country AND `+suggestable("p"), "$limit") + `
    RETURN p
  }
  WITH DISTINCT ft, under, p
  // The best of the candidate's themes under the wanted one: offering it first, the theme itself
  // before a narrower one.
  WITH p, reduce(best = 0, x IN [(p)-[pw:WORKS_ON]->(t:Theme) WHERE t IN under |
         CASE WHEN pw.mode IN ['OFFERS', 'BOTH'] THEN 2 ELSE 1 END + CASE WHEN t = ft THEN 1 ELSE 0 END] |
         CASE WHEN x > best THEN x ELSE best END) AS pre
  ORDER BY pre DESC, p.id
  LIMIT $limit
  RETURN collect(p) AS found
}
RETURN [x IN found | ` + profileProjection + `] AS candidates,
  [{id: ft.id, depth: CASE WHEN EXISTS { (ft)-[:BROADER]->() } THEN 1 ELSE 0 END,
    people: COUNT { MATCH (ft)<-[:WORKS_ON]-(q:Person) WHERE ` + listed("q") + ` RETURN q LIMIT $rarityCap }, label: ft.label_en}] AS themes,
  COLLECT { MATCH (t:Theme) RETURN {id: t.id, label: t.label_en, broader: [(t)-[:BROADER]->(b:Theme) | b.id]} } AS hierarchy`

// ThemeCandidates implements bridge.PeopleService: NOT_FOUND for a theme that does not exist.
func (s *Store) ThemeCandidates(ctx context.Context, v bridge.Principal, themeID, country string, limit int) ([]bridge.MatchProfile, map[string]bridge.ThemeInfo, error) {
	params := viewerParams(v)
	params["themeId"], params["country"], params["limit"] = themeID, country, int64(limit)
	params["rarityCap"] = int64(rarityCap)
	recs, err := s.read(ctx, "theme_candidates", qThemeCandidates, params)
	if err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 {
		return nil, nil, bridge.Errorf(bridge.CodeNotFound, "no such theme")
	}
	rec := recordRow(recs[0])
	cands := rec.Rows("candidates")
	out := make([]bridge.MatchProfile, 0, len(cands))
	for _, c := range cands {
		p, err := profileFromRow(c)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, p)
	}
	themes := themeInfos(rec.Rows("themes"), rec.Rows("hierarchy"))
	return out, themes, rec.Err("theme candidates")
}

// qIntroductionPaths finds the shortest chains of people between two people, where consecutive
// people share an organisation, an expert group, an event or an earlier introduction. Both ends
// must be visible to the viewer, and every person in between listed for them (visible, not
// paused, and consenting to be suggested): a path never passes through someone the viewer may
// not see, not even as "someone at <hub>" (the hubs on either side would name them). An earlier
// introduction is a link only for the secretariat and the parties to it (who was introduced to
// whom is not public), and only once both accepted. Paused people are part of no path. The
// quantifier bound is a literal (Cypher does not take parameters there): 4 links at most here,
// and IntroductionPaths writes the request's maxHops in its place, so that the search stops at
// that depth (a WHERE size(hub) <= $maxHops, as before, is a path predicate tested only on found
// paths: a search for 3 links went on to explore a fourth, issue 15: 68,566 db hits and 160 ms
// for some pairs at 100,000 people). The WHERE is inside the parenthesised path pattern, a
// pre-filter: the
// 5 shortest paths are chosen among the allowed ones. After the pattern (a post-filter) it would
// choose among all paths and then drop the disallowed ones, so that a hidden person offering a
// shorter path would take an allowed path away (the differential test caught that). A hub is a
// link only while it is small (pathHubSmall).
var qIntroductionPaths = `
MATCH (a:Person {id: $from}), (b:Person {id: $to})
WHERE ` + visible("a") + ` AND ` + visible("b") + ` AND a <> b
  AND NOT coalesce(a.paused, false) AND NOT coalesce(b.paused, false)
MATCH path = SHORTEST 5 ((a)((x:Person)-[:WORKS_AT|MEMBER_OF|ATTENDED|PARTY_TO]->(hub)<-[:WORKS_AT|MEMBER_OF|ATTENDED|PARTY_TO]-(y:Person)){1,4}(b)
  WHERE all(h IN hub WHERE (NOT h:Introduction OR (h.status IN $connected
                            AND ($contact OR EXISTS { (h)<-[:PARTY_TO]-(:Person {id: $viewerId}) })))
                           AND ` + pathHubSmall + `)
    AND all(n IN x WHERE NOT coalesce(n.paused, false) AND (n = a OR ` + listed("n") + `)))
RETURN [n IN nodes(path) WHERE n:Person | n.id] AS people,
       [h IN hub | {kind: CASE WHEN h:Organisation THEN 'ORGANISATION' WHEN h:ExpertGroup THEN 'GROUP'
                               WHEN h:Event THEN 'EVENT' ELSE 'INTRODUCTION' END,
                    id: CASE WHEN h:Introduction THEN null ELSE h.id END,
                    name: CASE WHEN h:Introduction THEN null ELSE h.name END}] AS hubs
ORDER BY size(hubs), people
LIMIT $limit`

// pathHubSmall is the test that the hub h of a path is a warm link: an introduction (two
// people), or an organisation, a group or an event where the people the viewer may list number
// at most $hubCap (bridge.PathHubCap). An event of thousands introduces nobody, and following it
// is what made a path cost the network: the demo data puts 5 % of everyone at one of four
// events, so that at 1,000,000 people one link through an event reached 12,500 people and two
// most of the graph, past the request's deadline (issue 15). It counts only the people the
// viewer may list, as the hub's own list counts them, so that a person the viewer may not see
// neither weighs a hub nor takes a path away (the differential test); it counts them only while
// the hub has more links than the cap (a degree, read from the node without reading a person),
// and stops at the cap's first person past it.
var pathHubSmall = `(h:Introduction OR COUNT { (h)<-[:WORKS_AT|MEMBER_OF|ATTENDED]-() } <= $hubCap
                                OR size(COLLECT { MATCH (h)<-[:WORKS_AT|MEMBER_OF|ATTENDED]-(hp:Person) WHERE ` + listed("hp") + `
                                                  RETURN DISTINCT hp LIMIT $hubCap + 1 }) <= $hubCap)`

// pathsBound is the quantifier bound written in qIntroductionPaths, and maxPathLinks the most
// links a path may have.
const (
	pathsBound   = "{1,4}"
	maxPathLinks = 4
)

// IntroductionPaths implements bridge.PeopleService.
func (s *Store) IntroductionPaths(ctx context.Context, v bridge.Principal, fromID, toID string, maxHops, limit int) ([]bridge.IntroductionPath, error) {
	return s.introductionPaths(ctx, v, fromID, toID, maxHops, limit, qIntroductionPaths, map[string]any{"hubCap": int64(bridge.PathHubCap)})
}

// introductionPaths runs query (qIntroductionPaths, or a test's variant of it) with the
// parameters more added to the viewer's and the request's.
func (s *Store) introductionPaths(ctx context.Context, v bridge.Principal, fromID, toID string, maxHops, limit int, query string, more map[string]any) ([]bridge.IntroductionPath, error) {
	if maxHops < 1 || maxHops > maxPathLinks {
		return nil, bridge.InvalidInput([]string{"maxHops"}, "between 1 and %d", maxPathLinks)
	}
	params := viewerParams(v)
	params["from"], params["to"], params["limit"] = fromID, toID, int64(limit)
	for k, x := range more {
		params[k] = x
	}
	query = strings.Replace(query, pathsBound, "{1,"+strconv.Itoa(maxHops)+"}", 1)
	recs, err := s.read(ctx, "introduction_paths", query, params)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.IntroductionPath, 0, len(recs))
	for _, r := range recs {
		rec := recordRow(r)
		path := bridge.IntroductionPath{PersonIDs: rec.Strs("people")}
		for i, h := range rec.Rows("hubs") {
			step := bridge.PathStep{ViaKind: bridge.PathVia(h.Str("kind")), ViaID: h.OptStr("id"), ViaName: h.OptStr("name")}
			if i+1 < len(path.PersonIDs) {
				step.FromID, step.ToID = path.PersonIDs[i], path.PersonIDs[i+1]
			}
			path.Steps = append(path.Steps, step)
		}
		if err := rec.Err("introduction paths"); err != nil {
			return nil, err
		}
		out = append(out, path)
	}
	return out, nil
}
