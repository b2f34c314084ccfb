package neo4jstore

import (
	"context"
	"crypto/sha1"
	"fmt"
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// bulkTimeout bounds one batch of a bulk load (seed, demo data, import): far longer than a
// request's query, still finite.
const bulkTimeout = 2 * time.Minute

// bulk returns a view of the store whose round trips may take bulkTimeout and whose writes
// return once every full-text index holds them (Store.awaitSearch).
func (s *Store) bulk() *Store {
	c := *s
	c.awaitSearch = true
	if c.timeout < bulkTimeout {
		c.timeout = bulkTimeout
	}
	return &c
}

// personProps is the part of a person row shared by the demo and import writes.
const personSet = `
SET p.givenName = row.givenName, p.familyName = row.familyName, p.name = row.name, p.title = row.title,
    p.bio = row.bio, p.email = row.email, p.emailKey = row.emailKey, p.phone = row.phone,
    p.languages = row.languages, p.country = row.country, p.visibility = row.visibility,
    p.openToIntroductions = row.open, p.introductionsPerQuarter = row.perQuarter,
    p.confirmed = row.confirmed, p.source = row.source, p.demo = row.demo`

// personLinks replaces the outgoing links a person row owns.
const personLinks = `
WITH p, row
OPTIONAL MATCH (p)-[old:LOCATED_IN|WORKS_ON|WORKS_AT|MEMBER_OF|ATTENDED]->()
DELETE old
WITH DISTINCT p, row
CALL (p, row) {
  OPTIONAL MATCH (m:Municipality {id: row.municipality})
  FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | MERGE (p)-[:LOCATED_IN]->(m))
}
CALL (p, row) {
  UNWIND row.themes AS t
  MATCH (th:Theme {id: t.id})
  MERGE (p)-[w:WORKS_ON]->(th) SET w.mode = t.mode, w.theme = th.id, w.person = p.id
}
CALL (p, row) {
  UNWIND row.affiliations AS a
  MATCH (o:Organisation {id: a.org})
  MERGE (p)-[w:WORKS_AT]->(o) SET w.role = a.role, w.since = a.since
}
CALL (p, row) {
  UNWIND row.memberships AS ms
  MATCH (g:ExpertGroup {id: ms.group})
  MERGE (p)-[w:MEMBER_OF]->(g) SET w.role = ms.role, w.since = ms.since, w.until = ms.until
}
CALL (p, row) {
  UNWIND row.events AS eid
  MATCH (e:Event {id: eid})
  MERGE (p)-[:ATTENDED]->(e)
}`

// personConsents merges the row's consent records (DEMO, without expiry, on a deterministic id,
// so that writing the row again creates nothing) and then sets the person's current consent
// state from their active records, whatever their source: a record withdrawn or replaced through
// the API since the first load stays as it is, and the person's state follows the records.
const personConsents = `
WITH p, row
CALL (p, row) {
  UNWIND row.consents AS c
  MERGE (k:Consent {id: c.id})
    ON CREATE SET k.purpose = c.purpose, k.givenAt = datetime(), k.source = 'DEMO', k.policyVersion = c.policyVersion
  MERGE (p)-[:GAVE]->(k)
}
WITH p, COLLECT { MATCH (p)-[:GAVE]->(k:Consent)
                  WHERE k.withdrawnAt IS NULL AND (k.expiresAt IS NULL OR k.expiresAt > datetime())
                  RETURN k ORDER BY k.givenAt DESC } AS active
SET p.` + propSuggestUntil + ` = head([k IN active WHERE k.purpose = 'SUGGEST' | coalesce(k.expiresAt, ` + noExpiry + `)]),
    p.` + propIntroduceUntil + ` = head([k IN active WHERE k.purpose = 'INTRODUCE' | coalesce(k.expiresAt, ` + noExpiry + `)]),
    p.` + propShareContactUntil + ` = head([k IN active WHERE k.purpose = 'SHARE_CONTACT' | coalesce(k.expiresAt, ` + noExpiry + `)])`

// qUpsertPeopleByID writes people keyed by our id (demo data and test fixtures).
const qUpsertPeopleByID = `
UNWIND $rows AS row
MERGE (p:Person {id: row.id})` + personSet + personLinks + syncLinkNames + personConsents

// UpsertPeople writes a batch of people, keyed by id, with their links and consents
// (bridge.Person.Consents, as DEMO records at bridge.CurrentPolicyVersion without expiry), in one
// transaction. Writing the same batch again changes nothing. Consent records are history: a
// purpose left out of a later write is not withdrawn (use WithdrawConsent).
func (s *Store) UpsertPeople(ctx context.Context, people []bridge.Person) (WriteCounts, error) {
	_, c, err := s.bulk().writeCounted(ctx, "upsert_people", statement{qUpsertPeopleByID, map[string]any{"rows": personRows(people)}})
	return c, err
}

// UpsertOrganisations writes a batch of organisations with their places and parents in one
// transaction.
func (s *Store) UpsertOrganisations(ctx context.Context, orgs []bridge.Organisation) (WriteCounts, error) {
	p := map[string]any{"rows": organisationRows(orgs)}
	_, c, err := s.bulk().writeCounted(ctx, "upsert_organisations", statement{qUpsertOrganisations, p}, statement{qLinkOrganisationParents, p})
	return c, err
}

const qUpsertIntroductions = `
UNWIND $rows AS row
MATCH (a:Person {id: row.from}), (b:Person {id: row.to})
MERGE (i:Introduction {id: row.id})
SET i.status = 'INTRODUCED', i.outcome = row.outcome, i.introducedOn = date(row.date), i.demo = row.demo
MERGE (a)-[:PARTY_TO {side: 'REQUESTER'}]->(i)
MERGE (b)-[:PARTY_TO {side: 'RECIPIENT'}]->(i)
WITH i, row
OPTIONAL MATCH (t:Theme {id: row.theme})
FOREACH (_ IN CASE WHEN t IS NULL THEN [] ELSE [1] END | MERGE (i)-[:ABOUT]->(t))`

// UpsertPastIntroductions writes introductions that already happened (demo history) between
// people already in the graph.
func (s *Store) UpsertPastIntroductions(ctx context.Context, intros []bridge.PastIntroduction) (WriteCounts, error) {
	rows := make([]map[string]any, 0, len(intros))
	for _, in := range intros {
		rows = append(rows, map[string]any{"id": in.ID, "from": in.FromID, "to": in.ToID, "theme": nullIfEmpty(in.ThemeID),
			"date": in.Date, "outcome": in.Outcome, "demo": in.Demo})
	}
	_, c, err := s.bulk().writeCounted(ctx, "upsert_introductions", statement{qUpsertIntroductions, map[string]any{"rows": rows}})
	return c, err
}

const qDeleteDemoBatch = `
MATCH (n) WHERE (n:Person OR n:Organisation OR n:Introduction) AND n.demo = true
WITH n LIMIT $limit
CALL (n) {
  MATCH (n)-[:GAVE]->(c:Consent)
  DETACH DELETE c
}
CALL (n) {
  MATCH (q:RightsRequest)-[:CONCERNS]->(n)
  DETACH DELETE q
}
DETACH DELETE n
RETURN count(*) AS deleted`

// DeleteDemoData removes every demo person (with their consent records and rights requests),
// organisation and introduction, in batches so that no transaction holds the whole graph in
// memory. It returns how many nodes it deleted.
func (s *Store) DeleteDemoData(ctx context.Context) (int, error) {
	total := 0
	for {
		_, c, err := s.bulk().writeCounted(ctx, "delete_demo", statement{qDeleteDemoBatch, map[string]any{"limit": int64(10000)}})
		if err != nil {
			return total, err
		}
		total += c.NodesDeleted
		if c.NodesDeleted == 0 {
			return total, nil
		}
	}
}

func personRows(people []bridge.Person) []map[string]any {
	rows := make([]map[string]any, 0, len(people))
	for _, p := range people {
		themes := make([]map[string]any, 0, len(p.Themes))
		for _, t := range p.Themes {
			themes = append(themes, map[string]any{"id": t.ThemeID, "mode": string(t.Mode)})
		}
		affs := make([]map[string]any, 0, len(p.Affiliations))
		for _, a := range p.Affiliations {
			affs = append(affs, map[string]any{"org": a.OrganisationID, "role": nullIfEmpty(a.Role), "since": nullIfEmpty(a.Since)})
		}
		mss := make([]map[string]any, 0, len(p.Memberships))
		for _, m := range p.Memberships {
			mss = append(mss, map[string]any{"group": m.GroupID, "role": string(m.Role), "since": nullIfEmpty(m.Since), "until": nullIfEmpty(m.Until)})
		}
		name := strings.TrimSpace(p.GivenName + " " + p.FamilyName)
		rows = append(rows, map[string]any{"id": p.ID, "givenName": p.GivenName, "familyName": p.FamilyName, "name": name,
			"title": nullIfEmpty(p.Title), "bio": nullIfEmpty(p.Bio), "email": nullIfEmpty(p.Email),
			"emailKey": nullIfEmpty(bridge.EmailKey(p.Email)), "phone": nullIfEmpty(p.Phone),
			"languages": emptyIfNil(p.Languages), "country": nullIfEmpty(p.CountryCode), "municipality": nullIfEmpty(p.MunicipalityID),
			"visibility": string(p.Visibility), "open": p.OpenToIntroductions, "perQuarter": int64(p.IntroductionsPerQuarter),
			"confirmed": p.Confirmed, "source": string(p.Source), "demo": p.Demo,
			"themes": themes, "affiliations": affs, "memberships": mss, "events": emptyIfNil(p.EventIDs),
			"consents": consentRows(p.ID, p.Consents)})
	}
	return rows
}

// consentRows are the consent records of a bulk person row. Unknown purposes are left out (the
// generator and fixtures use the constants).
func consentRows(personID string, purposes []bridge.ConsentPurpose) []map[string]any {
	rows := make([]map[string]any, 0, len(purposes))
	seen := map[bridge.ConsentPurpose]bool{}
	for _, p := range purposes {
		if !p.Valid() || seen[p] {
			continue
		}
		seen[p] = true
		rows = append(rows, map[string]any{"id": bulkConsentID(personID, p), "purpose": string(p),
			"policyVersion": bridge.CurrentPolicyVersion})
	}
	return rows
}

// bulkConsentNamespace is the name-based UUID namespace of the consent records that UpsertPeople
// writes (a random UUID, fixed once).
var bulkConsentNamespace = [16]byte{0x6b, 0x1f, 0x0e, 0x52, 0x3c, 0x9a, 0x4d, 0x27, 0x8e, 0x41, 0x5f, 0x93, 0x0c, 0xd2, 0x77, 0xa8}

// bulkConsentID is the deterministic id of a bulk consent record: a version 5 (SHA-1, name-based)
// UUID of the person id and the purpose, so that loading the same person again finds the record
// and the policy version or time of a later load does not matter.
func bulkConsentID(personID string, purpose bridge.ConsentPurpose) string {
	h := sha1.New()
	h.Write(bulkConsentNamespace[:])
	h.Write([]byte(personID + "/" + string(purpose)))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// qUpsertPracticeLinks writes who is behind a practice (demo data): a person or an organisation
// BY, a municipality IN; a link to something not in the graph is skipped.
const qUpsertPracticeLinks = `
UNWIND $rows AS row
MATCH (p:Practice {id: row.practice})
OPTIONAL MATCH (person:Person {id: row.person})
OPTIONAL MATCH (o:Organisation {id: row.organisation})
OPTIONAL MATCH (m:Municipality {id: row.municipality})
FOREACH (_ IN CASE WHEN person IS NULL THEN [] ELSE [1] END | MERGE (p)-[:BY]->(person))
FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (p)-[:BY]->(o))
FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | MERGE (p)-[:IN]->(m))`

// UpsertPracticeLinks links practices to the people, organisations and municipalities behind
// them (the demo generator's links; idempotent).
func (s *Store) UpsertPracticeLinks(ctx context.Context, links []bridge.PracticeLink) (WriteCounts, error) {
	rows := make([]map[string]any, 0, len(links))
	for _, l := range links {
		rows = append(rows, map[string]any{"practice": l.PracticeID, "person": nullIfEmpty(l.PersonID),
			"organisation": nullIfEmpty(l.OrganisationID), "municipality": nullIfEmpty(l.MunicipalityID)})
	}
	_, c, err := s.bulk().writeCounted(ctx, "upsert_practice_links", statement{qUpsertPracticeLinks, map[string]any{"rows": rows}})
	return c, err
}
