package fx

import (
	"testing"
	"time"
)

// PersonSpec is a person written directly, as an import, a restored backup or another instance
// left them (the store's UpsertPeople is the way for ordinary people). The zero values are the
// defaults: a confirmed, self-registered, public, non-demo person; empty fields are not stored.
type PersonSpec struct {
	ID                    string
	Name                  string // the display name (name)
	GivenName, FamilyName string
	Email                 string
	EmailKey              string // the normalised address that search and imports match on
	Phone, Title          string
	Language              string // the language Bridge writes to them in (none: not chosen)
	Visibility            string // PUBLIC unless given
	Unconfirmed           bool   // confirmed: false
	Source                string // SELF unless given
	Demo                  bool
	LastActiveAt          time.Time
	ReconfirmRequestedAt  time.Time // retention asked them to confirm …
	ReconfirmBy           time.Time // … by then
	WorksAt               []Organisation
}

// Organisation is a public organisation someone works at (role Officer); created when missing.
type Organisation struct{ ID, Name string }

const qPerson = `
CREATE (p:Person {id: $id, visibility: $visibility, confirmed: $confirmed, source: $source, demo: $demo})
SET p += $props
WITH p
UNWIND $orgs AS org
MERGE (o:Organisation {id: org.id}) ON CREATE SET o.name = org.name, o.kind = 'PUBLIC', o.active = true, o.demo = false
CREATE (p)-[:WORKS_AT {role: 'Officer', organisation: o.id, person: p.id, personName: p.name}]->(o)`

// Person writes a person and returns their id.
func Person(t testing.TB, p PersonSpec) string {
	t.Helper()
	if p.ID == "" {
		t.Fatal("fx.Person: no id")
	}
	vis, source := p.Visibility, p.Source
	if vis == "" {
		vis = "PUBLIC"
	}
	if source == "" {
		source = "SELF"
	}
	props := map[string]any{}
	for k, v := range map[string]any{"name": orNil(p.Name), "givenName": orNil(p.GivenName), "familyName": orNil(p.FamilyName),
		"email": orNil(p.Email), "emailKey": orNil(p.EmailKey), "phone": orNil(p.Phone), "title": orNil(p.Title), "language": orNil(p.Language),
		"lastActiveAt": orNil(p.LastActiveAt), "reconfirmRequestedAt": orNil(p.ReconfirmRequestedAt), "reconfirmBy": orNil(p.ReconfirmBy)} {
		if v != nil {
			props[k] = v
		}
	}
	orgs := []map[string]any{}
	for _, o := range p.WorksAt {
		orgs = append(orgs, map[string]any{"id": o.ID, "name": o.Name})
	}
	run(t, qPerson, map[string]any{"id": p.ID, "visibility": vis, "confirmed": !p.Unconfirmed, "source": source, "demo": p.Demo,
		"props": props, "orgs": orgs})
	return p.ID
}

// StoredPerson returns the stored properties of a person, nil when there is no such person.
func StoredPerson(t testing.TB, id string) map[string]any {
	t.Helper()
	rows := run(t, `MATCH (p:Person {id: $id}) RETURN properties(p) AS props`, map[string]any{"id": id})
	switch len(rows) {
	case 0:
		return nil
	case 1:
		props, _ := rows[0]["props"].(map[string]any)
		return props
	}
	t.Fatalf("fx: %d people with id %s", len(rows), id)
	return nil
}

// PersonExists tells whether a person with the id is stored.
func PersonExists(t testing.TB, id string) bool {
	t.Helper()
	return StoredPerson(t, id) != nil
}

// ConfirmPerson marks the person with the e-mail key as confirmed (what their answer to a
// reconfirmation would do).
func ConfirmPerson(t testing.TB, emailKey string) {
	t.Helper()
	run(t, `MATCH (p:Person {emailKey: $key}) SET p.confirmed = true`, map[string]any{"key": emailKey})
}

// PersonLanguage sets the language Bridge writes to the person in (as /me's setting does).
func PersonLanguage(t testing.TB, id, lang string) {
	t.Helper()
	run(t, `MATCH (p:Person {id: $id}) SET p.language = $lang`, map[string]any{"id": id, "lang": lang})
}

// RemoveEvent deletes an event a test made (saveEvent), with its attendance and themes links.
func RemoveEvent(t testing.TB, id string) {
	t.Helper()
	run(t, `MATCH (e:Event {id: $id}) DETACH DELETE e`, map[string]any{"id": id})
}

// ConsentCount is the number of consent records a person gave.
func ConsentCount(t testing.TB, personID string) int {
	t.Helper()
	return int(one(t, "consents", `MATCH (:Person {id: $id})-[:GAVE]->(c:Consent) RETURN count(c) AS n`,
		map[string]any{"id": personID}).integer("n"))
}

// DeletePerson removes the person node and its relationships, nothing else (not an erasure: what
// an erasure on another instance, or a crash, leaves for the code under test).
func DeletePerson(t testing.TB, id string) {
	t.Helper()
	run(t, `MATCH (p:Person {id: $id}) DETACH DELETE p`, map[string]any{"id": id})
}

// DeletePeople removes the people whose e-mail key ends with the suffix, and their relationships.
func DeletePeople(t testing.TB, emailSuffix string) {
	t.Helper()
	if emailSuffix == "" {
		t.Fatal("fx.DeletePeople: no suffix")
	}
	run(t, `MATCH (p:Person) WHERE p.emailKey ENDS WITH $domain DETACH DELETE p`, map[string]any{"domain": emailSuffix})
}

const qRemovePeople = `
OPTIONAL MATCH (p)-[:PARTY_TO]->(i:Introduction)
OPTIONAL MATCH (i)-[:HAS_TRANSITION]->(tr)
OPTIONAL MATCH (n:Notification) WHERE n.introductionId = i.id OR n.recipientId = p.id
OPTIONAL MATCH (p)-[:GAVE]->(c:Consent)
OPTIONAL MATCH (rr:RightsRequest)-[:CONCERNS]->(p)
OPTIONAL MATCH (e:AuditEvent {targetId: p.id})
OPTIONAL MATCH (a:Account)-[:SIGNS_IN_AS]->(p)
DETACH DELETE tr, n, i, c, rr, e, a, p`

// RemovePeople deletes the people whose e-mail key ends with the suffix and everything that
// hangs on them: their introductions with the transitions, the notifications about those or to
// them, their consents, the rights requests about them, the audit events about them and the
// accounts that sign in as them. For a test's cleanup.
func RemovePeople(t testing.TB, emailSuffix string) {
	t.Helper()
	if emailSuffix == "" {
		t.Fatal("fx.RemovePeople: no suffix")
	}
	run(t, "MATCH (p:Person) WHERE p.emailKey ENDS WITH $domain"+qRemovePeople, map[string]any{"domain": emailSuffix})
}

// RemovePeopleWithEmails is RemovePeople for the people with exactly these e-mail keys.
func RemovePeopleWithEmails(t testing.TB, emailKeys ...string) {
	t.Helper()
	run(t, "MATCH (p:Person) WHERE p.emailKey IN $keys"+qRemovePeople, map[string]any{"keys": emailKeys})
}

// RemoveOrganisations deletes the organisations whose id starts with the prefix.
func RemoveOrganisations(t testing.TB, idPrefix string) {
	t.Helper()
	if idPrefix == "" {
		t.Fatal("fx.RemoveOrganisations: no prefix")
	}
	run(t, `MATCH (o:Organisation) WHERE o.id STARTS WITH $prefix DETACH DELETE o`, map[string]any{"prefix": idPrefix})
}

const qGraphValues = `
CALL () { MATCH (n) RETURN properties(n) AS props UNION ALL MATCH ()-[r]->() RETURN properties(r) AS props }
WITH props UNWIND keys(props) AS k
WITH props[k] AS v
WITH CASE WHEN v IS :: LIST<ANY> THEN [x IN v | toString(x)] ELSE [toString(v)] END AS vs
UNWIND vs AS s
WITH toLower(s) AS s WHERE any(needle IN $needles WHERE s CONTAINS needle)
RETURN s LIMIT 5`

// ValuesContaining returns up to five property values of any node or relationship (strings, and
// the elements of lists) that contain one of the needles, case-insensitively (lower-cased): what
// an erasure must leave none of.
func ValuesContaining(t testing.TB, needles ...string) []string {
	t.Helper()
	var out []string
	for _, r := range run(t, qGraphValues, map[string]any{"needles": needles}) {
		out = append(out, r.str("s"))
	}
	return out
}

// RemovePractices deletes the practices whose key starts with idPrefix, with their links (a test's
// own knowledge items; the reference practices have other keys).
func RemovePractices(t testing.TB, idPrefix string) {
	t.Helper()
	if idPrefix == "" {
		t.Fatal("fx.RemovePractices: no prefix")
	}
	run(t, `MATCH (p:Practice) WHERE p.id STARTS WITH $prefix DETACH DELETE p`, map[string]any{"prefix": idPrefix})
}
