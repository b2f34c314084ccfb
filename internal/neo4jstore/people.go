package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var _ bridge.PeopleService = (*Store)(nil)

// themeWithin is the theme filter's body (filterTheme).
const themeWithin = `EXISTS { MATCH (p)-[w:WORKS_ON]->()
                                   WHERE w.theme IN $themesWithin AND ($mode IS NULL OR w.mode IN [$mode, 'BOTH']) }`

// Privacy lives in the queries: every read of a person carries the viewer as parameters
// (viewerParams) and every MATCH of a person that can reach a client, a count or a facet is
// guarded by one of the predicates of predicates.go: visible for reads by id, listed for every
// list, count and facet.
var (
	// personProjection is a person with the ids of everything their profile links to, so that a
	// page of people and the next level of a query (themes, organisations, groups, events,
	// municipality) cost this one round trip plus one per level. Contact details (contact: e-mail
	// and phone, null when contact does not hold) are decided by one evaluation of contact per
	// person, not one per field. The person's settings (settings: the language Bridge writes to
	// them in) are for themselves and the secretariat only ($contact is the secretariat's flag):
	// someone they were introduced to sees their contact details, not their settings.
	personProjection = `p{.id, .givenName, .familyName, .name, .title, .bio, .languages, .country, .visibility,
  .openToIntroductions, .introductionsPerQuarter, .confirmed, .source, .demo, version: coalesce(p.version, 0),
  paused: coalesce(p.paused, false),
  contact: ` + projContact + `,
  settings: ` + projSettings + `,
  municipality: ` + projMunicipality + `,
  themes: ` + projThemes + `,
  affiliations: ` + projAffiliations + `,
  memberships: ` + projMemberships + `,
  events: ` + projEvents + `,
  practices: ` + projPractices + `}`
	// The linked parts of personProjection (personProjectionParts): each is read only when the
	// query asks for a field of it (bridge.PersonParts).
	projContact      = `CASE WHEN ` + contact("p") + ` THEN {email: p.email, phone: p.phone} END`
	projSettings     = `CASE WHEN $contact OR p.id = $viewerId THEN {language: p.language} END`
	projMunicipality = `[(p)-[:LOCATED_IN]->(m:Municipality) | m.id][0]`
	projThemes       = `[(p)-[w:WORKS_ON]->(t:Theme) | {id: t.id, mode: w.mode}]`
	projAffiliations = `[(p)-[w:WORKS_AT]->(o:Organisation) | {org: o.id, role: w.role, since: w.since}]`
	projMemberships  = `[(p)-[w:MEMBER_OF]->(g:ExpertGroup) | {group: g.id, role: w.role, since: w.since, until: w.until}]`
	projEvents       = `[(p)-[:ATTENDED]->(e:Event) | e.id]`
	projPractices    = `[(p)<-[:BY]-(pr:Practice) | pr.id]`

	// personProjectionParts are the parts of personProjection and what each is when not read.
	personProjectionParts = []struct {
		part       bridge.PersonParts
		read, none string
	}{{bridge.PartContact, projContact, "null"}, {bridge.PartSettings, projSettings, "null"},
		{bridge.PartMunicipality, projMunicipality, "null"}, {bridge.PartThemes, projThemes, "[]"},
		{bridge.PartAffiliations, projAffiliations, "[]"}, {bridge.PartMemberships, projMemberships, "[]"},
		{bridge.PartEvents, projEvents, "[]"}, {bridge.PartPractices, projPractices, "[]"}}

	// The PeopleFilter predicates on p; a null parameter does not filter. The five that are also
	// facets (country, language, theme, organisation kind, group) are named, so that the facets
	// can count each with every filter but its own.
	filterCountry = optionalFilter("countries", `p.country IN $countries`)
	filterLang    = optionalFilter("langs", `any(l IN p.languages WHERE l IN $langs)`)
	// The theme filter matches the theme id each WORKS_ON carries (migration 0015) against
	// $themesWithin, the chosen themes and their narrower ones computed from the vocabulary in
	// memory (bridge.ThemesWithin), so that no person's themes are walked up the hierarchy: on
	// 100,000 demo people a text search with a theme filter ran 35–45 % faster than with
	// (:Theme)-[:BROADER*0..2]->(ft) WHERE ft.id IN $themes, with the same answers.
	filterTheme = optionalFilter("themes", themeWithin)
	filterKind  = optionalFilter("kinds", `EXISTS { MATCH (p)-[:WORKS_AT]->(o:Organisation) WHERE o.kind IN $kinds }`)
	filterGroup = optionalFilter("groups", `EXISTS { MATCH (p)-[:MEMBER_OF]->(g:ExpertGroup) WHERE g.id IN $groups }`)
	// peopleBaseFilters are the filters that are not facets.
	peopleBaseFilters = `
  AND ` + optionalFilter("munis", `EXISTS { MATCH (p)-[:LOCATED_IN]->(m:Municipality) WHERE m.id IN $munis }`) + `
  AND ` + optionalFilter("regions", `EXISTS { MATCH (p)-[:LOCATED_IN]->(:Municipality)-[:IN_REGION]->(r:Region) WHERE r.id IN $regions }`) + `
  AND ` + optionalFilter("sizes", `EXISTS { MATCH (p)-[:LOCATED_IN]->(m:Municipality)
                                  WHERE any(b IN $sizes WHERE coalesce(m.population, 0) >= b[0] AND coalesce(m.population, 0) < b[1]) }`) + `
  AND ` + optionalFilter("open", `coalesce(p.openToIntroductions, false) = $open`)
	// peopleFilters are all of them.
	peopleFilters = `
  AND ` + filterCountry + `
  AND ` + filterLang + `
  AND ` + filterTheme + `
  AND ` + filterKind + `
  AND ` + filterGroup + peopleBaseFilters

	// peopleAll produces the candidate people p (before visibility and filters) of a search
	// without text; peopleByText those of a text search, each with its rank (bridge.MatchRank):
	// the best tier of what the text matched on the person's own record and what it links to.
	// The text is looked up folded and by prefix in search_text and stemmed in each Nordic
	// language's index (0011_search_stemmed.cypher), so that kvinnor finds kvinner; what only a
	// word spelt one letter off finds (spellingQuery) comes last.
	// The full-text indexes only find candidates: which field query a person matches depends on
	// that person alone, where a score (BM25) would count every person in the index, those the
	// viewer may not see included. A text hit on an organisation, a municipality or a theme (any
	// language; a broad theme brings its narrower ones) brings the people linked to it. Only
	// people work at an organisation or on a theme, so those two expansions test no label (a
	// broad theme brought 70,000 rows at 100,000 people, each read once more for its label: 11%
	// of a search for "arbetsmarknaden", issue 15); places also hold organisations, so that one
	// does.
	peopleAll    = `MATCH (p:Person)`
	peopleByText = textMatchRows + `
  WITH p, min(rank) AS rank`
	// textFound is what the full-text indexes find for the text (folded and by prefix, and
	// stemmed in each Nordic language), each node once, with spelt 1 when only the spelling query
	// (a word one letter off) found it; textOwnRecord ends the rows of a text's people: it gives
	// the rank of the rows of textFound's expansions (the spelling tier where only a misspelling
	// found the thing) and adds the people whose name or title the text matches.
	textFound = textHits + `
    WITH node, min(spelt) AS spelt`
	// textHits are textFound's rows before each node's best tier is taken: a node once for each
	// query that found it, streamed (no aggregation), so that a count that stops at its cap
	// stops reading them too (countTextCappedUnless).
	textHits = `CALL () {
      CALL db.index.fulltext.queryNodes('search_text', $text) YIELD node RETURN node, 0 AS spelt
      UNION
      CALL db.index.fulltext.queryNodes('search_stem_sv', $stemmed) YIELD node RETURN node, 0 AS spelt
      UNION
      CALL db.index.fulltext.queryNodes('search_stem_nb', $stemmed) YIELD node RETURN node, 0 AS spelt
      UNION
      CALL db.index.fulltext.queryNodes('search_stem_da', $stemmed) YIELD node RETURN node, 0 AS spelt
      UNION
      CALL db.index.fulltext.queryNodes('search_stem_fi', $stemmed) YIELD node RETURN node, 0 AS spelt
      UNION
      CALL db.index.fulltext.queryNodes('search_text', $spelling) YIELD node RETURN node, 1 AS spelt
    }`
	// textPeopleAndStaff begins the expansion of a node textFound found: a person is found
	// themself, an organisation brings its staff.
	textPeopleAndStaff = textSelf + textStaff
	// textSelf and textStaff are its two parts: a person found themself (on their own record:
	// name, title or bio, rank RankOther), and an organisation's staff.
	textSelf = `
      WITH node WHERE node:Person RETURN node AS p, ` + rankOf(bridge.RankOther) + ` AS rank
      UNION`
	textStaff = `
      WITH node MATCH (node:Organisation)<-[:WORKS_AT]-(p) RETURN p, ` + rankOf(bridge.RankTitlePlace) + ` AS rank
      UNION`
	// textStaffFirst is textStaff for textFirstPageRowsFrom: an organisation's first $scan staff by
	// name (migration 0018), as of a place or a theme.
	textStaffFirst = `
      WITH node WHERE node:Organisation
      ` + firstByName("node", "WORKS_AT", "organisation") + `
      RETURN p, ` + rankOf(bridge.RankTitlePlace) + ` AS rank
      UNION`
	textOwnRecordRows = `
    RETURN p, CASE WHEN spelt = 1 THEN ` + rankOf(bridge.RankSpelling) + ` ELSE rank END AS rank
    UNION ALL
    CALL db.index.fulltext.queryNodes('search_text', $nameWords) YIELD node AS p
    WITH p WHERE p:Person
    RETURN p, CASE WHEN size(split(trim(p.name), ' ')) = $wordCount THEN ` + rankOf(bridge.RankExactName) + ` ELSE ` + rankOf(bridge.RankNameWords) + ` END AS rank
    UNION ALL
    CALL db.index.fulltext.queryNodes('search_text', $namePrefix) YIELD node AS p
    WITH p WHERE p:Person
    RETURN p, ` + rankOf(bridge.RankNamePrefix) + ` AS rank
    UNION ALL
    CALL db.index.fulltext.queryNodes('search_text', $title) YIELD node AS p
    WITH p WHERE p:Person
    RETURN p, ` + rankOf(bridge.RankTitlePlace) + ` AS rank`
	// textOwnRecord is textOwnRecordRows with the subquery closed.
	textOwnRecord = textOwnRecordRows + `
  }`
	// textMatchRows are the rows of peopleByText before each person's best rank is taken: a person
	// once for each thing the text matched on them.
	textMatchRows = textMatchRowsFrom(textFromIndexes)
	// textFromIndexes and textFromFound begin a subquery over what the full-text indexes find
	// (node, spelt): the first runs the queries (textFound), the second reads the list found that
	// foundOnce collected at the start of the statement, so that a count and a page of one
	// request run them once (issue 15: for "integration" they take 118 ms of the 121 ms of the
	// capped count, at 100,000 people).
	textFromIndexes = `CALL () {
    ` + textFound
	textFromFound = `CALL (found) {` + textFromFoundRows
	// textFromFoundAndTier is textFromFound that also reads everyTier (countTextCappedUnless).
	textFromFoundAndTier = `CALL (found, everyTier) {` + textFromFoundRows
	textFromFoundRows    = `
    UNWIND found AS f
    WITH f[0] AS node, f[1] AS spelt`
	// foundOnce collects what textFound finds, once for a later page and its count
	// (qSearchPeopleTextCounted); a first page reads the things apart (thingsOnce).
	foundOnce = `
CALL () {
  ` + textFound + `
  RETURN collect([node, spelt]) AS found
}`
	// thingsOnce is foundOnce's things alone, read from the full-text indexes of the things
	// (migration 0020), which hold no person: the better tiers of a first page read no person's
	// hit. textTiersFirst runs textFound for the people found themself only when it needs them.
	thingsOnce = `
CALL () {
  ` + strings.NewReplacer("'search_text'", "'things_text'", "'search_stem_", "'things_stem_").Replace(textFound) + `
  RETURN collect([node, spelt]) AS things
}`
	textFromThings = `CALL (things) {
    UNWIND things AS f
    WITH f[0] AS node, f[1] AS spelt`

	// namePageBody reads one page in name order, rankedPageBody one in relevance order (rank,
	// name, id; $byRank false: rank 0 for all, which is name order). Both return hits: the
	// people with their rank.
	namePageBody = `
  WITH p WHERE $afterId IS NULL OR p.name > $afterName OR (p.name = $afterName AND p.id > $afterId)
  WITH p ORDER BY p.name, p.id LIMIT $limit
  RETURN collect({person: ` + personProjection + `, rank: 0}) AS hits
}`
	rankedPageBody = `
  WITH p, CASE WHEN $byRank THEN rank ELSE 0 END AS rank
  WITH p, rank WHERE ` + afterCursor("p", "rank") + `
  WITH p, rank ORDER BY rank, p.name, p.id LIMIT $limit
  RETURN collect({person: ` + personProjection + `, rank: rank}) AS hits
}`

	// qSearchPeopleNoCount reads one page in name order without counting all matches: with the
	// person_name index and p.name >= $afterName the planner reads the index in order and stops
	// after the page, so the cost follows the page, not the number of people.
	qSearchPeopleNoCount = namePage + `
RETURN -1 AS total, hits`
	// namePage is the page in name order, shared by the search with and without a count.
	namePage = `
CALL () {
  MATCH (p:Person)
  WHERE p.name >= $afterName AND ` + listed("p") + peopleFilters + namePageBody
	// qSearchPeopleTextNoCount ranks the candidates of the text and keeps the best page (a top-k
	// sort: the candidates are found once, the page is as large as asked).
	qSearchPeopleTextNoCount = `
CALL () {
  ` + peopleByText + `
  WHERE ` + listed("p") + peopleFilters + rankedPageBody + `
RETURN -1 AS total, hits`

	// countTextCapped counts the people a text finds whom the viewer may list and the filters
	// match, up to $countCap (bridge.CountCap + 1): the rows stream through DISTINCT and the
	// tests into the LIMIT, so the count stops there (16-34 ms for any word at 100,000 people,
	// where the exact count of a theme word's 38,337 people took 230 ms; issue 15). It reads what
	// the indexes found from found (foundOnce), as the page beside it does.
	countTextCapped = countTextCappedWhen("found", "", textFromFound, "")

	// qSearchPeopleTextFirst reads a text search's first page (textFirstPageRowsFrom) without a
	// count, qSearchPeopleTextFirstCounted with the capped count (textTiersFirst).
	qSearchPeopleTextFirst        = textTiersFirst + "\nRETURN -1 AS total, hits"
	qSearchPeopleTextFirstCounted = textTiersFirst + countTextCappedUnless + `
RETURN CASE WHEN seen >= $countCap THEN seen ELSE total END AS total, hits`

	// textTiersFirst reads that page from the better tiers first: a word found in many people's
	// bios, or spelt one letter off, finds them on their own record only (RankOther,
	// RankSpelling), and reading them all was most of the page ("koordinator" found 13,067 people
	// by a misspelling, 600 by the word; "integration" 16,155, of whom 13,900 by their title, at
	// 100,000 people; issue 15). So the rows without the people found themself come first (hi,
	// listed and filtered); when, in relevance order, at least $limit of them rank better than
	// RankOther after the cursor, the page is theirs: a person found only on their own record
	// ranks RankOther or worse, and a person in hi with a better rank keeps it whatever their
	// own record adds. Otherwise (fewer, or name order) the people found themself are added to hi
	// (everyRow: the rows of textFirstPageRowsFrom, each person with their best rank), without
	// reading the things' people again (with filters nobody passes, each thing's scan reads all
	// its people: 7 million db hits for "integration" with five facets chosen when they were read
	// twice). seen is how many listed and filtered people were read, a lower bound of the count
	// (countTextCappedUnless): when they reach the cap, nothing is read again to count. The
	// things come from their own indexes (thingsOnce), and the people found themself (selves,
	// from textFound) are collected only for everyRow; found, what the count expands, is both.
	// Otherwise the count (countTextCappedUnless) reads them itself, streamed after the things'
	// people, and stops at the cap: collecting them all for the count was the cost of a theme
	// word at 1,000,000 people (its themes' first people stay below the cap, so the count was
	// always needed, and the word is on tens of thousands of people's own records).
	textTiersFirst = thingsOnce + `
CALL (things) {
  ` + textFirstPageRowsFrom(textFromThings, "") + `
  WHERE ` + listed("p") + peopleFilters + `
  RETURN collect([p, rank]) AS hi
}
WITH things, hi, NOT $byRank OR size([x IN hi WHERE x[1] < ` + rankOf(bridge.RankOther) + ` AND (` + afterCursor("x[0]", "x[1]") + `)]) < $limit AS everyTier
CALL (hi, everyTier) {
  WITH hi WHERE everyTier
  CALL () {
    ` + textFound + `
    WITH node, spelt WHERE node:Person
    RETURN collect([node, spelt]) AS people
  }
  RETURN coalesce(head(collect(people)), []) AS selves
}
WITH things + selves AS found, selves, hi, everyTier
CALL (selves, hi, everyTier) {
  WITH selves, hi WHERE everyTier
  CALL (selves, hi) {
    UNWIND selves AS f
    WITH f[0] AS p, f[1] AS spelt
    WITH p, CASE WHEN spelt = 1 THEN ` + rankOf(bridge.RankSpelling) + ` ELSE ` + rankOf(bridge.RankOther) + ` END AS rank
    WHERE ` + listed("p") + peopleFilters + `
    RETURN p, rank
    UNION ALL
    UNWIND hi AS x
    RETURN x[0] AS p, x[1] AS rank
  }
  WITH p, min(rank) AS rank
  RETURN collect([p, rank]) AS everyRow
}
WITH found, everyTier, CASE WHEN everyTier THEN everyRow ELSE [x IN hi WHERE x[1] < ` + rankOf(bridge.RankOther) + `] END AS rows,
     CASE WHEN everyTier THEN size(everyRow) ELSE size(hi) END AS seen
CALL (rows) {
  UNWIND rows AS s
  WITH s[0] AS p, s[1] AS rank` + rankedPageBody

	// countTextCappedUnless is countTextCapped, run only when the people seen (how many people
	// a first page read, each listed and filtered) do not reach $countCap; otherwise its total is
	// 0 and the caller takes seen, a lower bound already past the cap. When the page did not
	// collect the people found themself (NOT everyTier: found is the things alone), it reads them
	// from textHits after the things' people, as a stream into the count's LIMIT.
	countTextCappedUnless = countTextCappedWhen("found, seen, everyTier", "WITH found, everyTier WHERE seen < $countCap", textFromFoundAndTier, `
    UNION ALL
    WITH everyTier WHERE NOT everyTier
    `+textHits+`
    WITH node WHERE node:Person
    RETURN node AS p, 0 AS rank`)
	// qSearchPeopleTextCounted is a later page of a text search with the capped count.
	qSearchPeopleTextCounted = foundOnce + countTextCapped + `
CALL (found) {
  ` + textMatchRowsFrom(textFromFound) + `
  WITH p, min(rank) AS rank
  WHERE ` + listed("p") + peopleFilters + rankedPageBody + `
RETURN total, hits`

	// qSearchPeople counts the matching people and reads the page apart: without text both are
	// index reads (the count seeks a filter's index, the page reads person_name in order and stops
	// after it), where counting and paging one collected list sorted every match by name.
	qSearchPeople = countListed + namePage + `
RETURN total, hits`

	// countListed counts the people the filters match and the viewer may list (total): those
	// listed to others, which an index seeks by country and visibility, and the viewer, when the
	// filters match them and they are not among those already.
	countListed = `
CALL () {
  MATCH (p:Person)
  WHERE ` + listedToOthers("p") + peopleFilters + `
  RETURN count(p) AS others
}
CALL () {
  OPTIONAL MATCH (p:Person {id: $viewerId})
  WHERE NOT coalesce(` + listedToOthers("p") + `, false)` + peopleFilters + `
  RETURN count(p) AS own
}
WITH others + own AS total`

	// facetsTail counts the people per value, each facet with every filter but its own
	// (disjunctive faceting: choosing Norway keeps the counts of the other countries, so that
	// they can be added to the choice). The candidates come with the filters that are not facets
	// applied; each says which of the five facet filters it passes, gives one row per facet value
	// it counts for (each value once per person), and one aggregation counts the rows per facet
	// and value. A theme counts the people on it or on a narrower theme (two levels, in the chosen
	// mode), as the theme filter finds them: each person's themes are read from their WORKS_ON
	// relationships (w.theme, migration 0015) and mapped to the themes they count for by $themeUp
	// (bridge.ThemeAncestors of the vocabulary in memory; a theme saved on another instance counts
	// once this one has read the vocabulary again, within BRIDGE_REFERENCE_TTL). Labels are read
	// once per value.
	//
	// Issue 15: the facets were five COLLECT subqueries over one collected list of the
	// candidates. Neo4j grouped each subquery's aggregation by that list too (an argument of the
	// subquery), and for "integration" (50,000 people for a member, 100,000 people in the graph)
	// the theme facet's transaction ran out of memory (MemoryPoolOutOfMemoryError, retried until
	// the deadline); walking BROADER*0..2 from every person's themes was 1.24 of the 3.2 million
	// db hits of a theme word's facets.
	facetsTail = `
WITH p, ` + filterCountry + ` AS c, ` + filterLang + ` AS l, ` + filterTheme + ` AS t, ` + filterKind + ` AS k, ` + filterGroup + ` AS g
CALL (p, c, l, t, k, g) {
  WITH p WHERE l AND t AND k AND g AND p.country IS NOT NULL
  RETURN 'countries' AS facet, p.country AS v
  UNION ALL
  WITH p WHERE c AND t AND k AND g
  UNWIND p.languages AS v
  RETURN 'languages' AS facet, v
  UNION ALL
  WITH p WHERE c AND l AND k AND g
  UNWIND reduce(vs = [], d IN [(p)-[w:WORKS_ON]->() WHERE $mode IS NULL OR w.mode IN [$mode, 'BOTH'] | w.theme] |
                vs + [v IN $themeUp[d] WHERE NOT v IN vs]) AS v
  RETURN 'themes' AS facet, v
  UNION ALL
  WITH p WHERE c AND l AND t AND g
  UNWIND ` + distinctOf(`[(p)-[:WORKS_AT]->(o:Organisation) WHERE o.kind IS NOT NULL | o.kind]`) + ` AS v
  RETURN 'kinds' AS facet, v
  UNION ALL
  WITH p WHERE c AND l AND t AND k
  UNWIND ` + distinctOf(`[(p)-[:MEMBER_OF]->(eg:ExpertGroup) | eg.id]`) + ` AS v
  RETURN 'groups' AS facet, v
}
WITH facet, v, count(*) AS n
WITH facet, {value: v, count: n, label: CASE facet
               WHEN 'themes' THEN COLLECT { MATCH (ft:Theme {id: v}) RETURN ft.label_en }[0]
               WHEN 'groups' THEN COLLECT { MATCH (eg:ExpertGroup {id: v}) RETURN eg.name }[0] END} AS f
ORDER BY f.count DESC, f.value
WITH facet, collect(f) AS fs
WITH collect([facet, fs]) AS perFacet
RETURN
  coalesce([x IN perFacet WHERE x[0] = 'countries' | x[1]][0], []) AS countries,
  coalesce([x IN perFacet WHERE x[0] = 'languages' | x[1]][0], []) AS languages,
  coalesce([x IN perFacet WHERE x[0] = 'themes' | x[1]][0], []) AS themes,
  coalesce([x IN perFacet WHERE x[0] = 'kinds' | x[1]][0], []) AS kinds,
  coalesce([x IN perFacet WHERE x[0] = 'groups' | x[1]][0], []) AS groups`

	// qPeopleFacets and qPeopleFacetsText count the facets over the first $facetSample people
	// (bridge.FacetSample) that the search finds and the viewer may list (facetsOfFirst). A text's
	// rows stream through DISTINCT into the limit, as the capped count's do, without the rank
	// (which would read every match).
	qPeopleFacets     = facetsOfFirst(peopleAll + "\n  WHERE " + listed("p") + peopleBaseFilters)
	qPeopleFacetsText = facetsOfFirst(textMatchRows + "\n  WITH DISTINCT p WHERE " + listed("p") + peopleBaseFilters)

	// qPeopleByIDs seeks each person by id: the hint holds it to the index whatever the statistics
	// say (with those of a database just loaded it scanned every person per id: see
	// Store.RefreshStatistics), and its plan is kept when they move (keptPlan).
	qPeopleByIDs = keptPlan("qPeopleByIDs", `
UNWIND $ids AS id
MATCH (p:Person {id: id}) USING INDEX p:Person(id)
WHERE `+visible("p")+` OR `+party("p")+`
RETURN `+personProjection+` AS person`)
)

// distinctOf is the Cypher list expression list with each value once, in the order of its first
// appearance (Cypher has no such function without APOC); list is a constant of the store.
func distinctOf(list string) string {
	return `reduce(vs = [], v IN ` + list + ` | CASE WHEN v IN vs THEN vs ELSE vs + v END)`
}

// facetsOfFirst counts the facets (facetsTail) over the first $facetSample people of the rows
// people (a constant of the store that ends with the listed test and the filters that are not
// facets), and says whether more were found (sampled): it reads one more than it counts. Issue
// 15: the facets of every match took 1.0 s for "arbetsmarknaden" and 1.6 s without text at
// 100,000 people.
func facetsOfFirst(people string) string {
	return `
CALL () {
  ` + people + `
  WITH p LIMIT $facetSample + 1
  RETURN collect(p) AS found
}
CALL (found) {
  UNWIND found[..$facetSample] AS p` + facetsTail + `
}
RETURN countries, languages, themes, kinds, groups, size(found) > $facetSample AS sampled`
}

// countTextCappedWhen is the capped count of a text's people (countTextCapped) as a subquery
// over the arguments args, which hold found, run for the rows that pass guard (a WITH clause, or
// nothing), reading found through from (textFromFound, or textFromFoundAndTier for more), with
// more a further UNION ALL branch of its rows, or nothing. All are constants of the store.
func countTextCappedWhen(args, guard, from, more string) string {
	return `
CALL (` + args + `) {
  ` + guard + `
  ` + textMatchRowsOpen(from) + more + `
  }
  WITH DISTINCT p WHERE ` + listed("p") + peopleFilters + `
  WITH p LIMIT $countCap
  RETURN count(p) AS total
}`
}

// textMatchRowsFrom is textMatchRows over the rows of from (textFromIndexes or textFromFound).
func textMatchRowsFrom(from string) string {
	return textMatchRowsOpen(from) + `
  }`
}

// textMatchRowsOpen is textMatchRowsFrom with its subquery left open, for a further UNION ALL
// branch (countTextCappedWhen).
func textMatchRowsOpen(from string) string {
	return from + `
    CALL (node) {` + textPeopleAndStaff + `
      WITH node MATCH (node:Municipality)<-[:LOCATED_IN]-(p:Person) RETURN p, ` + rankOf(bridge.RankTitlePlace) + ` AS rank
      UNION
      WITH node MATCH (node:Theme)<-[b:BROADER*0..2]-(t)<-[:WORKS_ON]-(p)
      RETURN p, CASE WHEN size(b) = 0 THEN ` + rankOf(bridge.RankTheme) + ` ELSE ` + rankOf(bridge.RankNarrowerTheme) + ` END AS rank
    }` + textOwnRecordRows
}

// textFirstPageRowsFrom gives the rows of a text search's first page over the nodes found, from
// from (textFromFound or textFromThings); self is textSelf, or empty for the rows without the
// people found themself (the better tiers, textTiersFirst). The rows: the people the text finds
// on their own record (name, title, bio: what the full-text index found), and, of each
// organisation, municipality and theme it found (with their narrower themes), only the first
// $scan people the viewer may list and the filters match, by (name, id), read in that order
// through the indexes of migrations 0017 and 0018 and stopped at the limit, where
// peopleByText reads every person linked to them (a theme word's ten themes brought 47,950
// people at 100,000). The index hints are needed: without them the planner scanned every node
// for the visibility test and then expanded (0.9 s for one theme; with the index, 142 db hits
// and 4 ms).
//
// Why the page is the same as from every match: take a person P among the first $scan of
// all matches by (rank, name, id), and the thing T that gives P their rank. Everyone before P
// in T's list (by name, id) matches T, so ranks at least as well as P, and sorts before P by
// name where the rank is equal: they all come before P among all matches, so P is among T's
// first $scan and among these rows, with their rank. A person's rank from these rows is
// never better than their rank from all matches (fewer things are seen), so nobody outside
// the first $scan moves ahead of P, and nobody among them moves. The first page reads
// $scan = first + 1. A later page after the cursor at position k of the list (the cursor
// holds it: PeoplePage.AfterPosition) reads $scan = k + 2·first + 1, so that its people, and
// the cursor's, are among the first $scan; the extra first leaves room for up to first
// people added before the cursor since the previous page. A cursor without a position, or
// past bridge.CountCap, reads every match (peopleByText).
func textFirstPageRowsFrom(from, self string) string {
	return from + `
    CALL (node) {` + self + textStaffFirst + `
      WITH node WHERE node:Municipality
      ` + firstByName("node", "LOCATED_IN", "municipality") + `
      RETURN p, ` + rankOf(bridge.RankTitlePlace) + ` AS rank
      UNION
      WITH node MATCH (node:Theme)<-[b:BROADER*0..2]-(t:Theme)
      WITH t, min(CASE WHEN size(b) = 0 THEN ` + rankOf(bridge.RankTheme) + ` ELSE ` + rankOf(bridge.RankNarrowerTheme) + ` END) AS rank
      ` + firstByName("t", "WORKS_ON", "theme") + `
      RETURN p, rank
    }` + textOwnRecord + `
  WITH p, min(rank) AS rank`
}

// firstByName is the subquery of textFirstPageRowsFrom that reads the first $limit people linked to
// the node x by relationships of the type rel, whose property key holds x's id (migration 0017),
// whom the viewer may list and the filters match, in (name, id) order through the index on
// (key, personName, person), and stops. Its arguments are constants of the store, never input.
// The relationship is named link: the filters use r, m and others inside their own patterns.
func firstByName(x, rel, key string) string {
	return strings.NewReplacer("{x}", x, "{rel}", rel, "{key}", key).Replace(`CALL ({x}) {
        MATCH (p)-[link:{rel}]->() USING INDEX link:{rel}({key}, personName, person)
        WHERE link.{key} = {x}.id AND link.personName >= '' AND link.person IS NOT NULL
        WITH p, link WHERE ` + listed("p") + peopleFilters + `
        WITH p, link ORDER BY link.{key}, link.personName, link.person LIMIT $scan
        RETURN p
      }`)
}

// afterCursor is the test that the person p of rank rank comes after the cursor ($afterId null:
// there is none) in relevance order; p and rank are Cypher expressions, constants of the store.
func afterCursor(p, rank string) string {
	return `$afterId IS NULL OR ` + rank + ` > $afterRank
    OR (` + rank + ` = $afterRank AND (` + p + `.name > $afterName OR (` + p + `.name = $afterName AND ` + p + `.id > $afterId)))`
}

// rankOf is a rank as a Cypher literal (a constant of the domain, not a value from a client).
func rankOf(r bridge.MatchRank) string { return strconv.Itoa(int(r)) }

// nullIfNone maps an empty list to null, which the filters read as "do not filter".
func nullIfNone[T ~string](xs []T) any {
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func peopleFilterParams(v bridge.Principal, f bridge.PeopleFilter, vocabulary []bridge.Theme) (map[string]any, bool, error) {
	params := viewerParams(v)
	params["countries"] = nullIfNone(f.Countries)
	params["langs"] = nullIfNone(f.Languages)
	params["themes"] = nullIfNone(f.ThemeIDs)
	params["themesWithin"] = nil
	if len(f.ThemeIDs) > 0 {
		if len(vocabulary) == 0 {
			return nil, false, errors.New("neo4jstore: a theme filter needs the theme vocabulary")
		}
		params["themesWithin"] = bridge.ThemesWithin(vocabulary, f.ThemeIDs)
	}
	params["kinds"] = nullIfNone(f.OrganisationKinds)
	params["groups"] = nullIfNone(f.GroupIDs)
	params["munis"] = nullIfNone(f.MunicipalityIDs)
	params["regions"] = nullIfNone(f.RegionIDs)
	params["mode"] = nullIfEmpty(string(f.ThemeMode))
	params["open"] = nil
	if f.OpenToIntroductions != nil {
		params["open"] = *f.OpenToIntroductions
	}
	params["sizes"] = nil
	if len(f.SizeClasses) > 0 {
		bounds := make([][]int64, 0, len(f.SizeClasses))
		for _, c := range f.SizeClasses {
			lo, hi := c.Bounds()
			bounds = append(bounds, []int64{int64(lo), int64(hi)})
		}
		params["sizes"] = bounds
	}
	if f.Text == "" {
		return params, false, nil
	}
	words := queryWords(f.Text)
	if len(words) == 0 {
		return nil, false, bridge.InvalidInput([]string{"filter", "text"}, "the text has no letters or digits to search for")
	}
	folded := foldedWords(words)
	params["text"] = fieldQuery("", folded, true)
	params["nameWords"] = fieldQuery("name", folded, false)
	params["namePrefix"] = fieldQuery("name", folded, true)
	params["title"] = fieldQuery("title", folded, true)
	params["wordCount"] = int64(len(words))
	// The stemmed indexes analyze the words themselves (plain terms are analyzed; unfolded, as
	// their analyzers do not fold).
	params["stemmed"] = fieldQuery("", words, false)
	params["spelling"] = spellingQuery(folded)
	return params, true, nil
}

// SearchPeople implements bridge.PeopleService.
func (s *Store) SearchPeople(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, p bridge.PeoplePage, vocabulary []bridge.Theme) (bridge.PeopleResult, error) {
	return s.searchPeople(ctx, v, f, p, vocabulary, searchHow{countCap: bridge.CountCap})
}

// searchHow is how searchPeople reads: SearchPeople's way, or the tests' references.
type searchHow struct {
	// everyMatch reads a text search's first page from every match as later pages without a
	// position are (the tests' reference for textFirstPageRowsFrom).
	everyMatch bool
	// countCap is where a text search's count stops (bridge.CountCap; lower in tests, so that
	// a thousand people reach it).
	countCap int
	// rewrite, when set, changes the statement before it is sent (the tests' references; nil in
	// SearchPeople).
	rewrite func(string) string
}

// searchPeople is SearchPeople, read as how says.
func (s *Store) searchPeople(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, p bridge.PeoplePage, vocabulary []bridge.Theme, how searchHow) (bridge.PeopleResult, error) {
	everyMatch := how.everyMatch
	params, byText, err := peopleFilterParams(v, f, vocabulary)
	if err != nil {
		return bridge.PeopleResult{}, err
	}
	params["afterName"], params["afterId"], params["limit"] = p.AfterName, nullIfEmpty(p.AfterID), int64(p.First+1)
	ranked := byText && p.Order == bridge.OrderRelevance
	params["afterRank"], params["byRank"] = int64(p.AfterRank), ranked
	params["countCap"] = int64(how.countCap + 1)
	// A text search's page is read from each matched thing's first $scan people by name
	// (textFirstPageRowsFrom) on the first page, and after a cursor whose position is known and
	// within bridge.CountCap; deeper, or without a position, from every match.
	params["scan"] = int64(p.First + 1)
	bounded := !everyMatch && p.AfterID == ""
	if !everyMatch && ranked && p.AfterID != "" && p.AfterPosition > 0 && p.AfterPosition <= bridge.CountCap {
		bounded, params["scan"] = true, int64(p.AfterPosition+2*p.First+1)
	}
	query, name := qSearchPeople, "search_people"
	switch {
	case byText && bounded && p.SkipCount:
		query, name = qSearchPeopleTextFirst, "search_people_text_first_page"
	case byText && bounded:
		query, name = qSearchPeopleTextFirstCounted, "search_people_text_first"
	case byText && p.SkipCount:
		query, name = qSearchPeopleTextNoCount, "search_people_text_page"
	case byText:
		query, name = qSearchPeopleTextCounted, "search_people_text"
	case p.SkipCount:
		query, name = qSearchPeopleNoCount, "search_people_page"
	}
	statement := peopleStatement(projecting(query, p.Parts), params, byText)
	if how.rewrite != nil {
		statement = how.rewrite(statement)
	}
	recs, err := s.read(ctx, name, statement, params)
	if err != nil {
		return bridge.PeopleResult{}, err
	}
	var res bridge.PeopleResult
	if len(recs) == 0 {
		return res, nil
	}
	rec := recordRow(recs[0])
	res.TotalCount = rec.Int("total")
	if byText && res.TotalCount > how.countCap {
		res.TotalCount, res.TotalCountCapped = how.countCap, true
	}
	for _, x := range rec.Rows("hits") {
		person, err := personFromRow(x.Row("person"))
		if err != nil {
			return res, err
		}
		res.People = append(res.People, person)
		if ranked {
			res.Ranks = append(res.Ranks, bridge.MatchRank(x.Int("rank")))
		}
	}
	if err := rec.Err("search people"); err != nil {
		return res, err
	}
	if len(res.People) > p.First {
		res.People, res.HasNextPage = res.People[:p.First], true
		if ranked {
			res.Ranks = res.Ranks[:p.First]
		}
	}
	return res, nil
}

// PeopleFacets implements bridge.PeopleService.
func (s *Store) PeopleFacets(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, vocabulary []bridge.Theme) (bridge.PeopleFacets, error) {
	return s.peopleFacets(ctx, v, f, vocabulary, bridge.FacetSample)
}

// peopleFacets is PeopleFacets over the first sample people (bridge.FacetSample; fewer in tests).
func (s *Store) peopleFacets(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, vocabulary []bridge.Theme, sample int) (bridge.PeopleFacets, error) {
	params, byText, err := peopleFilterParams(v, f, vocabulary)
	if err != nil {
		return bridge.PeopleFacets{}, err
	}
	up := make(map[string]any, len(vocabulary))
	for id, ids := range bridge.ThemeAncestors(vocabulary) {
		up[id] = ids
	}
	params["themeUp"] = up
	params["facetSample"] = int64(sample)
	query, name := qPeopleFacets, "people_facets"
	if byText {
		query, name = qPeopleFacetsText, "people_facets_text"
	}
	recs, err := s.read(ctx, name, peopleStatement(query, params, byText), params)
	if err != nil || len(recs) == 0 {
		return bridge.PeopleFacets{}, err
	}
	rec := recordRow(recs[0])
	read := func(key string) []bridge.FacetCount {
		rows := rec.Rows(key)
		counts := make([]bridge.FacetCount, 0, len(rows))
		for _, f := range rows {
			counts = append(counts, bridge.FacetCount{Value: f.Str("value"), Count: f.Int("count"), Label: f.OptStr("label")})
		}
		return counts
	}
	out := bridge.PeopleFacets{Countries: withZeroCounts(read("countries"), bridge.NordicCountries), Languages: read("languages"),
		Themes: read("themes"), OrganisationKinds: read("kinds"), Groups: read("groups"), Sampled: rec.Bool("sampled")}
	if err := rec.Err("people facets"); err != nil {
		return out, err
	}
	return out, nil
}

// withZeroCounts appends a zero count for each of values that counts lacks, so that a facet shows
// every country and territory, also those with nobody (yet) for the current filter. The list is
// fixed, so the zeros say nothing about who is hidden.
func withZeroCounts(counts []bridge.FacetCount, values []string) []bridge.FacetCount {
	seen := make(map[string]bool, len(counts))
	for _, c := range counts {
		seen[c.Value] = true
	}
	for _, v := range values {
		if !seen[v] {
			counts = append(counts, bridge.FacetCount{Value: v})
		}
	}
	return counts
}

// PeopleByIDs implements bridge.PeopleService.
func (s *Store) PeopleByIDs(ctx context.Context, v bridge.Principal, ids []string) (map[string]bridge.Person, error) {
	if len(ids) == 0 {
		return map[string]bridge.Person{}, nil
	}
	recs, err := s.read(ctx, "people_by_ids", qPeopleByIDs, peopleByIDsParams(v, ids))
	if err != nil {
		return nil, err
	}
	return peopleFromRecords(recs)
}

// peopleByIDsParams are qPeopleByIDs' parameters: the viewer's and the ids.
func peopleByIDsParams(v bridge.Principal, ids []string) map[string]any {
	params := viewerParams(v)
	params["ids"] = ids
	return params
}

// peopleFromRecords reads qPeopleByIDs' records, by person id.
func peopleFromRecords(recs []*neo4j.Record) (map[string]bridge.Person, error) {
	out := make(map[string]bridge.Person, len(recs))
	for _, r := range recs {
		p, err := personFromRow(recordRow(r).Row("person"))
		if err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, nil
}

// The relations from things to people, one query each (relationship types cannot be
// parameters). Each returns, per parent, the number of listed people and one page after the
// cursor, ordered by name and id. They are lists, so they follow listed (a person who withdrew
// the "may be suggested" consent leaves them at once, as they leave search); a person's own page
// still shows their organisation, group and events.
var (
	relatedHead = `
UNWIND $parents AS pid
CALL (pid) {
  `
	relatedTail = `
  WHERE ` + listed("p") + relatedPage
	relatedPage = `
  WITH p ORDER BY p.name, p.id
  WITH collect(p) AS ps
  WITH size(ps) AS total,
       [p IN ps WHERE $afterId IS NULL OR p.name > $afterName OR (p.name = $afterName AND p.id > $afterId)][..$limit] AS page
  RETURN total, [p IN page | ` + personProjection + `] AS people
}
RETURN pid, total, people`
	// An organisation's staff are read by name through migration 0018's copies and counted up to
	// bridge.CountCap, as the people of a theme (a large organisation has thousands), and a short
	// list from the count's read (relatedOneByName).
	staffNodes      = `MATCH (x:Organisation {id: pid})`
	qStaff          = relatedOneByName(staffNodes, "WORKS_AT", "organisation", whoListed)
	qStaffUncounted = relatedByNameUncounted(staffNodes, "WORKS_AT", "organisation", whoListed)
	// A group's members and an event's attendees are read the same way, through migration 0019's
	// copies. Current members of a group also see their fellow current members, whatever their
	// visibility, though not their contact details: the group is the circle they chose to join.
	// Everyone else sees the members that are listed for them.
	groupNodes          = `MATCH (x:ExpertGroup {id: pid})`
	whoMembers          = fellow("p", "x", "link") + ` OR ` + listed("p")
	qMembers            = relatedOneByName(groupNodes, "MEMBER_OF", "expertGroup", whoMembers)
	qMembersUncounted   = relatedByNameUncounted(groupNodes, "MEMBER_OF", "expertGroup", whoMembers)
	eventNodes          = `MATCH (x:Event {id: pid})`
	qAttendees          = relatedOneByName(eventNodes, "ATTENDED", "event", whoListed)
	qAttendeesUncounted = relatedByNameUncounted(eventNodes, "ATTENDED", "event", whoListed)
	// The people of a theme (with its narrower themes) and of a municipality are the large lists
	// (a broad theme holds about half of everyone): they are read by name through migration
	// 0017's copies and counted up to bridge.CountCap (relatedByName).
	themeNodes            = `MATCH (:Theme {id: pid})<-[:BROADER*0..2]-(x:Theme) WITH DISTINCT x`
	qThemePeople          = relatedByName(themeNodes, "WORKS_ON", "theme")
	qThemePeopleUncounted = relatedByNameUncounted(themeNodes, "WORKS_ON", "theme", whoListed)
	residentNodes         = `MATCH (x:Municipality {id: pid})`
	qResidents            = relatedByName(residentNodes, "LOCATED_IN", "municipality")
	qResidentsUncounted   = relatedByNameUncounted(residentNodes, "LOCATED_IN", "municipality", whoListed)
	// qPracticePeople: the people behind a practice (its authors, a handful), listed as every
	// list of people is; read whole and sorted, as a list this short costs no more that way.
	qPracticePeople = relatedHead + `MATCH (:Practice {id: pid})-[:BY]->(p:Person)` + relatedTail
)

// whoListed is who a list of people shows, in the name-index reads below (the person p, linked
// by the relationship link to the node x): those the viewer may list.
var whoListed = listed("p")

// relatedByName is the query of a relation whose people are linked to the nodes x (found from
// pid by nodes) by relationships of the type rel that carry x's id under key and the person's
// name and id (migration 0017). Its page reads, per node, the first $limit people after the
// cursor whom the viewer may list, in (name, id) order through the index on (key, personName,
// person), and stops; the page is the first $limit of those, each person once. It is the page of
// every linked person: a person among the first $limit after the cursor of the whole list is
// among the first $limit of each node they are linked to, since everyone before them there is
// before them in the whole list. The count stops at $countCap (bridge.CountCap + 1): the linked
// people stream through DISTINCT and the LIMIT ends the stream. Its arguments are constants of
// the store, never input.
func relatedByName(nodes, rel, key string) string {
	return strings.NewReplacer("{rel}", rel, "{key}", key).Replace(relatedByNamePage(nodes, whoListed) + `
CALL (pid) {
  ` + nodes + `
  MATCH (x)<-[:{rel}]-(p:Person) WHERE ` + whoListed + `
  WITH DISTINCT p LIMIT $countCap
  RETURN count(p) AS total
}
RETURN pid, total, people`)
}

// relatedOneByName is relatedByName for a relation of one node x (an organisation's staff, a
// group's members, an event's attendees), showing the people who holds for (whoListed, or
// whoMembers): the count reads them first, up to $countCap, and while they are fewer the page is
// cut from them, so a short list is read once (20 organisations of about ten staff each, the
// 3-level read, cost 29 ms at p50 with the list sorted whole and 38 ms read twice, through the
// index and for the count); a longer one is read in name order through the index and stops. A
// person is linked to a node once (every writer MERGEs the link). Its arguments are constants of
// the store, never input.
func relatedOneByName(nodes, rel, key, who string) string {
	return strings.NewReplacer("{rel}", rel, "{key}", key).Replace(relatedHead + nodes + `
  CALL (x) {
    MATCH (x)<-[link:{rel}]-(p:Person) WHERE ` + who + `
    WITH p LIMIT $countCap
    RETURN collect(p) AS found
  }
  CALL (found) {
    WITH found WHERE size(found) < $countCap
    UNWIND found AS p
    WITH p WHERE $afterId IS NULL OR p.name > $afterName OR (p.name = $afterName AND p.id > $afterId)
    WITH p ORDER BY p.name, p.id LIMIT $limit
    RETURN collect(p) AS few
  }
  CALL (x, found) {
    WITH x WHERE size(found) >= $countCap
    ` + relatedNameIndexRead(who) + `
    RETURN collect(p) AS many
  }
  WITH size(found) AS total, CASE WHEN size(found) < $countCap THEN few ELSE many END AS page
  RETURN total, [p IN page | ` + personProjection + `] AS people
}
RETURN pid, total, people`)
}

// relatedNameIndexRead reads the node x's first $limit people after the cursor for whom who
// holds, in (name, id) order through the index on ({key}, personName, person) of the
// relationships {rel} (the placeholders are replaced by relatedByName and relatedOneByName), and
// stops: the page read of relatedByNamePage and relatedOneByName's long lists.
func relatedNameIndexRead(who string) string {
	return `MATCH (p)-[link:{rel}]->() USING INDEX link:{rel}({key}, personName, person)
    WHERE link.{key} = x.id AND link.personName >= $fromName AND link.person IS NOT NULL
      AND ($afterId IS NULL OR link.personName > $afterName OR link.person > $afterId)
    WITH p, link WHERE ` + who + `
    WITH p, link ORDER BY link.{key}, link.personName, link.person LIMIT $limit`
}

// relatedByNameUncounted is relatedByName (or relatedOneByName) without the count: the total is
// -1 (PeoplePage.SkipCount).
func relatedByNameUncounted(nodes, rel, key, who string) string {
	return strings.NewReplacer("{rel}", rel, "{key}", key).Replace(relatedByNamePage(nodes, who) + `
RETURN pid, -1 AS total, people`)
}

// relatedByNamePage is the page of relatedByName, {rel} and {key} still to be replaced.
func relatedByNamePage(nodes, who string) string {
	return relatedHead + nodes + `
  CALL (x) {
    ` + relatedNameIndexRead(who) + `
    RETURN p
  }
  WITH DISTINCT p ORDER BY p.name, p.id LIMIT $limit
  WITH collect(p) AS page
  RETURN [p IN page | ` + personProjection + `] AS people
}`
}

// optionalFilter is a filter that holds for everyone when its parameter is null: ($param IS NULL
// OR body). The query text keeps that form (one text for every combination of filters, read by
// predicates_test), and withFilters writes it for the parameters of a request before it is sent:
// with "$countries IS NULL OR p.country IN $countries" the planner cannot seek the country index,
// so that counting the people of one country read every person.
func optionalFilter(param, body string) string {
	f := optFilter{param: param, full: "($" + param + " IS NULL OR " + body + ")", body: "(" + body + ")"}
	optionalFilters = append(optionalFilters, f)
	return f.full
}

type optFilter struct{ param, full, body string }

// optionalFilters are the filters optionalFilter made, in the order of the package's
// initialisation (at most 64: withFilters keys its cache by a bit per filter).
var optionalFilters []optFilter

// filteredCache holds the queries withFilters wrote, one per query and set of filters in use.
var filteredCache sync.Map

// withFilters is query with each optional filter replaced by its body when its parameter is set
// and by true when it is null: the same rows, in a form the planner can seek an index with.
func withFilters(query string, params map[string]any) string {
	return withFiltersOf(query, params, everyFilter)
}

// everyFilter is the mask of every optional filter (withFiltersOf writes them all).
const everyFilter = ^uint64(0)

// filterMask is the mask of the optional filters on the named parameters.
func filterMask(params ...string) uint64 {
	var mask uint64
	for i, f := range optionalFilters {
		if slices.Contains(params, f.param) {
			mask |= 1 << i
		}
	}
	return mask
}

// textWrittenFilters are the optional filters a text search writes for its request; it keeps the
// others in their ($x IS NULL OR body) form. Each combination of written filters is a statement
// of its own, and Neo4j plans a text search's statement in 0.6–3 s on its first use, so that
// writing all nine filters made up to 512 statements per query (and per projection), each a
// first search that took seconds. A text search starts from its full-text hits, not from an
// index the filters could seek, so a filter kept whole is one more check per row read: measured
// on 100,000 demo people (docs/performance.md, "One statement per text search"), the same for
// every filter but the country, which ran 20–40 % slower kept whole; it is written.
var textWrittenFilters = sync.OnceValue(func() uint64 { return filterMask("countries") })

// peopleStatement is the text sent for a people search or its facets: a text search writes the
// filters of textWrittenFilters only, any other search all of them (withFilters).
func peopleStatement(query string, params map[string]any, byText bool) string {
	if byText {
		return withFiltersOf(query, params, textWrittenFilters())
	}
	return withFilters(query, params)
}

// withFiltersOf is withFilters for the optional filters in written only; the others keep their
// optional form, whatever their parameter.
func withFiltersOf(query string, params map[string]any, written uint64) string {
	type key struct {
		query        string
		set, written uint64
	}
	var set uint64
	for i, f := range optionalFilters {
		if params[f.param] != nil {
			set |= 1 << i
		}
	}
	set &= written
	if q, ok := filteredCache.Load(key{query, set, written}); ok {
		return q.(string)
	}
	pairs := make([]string, 0, 2*len(optionalFilters))
	for i, f := range optionalFilters {
		switch {
		case written&(1<<i) == 0:
		case set&(1<<i) != 0:
			pairs = append(pairs, f.full, f.body)
		default:
			pairs = append(pairs, f.full, "true")
		}
	}
	q := strings.NewReplacer(pairs...).Replace(query)
	filteredCache.Store(key{query, set, written}, q)
	return q
}

// personProjectionOf is personProjection with only the linked parts asked for; a part left out is
// the constant it would be without links (null, or an empty list), so that personFromRow reads
// every projection alike and a left-out part costs the database nothing.
func personProjectionOf(parts bridge.PersonParts) string {
	out := personProjection
	for _, pp := range personProjectionParts {
		if !parts.Has(pp.part) {
			out = strings.Replace(out, pp.read, pp.none, 1)
		}
	}
	return out
}

// projectedCache holds the queries rewritten to project some parts only: at most 128 variants of
// each of the few queries that read people with personProjection.
var projectedCache sync.Map

// projecting is query with personProjection narrowed to the parts (zero: query as it is).
func projecting(query string, parts bridge.PersonParts) string {
	if parts == 0 || parts&bridge.AllPersonParts == bridge.AllPersonParts {
		return query
	}
	type key struct {
		query string
		parts bridge.PersonParts
	}
	if q, ok := projectedCache.Load(key{query, parts}); ok {
		return q.(string)
	}
	q := strings.ReplaceAll(query, personProjection, personProjectionOf(parts))
	projectedCache.Store(key{query, parts}, q)
	return q
}

// relatedQuery is the relation's query projecting the parts asked for, without the count when
// the page skips it and the relation can, and whether the relation's count stops at
// bridge.CountCap.
func relatedQuery(rel bridge.Relation, page bridge.PeoplePage) (q string, capped, ok bool) {
	q, ok = relatedQueries[rel]
	uncounted, capped := relatedUncounted[rel]
	if capped && page.SkipCount {
		q = uncounted
	}
	return projecting(q, page.Parts), capped, ok
}

// relatedUncounted are the relations read by name (relatedByName), without their count.
var relatedUncounted = map[bridge.Relation]string{bridge.RelationThemePeople: qThemePeopleUncounted, bridge.RelationResidents: qResidentsUncounted,
	bridge.RelationStaff: qStaffUncounted, bridge.RelationMembers: qMembersUncounted, bridge.RelationAttendees: qAttendeesUncounted}

var relatedQueries = map[bridge.Relation]string{
	bridge.RelationStaff: qStaff, bridge.RelationMembers: qMembers, bridge.RelationAttendees: qAttendees,
	bridge.RelationThemePeople: qThemePeople, bridge.RelationResidents: qResidents,
	bridge.RelationPractice: qPracticePeople,
}

// Related implements bridge.PeopleService: one round trip for all parents.
func (s *Store) Related(ctx context.Context, v bridge.Principal, rel bridge.Relation, parents []string, page bridge.PeoplePage) (map[string]bridge.PeopleResult, error) {
	return s.related(ctx, v, rel, parents, page, bridge.CountCap)
}

// related is Related with the counts stopped at countCap (bridge.CountCap; lower in tests, so
// that a list of a few thousand people reaches it).
func (s *Store) related(ctx context.Context, v bridge.Principal, rel bridge.Relation, parents []string, page bridge.PeoplePage, countCap int) (map[string]bridge.PeopleResult, error) {
	query, capped, ok := relatedQuery(rel, page)
	if !ok {
		return nil, fmt.Errorf("unknown relation %q", rel)
	}
	out := make(map[string]bridge.PeopleResult, len(parents))
	if len(parents) == 0 {
		return out, nil
	}
	params := viewerParams(v)
	params["parents"], params["limit"] = parents, int64(page.First+1)
	params["afterName"], params["afterId"] = page.AfterName, nullIfEmpty(page.AfterID)
	params["fromName"], params["countCap"] = page.AfterName, int64(countCap+1)
	recs, err := s.read(ctx, "related_"+string(rel), query, params)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		rec := recordRow(r)
		pid := rec.Str("pid")
		res := bridge.PeopleResult{TotalCount: rec.Int("total")}
		if capped && res.TotalCount > countCap {
			res.TotalCount, res.TotalCountCapped = countCap, true
		}
		for _, x := range rec.Rows("people") {
			p, err := personFromRow(x)
			if err != nil {
				return nil, err
			}
			res.People = append(res.People, p)
		}
		if err := rec.Err("related " + string(rel)); err != nil {
			return nil, err
		}
		if len(res.People) > page.First {
			res.People, res.HasNextPage = res.People[:page.First], true
		}
		out[pid] = res
	}
	return out, nil
}

func personFromRow(r *row) (bridge.Person, error) {
	p := bridge.Person{ID: r.Str("id"), GivenName: r.OptStr("givenName"), FamilyName: r.OptStr("familyName"),
		Title: r.OptStr("title"), Bio: r.OptStr("bio"), Languages: r.Strs("languages"), CountryCode: r.OptStr("country"),
		MunicipalityID: r.OptStr("municipality"), EventIDs: r.Strs("events"), PracticeIDs: r.Strs("practices"),
		Visibility: bridge.Visibility(r.Str("visibility")), Source: bridge.PersonSource(r.OptStr("source")),
		OpenToIntroductions: r.OptBool("openToIntroductions"), Paused: r.Bool("paused"), Confirmed: r.OptBool("confirmed"),
		Demo: r.OptBool("demo"), IntroductionsPerQuarter: r.OptInt("introductionsPerQuarter"), Version: r.Int("version"),
		Themes: themeLinks(r), Affiliations: affiliations(r)}
	if contact := r.OptRow("contact"); contact != nil {
		p.ContactVisible = true
		p.Email, p.Phone = contact.OptStr("email"), contact.OptStr("phone")
	}
	if settings := r.OptRow("settings"); settings != nil {
		p.SettingsVisible = true
		p.Language = settings.OptStr("language")
	}
	for _, m := range r.Rows("memberships") {
		p.Memberships = append(p.Memberships, bridge.Membership{GroupID: m.Str("group"), Role: bridge.MemberRole(m.OptStr("role")),
			Since: m.OptStr("since"), Until: m.OptStr("until")})
	}
	return p, r.Err("person record")
}

// themeLinks reads the themes {id, mode} of a person's projection (none: nil).
func themeLinks(r *row) []bridge.ThemeLink {
	var out []bridge.ThemeLink
	for _, t := range r.Rows("themes") {
		out = append(out, bridge.ThemeLink{ThemeID: t.Str("id"), Mode: bridge.ThemeMode(t.OptStr("mode"))})
	}
	return out
}

// affiliations reads the affiliations {org, role, since} of a person's projection (none: nil).
func affiliations(r *row) []bridge.Affiliation {
	var out []bridge.Affiliation
	for _, a := range r.Rows("affiliations") {
		out = append(out, bridge.Affiliation{OrganisationID: a.Str("org"), Role: a.OptStr("role"), Since: a.OptStr("since")})
	}
	return out
}
