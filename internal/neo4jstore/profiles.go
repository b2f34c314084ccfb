package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

const (
	qPersonForAccount = `
MATCH (:Account {issuer: $issuer, subject: $subject})-[:SIGNS_IN_AS]->(p:Person)
RETURN p.id AS value`

	profileSet = `
SET p.givenName = $profile.givenName, p.familyName = $profile.familyName, p.name = $profile.name,
    p.title = $profile.title, p.bio = $profile.bio, p.phone = $profile.phone, p.languages = $profile.languages,
    p.country = $profile.country, p.openToIntroductions = $profile.open,
    p.introductionsPerQuarter = $profile.perQuarter, p.language = coalesce($profile.language, p.language)
WITH p
OPTIONAL MATCH (p)-[old:LOCATED_IN]->()
DELETE old
WITH DISTINCT p
OPTIONAL MATCH (m:Municipality {id: $profile.municipality}) USING INDEX m:Municipality(id)
FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | MERGE (p)-[:LOCATED_IN]->(m))
WITH p` + syncLinkNames

	// linkAccount ends the statement that creates or claims a profile: the account signs in as it.
	linkAccount = `
CREATE (:Account {id: $accountId, issuer: $issuer, subject: $subject})-[:SIGNS_IN_AS]->(p)`

	qCheckMunicipality = `
MATCH (m:Municipality {id: $municipality}) RETURN m.country AS value`

	qProfileVersion = `MATCH (p:Person {id: $id}) RETURN coalesce(p.version, 0) AS version`
)

// The statements of a profile's create and update keep their plans (keptPlan): each starts from
// an index seek held by a hint, or from the person it creates.
var (
	// qCreateProfileChecks reads in one round trip what creating a profile must check first:
	// whether the account already signs in as someone, the country of the chosen municipality
	// (none when it is unknown or none was chosen), and a profile with the account's e-mail,
	// claimable when the secretariat imported it and nobody has signed in as it yet.
	qCreateProfileChecks = keptPlan("qCreateProfileChecks", `
OPTIONAL MATCH (a:Account {issuer: $issuer, subject: $subject}) USING INDEX a:Account(issuer, subject)
WITH count(a) AS accounts
OPTIONAL MATCH (m:Municipality {id: $profile.municipality}) USING INDEX m:Municipality(id)
WITH accounts, m
OPTIONAL MATCH (p:Person {emailKey: $profile.emailKey}) USING INDEX p:Person(emailKey)
RETURN accounts, m IS NOT NULL AS municipalityKnown, m.country AS municipalityCountry, p.id AS id,
       coalesce(p.confirmed = false, false) AND NOT EXISTS { (p)<-[:SIGNS_IN_AS]-(:Account) } AS claimable
LIMIT 1`)

	qCreateProfile = keptPlan("qCreateProfile", `
CREATE (p:Person {id: $id, email: $profile.email, emailKey: $profile.emailKey, visibility: 'SECRETARIAT', confirmed: true,
                  source: 'SELF', demo: false, version: 1, createdAt: datetime(), lastActiveAt: datetime()})`+profileSet+linkAccount)

	// qClaimProfile confirms an imported profile: the retention job's flag and deadline go with it.
	qClaimProfile = keptPlan("qClaimProfile", `
MATCH (p:Person {id: $id}) USING INDEX p:Person(id)
SET p.confirmed = true, p.version = coalesce(p.version, 0) + 1, p.lastActiveAt = datetime()
REMOVE p.reconfirmRequestedAt, p.reconfirmBy`+profileSet+linkAccount)

	// qUpdateProfile counts as activity (lastActiveAt), which ends a reconfirmation request of the
	// retention job: someone maintains the profile.
	qUpdateProfile = keptPlan("qUpdateProfile", `
MATCH (p:Person {id: $id}) USING INDEX p:Person(id)
WITH p, coalesce(p.version, 0) AS version
WHERE version = $expected
SET p.version = version + 1, p.lastActiveAt = datetime()
REMOVE p.reconfirmRequestedAt, p.reconfirmBy`+profileSet+`
RETURN p.version AS version`)
)

// PersonForAccount implements bridge.ProfileService.
func (s *Store) PersonForAccount(ctx context.Context, issuer, subject string) (string, error) {
	ids, err := s.readStrings(ctx, "person_for_account", qPersonForAccount, map[string]any{"issuer": issuer, "subject": subject})
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// profileValues are the profile's values as profileSet stores them (blank optional ones null):
// the one parameter $profile rather than a parameter each. Neo4j keeps a plan per statement and
// per type of each parameter, where a string's type includes the power of ten above its length
// and a null has a type of its own, but a map's is the same whatever it holds. So profiles with
// and without a title, or with a short or a long one, share one plan of these statements (each
// took 0.3-1 s to plan on a Neo4j just started) instead of each shape waiting for its own
// (docs/performance.md, "One plan per write statement").
func profileValues(in bridge.ProfileInput) map[string]any {
	return map[string]any{"givenName": strings.TrimSpace(in.GivenName), "familyName": strings.TrimSpace(in.FamilyName),
		"name":  strings.TrimSpace(strings.TrimSpace(in.GivenName) + " " + strings.TrimSpace(in.FamilyName)),
		"title": nullIfEmpty(strings.TrimSpace(in.Title)), "bio": nullIfEmpty(strings.TrimSpace(in.Bio)),
		"phone": nullIfEmpty(strings.TrimSpace(in.Phone)), "languages": emptyIfNil(in.Languages), "country": in.CountryCode,
		"municipality": nullIfEmpty(in.MunicipalityID), "open": in.OpenToIntroductions,
		"perQuarter": int64(in.IntroductionsPerQuarter), "language": nullIfEmpty(in.Language)}
}

// checkMunicipality verifies, inside a transaction, that the municipality (if any) exists and
// lies in the country; errors name prefix.municipality.
func checkMunicipality(ctx context.Context, tx neo4j.ManagedTransaction, municipalityID, country, prefix string) error {
	if municipalityID == "" {
		return nil
	}
	res, err := tx.Run(ctx, qCheckMunicipality, map[string]any{"municipality": municipalityID})
	if err != nil {
		return err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return municipalityError(municipalityID, false, "", country, prefix)
	}
	got, err := column(recs[0], "value", (*row).Str)
	if err != nil {
		return err
	}
	return municipalityError(municipalityID, true, got, country, prefix)
}

// municipalityError is the error for a profile's municipality (none when none was chosen):
// unknown, or not in the profile's country (got is the municipality's).
func municipalityError(municipalityID string, known bool, got, country, prefix string) error {
	switch {
	case municipalityID == "":
		return nil
	case !known:
		return bridge.InvalidInput([]string{prefix, "municipality"}, "unknown municipality")
	case got != country:
		return bridge.InvalidInput([]string{prefix, "municipality"}, "the municipality is not in %s", country)
	}
	return nil
}

// CreateProfile implements profiles.Store for the signed-in account of v (v.Account), in one
// transaction of three statements: the checks, the profile created (or claimed) with the account
// that signs in as it, and the profile read as its person sees it (the answer to createMyProfile:
// in the write's transaction, not in one of its own after it).
func (s *Store) CreateProfile(ctx context.Context, v bridge.Principal, in bridge.ProfileInput, newID string) (bridge.Person, error) {
	if v.Account == nil {
		return bridge.Person{}, bridge.Errorf(bridge.CodeUnauthenticated, "sign in first")
	}
	acc := *v.Account
	var person bridge.Person
	_, err := s.run(ctx, neo4j.AccessModeWrite, "create_profile", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		person = bridge.Person{}
		params := createProfileParams(in, acc)
		found, err := runConsume(ctx, tx, qCreateProfileChecks, params)
		if err != nil {
			return nil, err
		}
		if len(found) != 1 {
			return nil, fmt.Errorf("create profile: %d rows of checks", len(found))
		}
		rec := recordRow(found[0])
		accounts, known, country := rec.Int("accounts"), rec.Bool("municipalityKnown"), rec.OptStr("municipalityCountry")
		claimID, claimable := rec.OptStr("id"), rec.Bool("claimable")
		if err := rec.Err("profile checks"); err != nil {
			return nil, err
		}
		if accounts > 0 {
			return nil, bridge.Errorf(bridge.CodeConflict, "you already have a profile")
		}
		if err := municipalityError(in.MunicipalityID, known, country, in.CountryCode, "input"); err != nil {
			return nil, err
		}
		query, personID := qCreateProfile, newID
		switch {
		case claimID != "" && acc.EmailVerified && claimable:
			personID, query = claimID, qClaimProfile
		case claimID != "":
			// Someone else's profile, or one the account cannot prove to own: say no more.
			return nil, bridge.Errorf(bridge.CodeConflict, "a profile with this e-mail address exists; ask the secretariat")
		}
		params["id"], params["accountId"] = personID, newID+"-account"
		if _, err = runConsume(ctx, tx, query, params); err != nil {
			return nil, err
		}
		own := v
		own.PersonID = personID
		person, err = profileInTx(ctx, tx, own)
		return nil, err
	})
	return person, err
}

// createProfileParams are the parameters of qCreateProfileChecks and, with the ids, of
// qCreateProfile or qClaimProfile: $profile holds the account's e-mail besides profileValues.
func createProfileParams(in bridge.ProfileInput, acc bridge.Account) map[string]any {
	return map[string]any{"issuer": acc.Issuer, "subject": acc.Subject, "profile": profileWithEmail(in, acc.Email)}
}

// profileWithEmail is profileValues with the e-mail and its key (null when there is none): the
// $profile of a profile that is created.
func profileWithEmail(in bridge.ProfileInput, email string) map[string]any {
	profile := profileValues(in)
	profile["email"], profile["emailKey"] = nullIfEmpty(email), nullIfEmpty(bridge.EmailKey(email))
	return profile
}

// profileInTx reads, inside a write's transaction, the profile of v.PersonID as PeopleByIDs
// would return it to v: a profile write answers with it without a transaction of its own.
func profileInTx(ctx context.Context, tx neo4j.ManagedTransaction, v bridge.Principal) (bridge.Person, error) {
	recs, err := runConsume(ctx, tx, qPeopleByIDs, peopleByIDsParams(v, []string{v.PersonID}))
	if err != nil {
		return bridge.Person{}, err
	}
	people, err := peopleFromRecords(recs)
	if err != nil {
		return bridge.Person{}, err
	}
	p, ok := people[v.PersonID]
	if !ok {
		return bridge.Person{}, bridge.Errorf(bridge.CodeNotFound, "no such profile")
	}
	return p, nil
}

func runConsume(ctx context.Context, tx neo4j.ManagedTransaction, q string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, q, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// UpdateProfile implements profiles.Store with optimistic concurrency on p.version: it reads the
// profile of reader.PersonID as reader sees it, writes what change makes of it, and returns it
// as reader then sees it, in one transaction. In the same transaction it appends the audit event
// (detail: the fields that changed) and, when a field that an INTRODUCED message disclosed
// changed (name, title, phone), tells everyone the person was introduced to (art. 19: recipients
// learn of a rectification).
func (s *Store) UpdateProfile(ctx context.Context, reader bridge.Principal, change func(bridge.Person) (bridge.ProfileInput, error),
	expected int, audit *bridge.AuditEntry) (bridge.Person, error) {
	personID := reader.PersonID
	var person bridge.Person
	_, err := s.run(ctx, neo4j.AccessModeWrite, "update_profile", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		current, err := profileInTx(ctx, tx, reader)
		if err != nil {
			return nil, err
		}
		in, err := change(current)
		if err != nil {
			return nil, err
		}
		if err := checkMunicipality(ctx, tx, in.MunicipalityID, in.CountryCode, "input"); err != nil {
			return nil, err
		}
		profile := profileValues(in)
		params := updateProfileParams(personID, expected, profile)
		before, err := runConsume(ctx, tx, qProfileBefore, params)
		if err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, qUpdateProfile, params)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			cur, err := runConsume(ctx, tx, qProfileVersion, map[string]any{"id": personID})
			if err != nil {
				return nil, err
			}
			if len(cur) == 0 {
				return nil, bridge.Errorf(bridge.CodeNotFound, "no such profile")
			}
			v, err := column(cur[0], "version", (*row).Int)
			if err != nil {
				return nil, err
			}
			return nil, &bridge.Error{Code: bridge.CodeConflict, Field: []string{"expectedVersion"},
				Message: "the profile changed since you loaded it (now version " + strconv.Itoa(v) + "); reload and try again"}
		}
		var changed []string
		if len(before) > 0 {
			rec := recordRow(before[0])
			changed = changedFields(rec.Row("before"), profile)
			if err := rec.Err("profile before"); err != nil {
				return nil, err
			}
		}
		if slices.ContainsFunc(changed, func(f string) bool { return disclosedFields[f] }) {
			if _, err := runConsume(ctx, tx, qTellIntroduced,
				tellIntroducedParams(personID, time.Now().UTC(), bridge.NotificationContactChanged)); err != nil {
				return nil, err
			}
		}
		if audit != nil {
			a := *audit
			a.Detail = strings.Join(changed, ",")
			if _, err := runConsume(ctx, tx, qAppendAudit, appendAuditParams(a)); err != nil {
				return nil, err
			}
		}
		person, err = profileInTx(ctx, tx, reader)
		return nil, err
	})
	return person, err
}

// profileFields maps the editable profile properties (as stored) to their keys in profileValues;
// changedFields compares them.
var profileFields = map[string]string{"givenName": "givenName", "familyName": "familyName", "title": "title",
	"bio": "bio", "phone": "phone", "languages": "languages", "country": "country", "municipality": "municipality",
	"openToIntroductions": "open", "introductionsPerQuarter": "perQuarter", "language": "language"}

// keptWhenNull are the profile properties that a null parameter leaves as they are (profileSet's
// coalesce) instead of clearing.
var keptWhenNull = map[string]bool{"language": true}

// disclosedFields are the profile fields an INTRODUCED message carries (besides the e-mail, which
// comes from the sign-in and is not edited here, and organisations).
var disclosedFields = map[string]bool{"givenName": true, "familyName": true, "title": true, "phone": true}

// updateProfileParams are the parameters of qProfileBefore and qUpdateProfile; profile is
// profileValues of the edited profile.
func updateProfileParams(personID string, expected int, profile map[string]any) map[string]any {
	return map[string]any{"id": personID, "expected": int64(expected), "profile": profile}
}

// qProfileBefore reads the editable properties before an update (in its transaction).
var qProfileBefore = keptPlan("qProfileBefore", `
MATCH (p:Person {id: $id}) USING INDEX p:Person(id)
RETURN p{.givenName, .familyName, .title, .bio, .phone, .languages, .country, .openToIntroductions,
         .introductionsPerQuarter, .language, municipality: [(p)-[:LOCATED_IN]->(m:Municipality) | m.id][0]} AS before`)

// changedFields lists, sorted, the properties whose new value (profileValues) differs from the
// stored one (null is the same as null only; numbers compare as int64, lists element by element).
func changedFields(old *row, values map[string]any) []string {
	var out []string
	for field, param := range profileFields {
		if values[param] == nil && keptWhenNull[field] {
			continue
		}
		if !sameValue(old.Value(field), values[param]) {
			out = append(out, field)
		}
	}
	slices.Sort(out)
	return out
}

func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return fmt.Sprint(a) == fmt.Sprint(b) // values are strings, booleans, int64 and []string / []any of strings
}

// qTellIntroduced writes one notification of $kind to each person introduced to $id (INTRODUCED or
// COMPLETED), naming the newest such introduction: ids only, rendered when sent.
var qTellIntroduced = keptPlan("qTellIntroduced", `
MATCH (p:Person {id: $id})-[:PARTY_TO]->(i:Introduction)<-[:PARTY_TO]-(o:Person) USING INDEX p:Person(id)
WHERE i.status IN $connected AND o <> p
WITH o, i ORDER BY coalesce(i.updatedAt, datetime({date: i.introducedOn})) DESC
WITH o, collect(i)[0] AS i
WITH $kind AS nKind, o.id AS nTo, i.id AS nIntro
CREATE `+newNotification)

// tellIntroducedParams are the parameters of qTellIntroduced.
func tellIntroducedParams(personID string, now time.Time, kind string) map[string]any {
	return map[string]any{"id": personID, "now": now, "kind": kind,
		"connected": bridge.StatusStrings(bridge.ConnectedStatuses)}
}

// qAppendAudit appends an audit event. Nothing in the API edits or deletes AuditEvent nodes.
const qAppendAudit = `
CREATE (e:AuditEvent {id: randomUUID(), at: datetime()})
SET e += $audit`

// appendAuditParams are qAppendAudit's: the event's values in one map, so that events with and
// without a detail or a request id, or with a short or a long detail, share one plan (see
// profileValues).
func appendAuditParams(a bridge.AuditEntry) map[string]any {
	return map[string]any{"audit": auditParams(a)}
}

func auditParams(a bridge.AuditEntry) map[string]any {
	return map[string]any{"action": string(a.Action), "actorRole": string(a.ActorRole), "actorId": nullIfEmpty(a.ActorID),
		"targetId": nullIfEmpty(a.TargetID), "requestId": nullIfEmpty(a.RequestID), "detail": nullIfEmpty(a.Detail)}
}

// AuditEvents returns the audit events about a target, newest first (for tests and exports).
func (s *Store) AuditEvents(ctx context.Context, targetID string) ([]bridge.AuditEntry, error) {
	recs, err := s.read(ctx, "audit_events", `
MATCH (e:AuditEvent {targetId: $target})
RETURN e{.id, .at, .action, .actorRole, .actorId, .targetId, .requestId, .detail} AS item ORDER BY e.at DESC`, map[string]any{"target": targetID})
	if err != nil {
		return nil, err
	}
	out := make([]bridge.AuditEntry, 0, len(recs))
	for _, r := range recs {
		e, err := auditEventFromRow(recordRow(r).Row("item"))
		if err != nil {
			return nil, err
		}
		out = append(out, e.AuditEntry)
	}
	return out, nil
}

// ProfileVersion implements bridge.ProfileService.
func (s *Store) ProfileVersion(ctx context.Context, personID string) (int, error) {
	recs, err := s.read(ctx, "profile_version", qProfileVersion, map[string]any{"id": personID})
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		return 0, bridge.Errorf(bridge.CodeNotFound, "no such profile")
	}
	return column(recs[0], "version", (*row).Int)
}

const (
	qUnknownThemes = `
UNWIND $themes AS t
OPTIONAL MATCH (th:Theme {id: t.id})
WITH t WHERE th IS NULL
RETURN t.id AS value`
	qSetThemes = `
MATCH (p:Person {id: $id})
SET p.version = coalesce(p.version, 0) + 1
WITH p
OPTIONAL MATCH (p)-[old:WORKS_ON]->()
DELETE old
WITH DISTINCT p
UNWIND $themes AS t
MATCH (th:Theme {id: t.id})
MERGE (p)-[w:WORKS_ON]->(th) SET w.mode = t.mode, w.theme = th.id, w.person = p.id
WITH DISTINCT p` + syncLinkNames
	qSetVisibility = `
MATCH (p:Person {id: $id})
SET p.visibility = $visibility, p.version = coalesce(p.version, 0) + 1
RETURN p.id AS value`
)

// SetThemes implements profiles.Store: unknown themes are refused, nothing is half-written.
func (s *Store) SetThemes(ctx context.Context, reader bridge.Principal, themes []bridge.ThemeLink) (bridge.Person, error) {
	rows := make([]map[string]any, 0, len(themes))
	for _, t := range themes {
		rows = append(rows, map[string]any{"id": t.ThemeID, "mode": string(t.Mode)})
	}
	return s.replaceLinks(ctx, "set_themes", qUnknownThemes, qSetThemes, "themes", reader, rows,
		bridge.InvalidInput([]string{"themes"}, "unknown theme"))
}

// replaceLinks replaces the links of one kind of the person reader.PersonID in one transaction,
// and returns the profile as reader then sees it: if the check query finds any unknown target,
// the error is returned and nothing is written. The rows travel as the parameter named param.
func (s *Store) replaceLinks(ctx context.Context, name, check, set, param string, reader bridge.Principal, rows []map[string]any,
	unknownErr error) (bridge.Person, error) {
	var person bridge.Person
	_, err := s.run(ctx, neo4j.AccessModeWrite, name, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		unknown, err := runConsume(ctx, tx, check, map[string]any{param: rows})
		if err != nil {
			return nil, err
		}
		if len(unknown) > 0 {
			return nil, unknownErr
		}
		if _, err := runConsume(ctx, tx, set, map[string]any{"id": reader.PersonID, param: rows}); err != nil {
			return nil, err
		}
		person, err = profileInTx(ctx, tx, reader)
		return nil, err
	})
	return person, err
}

// SetVisibility implements profiles.Store.
func (s *Store) SetVisibility(ctx context.Context, reader bridge.Principal, v bridge.Visibility) (bridge.Person, error) {
	var person bridge.Person
	_, err := s.run(ctx, neo4j.AccessModeWrite, "set_visibility", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		recs, err := runConsume(ctx, tx, qSetVisibility, map[string]any{"id": reader.PersonID, "visibility": string(v)})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such profile")
		}
		person, err = profileInTx(ctx, tx, reader)
		return nil, err
	})
	return person, err
}

const (
	qUnknownOrganisations = `
UNWIND $orgs AS a
OPTIONAL MATCH (o:Organisation {id: a.org})
WITH a WHERE o IS NULL
RETURN a.org AS value`
	qSetAffiliations = `
MATCH (p:Person {id: $id})
SET p.version = coalesce(p.version, 0) + 1
WITH p
OPTIONAL MATCH (p)-[old:WORKS_AT]->()
DELETE old
WITH DISTINCT p
UNWIND $orgs AS a
MATCH (o:Organisation {id: a.org})
MERGE (p)-[w:WORKS_AT]->(o) SET w.role = a.role, w.since = a.since, w.organisation = o.id, w.person = p.id, w.personName = p.name`
)

// SetAffiliations implements profiles.Store: unknown organisations are refused and
// nothing is half-written.
func (s *Store) SetAffiliations(ctx context.Context, reader bridge.Principal, affs []bridge.Affiliation) (bridge.Person, error) {
	rows := make([]map[string]any, 0, len(affs))
	for _, a := range affs {
		rows = append(rows, map[string]any{"org": a.OrganisationID, "role": nullIfEmpty(a.Role), "since": nullIfEmpty(a.Since)})
	}
	return s.replaceLinks(ctx, "set_affiliations", qUnknownOrganisations, qSetAffiliations, "orgs", reader, rows,
		bridge.InvalidInput([]string{"affiliations"}, "unknown organisation"))
}
