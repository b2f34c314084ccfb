package neo4jstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// The programme: reading the expert groups, events and practices, and the secretariat's edits of
// themes, groups (and their members), events and practices, each in one transaction with its
// audit event (package programme is the use case).

const (
	qAddGroupMember = `
MATCH (g:ExpertGroup {id: $group}), (p:Person {id: $person})
MERGE (p)-[m:MEMBER_OF]->(g)
SET m.role = $role, m.since = $since, m.until = null, m.expertGroup = g.id, m.person = p.id, m.personName = p.name
RETURN p.id AS id`

	qRemoveGroupMember = `
MATCH (:ExpertGroup {id: $group})<-[m:MEMBER_OF]-(p:Person {id: $person})
DELETE m
RETURN p.id AS id`
)

// AddGroupMember adds (or changes) a person's membership of an expert group, with its audit event.
func (s *Store) AddGroupMember(ctx context.Context, groupID, personID string, role bridge.MemberRole, since string, audit bridge.AuditEntry) error {
	return s.setGroupMember(ctx, groupID, personID, role, since, false, audit)
}

// RemoveGroupMember removes a person's membership of an expert group, with its audit event.
func (s *Store) RemoveGroupMember(ctx context.Context, groupID, personID string, audit bridge.AuditEntry) error {
	return s.setGroupMember(ctx, groupID, personID, "", "", true, audit)
}

// setGroupMember is the one transaction of both: the person and group must exist.
func (s *Store) setGroupMember(ctx context.Context, groupID, personID string, role bridge.MemberRole, since string, remove bool, audit bridge.AuditEntry) error {
	audit.TargetID = personID
	_, err := s.run(ctx, neo4j.AccessModeWrite, "set_group_member", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		q := qAddGroupMember
		if remove {
			q = qRemoveGroupMember
		}
		recs, err := runConsume(ctx, tx, q, map[string]any{"group": groupID, "person": personID, "role": string(role), "since": nullIfEmpty(since)})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such group, person or membership")
		}
		return runConsume(ctx, tx, qAppendAudit, appendAuditParams(audit))
	})
	return err
}

// qProgramme reads the groups, events and practices in one round trip.
const qProgramme = `
RETURN
  COLLECT { MATCH (g:ExpertGroup) WITH g ORDER BY g.id
            RETURN g{.id, .name, .kind, .description, themes: [(g)-[:FOCUSES_ON]->(t:Theme) | t.id]} } AS groups,
  COLLECT { MATCH (e:Event) WITH e ORDER BY e.startDate, e.id
            RETURN e{.id, .name, .description, .city, .country, .suggestionsSentAt, startDate: toString(e.startDate),
                     endDate: toString(e.endDate), themes: [(e)-[:ABOUT]->(t:Theme) | t.id]} } AS events,
  COLLECT { MATCH (p:Practice) WITH p ORDER BY p.id
            RETURN p{.id, .title, .kind, .summary, .year, .url, .countries,
                     themes: [(p)-[:ABOUT]->(t:Theme) | t.id],
                     organisations: COLLECT { MATCH (p)-[:BY]->(o:Organisation) RETURN o.id ORDER BY o.name, o.id },
                     municipalities: COLLECT { MATCH (p)-[:IN]->(m:Municipality) RETURN m.id ORDER BY m.name, m.id }} } AS practices`

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
			ThemeIDs: e.Strs("themes"), SuggestionsSentAt: e.OptTime("suggestionsSentAt")})
	}
	for _, p := range rec.Rows("practices") {
		out.Practices = append(out.Practices, bridge.Practice{ID: p.Str("id"), Title: p.Str("title"),
			Kind: bridge.PracticeKind(p.Str("kind")), Summary: p.OptStr("summary"), URL: p.OptStr("url"),
			CountryCodes: p.Strs("countries"), ThemeIDs: p.Strs("themes"), Year: p.OptInt("year"),
			OrganisationIDs: p.Strs("organisations"), MunicipalityIDs: p.Strs("municipalities")})
	}
	return out, rec.Err("programme")
}

const (
	practiceThemeFilter = `
WHERE $themes IS NULL OR EXISTS { MATCH (p)-[:ABOUT]->(:Theme)-[:BROADER*0..2]->(ft:Theme) WHERE ft.id IN $themes }
RETURN p.id AS value ORDER BY value`
	qPracticeIDs     = `MATCH (p:Practice)` + practiceThemeFilter
	qPracticeIDsText = `CALL db.index.fulltext.queryNodes('things_text', $text) YIELD node AS p
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

// MergeOrganisations folds a duplicate organisation into the kept one, audited for both ids.
func (s *Store) MergeOrganisations(ctx context.Context, keep, remove string, audit bridge.AuditEntry) error {
	if keep == remove {
		return bridge.InvalidInput([]string{"remove"}, "an organisation cannot be merged into itself")
	}
	_, err := s.run(ctx, neo4j.AccessModeWrite, "merge_organisations", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		found, err := runConsume(ctx, tx, `MATCH (o:Organisation) WHERE o.id IN [$keep, $remove] RETURN o.id`, map[string]any{"keep": keep, "remove": remove})
		if err != nil {
			return nil, err
		}
		if len(found) != 2 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such organisation")
		}
		for _, q := range qMergeOrganisations {
			if _, err := runConsume(ctx, tx, q, map[string]any{"keep": keep, "remove": remove}); err != nil {
				return nil, err
			}
		}
		for _, target := range []string{keep, remove} {
			a := audit
			a.TargetID = target
			if _, err := runConsume(ctx, tx, qAppendAudit, appendAuditParams(a)); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	return err
}

const (
	qUnknownThemeIDs = `
UNWIND $ids AS id
OPTIONAL MATCH (t:Theme {id: id})
WITH id WHERE t IS NULL
RETURN id AS value`
	// qUnknownPracticeLinks names the first unknown organisation, municipality and person of a
	// practice's links, by position (-1: all known). The secretariat saves practices and sees
	// every person, so naming an unknown id discloses nothing.
	qUnknownPracticeLinks = `
RETURN coalesce([k IN range(0, size($organisations) - 1) WHERE NOT EXISTS { MATCH (:Organisation {id: $organisations[k]}) }][0], -1) AS organisations,
  coalesce([k IN range(0, size($municipalities) - 1) WHERE NOT EXISTS { MATCH (:Municipality {id: $municipalities[k]}) }][0], -1) AS municipalities,
  coalesce([k IN range(0, size($people) - 1) WHERE NOT EXISTS { MATCH (:Person {id: $people[k]}) }][0], -1) AS people`
	// qLinkPractice replaces who is behind a practice: (:Practice)-[:BY]->(:Organisation|Person)
	// and -[:IN]->(:Municipality).
	qLinkPractice = `
MATCH (p:Practice {id: $id})
OPTIONAL MATCH (p)-[old:BY|IN]->()
DELETE old
WITH DISTINCT p
CALL (p) {
  UNWIND $organisations AS oid
  MATCH (o:Organisation {id: oid})
  MERGE (p)-[:BY]->(o)
}
CALL (p) {
  UNWIND $municipalities AS mid
  MATCH (m:Municipality {id: mid})
  MERGE (p)-[:IN]->(m)
}
CALL (p) {
  UNWIND $people AS pid
  MATCH (person:Person {id: pid})
  MERGE (p)-[:BY]->(person)
}`
	qThemeCycle = `
MATCH (t:Theme {id: $id})
RETURN EXISTS { (t)-[:BROADER*1..10]->(t) } AS cycle`
)

// SaveProgrammeItem creates or updates a theme, expert group, event or practice (one of the
// four, by its Go type) with its audit event in one transaction. Unknown theme references are
// BAD_USER_INPUT at themesPath; a theme whose broader links would form a cycle is refused. A
// practice's organisations, municipalities and people replace the ones it had; an unknown one is
// BAD_USER_INPUT at input.<field>.<i>.
func (s *Store) SaveProgrammeItem(ctx context.Context, item any, audit bridge.AuditEntry) error {
	var stmts []statement
	var themeIDs []string
	var links map[string]any // a practice's: who is behind it, checked before anything is written
	themesPath := []string{"input", "themes"}
	switch v := item.(type) {
	case bridge.Theme:
		audit.TargetID = v.ID
		rows := themeRows([]bridge.Theme{v})
		stmts = []statement{{qUpsertThemes, map[string]any{"rows": rows}}, {qLinkBroaderThemes, map[string]any{"rows": rows}}}
		themeIDs, themesPath = v.Broader, []string{"input", "broader"}
	case bridge.ExpertGroup:
		audit.TargetID = v.ID
		stmts = []statement{{qUpsertGroups, map[string]any{"rows": groupRows([]bridge.ExpertGroup{v})}}}
		themeIDs = v.ThemeIDs
	case bridge.Event:
		audit.TargetID = v.ID
		stmts = []statement{{qUpsertEvents, map[string]any{"rows": eventRows([]bridge.Event{v})}}}
		themeIDs = v.ThemeIDs
	case bridge.Practice:
		audit.TargetID = v.ID
		links = map[string]any{"id": v.ID, "organisations": emptyIfNil(v.OrganisationIDs),
			"municipalities": emptyIfNil(v.MunicipalityIDs), "people": emptyIfNil(v.PersonIDs)}
		stmts = []statement{{qUpsertPractices, map[string]any{"rows": practiceRows([]bridge.Practice{v})}}, {qLinkPractice, links}}
		themeIDs = v.ThemeIDs
	default:
		return fmt.Errorf("save programme item: unsupported %T", item)
	}
	_, err := s.run(ctx, neo4j.AccessModeWrite, "save_programme_item", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		unknown, err := runConsume(ctx, tx, qUnknownThemeIDs, map[string]any{"ids": emptyIfNil(themeIDs)})
		if err != nil {
			return nil, err
		}
		if len(unknown) > 0 {
			return nil, bridge.InvalidInput(themesPath, "unknown theme")
		}
		if links != nil {
			recs, err := runConsume(ctx, tx, qUnknownPracticeLinks, links)
			if err != nil {
				return nil, err
			}
			if len(recs) != 1 {
				return nil, fmt.Errorf("practice links: %d records, want 1", len(recs))
			}
			if err := unknownPracticeLink(recs[0]); err != nil {
				return nil, err
			}
		}
		for _, st := range stmts {
			if _, err := runConsume(ctx, tx, st.query, st.params); err != nil {
				return nil, err
			}
		}
		if t, ok := item.(bridge.Theme); ok {
			recs, err := runConsume(ctx, tx, qThemeCycle, map[string]any{"id": t.ID})
			if err != nil {
				return nil, err
			}
			cycle := false
			if len(recs) > 0 {
				if cycle, err = column(recs[0], "cycle", (*row).Bool); err != nil {
					return nil, err
				}
			}
			if cycle {
				return nil, bridge.InvalidInput([]string{"input", "broader"}, "the broader themes would form a cycle")
			}
		}
		return runConsume(ctx, tx, qAppendAudit, appendAuditParams(audit))
	})
	return err
}

// unknownPracticeLink is BAD_USER_INPUT at input.<field>.<i> for the first unknown link of
// qUnknownPracticeLinks' record, nil when every link is known.
func unknownPracticeLink(rec *neo4j.Record) error {
	r := recordRow(rec)
	first := map[string]int{}
	for _, field := range []string{"organisations", "municipalities", "people"} {
		first[field] = r.Int(field)
	}
	if err := r.Err("practice links"); err != nil {
		return err
	}
	for _, l := range []struct{ field, what string }{{"organisations", "organisation"}, {"municipalities", "municipality"}, {"people", "person"}} {
		if k := first[l.field]; k >= 0 {
			return bridge.InvalidInput([]string{"input", l.field, strconv.Itoa(k)}, "no such %s", l.what)
		}
	}
	return nil
}

const (
	// qAttendanceCheck reads whether the event exists and has started, and the first person who
	// does not exist (by position in $people).
	qAttendanceCheck = `
OPTIONAL MATCH (e:Event {id: $event})
RETURN e IS NOT NULL AS event, e IS NOT NULL AND e.startDate <= date($today) AS started,
  [k IN range(0, size($people) - 1) WHERE NOT EXISTS { MATCH (:Person {id: $people[k]}) }][0] AS missing`
	qSetAttendance = `
MATCH (e:Event {id: $event})
UNWIND $people AS pid
WITH DISTINCT e, pid
MATCH (p:Person {id: pid})
CALL (e, p) {
  WITH e, p WHERE $attended
  MERGE (p)-[a:ATTENDED]->(e) SET a.event = e.id, a.person = p.id, a.personName = p.name
}
CALL (e, p) {
  WITH e, p WHERE NOT $attended
  OPTIONAL MATCH (p)-[a:ATTENDED]->(e)
  DELETE a
}
RETURN collect(p.id) AS people`
	qAppendAttendanceAudit = `
UNWIND $people AS pid
CREATE (:AuditEvent {id: randomUUID(), at: datetime(), action: $action, actorId: $actorId, actorRole: $actorRole,
        targetId: pid, requestId: $requestId, detail: $detail})`
)

// SetAttendance implements programme.Store.
func (s *Store) SetAttendance(ctx context.Context, eventID string, personIDs []string, attended bool, today string, audit bridge.AuditEntry) error {
	_, err := s.run(ctx, neo4j.AccessModeWrite, "set_attendance", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		recs, err := runConsume(ctx, tx, qAttendanceCheck, map[string]any{"event": eventID, "people": personIDs, "today": today})
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		r := recordRow(recs[0])
		event, started, missing := r.Bool("event"), r.Bool("started"), r.OptInt("missing")
		if err := r.Err("attendance check"); err != nil {
			return nil, err
		}
		_, hasMissing := recs[0].Get("missing")
		if v, _ := recs[0].Get("missing"); v == nil {
			hasMissing = false
		}
		switch {
		case !event:
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such event")
		case hasMissing:
			return nil, bridge.InvalidInput([]string{"people", strconv.Itoa(missing)}, "no such person")
		case !started:
			return nil, bridge.Errorf(bridge.CodeNotPossible, "the event has not started yet")
		}
		if _, err := runConsume(ctx, tx, qSetAttendance, map[string]any{"event": eventID, "people": personIDs, "attended": attended}); err != nil {
			return nil, err
		}
		p := auditParams(audit)
		p["people"], p["detail"] = personIDs, fmt.Sprintf("event=%s attended=%t", eventID, attended)
		return runConsume(ctx, tx, qAppendAttendanceAudit, p)
	})
	return err
}
