package neo4jstore

import (
	"context"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The introduction workflow (docs/introductions.md).
const (

	// introductionSortKey orders the queue newest first; demo history has only a date.
	introductionSortKey = `coalesce(i.createdAt, datetime({date: i.introducedOn})).epochMillis`

	// introductionProjection is the introduction i as bridge.Introduction reads it
	// (introductionFromRow). Its own variables (ip, ir, t) are not ones a query that embeds it
	// binds before (the export's p and r), which would otherwise narrow the pattern to them.
	introductionProjection = `i{.id, .status, .outcome, .wantedCountry, .message, .anonymised, .demo, .handler, .handlerEmail,
  createdAt: coalesce(i.createdAt, datetime({date: i.introducedOn})), .updatedAt, .expiresAt,
  introducedOn: toString(i.introducedOn), sortKey: ` + introductionSortKey + `,
  theme: [(i)-[:ABOUT]->(t:Theme) | t.id][0],
  parties: [(ip:Person)-[ir:PARTY_TO]->(i) | {personId: ip.id, side: ir.side, response: coalesce(ir.response, 'ACCEPTED'),
            respondedAt: ir.respondedAt, note: ir.note, followUp: ir.followUp}],
  transitions: COLLECT { MATCH (i)-[:HAS_TRANSITION]->(t:Transition)
                         RETURN t{.at, .action, .fromStatus, .toStatus, .actorId, .actorRole, .requestId, .onBehalfOf, .channel} AS tr ORDER BY t.seq },
  notes: COLLECT { MATCH (i)-[:HAS_NOTE]->(n:IntroductionNote)
                   RETURN n{.at, .text, .authorId, .authorRole} AS nt ORDER BY n.at, n.id }}`

	qCheckThemeCountry = `
RETURN EXISTS { MATCH (:Theme {id: $theme}) } AS theme,
       $wanted.country IS NULL OR EXISTS { MATCH (:Country {code: $wanted.country}) } AS country`

	// qIntroductionsPage is the secretariat's queue: one page, newest first, and the counts per
	// stored status over all introductions, in one round trip.
	// queueFilters are the secretariat's IntroductionFilter predicates on i besides the status; a
	// null parameter does not filter. The counts per status are taken with them (and without the
	// status filter), as a faceted list counts the other values of the facet being chosen.
	queueFilters = `
  ($themes IS NULL OR EXISTS { MATCH (i)-[:ABOUT]->(:Theme)-[:BROADER*0..2]->(ft:Theme) WHERE ft.id IN $themes })
  AND ($countries IS NULL OR i.wantedCountry IN $countries
       OR EXISTS { MATCH (qp:Person)-[:PARTY_TO]->(i) WHERE qp.country IN $countries })
  AND ($outcomes IS NULL OR i.outcome IN $outcomes)
  AND ($createdAfter IS NULL OR coalesce(i.createdAt, datetime({date: i.introducedOn})) >= $createdAfter)
  AND ($createdBefore IS NULL OR coalesce(i.createdAt, datetime({date: i.introducedOn})) < $createdBefore)
  AND ($handled IS NULL OR ($handled = 'ME' AND i.handler = $handlerKey) OR ($handled = 'NOBODY' AND i.handler IS NULL)
       OR ($handled = 'OTHERS' AND i.handler IS NOT NULL AND i.handler <> $handlerKey))`

	qIntroductionsPage = `
CALL () {
  MATCH (i:Introduction)
  WHERE ` + queueFilters + `
  WITH i.status AS status, count(*) AS n
  RETURN collect({status: status, n: n}) AS counts
}
CALL () {
  MATCH (i:Introduction)
  WHERE ($statuses IS NULL OR i.status IN $statuses) AND ` + queueFilters + `
    AND ($afterKey IS NULL OR ` + introductionSortKey + ` < $afterKey
         OR (` + introductionSortKey + ` = $afterKey AND i.id < $afterId))
  WITH i ORDER BY ` + introductionSortKey + ` DESC, i.id DESC LIMIT $limit
  RETURN collect(` + introductionProjection + `) AS items
}
RETURN counts, items`

	// qMyIntroductions reads all of a member's introductions: a member has few (capacity and the
	// weekly limit bound them), and the status each is shown with depends on the viewer.
	qMyIntroductions = `
MATCH (:Person {id: $viewerId})-[:PARTY_TO]->(i:Introduction)
WITH i ORDER BY ` + introductionSortKey + ` DESC, i.id DESC LIMIT 1000
RETURN ` + introductionProjection + ` AS item`

	// closeOpen ends the open introductions i that the query before it selected: under a lock and
	// re-checked, to $toStatus with a $action transition by $actorRole ($actorId and $requestId,
	// null for the system), and tells the parties who were asked (all in PROPOSED, the requester in
	// REQUESTED; never $exceptId) that it is not possible — what decideWithdraw in
	// internal/introductions writes for a withdrawal, for a party who does not answer any more.
	// Expiry (the system), erasure (the system) and a pause (the person) use it.
	closeOpen = `
SET i._lock = true
WITH i, i.status AS was WHERE was IN $open
SET i.status = $toStatus, i.updatedAt = $now
REMOVE i._lock
CREATE (i)-[:HAS_TRANSITION]->(:Transition {at: $now, seq: COUNT { (i)-[:HAS_TRANSITION]->() }, action: $action,
        fromStatus: was, toStatus: $toStatus, actorRole: $actorRole, actorId: $actorId, requestId: $requestId})
WITH i, was
CALL (i, was) {
  MATCH (p:Person)-[r:PARTY_TO]->(i)
  WHERE (was = 'PROPOSED' OR r.side = 'REQUESTER') AND ($exceptId IS NULL OR p.id <> $exceptId)
  WITH 'INTRODUCTION_NOT_POSSIBLE' AS nKind, p.id AS nTo, i.id AS nIntro
  CREATE ` + newNotification + `
}
RETURN count(i) AS value`

	// qRemindIntroductions marks PROPOSED introductions that expire within $leadSeconds and were not
	// reminded yet (under the introduction's lock, re-checked) and tells each party who has not
	// answered.
	qRemindIntroductions = `
MATCH (i:Introduction) WHERE i.status = 'PROPOSED' AND i.remindedAt IS NULL AND i.expiresAt > $now
  AND i.expiresAt <= $now + duration({seconds: $leadSeconds})
WITH i ORDER BY i.expiresAt LIMIT $limit
SET i._lock = true
WITH i WHERE i.status = 'PROPOSED' AND i.remindedAt IS NULL
SET i.remindedAt = $now
REMOVE i._lock
WITH i
CALL (i) {
  MATCH (p:Person)-[r:PARTY_TO]->(i)
  WHERE coalesce(r.response, 'PENDING') = 'PENDING'
  WITH 'INTRODUCTION_REMINDER' AS nKind, p.id AS nTo, i.id AS nIntro
  CREATE ` + newNotification + `
}
RETURN count(i) AS value`

	// qFollowUpIntroductions asks both sides of introductions made at least $afterSeconds ago
	// how it went, once (followUpAt), under the lock and re-checked like the reminder; demo
	// introductions are never followed up.
	qFollowUpIntroductions = `
MATCH (i:Introduction) WHERE i.status = 'INTRODUCED' AND i.followUpAt IS NULL AND coalesce(i.demo, false) = false
WITH i, coalesce(i.introducedAt, CASE WHEN i.introducedOn IS NOT NULL THEN datetime({date: i.introducedOn}) END) AS at
WHERE at <= $now - duration({seconds: $afterSeconds})
WITH i ORDER BY at LIMIT $limit
SET i._lock = true
WITH i WHERE i.status = 'INTRODUCED' AND i.followUpAt IS NULL
SET i.followUpAt = $now
REMOVE i._lock
WITH i
CALL (i) {
  MATCH (p:Person)-[:PARTY_TO]->(i)
  WITH 'INTRODUCTION_FOLLOW_UP' AS nKind, p.id AS nTo, i.id AS nIntro
  CREATE ` + newNotification + `
}
RETURN count(i) AS value`

	qExpireIntroductions = `
MATCH (i:Introduction) WHERE i.status IN $open AND i.expiresAt < $now
WITH i ORDER BY i.expiresAt LIMIT $limit` + closeOpen
)

// The statements of an introduction request and of every later change to an introduction; their
// plans are kept (keptPlan), so they cannot be constants. Every change takes a write lock on the
// introduction (and on the people it checks) before it reads them — Neo4j's documented pattern
// for read-modify-write under read-committed isolation (SET a property, then read) — so that two
// answers at once are applied one after the other, and the second sees the first.
var (
	qLockIntroduction = keptPlan("qLockIntroduction", `
MATCH (i:Introduction {id: $id}) USING INDEX i:Introduction(id) SET i._lock = true RETURN count(i) AS value`)

	qLockPeople = keptPlan("qLockPeople", `
UNWIND $ids AS pid MATCH (p:Person {id: pid}) USING INDEX p:Person(id) SET p._lock = true`)

	qIntroductionByKey = keptPlan("qIntroductionByKey", `
MATCH (i:Introduction {requestKey: $key}) USING INDEX i:Introduction(requestKey) RETURN i.id AS value`)

	qRequestsThisWeek = keptPlan("qRequestsThisWeek", `
MATCH (p:Person {id: $person})-[:PARTY_TO {side: 'REQUESTER'}]->(i:Introduction) USING INDEX p:Person(id)
WHERE i.requestKey STARTS WITH $person + '/' AND i.createdAt > $since
RETURN count(i) AS value`)

	qCreateIntroduction = keptPlan("qCreateIntroduction", `
MATCH (t:Theme {id: $theme}) USING INDEX t:Theme(id)
CREATE (i:Introduction {id: $id, requestKey: $key, status: $status, createdAt: $now, updatedAt: $now,
                        expiresAt: $expiresAt, message: $request.message, wantedCountry: $request.country,
                        demo: false, anonymised: false})-[:ABOUT]->(t)`)

	qIntroduction = keptPlan("qIntroduction", `
MATCH (i:Introduction {id: $id}) USING INDEX i:Introduction(id)
RETURN `+introductionProjection+` AS item`)

	// qApplyChange writes a change to an introduction, after its checks, in one statement, and
	// reads the introduction back: the parties removed and added, the answers, the status (a new
	// introduction has its own, and $c.status is null), the transition, the notifications to the
	// outbox, the SHARE_CONTACT consent that accepting gives (unless the person already has it),
	// and the locks released. Each step is a unit subquery over the single row of i, in this
	// order, and every later clause sees the writes before it. Everything that differs from one
	// change to another is in the map $c, and Neo4j plans a statement per parameter types, a map
	// being a map whatever it holds (profileValues): a request, an acceptance, a decline and a
	// proposal share one plan. It was eight statements, each a round trip and, for lists empty or
	// not and values null or not, a plan per shape (issue 15: the first acceptance after a start
	// planned its statements). Its plan is kept when the statistics move (keptPlan): planning it
	// takes 0.6-1.4 s on this machine.
	qApplyChange = keptPlan("qApplyChange", `
MATCH (i:Introduction {id: $id}) USING INDEX i:Introduction(id)
CALL (i) {
  UNWIND $c.removeParties AS pid
  MATCH (p:Person {id: pid})-[r:PARTY_TO]->(i) USING INDEX p:Person(id)
  DELETE r
}
CALL (i) {
  UNWIND $c.addParties AS party
  MATCH (p:Person {id: party.personId}) USING INDEX p:Person(id)
  CREATE (p)-[:PARTY_TO {side: party.side, response: party.response, respondedAt: party.respondedAt}]->(i)
}
CALL (i) {
  UNWIND $c.responses AS x
  MATCH (p:Person {id: x.personId})-[r:PARTY_TO]->(i) USING INDEX p:Person(id)
  SET r.response = x.response, r.note = x.note, r.respondedAt = x.respondedAt,
      r.followUp = coalesce(x.followUp, r.followUp)
}
CALL (i) {
  WITH i WHERE $c.status IS NOT NULL
  SET i.status = $c.status, i.updatedAt = $now, i.outcome = coalesce($c.outcome, i.outcome),
      i.expiresAt = coalesce($c.expiresAt, i.expiresAt),
      i.introducedOn = CASE WHEN $c.status = 'INTRODUCED' THEN date($now) ELSE i.introducedOn END,
      i.introducedAt = CASE WHEN $c.status = 'INTRODUCED' THEN $now ELSE i.introducedAt END
}
CALL (i) {
  CREATE (i)-[:HAS_TRANSITION]->(:Transition {at: $now, seq: COUNT { (i)-[:HAS_TRANSITION]->() }, action: $c.t.action,
          fromStatus: $c.t.from, toStatus: $c.t.to, actorId: $c.t.actorId, actorRole: $c.t.actorRole,
          requestId: $c.t.requestId, onBehalfOf: $c.t.onBehalfOf, channel: $c.t.channel})
}
CALL (i) {
  UNWIND $c.notify AS n
  WITH n.kind AS nKind, n.personId AS nTo, i.id AS nIntro
  CREATE `+newNotification+`
}
CALL () {
  UNWIND $c.shareContact AS pid
  MATCH (p:Person {id: pid}) USING INDEX p:Person(id)
  WHERE NOT coalesce(p.shareContactUntil > $now, false)
  CREATE (p)-[:GAVE]->(:Consent {id: randomUUID(), purpose: 'SHARE_CONTACT', givenAt: $now, source: 'ACCEPTANCE',
                                 policyVersion: $c.policy, actorRole: $c.t.actorRole})
  SET p.shareContactUntil = datetime('9999-12-31T00:00:00Z')
}
REMOVE i._lock
WITH i
CALL () {
  UNWIND $c.unlock AS pid
  MATCH (p:Person {id: pid}) USING INDEX p:Person(id)
  REMOVE p._lock
}
RETURN `+introductionProjection+` AS item`)
)

// newNotification is the CREATE pattern of a PENDING outbox entry, due at once, from the
// variables nKind, nTo (person id) and nIntro (introduction id): ids only, rendered when sent.
const newNotification = `(:Notification {id: randomUUID(), kind: nKind, recipientId: nTo, introductionId: nIntro,
                       createdAt: $now, status: 'PENDING', attempts: 0, nextAttemptAt: $now})`

// closeOpenParams are the parameters of closeOpen for the system (expiry, erasure): no actor id,
// no request id.
func closeOpenParams(now time.Time, to bridge.IntroductionStatus, action bridge.Action, exceptID string) map[string]any {
	return map[string]any{"now": now.UTC(), "toStatus": string(to), "action": string(action), "exceptId": nullIfEmpty(exceptID),
		"actorRole": string(bridge.RoleSystem), "actorId": nil, "requestId": nil, "open": bridge.StatusStrings(bridge.OpenStatuses)}
}

// closeOpenByParams are the parameters of closeOpen for someone's act (a pause): the transition
// names the actor and the request as a withdrawal through the workflow does.
func closeOpenByParams(now time.Time, to bridge.IntroductionStatus, action bridge.Action, exceptID string, actor bridge.AuditEntry) map[string]any {
	params := closeOpenParams(now, to, action, exceptID)
	params["actorRole"], params["actorId"], params["requestId"] =
		string(actor.ActorRole), nullIfEmpty(actor.ActorID), nullIfEmpty(actor.RequestID)
	return params
}

// qPersonFacts is what the workflow checks about people, for a viewer (visible: as a read by id;
// a paused person is not, except to the secretariat). Capacity counts the
// introductions of this quarter that went to the person (not the ones they asked for).
var qPersonFacts = keptPlan("qPersonFacts", `
UNWIND $ids AS pid
OPTIONAL MATCH (p:Person {id: pid}) USING INDEX p:Person(id)
RETURN pid AS id, p IS NOT NULL AS exists,
  coalesce(`+visible("p")+`, false) AS visible,
  coalesce(p.paused, false) AS paused, coalesce(p.openToIntroductions, false) AS open,
  coalesce(p.introduceUntil > $now, false) AS consent, coalesce(p.introductionsPerQuarter, 0) AS capacity,
  p.email IS NOT NULL AS hasEmail,
  COUNT { MATCH (p)-[r:PARTY_TO]->(i:Introduction)
          WHERE i.status IN $mutual
            AND coalesce(i.createdAt, datetime({date: i.introducedOn})) >= $quarterStart
            AND NOT (r.side = 'REQUESTER' AND i.requestKey STARTS WITH p.id + '/') } AS used`)

// quarterStart is the first instant of now's calendar quarter (UTC).
func quarterStart(now time.Time) time.Time {
	now = now.UTC()
	m := time.Month((int(now.Month())-1)/3*3 + 1)
	return time.Date(now.Year(), m, 1, 0, 0, 0, 0, time.UTC)
}

func personFacts(ctx context.Context, tx neo4j.ManagedTransaction, v bridge.Principal, ids []string, now time.Time) (map[string]bridge.PersonFacts, error) {
	out := map[string]bridge.PersonFacts{}
	if len(ids) == 0 {
		return out, nil
	}
	if _, err := runConsume(ctx, tx, qLockPeople, map[string]any{"ids": ids}); err != nil {
		return nil, err
	}
	params := viewerParams(v)
	params["ids"], params["now"], params["quarterStart"] = ids, now, quarterStart(now)
	res, err := tx.Run(ctx, qPersonFacts, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		f, err := factsFrom(r)
		if err != nil {
			return nil, err
		}
		out[f.PersonID] = f
	}
	return out, nil
}

func factsFrom(r *neo4j.Record) (bridge.PersonFacts, error) {
	rec := recordRow(r)
	f := bridge.PersonFacts{PersonID: rec.Str("id"), Exists: rec.Bool("exists"), VisibleToViewer: rec.Bool("visible"),
		Paused: rec.Bool("paused"), Open: rec.Bool("open"), Consent: rec.Bool("consent"), HasEmail: rec.Bool("hasEmail"),
		Capacity: rec.Int("capacity"), UsedThisQuarter: rec.Int("used")}
	return f, rec.Err("person facts")
}

func partyRows(ps []bridge.Party) []map[string]any {
	rows := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, map[string]any{"personId": p.PersonID, "side": string(p.Side), "response": string(p.Response),
			"respondedAt": timeOrNil(p.RespondedAt), "note": nullIfEmpty(p.Note), "followUp": nullIfEmpty(string(p.FollowUp))})
	}
	return rows
}

func notifyRows(ns []bridge.NotificationSpec) []map[string]any {
	rows := make([]map[string]any, 0, len(ns))
	for _, n := range ns {
		rows = append(rows, map[string]any{"kind": n.Kind, "personId": nullIfEmpty(n.PersonID)})
	}
	return rows
}

// listOrNil is xs as a query parameter: null (no filter) when empty.
func listOrNil[T any](xs []T) any {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// changeParams are qApplyChange's: the introduction's id, the time of the change, and everything
// else in the map $c (lists empty rather than null, so that UNWIND makes no row). A new
// introduction (status empty) keeps the status it was created with.
func changeParams(id string, ch bridge.IntroductionChange, unlock []string) map[string]any {
	t := ch.Transition
	var status, outcome any
	if ch.Status != "" {
		status = string(ch.Status)
	}
	if ch.Outcome != "" {
		outcome = string(ch.Outcome)
	}
	return map[string]any{"id": id, "now": t.At.UTC(), "c": map[string]any{
		"removeParties": emptyIfNil(ch.RemoveParties), "addParties": partyRows(ch.AddParties), "responses": partyRows(ch.Responses),
		"status": status, "outcome": outcome, "expiresAt": timeOrNil(ch.ExpiresAt),
		"t": map[string]any{"action": string(t.Action), "from": nullIfEmpty(string(t.From)), "to": string(t.To),
			"actorId": nullIfEmpty(t.ActorID), "actorRole": string(t.ActorRole), "requestId": nullIfEmpty(t.RequestID),
			"onBehalfOf": nullIfEmpty(t.OnBehalfOf), "channel": nullIfEmpty(string(t.Channel))},
		"notify": notifyRows(ch.Notify), "shareContact": emptyIfNil(ch.ShareContact), "policy": bridge.CurrentPolicyVersion,
		"unlock": emptyIfNil(unlock)}}
}

// themeCountryParams are qCheckThemeCountry's; the wanted country, if any, in a map (see
// profileValues: a request with and one without share a plan).
func themeCountryParams(n bridge.NewIntroduction) map[string]any {
	return map[string]any{"theme": n.ThemeID, "wanted": map[string]any{"country": nullIfEmpty(n.WantedCountry)}}
}

// createIntroductionParams are qCreateIntroduction's; the message and the wanted country, each
// optional, in the map $request (see profileValues).
func createIntroductionParams(n bridge.NewIntroduction) map[string]any {
	return map[string]any{"id": n.ID, "key": n.RequestKey, "status": string(n.Status), "now": n.Transition.At.UTC(),
		"expiresAt": n.ExpiresAt.UTC(), "theme": n.ThemeID,
		"request": map[string]any{"message": nullIfEmpty(n.Message), "country": nullIfEmpty(n.WantedCountry)}}
}

// CreateIntroduction implements introductions.Store. The introduction it returns is read in the
// same transaction, after the write: the request answers without a transaction of its own.
func (s *Store) CreateIntroduction(ctx context.Context, viewer bridge.Principal, n bridge.NewIntroduction, factIDs []string,
	check func(map[string]bridge.PersonFacts, int) error) (bridge.Introduction, bool, error) {
	var out bridge.Introduction
	var created bool
	_, err := s.run(ctx, neo4j.AccessModeWrite, "create_introduction", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		out, created = bridge.Introduction{}, false
		if existing, err := single(ctx, tx, qIntroductionByKey, map[string]any{"key": n.RequestKey}, (*row).Str); err != nil || existing != "" {
			if err != nil {
				return nil, err
			}
			out, err = oneIntroduction(runConsume(ctx, tx, qIntroduction, map[string]any{"id": existing}))
			return nil, err
		}
		res, err := tx.Run(ctx, qCheckThemeCountry, themeCountryParams(n))
		if err != nil {
			return nil, err
		}
		r, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		rec := recordRow(r)
		theme, country := rec.Bool("theme"), rec.Bool("country")
		switch err := rec.Err("check theme and country"); {
		case err != nil:
			return nil, err
		case !theme:
			return nil, bridge.InvalidInput([]string{"input", "theme"}, "no such theme")
		case !country:
			return nil, bridge.InvalidInput([]string{"input", "country"}, "not a Nordic country code")
		}
		now := n.Transition.At.UTC()
		facts, err := personFacts(ctx, tx, viewer, factIDs, now)
		if err != nil {
			return nil, err
		}
		thisWeek := 0
		if n.WeeklyRequester != "" {
			c, err := single(ctx, tx, qRequestsThisWeek, map[string]any{"person": n.WeeklyRequester, "since": now.Add(-7 * 24 * time.Hour)}, (*row).Int)
			if err != nil {
				return nil, err
			}
			thisWeek = c
		}
		if err := check(facts, thisWeek); err != nil {
			return nil, err
		}
		if _, err := runConsume(ctx, tx, qCreateIntroduction, createIntroductionParams(n)); err != nil {
			return nil, err
		}
		out, err = oneIntroduction(runConsume(ctx, tx, qApplyChange, changeParams(n.ID,
			bridge.IntroductionChange{AddParties: n.Parties, Transition: n.Transition, Notify: n.Notify}, factIDs)))
		created = err == nil
		return nil, err
	})
	if err != nil && bridge.ErrorCode(err) == bridge.CodeConflict {
		// Two retries of the same request at once: the unique request key let one through; the
		// other finds it.
		if recs, rerr := s.read(ctx, "introduction_by_key", qIntroductionByKey, map[string]any{"key": n.RequestKey}); rerr == nil && len(recs) > 0 {
			existing, err := column(recs[0], "value", (*row).Str)
			if err != nil {
				return bridge.Introduction{}, false, err
			}
			i, err := s.Introduction(ctx, existing)
			return i, false, err
		}
	}
	return out, created, err
}

// TransitionIntroduction implements introductions.Store.
func (s *Store) TransitionIntroduction(ctx context.Context, viewer bridge.Principal, id string, factIDs []string,
	decide func(bridge.Introduction, map[string]bridge.PersonFacts) (bridge.IntroductionChange, error)) (bridge.Introduction, error) {
	var out bridge.Introduction
	_, err := s.run(ctx, neo4j.AccessModeWrite, "transition_introduction", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		n, err := single(ctx, tx, qLockIntroduction, map[string]any{"id": id}, (*row).Int)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such introduction")
		}
		cur, err := readIntroduction(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		facts, err := personFacts(ctx, tx, viewer, factIDs, time.Now().UTC())
		if err != nil {
			return nil, err
		}
		ch, err := decide(cur, facts)
		if err != nil {
			return nil, err
		}
		out, err = oneIntroduction(runConsume(ctx, tx, qApplyChange, changeParams(id, ch, factIDs)))
		return nil, err
	})
	return out, err
}

func readIntroduction(ctx context.Context, tx neo4j.ManagedTransaction, id string) (bridge.Introduction, error) {
	recs, err := runConsume(ctx, tx, qIntroduction, map[string]any{"id": id})
	return oneIntroduction(recs, err)
}

// Introduction implements introductions.Store.
func (s *Store) Introduction(ctx context.Context, id string) (bridge.Introduction, error) {
	return oneIntroduction(s.read(ctx, "introduction", qIntroduction, map[string]any{"id": id}))
}

func oneIntroduction(recs []*neo4j.Record, err error) (bridge.Introduction, error) {
	if err != nil {
		return bridge.Introduction{}, err
	}
	if len(recs) == 0 {
		return bridge.Introduction{}, bridge.Errorf(bridge.CodeNotFound, "no such introduction")
	}
	i, _, err := introductionFrom(recs[0])
	return i, err
}

// Introductions implements introductions.Store: the secretariat pages through all with counts
// by stored status; a member gets theirs, filtered and counted by the status they may see.
func (s *Store) Introductions(ctx context.Context, v bridge.Principal, f bridge.IntroductionFilter, first int, after string) (bridge.IntroductionPage, error) {
	afterKey, afterID, err := bridge.ParseIntroductionCursor(after)
	if err != nil {
		return bridge.IntroductionPage{}, err
	}
	page := bridge.IntroductionPage{Counts: map[bridge.IntroductionStatus]int{}}
	if !v.IsSecretariat() {
		recs, err := s.read(ctx, "my_introductions", qMyIntroductions, map[string]any{"viewerId": v.PersonID})
		if err != nil {
			return page, err
		}
		for _, r := range recs {
			i, key, err := introductionFrom(r)
			if err != nil {
				return page, err
			}
			st := i.StatusFor(v)
			page.Counts[st]++
			if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, st) {
				continue
			}
			page.Total++
			if after != "" && (key > afterKey || (key == afterKey && i.ID >= afterID)) {
				continue
			}
			if len(page.Items) == first {
				page.HasNext = true
				continue
			}
			page.Items = append(page.Items, i)
		}
		return page, nil
	}
	var statuses any
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for k, st := range f.Statuses {
			ss[k] = string(st)
		}
		statuses = ss
	}
	var ak, ai any
	if after != "" {
		ak, ai = afterKey, afterID
	}
	var outcomes []string
	for _, o := range f.Outcomes {
		outcomes = append(outcomes, string(o))
	}
	recs, err := s.read(ctx, "introductions_page", qIntroductionsPage, map[string]any{"statuses": statuses,
		"afterKey": ak, "afterId": ai, "limit": int64(first + 1),
		"themes": listOrNil(f.ThemeIDs), "countries": listOrNil(f.Countries), "outcomes": listOrNil(outcomes),
		"createdAfter": timeOrNil(f.CreatedAfter), "createdBefore": timeOrNil(f.CreatedBefore),
		"handled": nullIfEmpty(string(f.HandledBy)), "handlerKey": bridge.HandlerKey(v.Account)})
	if err != nil {
		return page, err
	}
	if len(recs) == 0 {
		return page, nil
	}
	rec := recordRow(recs[0])
	for k, x := range rec.Rows("items") {
		if k == first {
			page.HasNext = true
			break
		}
		i, _, err := introductionFromRow(x)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, i)
	}
	for _, x := range rec.Rows("counts") {
		st, n := bridge.IntroductionStatus(x.Str("status")), x.Int("n")
		page.Counts[st] = n
		if len(f.Statuses) == 0 || slices.Contains(f.Statuses, st) {
			page.Total += n
		}
	}
	return page, rec.Err("introductions page")
}

// ExpireIntroductions implements introductions.Store.
func (s *Store) ExpireIntroductions(ctx context.Context, now time.Time, limit int) (int, error) {
	params := closeOpenParams(now, bridge.StatusExpired, bridge.ActionExpire, "")
	params["limit"] = int64(limit)
	recs, err := s.write(ctx, "expire_introductions", statement{qExpireIntroductions, params})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return column(recs[0], "value", (*row).Int)
}

// FollowUpIntroductions implements introductions.Store.
func (s *Store) FollowUpIntroductions(ctx context.Context, now time.Time, after time.Duration, limit int) (int, error) {
	recs, err := s.write(ctx, "follow_up_introductions", statement{qFollowUpIntroductions, map[string]any{
		"now": now.UTC(), "afterSeconds": int64(after / time.Second), "limit": int64(limit)}})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return column(recs[0], "value", (*row).Int)
}

// RemindIntroductions implements introductions.Store.
func (s *Store) RemindIntroductions(ctx context.Context, now time.Time, lead time.Duration, limit int) (int, error) {
	recs, err := s.write(ctx, "remind_introductions", statement{qRemindIntroductions, map[string]any{
		"now": now.UTC(), "leadSeconds": int64(lead / time.Second), "limit": int64(limit)}})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return column(recs[0], "value", (*row).Int)
}

func introductionFrom(r *neo4j.Record) (bridge.Introduction, int64, error) {
	return introductionFromRow(recordRow(r).Row("item"))
}

// introductionFromRow reads introductionProjection, and its sort key for the queue's cursor.
func introductionFromRow(r *row) (bridge.Introduction, int64, error) {
	i := bridge.Introduction{ID: r.Str("id"), Status: bridge.IntroductionStatus(r.Str("status")),
		Outcome: bridge.Outcome(r.OptStr("outcome")), WantedCountry: r.OptStr("wantedCountry"), Message: r.OptStr("message"),
		ThemeID: r.OptStr("theme"), IntroducedOn: r.OptStr("introducedOn"), Anonymised: r.OptBool("anonymised"),
		Demo: r.OptBool("demo"), Handler: r.OptStr("handler"), HandlerEmail: r.OptStr("handlerEmail"), CreatedAt: r.OptTime("createdAt"), UpdatedAt: r.OptTime("updatedAt"), ExpiresAt: r.OptTime("expiresAt")}
	key := int64(r.Int("sortKey"))
	for _, p := range r.Rows("parties") {
		i.Parties = append(i.Parties, bridge.Party{PersonID: p.Str("personId"), Side: bridge.Side(p.Str("side")),
			Response: bridge.Response(p.Str("response")), Note: p.OptStr("note"), RespondedAt: p.OptTime("respondedAt"),
			FollowUp: bridge.Outcome(p.OptStr("followUp"))})
	}
	for _, t := range r.Rows("transitions") {
		i.Transitions = append(i.Transitions, bridge.Transition{At: t.OptTime("at"), Action: bridge.Action(t.Str("action")),
			From: bridge.IntroductionStatus(t.OptStr("fromStatus")), To: bridge.IntroductionStatus(t.Str("toStatus")),
			ActorID: t.OptStr("actorId"), ActorRole: bridge.Role(t.OptStr("actorRole")), RequestID: t.OptStr("requestId"),
			OnBehalfOf: t.OptStr("onBehalfOf"), Channel: bridge.AnswerChannel(t.OptStr("channel"))})
	}
	for _, n := range r.Rows("notes") {
		i.Notes = append(i.Notes, bridge.IntroductionNote{At: n.OptTime("at"), Text: n.Str("text"), AuthorID: n.OptStr("authorId"),
			AuthorRole: bridge.Role(n.OptStr("authorRole"))})
	}
	if err := r.Err("introduction"); err != nil {
		return i, 0, err
	}
	return i, key, nil
}

// single reads the column value of the first record of a query run in a transaction with read;
// no record is the zero value.
func single[T any](ctx context.Context, tx neo4j.ManagedTransaction, q string, params map[string]any, read func(*row, string) T) (T, error) {
	var zero T
	recs, err := runConsume(ctx, tx, q, params)
	if err != nil || len(recs) == 0 {
		return zero, err
	}
	return column(recs[0], "value", read)
}

// Introducible returns, for each person id, whether the viewer may ask for an introduction to
// them now (the answer requestIntroduction would give; for the secretariat, whether they can be
// introduced at all now), in one round trip.
func (s *Store) Introducible(ctx context.Context, v bridge.Principal, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	// The secretariat, who asks nobody for itself, learns whether the person can be introduced at
	// all now (the desk's candidates); anyone else without a profile may ask for nobody.
	if (v.PersonID == "" && !v.IsSecretariat()) || len(ids) == 0 {
		for _, id := range ids {
			out[id] = false
		}
		return out, nil
	}
	now := time.Now().UTC()
	params := viewerParams(v)
	params["ids"], params["now"], params["quarterStart"] = ids, now, quarterStart(now)
	recs, err := s.read(ctx, "introducible", qPersonFacts, params)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		f, err := factsFrom(r)
		if err != nil {
			return nil, err
		}
		out[f.PersonID] = f.PersonID != v.PersonID && f.VisibleToViewer && f.Introducible()
	}
	return out, nil
}

const qAppendAuditBatch = `
UNWIND $events AS e
CREATE (:AuditEvent {id: randomUUID(), at: datetime(), action: e.action, actorRole: e.actorRole,
                     actorId: e.actorId, targetId: e.targetId, requestId: e.requestId, detail: e.detail})`

// AppendAudit appends audit events in one transaction (the reads of non-public fields of a
// request). Nothing in the API edits or deletes AuditEvent nodes.
func (s *Store) AppendAudit(ctx context.Context, events []bridge.AuditEntry) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]map[string]any, 0, len(events))
	for _, e := range events {
		rows = append(rows, auditParams(e))
	}
	_, err := s.write(ctx, "append_audit", statement{qAppendAuditBatch, map[string]any{"events": rows}})
	return err
}

// qIntroductionFacts reads what the outcome statistics count of each introduction made in the
// range; the range bounds the work (the secretariat asks for months, not for everything).
const qIntroductionFacts = `
MATCH (i:Introduction)
WITH i, coalesce(i.createdAt, datetime({date: i.introducedOn})) AS at
WHERE at >= $from AND at < $to
RETURN at, [(i)-[:ABOUT]->(t:Theme) | t.id][0] AS theme, i.status IN $connected AS introduced, i.outcome AS outcome,
  [(p:Person)-[:PARTY_TO]->(i) WHERE p.country IS NOT NULL | p.country] + CASE WHEN i.wantedCountry IS NULL THEN [] ELSE [i.wantedCountry] END AS countries`

// IntroductionFacts implements introductions.Store.
func (s *Store) IntroductionFacts(ctx context.Context, from, to time.Time) ([]bridge.IntroductionFacts, error) {
	recs, err := s.read(ctx, "introduction_facts", qIntroductionFacts, map[string]any{"from": from.UTC(), "to": to.UTC(),
		"connected": bridge.StatusStrings(bridge.ConnectedStatuses)})
	if err != nil {
		return nil, err
	}
	out := make([]bridge.IntroductionFacts, 0, len(recs))
	for _, r := range recs {
		row := recordRow(r)
		out = append(out, bridge.IntroductionFacts{MadeAt: row.OptTime("at"), ThemeID: row.OptStr("theme"),
			Countries: row.Strs("countries"), Introduced: row.Bool("introduced"), Outcome: bridge.Outcome(row.OptStr("outcome"))})
		if err := row.Err("introduction facts"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// qAddIntroductionNote appends an internal note; no row when the introduction does not exist.
const qAddIntroductionNote = `
MATCH (i:Introduction {id: $id})
CREATE (i)-[:HAS_NOTE]->(:IntroductionNote {id: randomUUID(), at: $at, text: $text, authorId: $authorId,
        authorRole: $authorRole, requestId: $requestId})
RETURN ` + introductionProjection + ` AS item`

// AddIntroductionNote implements introductions.Store.
func (s *Store) AddIntroductionNote(ctx context.Context, id string, n bridge.IntroductionNote, requestID string) (bridge.Introduction, error) {
	return oneIntroduction(s.write(ctx, "introduction_note", statement{qAddIntroductionNote, map[string]any{"id": id,
		"at": n.At.UTC(), "text": n.Text, "authorId": nullIfEmpty(n.AuthorID), "authorRole": string(n.AuthorRole),
		"requestId": nullIfEmpty(requestID)}}))
}

// qSetIntroductionHandler records who at the secretariat handles an introduction (null: nobody);
// no row when the introduction does not exist.
const qSetIntroductionHandler = `
MATCH (i:Introduction {id: $id})
SET i.handler = $handler, i.handlerEmail = $email, i.handledAt = $at
RETURN ` + introductionProjection + ` AS item`

// SetIntroductionHandler implements introductions.Store: handler is bridge.HandlerKey of the
// account that takes it and email its address; both empty: nobody handles it.
func (s *Store) SetIntroductionHandler(ctx context.Context, id, handler, email string, at time.Time) (bridge.Introduction, error) {
	return oneIntroduction(s.write(ctx, "introduction_handler", statement{qSetIntroductionHandler, map[string]any{"id": id,
		"handler": nullIfEmpty(handler), "email": nullIfEmpty(email), "at": at.UTC()}}))
}
