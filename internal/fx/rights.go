package fx

import (
	"slices"
	"testing"
)

// RightsEntry is an entry of the register of data-subject rights requests as stored.
type RightsEntry struct {
	ID, Kind, Channel, Status string
	FulfilledAtOnce           bool     // closed when it was received
	Properties                []string // the names of its stored properties, sorted
	Linked                    bool     // it has a relationship (to the person it concerns)
}

const qRightsEntryFields = `RETURN r.id AS id, r.kind AS kind, r.channel AS channel, r.status AS status,
       r.closedAt IS NOT NULL AND r.closedAt = r.receivedAt AS atOnce, keys(r) AS props, EXISTS { (r)--() } AS linked
ORDER BY kind, channel, status, id`

func rightsEntries(t testing.TB, query string, params map[string]any) []RightsEntry {
	t.Helper()
	var out []RightsEntry
	for _, r := range run(t, query+qRightsEntryFields, params) {
		e := RightsEntry{ID: r.str("id"), Kind: r.str("kind"), Channel: r.str("channel"), Status: r.str("status"),
			FulfilledAtOnce: r.boolean("atOnce"), Linked: r.boolean("linked")}
		props, _ := r["props"].([]any)
		for _, p := range props {
			s, _ := p.(string)
			e.Properties = append(e.Properties, s)
		}
		slices.Sort(e.Properties)
		out = append(out, e)
	}
	return out
}

// RightsRequestsConcerning are the register's entries about a person.
func RightsRequestsConcerning(t testing.TB, personID string) []RightsEntry {
	t.Helper()
	return rightsEntries(t, "MATCH (r:RightsRequest)-[:CONCERNS]->(:Person {id: $id})\n", map[string]any{"id": personID})
}

// RightsRequests are the register's entries with the ids (keys, not global ids).
func RightsRequests(t testing.TB, ids []string) []RightsEntry {
	t.Helper()
	return rightsEntries(t, "MATCH (r:RightsRequest) WHERE r.id IN $ids\n", map[string]any{"ids": ids})
}

// AnonymousSelfServiceErasures are the ids of the entries that a person's own erasure leaves: a
// fulfilled self-service erasure request, anonymised, fulfilled when received, concerning no one
// and with no note.
func AnonymousSelfServiceErasures(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, r := range run(t, `MATCH (r:RightsRequest {kind: 'ERASURE', channel: 'SELF_SERVICE', status: 'FULFILLED', anonymised: true})
WHERE NOT (r)-[:CONCERNS]->() AND r.closedAt = r.receivedAt AND r.note IS NULL RETURN r.id AS id`, nil) {
		out = append(out, r.str("id"))
	}
	return out
}

// DeleteRightsRequests deletes the register's entries with the ids (keys, not global ids).
func DeleteRightsRequests(t testing.TB, ids []string) {
	t.Helper()
	run(t, `MATCH (r:RightsRequest) WHERE r.id IN $ids DETACH DELETE r`, map[string]any{"ids": ids})
}
