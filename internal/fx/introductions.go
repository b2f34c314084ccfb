package fx

import (
	"testing"
	"time"
)

// IntroductionSpec is an introduction written directly, in any state, about a seeded theme.
type IntroductionSpec struct {
	ID         string
	Status     string // e.g. PROPOSED, INTRODUCED
	ThemeID    string // a theme of the reference data (none is created)
	Requester  string // a person id, or none
	Recipients []string
	Response   string // every party's answer: ACCEPTED unless given
}

const qIntroduction = `
MATCH (t:Theme {id: $themeId})
CREATE (i:Introduction {id: $id, status: $status, createdAt: datetime()})-[:ABOUT]->(t)
WITH i
CALL (i) { WITH i WHERE i.status IN ['INTRODUCED', 'COMPLETED'] SET i.introducedOn = date(), i.introducedAt = datetime() }
WITH i
UNWIND $parties AS party
MATCH (p:Person {id: party.id})
CREATE (p)-[:PARTY_TO {side: party.side, response: $response}]->(i)`

// Introduction writes an introduction and its parties and returns its id.
func Introduction(t testing.TB, in IntroductionSpec) string {
	t.Helper()
	if in.ID == "" || in.Status == "" || in.ThemeID == "" {
		t.Fatalf("fx.Introduction: id, status and theme are required: %+v", in)
	}
	response := in.Response
	if response == "" {
		response = "ACCEPTED"
	}
	parties := []map[string]any{}
	if in.Requester != "" {
		parties = append(parties, map[string]any{"id": in.Requester, "side": "REQUESTER"})
	}
	for _, r := range in.Recipients {
		parties = append(parties, map[string]any{"id": r, "side": "RECIPIENT"})
	}
	run(t, qIntroduction, map[string]any{"id": in.ID, "status": in.Status, "themeId": in.ThemeID, "parties": parties, "response": response})
	if n := one(t, "introduction", `MATCH (i:Introduction {id: $id}) RETURN COUNT { (i)<-[:PARTY_TO]-() } AS n`,
		map[string]any{"id": in.ID}).integer("n"); int(n) != len(parties) {
		t.Fatalf("fx.Introduction %s: %d parties written, want %d (unknown theme or person?)", in.ID, n, len(parties))
	}
	return in.ID
}

// SetIntroductionExpiry moves an introduction's expiry to now (the database's clock) plus an ISO
// 8601 duration such as "P2D" or "-PT1S".
func SetIntroductionExpiry(t testing.TB, id, fromNow string) {
	t.Helper()
	run(t, `MATCH (i:Introduction {id: $id}) SET i.expiresAt = datetime() + duration($d)`, map[string]any{"id": id, "d": fromNow})
}

// IntroductionStatus is the stored status of an introduction ("" when there is none).
func IntroductionStatus(t testing.TB, id string) string {
	t.Helper()
	rows := run(t, `MATCH (i:Introduction {id: $id}) RETURN i.status AS s`, map[string]any{"id": id})
	if len(rows) == 0 {
		return ""
	}
	return rows[0].str("s")
}

// Acceptances is what an introduction records of its answers.
type Acceptances struct {
	Status      string
	Transitions int // ACCEPT transitions
	Parties     int // parties whose answer is ACCEPTED
}

// IntroductionAcceptances reads an introduction's status, its ACCEPT transitions and its parties
// who accepted.
func IntroductionAcceptances(t testing.TB, id string) Acceptances {
	t.Helper()
	r := one(t, "introduction "+id, `MATCH (i:Introduction {id: $id})
RETURN i.status AS status, COUNT { (i)-[:HAS_TRANSITION]->(:Transition {action: 'ACCEPT'}) } AS accepts,
       COUNT { (i)<-[:PARTY_TO {response: 'ACCEPTED'}]-() } AS accepted`, map[string]any{"id": id})
	return Acceptances{Status: r.str("status"), Transitions: int(r.integer("accepts")), Parties: int(r.integer("accepted"))}
}

// Transition is one step of an introduction's history.
type Transition struct{ Action, ActorID, ActorRole string }

// LastTransition is the latest step of an introduction (false when it has none).
func LastTransition(t testing.TB, introductionID string) (Transition, bool) {
	t.Helper()
	rows := run(t, `MATCH (i:Introduction {id: $id})-[:HAS_TRANSITION]->(x:Transition) WITH x ORDER BY x.seq DESC LIMIT 1
RETURN x.action AS action, x.actorId AS actor, x.actorRole AS role`, map[string]any{"id": introductionID})
	if len(rows) == 0 {
		return Transition{}, false
	}
	return Transition{Action: rows[0].str("action"), ActorID: rows[0].str("actor"), ActorRole: rows[0].str("role")}, true
}

// Party is a person's side of an introduction.
type Party struct{ PersonID, Side string }

// IntroductionParties are the parties of an introduction, the requester first.
func IntroductionParties(t testing.TB, id string) []Party {
	t.Helper()
	var out []Party
	for _, r := range run(t, `MATCH (p:Person)-[r:PARTY_TO]->(:Introduction {id: $id}) RETURN p.id AS p, r.side AS side ORDER BY side DESC`,
		map[string]any{"id": id}) {
		out = append(out, Party{PersonID: r.str("p"), Side: r.str("side")})
	}
	return out
}

// IntroductionsWithRequestKey counts the introductions made for one client request id.
func IntroductionsWithRequestKey(t testing.TB, key string) int {
	t.Helper()
	return int(one(t, "request key", `MATCH (i:Introduction) WHERE i.requestKey = $key RETURN count(i) AS n`,
		map[string]any{"key": key}).integer("n"))
}

// IntroductionIDsWithRequestKey returns the ids of the introductions made for one request key
// (the requester's id, a slash, their client request id), in id order.
func IntroductionIDsWithRequestKey(t testing.TB, key string) []string {
	t.Helper()
	var out []string
	for _, r := range run(t, `MATCH (i:Introduction) WHERE i.requestKey = $key RETURN i.id AS id ORDER BY id`, map[string]any{"key": key}) {
		out = append(out, r.str("id"))
	}
	return out
}

// IntroductionsByStatus counts every introduction in the database by status.
func IntroductionsByStatus(t testing.TB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, r := range run(t, `MATCH (i:Introduction) RETURN i.status AS s, count(*) AS n ORDER BY s`, nil) {
		out[r.str("s")] = r.integer("n")
	}
	return out
}

// IntroducedOn moves the day an introduction was made (its introducedOn) to the day of at, as if
// the two had been introduced then (the follow-up is due some time after).
func IntroducedOn(t testing.TB, id string, at time.Time) {
	t.Helper()
	run(t, `MATCH (i:Introduction {id: $id}) SET i.introducedOn = date($at), i.introducedAt = $at`, map[string]any{"id": id, "at": at.UTC()})
}

// RemoveIntroductionsRequestedAs deletes the introductions whose client request id starts with
// prefix (the load runs' "load-"), with their transitions and notifications.
func RemoveIntroductionsRequestedAs(t testing.TB, prefix string) {
	t.Helper()
	run(t, `MATCH (i:Introduction) WHERE i.requestKey CONTAINS ('/' + $prefix)
WITH collect(i) AS is, [i IN collect(i) | i.id] AS ids
CALL (is) { UNWIND is AS i OPTIONAL MATCH (i)-[]-(tr:Transition) DETACH DELETE tr }
CALL (ids) { MATCH (n:Notification) WHERE n.introductionId IN ids DETACH DELETE n }
CALL (is) { UNWIND is AS i DETACH DELETE i }`, map[string]any{"prefix": prefix})
}
