package neo4jstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The privacy rights of docs/introductions.md: consent records with the person's denormalised
// current state, restriction (pause), export (access and portability) and erasure.

var _ bridge.PrivacyService = (*Store)(nil)

// noExpiry is what the person carries for consent without an expiry, so that "has consent now"
// is one comparison: p.suggestUntil > $now (viewerParams).
const noExpiry = `datetime('9999-12-31T00:00:00Z')`

// The person properties that carry the current consent state, one per purpose.
const (
	propSuggestUntil      = "suggestUntil"
	propIntroduceUntil    = "introduceUntil"
	propShareContactUntil = "shareContactUntil"
)

// consentProperty returns the person property of a purpose. Property names cannot be
// parameters; they come from this switch over the enum only, never from input.
func consentProperty(p bridge.ConsentPurpose) (string, error) {
	switch p {
	case bridge.ConsentSuggest:
		return propSuggestUntil, nil
	case bridge.ConsentIntroduce:
		return propIntroduceUntil, nil
	case bridge.ConsentShareContact:
		return propShareContactUntil, nil
	}
	return "", bridge.InvalidInput([]string{"purpose"}, "purpose is one of SUGGEST, INTRODUCE, SHARE_CONTACT")
}

// consentFields is the projection of a Consent record that consentFromRow reads.
const consentFields = `c{.id, .purpose, .givenAt, .source, .policyVersion, .expiresAt, .withdrawnAt, .actorRole}`

// activeConsents is the pattern of the person's active records of $purpose at $now.
const activeConsents = `COLLECT { MATCH (p)-[:GAVE]->(c:Consent {purpose: $purpose})
    WHERE c.withdrawnAt IS NULL AND (c.expiresAt IS NULL OR c.expiresAt > $now) RETURN c }`

// qGiveConsentFormat withdraws the active records of the purpose, creates the new record and sets the
// person's property (the placeholder %s, filled with a constant by consentQueries).
const qGiveConsentFormat = `
MATCH (p:Person {id: $personId})
FOREACH (old IN ` + activeConsents + ` | SET old.withdrawnAt = $now)
CREATE (p)-[:GAVE]->(c:Consent {id: randomUUID(), purpose: $purpose, givenAt: $now, source: $source,
                                policyVersion: $policyVersion, expiresAt: $expiresAt, actorRole: $actorRole})
SET p.%s = coalesce($expiresAt, ` + noExpiry + `)
RETURN ` + consentFields + ` AS item`

// qWithdrawConsentFormat sets withdrawnAt on the active records of the purpose and removes the
// person's property (%s, a constant).
const qWithdrawConsentFormat = `
MATCH (p:Person {id: $personId})
WITH p, ` + activeConsents + ` AS active
FOREACH (c IN active | SET c.withdrawnAt = $now)
REMOVE p.%s
RETURN size(active) AS withdrawn`

// The queries per purpose, built once from constants.
var (
	qGiveConsent     = consentQueries(qGiveConsentFormat)
	qWithdrawConsent = consentQueries(qWithdrawConsentFormat)
)

// consentQueries fills a query format with the person property of each purpose.
func consentQueries(format string) map[bridge.ConsentPurpose]string {
	out := map[bridge.ConsentPurpose]string{}
	for _, p := range bridge.ConsentPurposes() {
		prop, err := consentProperty(p)
		if err != nil {
			panic(err) // a purpose without a property is a programming error
		}
		out[p] = fmt.Sprintf(format, prop)
	}
	return out
}

const (
	// qLockPerson takes the person's write lock, held until commit, so that concurrent changes
	// of the same person's consent, restriction or erasure (and the introduction workflow, which
	// locks the same way) run one after the other and each reads what the one before committed.
	// The lock property is removed at once; the lock stays.
	qLockPerson = `MATCH (p:Person {id: $personId}) SET p._lock = true REMOVE p._lock RETURN p.id AS id`

	qSetPaused = `
MATCH (p:Person {id: $personId})
WITH p, coalesce(p.paused, false) AS was
SET p.paused = CASE WHEN $paused THEN true END
RETURN was`
)

// auditFor completes an actor's entry with what the store decides: the action, the target and
// the detail.
func auditFor(actor bridge.AuditEntry, action, personID, detail string) map[string]any {
	actor.Action, actor.TargetID, actor.Detail = action, personID, detail
	return auditParams(actor)
}

// lockPerson takes the person's write lock inside a transaction, and answers NOT_FOUND when
// there is no such person.
func lockPerson(ctx context.Context, tx neo4j.ManagedTransaction, personID string) error {
	recs, err := runConsume(ctx, tx, qLockPerson, map[string]any{"personId": personID})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return bridge.Errorf(bridge.CodeNotFound, "no such person")
	}
	return nil
}

// GiveConsent implements bridge.PrivacyService. The input is validated here as well as by the
// caller, so that nothing invalid reaches the graph; the record's id is a new UUID.
func (s *Store) GiveConsent(ctx context.Context, personID string, in bridge.ConsentInput, source bridge.ConsentSource,
	actor bridge.AuditEntry) (bridge.Consent, error) {
	now := time.Now().UTC()
	if err := in.Validate(now, "input"); err != nil {
		return bridge.Consent{}, err
	}
	if !source.Valid() {
		return bridge.Consent{}, fmt.Errorf("give consent: unknown source %q", source)
	}
	var expires any
	if !in.ExpiresAt.IsZero() {
		expires = in.ExpiresAt.UTC()
	}
	params := map[string]any{"personId": personID, "purpose": string(in.Purpose), "now": now, "source": string(source),
		"policyVersion": in.PolicyVersion, "expiresAt": expires, "actorRole": nullIfEmpty(string(actor.ActorRole))}
	var out bridge.Consent
	_, err := s.run(ctx, neo4j.AccessModeWrite, "give_consent", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if err := lockPerson(ctx, tx, personID); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, qGiveConsent[in.Purpose], params)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		if out, err = consentFromRow(recordRow(recs[0]).Row("item")); err != nil {
			return nil, err
		}
		detail := "purpose=" + string(in.Purpose) + " consent=" + out.ID
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, bridge.AuditGiveConsent, personID, detail))
	})
	if err != nil {
		return bridge.Consent{}, err
	}
	return out, nil
}

// WithdrawConsent implements bridge.PrivacyService.
func (s *Store) WithdrawConsent(ctx context.Context, personID string, purpose bridge.ConsentPurpose, actor bridge.AuditEntry) error {
	q, ok := qWithdrawConsent[purpose]
	if !ok {
		_, err := consentProperty(purpose)
		return err
	}
	params := map[string]any{"personId": personID, "purpose": string(purpose), "now": time.Now().UTC()}
	_, err := s.run(ctx, neo4j.AccessModeWrite, "withdraw_consent", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if err := lockPerson(ctx, tx, personID); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, q, params)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		n, err := column(recs[0], "withdrawn", (*row).Int)
		if err != nil || n == 0 {
			return nil, err // nothing was active: nothing to audit
		}
		detail := "purpose=" + string(purpose) + " withdrawn=" + strconv.Itoa(n)
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, bridge.AuditWithdrawConsent, personID, detail))
	})
	return err
}

// Consents implements bridge.PrivacyService.
func (s *Store) Consents(ctx context.Context, personID string) ([]bridge.Consent, error) {
	got, err := s.ConsentsOf(ctx, []string{personID})
	if err != nil {
		return nil, err
	}
	cs, ok := got[personID]
	if !ok {
		return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
	}
	return cs, nil
}

func consentFromRow(r *row) (bridge.Consent, error) {
	c := bridge.Consent{ID: r.Str("id"), Purpose: bridge.ConsentPurpose(r.Str("purpose")), Source: bridge.ConsentSource(r.Str("source")),
		PolicyVersion: r.OptStr("policyVersion"), ActorRole: bridge.Role(r.OptStr("actorRole")), GivenAt: r.OptTime("givenAt"),
		ExpiresAt: r.OptTime("expiresAt"), WithdrawnAt: r.OptTime("withdrawnAt")}
	if err := r.Err("consent record"); err != nil {
		return bridge.Consent{}, err
	}
	return c, nil
}

// qPauseCloseOpen withdraws the open introductions of the person who pauses: as their own
// withdrawal (the actor of the pause), so the others see NOT_POSSIBLE and those who were asked are
// told that it is not possible (closeOpen, the erasure's and the expiry's path).
const qPauseCloseOpen = `
MATCH (:Person {id: $personId})-[:PARTY_TO]->(i:Introduction)
WHERE i.status IN $open
WITH i` + closeOpen

// SetPaused implements bridge.PrivacyService: p.paused is true while paused and absent
// otherwise. It does not change the profile's version (no profile field changes). Pausing ends,
// in the same transaction, the person's open introductions (REQUESTED, PROPOSED) as withdrawn by
// the actor, with the withdrawal's transition and notifications; introductions that happened
// (INTRODUCED, COMPLETED) stay as they are. Resuming reopens nothing.
func (s *Store) SetPaused(ctx context.Context, personID string, paused bool, actor bridge.AuditEntry, answer bridge.RightsAnswer) error {
	_, err := s.run(ctx, neo4j.AccessModeWrite, "set_paused", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if err := lockPerson(ctx, tx, personID); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, qSetPaused, map[string]any{"personId": personID, "paused": paused})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		was, err := column(recs[0], "was", (*row).Bool)
		if err != nil || was == paused {
			return nil, err // no change: nothing to audit
		}
		action, detail := bridge.AuditResume, ""
		if paused {
			action = bridge.AuditPause
			params := closeOpenByParams(time.Now().UTC(), bridge.StatusWithdrawn, bridge.ActionWithdraw, personID, actor)
			params["personId"] = personID
			recs, err := runConsume(ctx, tx, qPauseCloseOpen, params)
			if err != nil {
				return nil, err
			}
			if len(recs) > 0 {
				n, err := column(recs[0], "value", (*row).Int)
				if err != nil {
					return nil, err
				}
				if n > 0 {
					detail = "introductionsWithdrawn=" + strconv.Itoa(n)
				}
			}
		}
		if err := answerRights(ctx, tx, personID, answer, actor, "rightsRequestId"); err != nil {
			return nil, err
		}
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, action, personID, detail))
	})
	return err
}

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
var exportSections = []string{"municipality", "themes", "affiliations", "memberships", "eventsAttended", "accounts",
	"consents", "introductions", "notifications", "auditEvents", "rightsRequests"}

// ExportPersonData implements bridge.PrivacyService. The EXPORT audit event and the rights answer
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

// The erasure, one statement per step, all in one transaction (docs/introductions.md,
// "Erasure"). Every step returns how many things it changed.
const (
	// qEraseCloseOpen withdraws the open introductions of the person being erased (for the system:
	// nobody can answer for them any more) and tells the others who were asked that it is not
	// possible, so that nothing waits for a party who no longer exists. Done before anonymising.
	qEraseCloseOpen = `
MATCH (:Person {id: $personId})-[:PARTY_TO]->(i:Introduction)
WHERE i.status IN $open
WITH i` + closeOpen

	// qEraseIntroductions anonymises the introductions the person was party to: they keep their
	// status, theme, dates and outcome; the requester's free text and request key (which embeds
	// the requester's id) go when the erased person was the requester. Their PARTY_TO goes with
	// the person (DETACH DELETE).
	qEraseIntroductions = `
MATCH (p:Person {id: $personId})-[r:PARTY_TO]->(i:Introduction)
WITH i, collect(r.side) AS sides
SET i.anonymised = true,
    i.message = CASE WHEN 'REQUESTER' IN sides THEN null ELSE i.message END,
    i.requestKey = CASE WHEN 'REQUESTER' IN sides THEN null ELSE i.requestKey END
RETURN count(i) AS n`

	// qEraseTransitionActor removes the person's id from every transition they made (of
	// introductions they were party to, and of any other, as a secretariat member who is erased).
	qEraseTransitionActor = `
MATCH (x:Transition {actorId: $personId})
REMOVE x.actorId
RETURN count(x) AS n`

	qEraseConsents = `
MATCH (:Person {id: $personId})-[:GAVE]->(c:Consent)
WITH collect(c) AS cs
FOREACH (c IN cs | DETACH DELETE c)
RETURN size(cs) AS n`

	qEraseAccounts = `
MATCH (a:Account)-[:SIGNS_IN_AS]->(:Person {id: $personId})
WITH collect(a) AS accounts
FOREACH (a IN accounts | DETACH DELETE a)
RETURN size(accounts) AS n`

	// qEraseNotifications deletes every outbox entry addressed to the person, whatever its
	// status: pending ones must not be sent, and sent ones are of no use without their recipient
	// (they would only tie the erased id to introductions).
	qEraseNotifications = `
MATCH (n:Notification {recipientId: $personId})
WITH collect(n) AS ns
FOREACH (n IN ns | DETACH DELETE n)
RETURN size(ns) AS n`

	qErasePerson = `
MATCH (p:Person {id: $personId})
DETACH DELETE p`
)

// qTellDataProtection writes the PERSON_ERASED notification to the secretariat's address (no
// recipient person, no introduction): the erased id only, rendered when sent.
const qTellDataProtection = `
CREATE (:Notification {id: randomUUID(), kind: $kind, recipientId: null, introductionId: null, subjectId: $id,
                       createdAt: $now, status: 'PENDING', attempts: 0, nextAttemptAt: $now})`

// ErasePerson implements bridge.PrivacyService. Audit events about or by the person keep its id,
// which leads nowhere afterwards; the ERASE event's detail holds the counts only. After the
// transaction committed, the erasure journal (Config.ErasureJournal) gets the person's id.
func (s *Store) ErasePerson(ctx context.Context, personID string, audit bridge.AuditEntry, answer bridge.RightsAnswer) (bridge.ErasureResult, error) {
	res, _, err := s.erase(ctx, personID, audit, eraseOptions{journal: true, answer: answer})
	return res, err
}

// eraseOptions say which erasure runs: one a person or the secretariat asked for (the zero value
// but journal), the retention job's, or the re-application of the journal after a restore.
type eraseOptions struct {
	// reason, when set, goes into the ERASE event's detail as "reason=<reason>" (the retention
	// job, the journal): nobody asked, so the event says why.
	reason string
	// due, when set, runs under the person's lock before anything changes and must return a row
	// for the erasure to go on: the retention job's re-check that the profile is still due (not
	// confirmed in the meantime). Without a row nothing is erased and erase reports false.
	due       string
	dueParams map[string]any
	// missingOK makes a person who does not exist (false, nil) rather than NOT_FOUND.
	missingOK bool
	// journal tells the erasure journal after the transaction committed. The re-application of
	// the journal does not: the id is in the journal already.
	journal bool
	// answer records or closes the rights request the erasure answers (zero: none).
	answer bridge.RightsAnswer
}

// erase is the one erasure of the store (docs/introductions.md, "Erasure"): every path that
// erases a person runs it, so every erasure is audited and, after commit, journaled the same way.
// It reports whether the person was erased.
func (s *Store) erase(ctx context.Context, personID string, audit bridge.AuditEntry, opt eraseOptions) (bridge.ErasureResult, bool, error) {
	var res bridge.ErasureResult
	var erased bool
	now := time.Now().UTC()
	params := map[string]any{"personId": personID}
	_, err := s.run(ctx, neo4j.AccessModeWrite, "erase_person", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res, erased = bridge.ErasureResult{}, false // the work may run again on retry
		if err := lockPerson(ctx, tx, personID); err != nil {
			if opt.missingOK && bridge.ErrorCode(err) == bridge.CodeNotFound {
				return nil, nil
			}
			return nil, err
		}
		if opt.due != "" {
			p := map[string]any{"personId": personID}
			for k, v := range opt.dueParams {
				p[k] = v
			}
			recs, err := runConsume(ctx, tx, opt.due, p)
			if err != nil {
				return nil, err
			}
			if len(recs) == 0 {
				return nil, nil // no longer due: leave the person alone
			}
		}
		if err := answerRights(ctx, tx, personID, opt.answer, audit, "rightsRequestId"); err != nil {
			return nil, err
		}
		closeParams := closeOpenParams(now, bridge.StatusWithdrawn, bridge.ActionWithdraw, personID)
		closeParams["personId"] = personID
		if _, err := runConsume(ctx, tx, qEraseCloseOpen, closeParams); err != nil {
			return nil, err
		}
		// Art. 19: those who received the person's contact details through an introduction are
		// asked to delete them; the data-protection contact learns of the erasure (id only).
		if _, err := runConsume(ctx, tx, qTellIntroduced, tellIntroducedParams(personID, now, bridge.NotificationPartyErased)); err != nil {
			return nil, err
		}
		if _, err := runConsume(ctx, tx, qTellDataProtection, map[string]any{"id": personID, "now": now,
			"kind": bridge.NotificationPersonErased}); err != nil {
			return nil, err
		}
		for _, step := range []struct {
			query string
			count *int
		}{
			{qEraseIntroductions, &res.IntroductionsAnonymised},
			{qEraseTransitionActor, &res.TransitionsCleared},
			{qEraseConsents, &res.ConsentsDeleted},
			{qEraseAccounts, &res.AccountsDeleted},
			{qEraseNotifications, &res.NotificationsDeleted},
			{qEraseRightsRequests, &res.RightsRequestsKept},
		} {
			recs, err := runConsume(ctx, tx, step.query, params)
			if err != nil {
				return nil, err
			}
			if len(recs) > 0 {
				if *step.count, err = column(recs[0], "n", (*row).Int); err != nil {
					return nil, err
				}
			}
		}
		if _, err := runConsume(ctx, tx, qErasePerson, params); err != nil {
			return nil, err
		}
		detail := fmt.Sprintf("introductions=%d transitions=%d consents=%d accounts=%d notifications=%d",
			res.IntroductionsAnonymised, res.TransitionsCleared, res.ConsentsDeleted, res.AccountsDeleted, res.NotificationsDeleted)
		if opt.reason != "" {
			detail = "reason=" + opt.reason + " " + detail
		}
		erased = true
		return runConsume(ctx, tx, qAppendAudit, auditFor(audit, bridge.AuditErase, personID, detail))
	})
	if err != nil {
		return bridge.ErasureResult{}, false, err
	}
	// After commit only: a journal line for an erasure that rolled back would erase the person at
	// the next reapply-erasures although they asked for nothing of the kind (the retention job's
	// re-check may have kept them). The journal reports its own failures (bridge.ErasureJournal).
	if erased && opt.journal && s.journal != nil {
		s.journal.RecordErasure(personID, now)
	}
	return res, erased, nil
}
