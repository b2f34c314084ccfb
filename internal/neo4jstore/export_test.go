package neo4jstore

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// CreateMigrationRecordForTest creates a Migration node with CREATE (not MERGE), to provoke a
// uniqueness violation in tests.
func (s *Store) CreateMigrationRecordForTest(ctx context.Context, id string) error {
	_, err := s.write(ctx, "test_create_migration", statement{query: `CREATE (:Migration {id: $id})`, params: map[string]any{"id": id}})
	return err
}

// ReadForTest runs a read query as the store's reads run (its timeout, error translation).
func (s *Store) ReadForTest(ctx context.Context, query string) error {
	_, err := s.read(ctx, "test_read", query, nil)
	return err
}

// BookmarksForTest is how many bookmarks the store's manager holds.
func (s *Store) BookmarksForTest(ctx context.Context) int {
	b, _ := s.bookmarks.GetBookmarks(ctx)
	return len(b)
}

// FillWorksOnKeysForTest runs the data step of migration 0015 (the theme and person ids of every
// WORKS_ON relationship that lacks them).
func (s *Store) FillWorksOnKeysForTest(ctx context.Context) error {
	return dataSteps["0015_works_on_keys"](ctx, s)
}

// FillLinkNamesForTest runs the data steps of migrations 0017 (the person's name and id on every
// WORKS_ON and LOCATED_IN, the municipality's id on LOCATED_IN), 0018 (the same on WORKS_AT, with
// the organisation's id) and 0019 (on MEMBER_OF and ATTENDED, with the group's or event's id).
func (s *Store) FillLinkNamesForTest(ctx context.Context) error {
	for _, step := range []string{"0017_person_name_on_links", "0018_person_name_on_works_at", "0019_person_name_on_memberships"} {
		if err := dataSteps[step](ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// SearchPeopleEveryMatchForTest is SearchPeople with a text search's first page read from every
// match (peopleByText), as before textFirstPageRowsFrom: the reference its pages must equal.
func (s *Store) SearchPeopleEveryMatchForTest(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, p bridge.PeoplePage, vocabulary []bridge.Theme) (bridge.PeopleResult, error) {
	return s.searchPeople(ctx, v, f, p, vocabulary, searchHow{everyMatch: true, countCap: bridge.CountCap})
}

// themeWalk is the theme filter's body as it was before bridge.ThemesWithin: each person's themes
// walked up the hierarchy in the database.
const themeWalk = `EXISTS { MATCH (p)-[w:WORKS_ON]->(:Theme)-[:BROADER*0..2]->(ft:Theme)
                                   WHERE ft.id IN $themes AND ($mode IS NULL OR w.mode IN [$mode, 'BOTH']) }`

// SearchPeopleWalkingThemesForTest is SearchPeople with the theme filter walking each person's
// themes up the hierarchy in the database (themeWalk), as before bridge.ThemesWithin: the
// reference its answers must equal.
func (s *Store) SearchPeopleWalkingThemesForTest(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, p bridge.PeoplePage, vocabulary []bridge.Theme) (bridge.PeopleResult, error) {
	walk := func(statement string) string { return strings.ReplaceAll(statement, themeWithin, themeWalk) }
	return s.searchPeople(ctx, v, f, p, vocabulary, searchHow{rewrite: walk, countCap: bridge.CountCap})
}

// SearchPeopleCappedForTest is SearchPeople (or, with everyMatch, SearchPeopleEveryMatchForTest)
// with a text search's count stopped at countCap instead of bridge.CountCap.
func (s *Store) SearchPeopleCappedForTest(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, p bridge.PeoplePage, vocabulary []bridge.Theme, countCap int, everyMatch bool) (bridge.PeopleResult, error) {
	return s.searchPeople(ctx, v, f, p, vocabulary, searchHow{everyMatch: everyMatch, countCap: countCap})
}

// RelatedPersonForTest is a person of a related list: id and the name it is ordered by.
type RelatedPersonForTest struct{ ID, Name string }

// RelatedEveryPersonForTest is every person of the relation's parent whom the viewer may list, in
// (name, id) order, read from every linked person as the relation was read before relatedByName:
// the reference its pages and counts must equal.
func (s *Store) RelatedEveryPersonForTest(ctx context.Context, v bridge.Principal, rel bridge.Relation, parent string) ([]RelatedPersonForTest, error) {
	match, ok := map[bridge.Relation]string{
		bridge.RelationThemePeople: `MATCH (:Theme {id: pid})<-[:BROADER*0..2]-(:Theme)<-[:WORKS_ON]-(p:Person) WITH DISTINCT p WHERE ` + listed("p"),
		bridge.RelationResidents:   `MATCH (:Municipality {id: pid})<-[:LOCATED_IN]-(p:Person) WHERE ` + listed("p"),
		bridge.RelationStaff:       `MATCH (:Organisation {id: pid})<-[:WORKS_AT]-(p:Person) WHERE ` + listed("p"),
		bridge.RelationMembers: `MATCH (g:ExpertGroup {id: pid})<-[w:MEMBER_OF]-(p:Person) WHERE ` + fellow("p", "g", "w") + ` OR ` + listed("p") + `
  WITH DISTINCT p`,
		bridge.RelationAttendees: `MATCH (:Event {id: pid})<-[:ATTENDED]-(p:Person) WHERE ` + listed("p"),
	}[rel]
	if !ok {
		return nil, fmt.Errorf("no reference for %q", rel)
	}
	params := viewerParams(v)
	params["pid"] = parent
	recs, err := s.read(ctx, "test_related_every_person", `WITH $pid AS pid `+match+`
  RETURN p.id AS id, p.name AS name ORDER BY p.name, p.id`, params)
	if err != nil {
		return nil, err
	}
	out := make([]RelatedPersonForTest, 0, len(recs))
	for _, r := range recs {
		row := recordRow(r)
		out = append(out, RelatedPersonForTest{ID: row.Str("id"), Name: row.Str("name")})
	}
	return out, nil
}

// PeopleFacetsSampledForTest is PeopleFacets over the first sample people instead of
// bridge.FacetSample.
func (s *Store) PeopleFacetsSampledForTest(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, vocabulary []bridge.Theme, sample int) (bridge.PeopleFacets, error) {
	return s.peopleFacets(ctx, v, f, vocabulary, sample)
}

// RelatedCappedForTest is Related with the counts stopped at countCap instead of bridge.CountCap.
func (s *Store) RelatedCappedForTest(ctx context.Context, v bridge.Principal, rel bridge.Relation, parents []string, page bridge.PeoplePage, countCap int) (map[string]bridge.PeopleResult, error) {
	return s.related(ctx, v, rel, parents, page, countCap)
}

// IntroductionPathsCappedForTest is IntroductionPaths with hubs of at most hubCap people instead
// of bridge.PathHubCap.
func (s *Store) IntroductionPathsCappedForTest(ctx context.Context, v bridge.Principal, fromID, toID string, maxHops, limit, hubCap int) ([]bridge.IntroductionPath, error) {
	return s.introductionPaths(ctx, v, fromID, toID, maxHops, limit, qIntroductionPaths, map[string]any{"hubCap": int64(hubCap)})
}

// IntroductionPathsAvoidingForTest is IntroductionPaths without the hubs' cap, through none of
// the hubs avoid (their element ids): with avoid the hubs too large for the viewer
// (PathHubsForTest), the reference of the capped paths.
func (s *Store) IntroductionPathsAvoidingForTest(ctx context.Context, v bridge.Principal, fromID, toID string, maxHops, limit int, avoid []string) ([]bridge.IntroductionPath, error) {
	q := strings.Replace(qIntroductionPaths, pathHubSmall, "NOT elementId(h) IN $avoid", 1)
	if q == qIntroductionPaths {
		return nil, fmt.Errorf("qIntroductionPaths has no pathHubSmall to replace")
	}
	return s.introductionPaths(ctx, v, fromID, toID, maxHops, limit, q, map[string]any{"avoid": avoid})
}

// PathHubForTest is an organisation, group or event: its element id, id, and how many people
// the viewer may list there (Listed) of how many linked (Linked).
type PathHubForTest struct {
	ElementID, ID  string
	Listed, Linked int
}

// PathHubsForTest are the organisations, groups and events, each with its people counted from
// every linked person, the largest first.
func (s *Store) PathHubsForTest(ctx context.Context, v bridge.Principal) ([]PathHubForTest, error) {
	recs, err := s.read(ctx, "test_path_hubs", `MATCH (h)<-[:WORKS_AT|MEMBER_OF|ATTENDED]-(p:Person)
WHERE h:Organisation OR h:ExpertGroup OR h:Event
WITH h, count(DISTINCT p) AS linked, count(DISTINCT CASE WHEN `+listed("p")+` THEN p END) AS listed
RETURN elementId(h) AS eid, h.id AS id, listed, linked ORDER BY listed DESC, id`, viewerParams(v))
	if err != nil {
		return nil, err
	}
	out := make([]PathHubForTest, 0, len(recs))
	for _, r := range recs {
		row := recordRow(r)
		out = append(out, PathHubForTest{ElementID: row.Str("eid"), ID: row.Str("id"), Listed: row.Int("listed"), Linked: row.Int("linked")})
	}
	return out, nil
}

// KeptPlansForTest are the statements marked by keptPlan, by name.
func KeptPlansForTest() map[string]string { return keptPlans }

// PlanOperatorsForTest are the operators of the plan Neo4j makes for query (EXPLAIN: nothing
// runs), each with its details.
func (s *Store) PlanOperatorsForTest(ctx context.Context, query string) ([]string, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "EXPLAIN "+strings.TrimPrefix(query, keptPlanPrefix), nil)
	if err != nil {
		return nil, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, err
	}
	var ops []string
	planOperators(reflect.ValueOf(sum.Plan()).Elem().Field(0).Elem(), &ops)
	return ops, nil
}

// planOperators appends the operators of the plan v (the driver's db.Plan) and of all its
// children, each with its details. It reads the tree by reflection: the driver's Plan.Children
// (v5.28.4, a module of Go 1.18 loop semantics) wraps &c of its range variable, so that every
// child it returns is the last one (why a walk of Children saw two copies of one branch of a
// RollUpApply, docs/performance.md).
func planOperators(v reflect.Value, ops *[]string) {
	op := v.FieldByName("Operator").String()
	if d := v.FieldByName("Arguments").MapIndex(reflect.ValueOf("Details")); d.IsValid() {
		op += " " + fmt.Sprint(d)
	}
	*ops = append(*ops, op)
	children := v.FieldByName("Children")
	for i := range children.Len() {
		planOperators(children.Index(i), ops)
	}
}
