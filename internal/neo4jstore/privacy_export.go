package neo4jstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Access and portability (GDPR art. 15, 20): everything held about a person, as they may see it.

// exportInternalProperties are the Person properties left out of an export: they hold nothing
// about the person that the export does not show otherwise. emailKey is the lower-cased e-mail
// (the e-mail itself is exported), searchText is an index copy of names and labels, version is
// the edit counter for conflict detection.
var exportInternalProperties = []string{"emailKey", "searchText", "version"}

// qExport reads everything held about a person in one query. Other people appear only as far as
// the person may know them: actors of audit events by role, and by id only when the actor is the
// person. Introductions are read whole (introductionProjection) and shaped by exportIntroduction
// into what the person sees of them through the API; the counterpart's name is read unless they
// paused, and shown once both accepted.
const qExport = `
MATCH (p:Person {id: $personId})
RETURN properties(p) AS profile,
  head(COLLECT { MATCH (p)-[:LOCATED_IN]->(m:Municipality) RETURN m{.id, .name, .country} AS x }) AS municipality,
  COLLECT { MATCH (p)-[w:WORKS_ON]->(t:Theme) RETURN {themeId: t.id, name: t.name, mode: w.mode} AS x ORDER BY x.themeId } AS themes,
  COLLECT { MATCH (p)-[w:WORKS_AT]->(o:Organisation)
            RETURN {organisationId: o.id, name: o.name, role: w.role, since: w.since} AS x ORDER BY x.organisationId } AS affiliations,
  COLLECT { MATCH (p)-[w:MEMBER_OF]->(g:ExpertGroup)
            RETURN {groupId: g.id, name: g.name, role: w.role, since: w.since, until: w.until} AS x ORDER BY x.groupId } AS memberships,
  COLLECT { MATCH (p)-[:ATTENDED]->(e:Event)
            RETURN {eventId: e.id, name: e.name, startDate: e.startDate, endDate: e.endDate} AS x ORDER BY x.eventId } AS eventsAttended,
  COLLECT { MATCH (pr:Practice)-[:BY]->(p) RETURN {practiceId: pr.id, title: pr.title} AS x ORDER BY x.practiceId } AS practices,
  COLLECT { MATCH (a:Account)-[:SIGNS_IN_AS]->(p) RETURN {issuer: a.issuer, subject: a.subject} AS x ORDER BY x.issuer, x.subject } AS accounts,
  COLLECT { MATCH (p)-[:GAVE]->(c:Consent) RETURN ` + consentFields + ` AS x ORDER BY c.givenAt DESC, c.id DESC } AS consents,
  COLLECT { MATCH (p)-[r:PARTY_TO]->(i:Introduction)
            RETURN {item: ` + introductionProjection + `, storedCreatedAt: i.createdAt,
                    theme: head(COLLECT { MATCH (i)-[:ABOUT]->(th:Theme) RETURN {themeId: th.id, name: th.name} AS th }),
                    counterpartName: head(COLLECT { MATCH (o:Person)-[:PARTY_TO]->(i)
                                                    WHERE o <> p AND NOT coalesce(o.paused, false) RETURN o.name AS n ORDER BY n })} AS x
            ORDER BY x.storedCreatedAt DESC, i.introducedOn DESC, i.id } AS introductions,
  COLLECT { MATCH (n:Notification {recipientId: p.id})
            RETURN {kind: n.kind, introductionId: n.introductionId, createdAt: n.createdAt, status: n.status,
                    sentAt: n.sentAt} AS x ORDER BY x.createdAt DESC } AS notifications,
  COLLECT { MATCH (e:AuditEvent {targetId: p.id})
            RETURN {action: e.action, at: e.at, actorRole: e.actorRole, requestId: e.requestId, detail: e.detail,
                    actorId: CASE WHEN e.actorId = p.id THEN e.actorId END} AS x ORDER BY x.at DESC } AS auditEvents,
  COLLECT { MATCH (r:RightsRequest)-[:CONCERNS]->(p)
            RETURN r{.id, .kind, .channel, .status, .receivedAt, .dueAt, .extendedAt, .extensionReason, .closedAt,
                     .outcome, .note, .closingNote} AS x ORDER BY x.receivedAt DESC, x.id } AS rightsRequests`

// exportSections are the columns of qExport copied into the document as they are.
var exportSections = []string{"municipality", "themes", "affiliations", "memberships", "eventsAttended", "practices", "accounts",
	"consents", "introductions", "notifications", "auditEvents", "rightsRequests"}

// ExportPersonData implements privacy.Store. The EXPORT audit event and the rights answer
// are written first, in the same transaction, so the document lists its own export. The document is:
//
//	format          bridge.ExportFormat
//	exportedAt      RFC 3339
//	personId
//	profile         every property of the person but exportInternalProperties
//	municipality    {id, name, country} or null
//	themes          [{themeId, name, mode}]
//	affiliations    [{organisationId, name, role, since}]
//	memberships     [{groupId, name, role, since, until}]
//	eventsAttended  [{eventId, name, startDate, endDate}]
//	practices       [{practiceId, title}]: the knowledge items the person is named behind
//	accounts        [{issuer, subject}]
//	consents        [{id, purpose, givenAt, source, policyVersion, expiresAt, withdrawnAt, actorRole}], newest first
//	introductions   [{id, status, outcome, side, response, respondedAt, note, message (theirs, as requester),
//	                  wantedCountry, createdAt, updatedAt, expiresAt, introducedOn, anonymised, theme {themeId, name},
//	                  counterpartName (INTRODUCED or COMPLETED, unless the counterpart paused),
//	                  transitions [{at, action, fromStatus, toStatus, actorRole, actorId}]}]
//	                the person's view, as the API shows it (exportIntroduction): status and the statuses of
//	                transitions by bridge.Introduction.StatusFor, so another's decline or withdrawal, the
//	                secretariat's withdrawal and an expiry read NOT_POSSIBLE; action, actorRole and actorId
//	                only on the person's own transitions; of others' transitions only the status changes
//	                the person could see (action, actorRole and actorId null)
//	notifications   [{kind, introductionId, createdAt, status, sentAt}]
//	auditEvents     [{action, at, actorRole, requestId, detail, actorId (only their own)}], newest first
//	rightsRequests  [{id, kind, channel, status, receivedAt, dueAt, extendedAt, extensionReason, closedAt,
//	                  outcome, note, closingNote}], newest first (the register; this export's own request included)
//
// Times are RFC 3339 strings (dates YYYY-MM-DD); absent values are null; lists are never null.
func (s *Store) ExportPersonData(ctx context.Context, personID string, audit bridge.AuditEntry, answer bridge.RightsAnswer) (map[string]any, error) {
	var doc map[string]any
	_, err := s.run(ctx, neo4j.AccessModeWrite, "export_person", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		doc = nil
		if err := lockPerson(ctx, tx, personID); err != nil {
			return nil, err
		}
		if _, err := runConsume(ctx, tx, qAppendAudit, auditFor(audit, bridge.AuditExport, personID, "")); err != nil {
			return nil, err
		}
		if err := answerRights(ctx, tx, personID, answer, audit, "rightsRequestId"); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, qExport, map[string]any{"personId": personID})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		rec := recordRow(recs[0])
		d := map[string]any{"format": bridge.ExportFormat, "exportedAt": time.Now().UTC().Format(time.RFC3339), "personId": personID}
		profile := rec.Row("profile").m
		for _, k := range exportInternalProperties {
			delete(profile, k)
		}
		raw := map[string]any{"profile": profile}
		for _, key := range exportSections {
			if key == "introductions" {
				raw[key] = exportIntroductions(rec.Rows(key), personID)
			} else {
				raw[key] = rec.Value(key)
			}
		}
		if err := rec.Err("export"); err != nil {
			return nil, err
		}
		for key, x := range raw {
			v, err := jsonValue(x)
			if err != nil {
				return nil, fmt.Errorf("export %s: %w", key, err)
			}
			d[key] = v
		}
		doc = d
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// exportIntroductions shapes the rows of qExport's introductions column with exportIntroduction
// (what cannot be read is reported by the rows).
func exportIntroductions(rows []*row, personID string) []any {
	out := make([]any, 0, len(rows))
	for _, x := range rows {
		out = append(out, exportIntroduction(x, personID))
	}
	return out
}

// exportIntroduction is one introduction in the export of personID as the person sees it through
// the API: its status by bridge.Introduction.StatusFor, the function behind Introduction.status, so
// that the export and the API cannot disagree and a decline never reads as a rejection; the
// person's own side, answer, note and message (as requester); the counterpart's name once both
// accepted; and the history as the person saw it (exportHistory).
func exportIntroduction(row *row, personID string) map[string]any {
	i, _, _ := introductionFromRow(row.Row("item")) // its errors are the row's
	v := bridge.Principal{Role: bridge.RoleMember, PersonID: personID}
	me, _ := i.Party(personID)
	e := map[string]any{"id": i.ID, "status": string(i.StatusFor(v)), "outcome": nullIfEmpty(string(i.Outcome)),
		"side": string(me.Side), "response": string(me.Response), "respondedAt": timeOrNil(me.RespondedAt),
		"note": nullIfEmpty(me.Note), "message": nil, "wantedCountry": nullIfEmpty(i.WantedCountry),
		"createdAt": timeOrNil(row.OptTime("storedCreatedAt")), "updatedAt": timeOrNil(i.UpdatedAt), "expiresAt": timeOrNil(i.ExpiresAt),
		"introducedOn": nullIfEmpty(i.IntroducedOn), "anonymised": i.Anonymised, "theme": row.Value("theme"),
		"counterpartName": nil, "transitions": exportHistory(i, v)}
	if me.Side == bridge.SideRequester {
		e["message"] = nullIfEmpty(i.Message)
	}
	if i.Status.Connected() {
		e["counterpartName"] = row.Value("counterpartName")
	}
	return e
}

// exportHistory is the history of an introduction as the party v saw it: after each transition the
// status StatusFor gives for the introduction as it then was. The party's own transitions are
// theirs in full (what they did, when, in which role); of the others' (the other side, the
// secretariat, the system) only those that changed the status the party sees, with the time and
// the statuses, and no action, actor role or id: another's acceptance before the party answered is
// not shown, another's decline or withdrawal and an expiry read NOT_POSSIBLE.
func exportHistory(i bridge.Introduction, v bridge.Principal) []any {
	out := []any{}
	var seen bridge.IntroductionStatus
	for k, t := range i.Transitions {
		then := bridge.Introduction{Status: t.To, Parties: i.Parties, Transitions: i.Transitions[:k+1]}
		status := then.StatusFor(v)
		from := nullIfEmpty(string(t.From))
		if k > 0 {
			from = string(seen)
		}
		switch {
		case t.ActorID != "" && t.ActorID == v.PersonID:
			out = append(out, map[string]any{"at": timeOrNil(t.At), "action": string(t.Action), "fromStatus": from,
				"toStatus": string(status), "actorRole": string(t.ActorRole), "actorId": t.ActorID})
		case k == 0 || status != seen:
			out = append(out, map[string]any{"at": timeOrNil(t.At), "action": nil, "fromStatus": from,
				"toStatus": string(status), "actorRole": nil, "actorId": nil})
		}
		seen = status
	}
	return out
}

// jsonValue converts a value read from Neo4j into one encoding/json writes faithfully: temporal
// values become ISO 8601 / RFC 3339 strings, points maps; lists and maps are converted deeply.
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, []byte:
		return x, nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case neo4j.Date:
		return x.String(), nil
	case neo4j.LocalDateTime:
		return x.String(), nil
	case neo4j.LocalTime:
		return x.String(), nil
	case neo4j.Time:
		return x.String(), nil
	case neo4j.Duration:
		return x.String(), nil
	case neo4j.Point2D:
		return map[string]any{"srid": int64(x.SpatialRefId), "x": x.X, "y": x.Y}, nil
	case neo4j.Point3D:
		return map[string]any{"srid": int64(x.SpatialRefId), "x": x.X, "y": x.Y, "z": x.Z}, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			c, err := jsonValue(x[k])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = c
		}
		return out, nil
	}
	return nil, fmt.Errorf("value of type %T cannot be exported", v)
}
