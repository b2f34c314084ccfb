package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The secretariat's edits. Each runs in one transaction with its audit event, so that an edit
// without its audit (or the other way round) cannot exist.
const (
	qCreatePerson = `
CREATE (p:Person {id: $id, email: $profile.email, emailKey: $profile.emailKey, visibility: 'SECRETARIAT', confirmed: false,
                  source: 'IMPORT', demo: false, version: 1, createdAt: datetime(), lastActiveAt: datetime()})` + profileSet + `
RETURN p.id AS id`

	// qPersonByEmailKey is the person with an e-mail (its key), if any: is it taken.
	qPersonByEmailKey = `MATCH (p:Person {emailKey: $emailKey}) RETURN p.id`
)

// qMerge moves what the removed person links to onto the kept one, one relationship type per
// statement (types cannot be parameters), keeping the kept person's own values where both have
// one; then fills the kept person's empty fields and deletes the removed person.
//
// Privacy choices follow one rule: a merge never widens what the person allowed and never lifts a
// restriction they asked for. The removed profile's consent records move to the kept one as
// history (marked mergedFrom) but the kept profile's consent state stays as it is; a pause on
// either profile pauses the kept one. Pending notifications to the removed profile go to the kept
// one (the same human), instead of being dropped as "recipient gone".
var qMerge = []string{
	`MATCH (r:Person {id: $remove})-[x:WORKS_ON]->(t) MATCH (k:Person {id: $keep})
MERGE (k)-[y:WORKS_ON]->(t) ON CREATE SET y.mode = x.mode SET y.theme = t.id, y.person = k.id, y.personName = k.name DELETE x`,
	`MATCH (r:Person {id: $remove})-[x:WORKS_AT]->(o) MATCH (k:Person {id: $keep})
MERGE (k)-[y:WORKS_AT]->(o) ON CREATE SET y.role = x.role, y.since = x.since
SET y.organisation = o.id, y.person = k.id, y.personName = k.name DELETE x`,
	`MATCH (r:Person {id: $remove})-[x:MEMBER_OF]->(g) MATCH (k:Person {id: $keep})
MERGE (k)-[y:MEMBER_OF]->(g) ON CREATE SET y.role = x.role, y.since = x.since, y.until = x.until
SET y.expertGroup = g.id, y.person = k.id, y.personName = k.name DELETE x`,
	`MATCH (r:Person {id: $remove})-[x:ATTENDED]->(e) MATCH (k:Person {id: $keep})
MERGE (k)-[y:ATTENDED]->(e) SET y.event = e.id, y.person = k.id, y.personName = k.name DELETE x`,
	`MATCH (r:Person {id: $remove})-[x:PARTY_TO]->(i) MATCH (k:Person {id: $keep})
MERGE (k)-[y:PARTY_TO]->(i) ON CREATE SET y.side = x.side DELETE x`,
	`MATCH (a:Account)-[x:SIGNS_IN_AS]->(r:Person {id: $remove}) MATCH (k:Person {id: $keep})
MERGE (a)-[:SIGNS_IN_AS]->(k) DELETE x`,
	`MATCH (r:Person {id: $remove})-[x:GAVE]->(c:Consent) MATCH (k:Person {id: $keep})
CREATE (k)-[:GAVE]->(c) SET c.mergedFrom = $remove DELETE x`,
	`MATCH (n:Notification {recipientId: $remove}) WHERE n.status = 'PENDING' SET n.recipientId = $keep`,
	`MATCH (q:RightsRequest)-[x:CONCERNS]->(r:Person {id: $remove}) MATCH (k:Person {id: $keep})
MERGE (q)-[:CONCERNS]->(k) DELETE x`,
	`MATCH (r:Person {id: $remove}), (k:Person {id: $keep})
SET k.paused = CASE WHEN coalesce(k.paused, false) OR coalesce(r.paused, false) THEN true END,
    k.title = coalesce(k.title, r.title), k.bio = coalesce(k.bio, r.bio), k.phone = coalesce(k.phone, r.phone),
    k.language = coalesce(k.language, r.language),
    k.languages = CASE WHEN size(coalesce(k.languages, [])) = 0 THEN r.languages ELSE k.languages END,
    k.version = coalesce(k.version, 0) + 1
WITH r, k
OPTIONAL MATCH (k)-[:LOCATED_IN]->(km)
OPTIONAL MATCH (r)-[:LOCATED_IN]->(rm)
FOREACH (_ IN CASE WHEN km IS NULL AND rm IS NOT NULL THEN [1] ELSE [] END | MERGE (k)-[:LOCATED_IN]->(rm))
WITH r, k, k AS p` + syncLinkNames + `
DETACH DELETE r`,
}

// exists reports whether a person with the id exists, inside a transaction.
func personExists(ctx context.Context, tx neo4j.ManagedTransaction, id string) (bool, error) {
	recs, err := runConsume(ctx, tx, `MATCH (p:Person {id: $id}) RETURN p.id`, map[string]any{"id": id})
	return len(recs) > 0, err
}

// CreatePerson creates an unconfirmed profile with the id reader.PersonID on the secretariat's
// behalf (like an import of one row): visible to the secretariat only until the person claims
// it. A duplicate e-mail is a CONFLICT. It returns the profile as reader reads it, from the
// write's transaction.
func (s *Store) CreatePerson(ctx context.Context, reader bridge.Principal, email string, in bridge.ProfileInput, audit bridge.AuditEntry) (bridge.Person, error) {
	id := reader.PersonID
	profile := profileWithEmail(in, email)
	params := map[string]any{"profile": profile, "id": id}
	audit.TargetID = id
	var person bridge.Person
	_, err := s.run(ctx, neo4j.AccessModeWrite, "create_person", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if err := checkMunicipality(ctx, tx, in.MunicipalityID, in.CountryCode, "input"); err != nil {
			return nil, err
		}
		existing, err := runConsume(ctx, tx, qPersonByEmailKey, map[string]any{"emailKey": profile["emailKey"]})
		if err != nil {
			return nil, err
		}
		if len(existing) > 0 {
			return nil, &bridge.Error{Code: bridge.CodeConflict, Field: []string{"input", "email"}, Message: "a person with this e-mail address exists"}
		}
		if _, err := runConsume(ctx, tx, qCreatePerson, params); err != nil {
			return nil, err
		}
		if _, err := runConsume(ctx, tx, qAppendAudit, appendAuditParams(audit)); err != nil {
			return nil, err
		}
		person, err = profileInTx(ctx, tx, reader)
		return nil, err
	})
	return person, err
}

// MergePeople folds the removed person into the kept one in one transaction: links move,
// the kept person's values win, empty ones are filled, the removed person is deleted, and two
// audit events (one for each id) record it. The kept person is reader.PersonID; it returns them
// as reader reads them, from the write's transaction.
func (s *Store) MergePeople(ctx context.Context, reader bridge.Principal, remove string, audit bridge.AuditEntry) (bridge.Person, error) {
	keep := reader.PersonID
	if keep == remove {
		return bridge.Person{}, bridge.InvalidInput([]string{"remove"}, "a person cannot be merged into themself")
	}
	var person bridge.Person
	_, err := s.run(ctx, neo4j.AccessModeWrite, "merge_people", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		for _, id := range []string{keep, remove} {
			ok, err := personExists(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
			}
		}
		for _, q := range qMerge {
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
		var err error
		person, err = profileInTx(ctx, tx, reader)
		return nil, err
	})
	return person, err
}

// CreateOrganisation creates one organisation with its place and parent, and its audit event, in
// one transaction (CONFLICT if the id exists).
func (s *Store) CreateOrganisation(ctx context.Context, o bridge.Organisation, audit bridge.AuditEntry) error {
	return s.saveOrganisation(ctx, o, true, 0, audit)
}

// UpdateOrganisation updates one organisation at expectedVersion (CONFLICT otherwise; NOT_FOUND
// if it does not exist), with its place, parent and audit event, in one transaction.
func (s *Store) UpdateOrganisation(ctx context.Context, o bridge.Organisation, expectedVersion int, audit bridge.AuditEntry) error {
	return s.saveOrganisation(ctx, o, false, expectedVersion, audit)
}

// saveOrganisation is the one transaction of both.
func (s *Store) saveOrganisation(ctx context.Context, o bridge.Organisation, create bool, expectedVersion int, audit bridge.AuditEntry) error {
	audit.TargetID = o.ID
	params := map[string]any{"rows": organisationRows([]bridge.Organisation{o})}
	_, err := s.run(ctx, neo4j.AccessModeWrite, "save_organisation", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		found, err := runConsume(ctx, tx, `MATCH (o:Organisation {id: $id}) RETURN coalesce(o.version, 0) AS version`, map[string]any{"id": o.ID})
		if err != nil {
			return nil, err
		}
		switch {
		case create && len(found) > 0:
			return nil, &bridge.Error{Code: bridge.CodeConflict, Field: []string{"input", "key"}, Message: "an organisation with this key exists"}
		case !create && len(found) == 0:
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such organisation")
		case !create:
			version, err := column(found[0], "version", (*row).Int)
			if err != nil {
				return nil, err
			}
			if version != expectedVersion {
				return nil, &bridge.Error{Code: bridge.CodeConflict, Field: []string{"expectedVersion"},
					Message: "the organisation changed since you loaded it; reload and try again"}
			}
		}
		if err := checkMunicipality(ctx, tx, o.MunicipalityID, o.CountryCode, "input"); err != nil {
			return nil, err
		}
		if o.ParentID != "" {
			p, err := runConsume(ctx, tx, `MATCH (p:Organisation {id: $id}) WHERE $id <> $self RETURN p.id`, map[string]any{"id": o.ParentID, "self": o.ID})
			if err != nil {
				return nil, err
			}
			if len(p) == 0 {
				return nil, bridge.InvalidInput([]string{"input", "parent"}, "unknown parent organisation")
			}
		}
		for _, q := range []string{qUpsertOrganisations, qLinkOrganisationParents, qBumpOrganisationVersion, qAppendAudit} {
			p := params
			if q == qAppendAudit {
				p = appendAuditParams(audit)
			}
			if _, err := runConsume(ctx, tx, q, p); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	return err
}

const qBumpOrganisationVersion = `
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id})
SET o.version = coalesce(o.version, 0) + 1`

// qMergeOrganisations moves staff and child organisations of the removed organisation to the
// kept one, then deletes the removed one.
var qMergeOrganisations = []string{
	`MATCH (r:Organisation {id: $remove})<-[x:WORKS_AT]-(p:Person) MATCH (k:Organisation {id: $keep})
MERGE (p)-[y:WORKS_AT]->(k) ON CREATE SET y.role = x.role, y.since = x.since
SET y.organisation = k.id, y.person = p.id, y.personName = p.name DELETE x`,
	`MATCH (r:Organisation {id: $remove})<-[x:PART_OF]-(c:Organisation) MATCH (k:Organisation {id: $keep})
WHERE c <> k
MERGE (c)-[y:PART_OF]->(k) ON CREATE SET y.confirmed = x.confirmed DELETE x`,
	`MATCH (r:Organisation {id: $remove}) DETACH DELETE r`,
}
