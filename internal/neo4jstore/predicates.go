package neo4jstore

import (
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The privacy predicates: the one place where Cypher says who may see, list, meet or contact a
// person. Each is generated for the variable it guards (visible("p"), listed("n")) so that no
// query spells a rule again for another variable, and every query that matches a person uses one
// of them or says in a `// privacy:` comment why it needs none (predicates_test.go fails
// otherwise). Their parameters come from viewerParams: the viewer ($viewerId, $levels, $contact),
// the API's clock ($now, $today) and the status sets of the domain ($connected, $mutual), never
// status lists typed in the query.
//
//   - visible: reading a person by id. The person themself; otherwise their visibility level is
//     one the viewer may see, and they are not paused (restriction, GDPR art. 18), except for
//     the secretariat ($contact is the secretariat's flag).
//   - listed: appearing in any list, count, facet, weight or path — search, the people of a
//     theme, a place, an organisation, an event or a group, peer candidates and the theme
//     rarity their weights come from, warm-path intermediates. Visible, and the person's
//     "may be suggested" consent holds (the secretariat lists everyone it may see).
//   - suggestable: a peer candidate: listed even for the secretariat (consent is the person's to
//     give), open to introductions and not paused.
//   - party: the parties of a proposed or accomplished introduction see each other's profile
//     whatever its visibility, unless the other has paused.
//   - contact: e-mail and phone reach the person, the secretariat, and the other side of an
//     introduction both accepted while the person's SHARE_CONTACT consent holds and they have
//     not paused.
//   - reachable: a person the system may write to on its own initiative (the event suggestions
//     e-mail): an e-mail address, not paused, open to introductions and the INTRODUCE consent
//     holds — what an introduction asks of its recipient. It takes no viewer.
//   - fellow: a current member of an expert group sees the group's other current members whatever
//     their visibility (not their contact details); a membership that ended or has not begun opens
//     nothing.
//
// Consent is checked against $now, a parameter, not datetime() in the query: the predicates run
// on every candidate row, and a parameter is one value for the whole query.

// predicate expands a template in which {x} stands for the guarded variable.
func predicate(template, x string) string { return strings.ReplaceAll(template, "{x}", x) }

const (
	visibleT = `({x}.id = $viewerId OR ({x}.visibility IN $levels AND ($contact OR NOT coalesce({x}.paused, false))))`
	// listedT is written as a CASE, not "id = $viewerId OR ...": with an OR the planner reads the
	// viewer by id and everyone else by an index in a union whose DISTINCT loses the name order,
	// so that a page of 20 sorted every listed person.
	listedT = `(CASE WHEN {x}.id = $viewerId THEN true ELSE ` + listedToOthersT + ` END)`
	// listedToOthersT is listedT without the viewer's own record, as an index can seek it
	// (visibility, and a filter's property beside it); countListed adds the viewer back.
	listedToOthersT = `({x}.visibility IN $levels AND ($contact OR (NOT coalesce({x}.paused, false) AND {x}.suggestUntil > $now)))`
	suggestT        = `({x}.visibility IN $levels AND {x}.openToIntroductions = true AND NOT coalesce({x}.paused, false) AND {x}.suggestUntil > $now)`
	partyT          = `($viewerId IS NOT NULL AND NOT coalesce({x}.paused, false) AND EXISTS { ({x})-[:PARTY_TO]->({x}_pi:Introduction)<-[:PARTY_TO]-(:Person {id: $viewerId}) WHERE {x}_pi.status IN $mutual })`
	contactT        = `($contact OR coalesce({x}.id = $viewerId, false) OR ($viewerId IS NOT NULL AND NOT coalesce({x}.paused, false) AND {x}.shareContactUntil > $now
  AND EXISTS { ({x})-[:PARTY_TO]->({x}_ci:Introduction)<-[:PARTY_TO]-(:Person {id: $viewerId}) WHERE {x}_ci.status IN $connected }))`
	reachT   = `(trim(coalesce({x}.email, '')) <> '' AND NOT coalesce({x}.paused, false) AND {x}.openToIntroductions = true AND {x}.introduceUntil > $now)`
	currentT = `(coalesce({x}.since, '') <= $today AND ({x}.until IS NULL OR {x}.until >= $today))`
)

func visible(x string) string { return predicate(visibleT, x) }
func listed(x string) string  { return predicate(listedT, x) }

// listedToOthers is listed without the viewer's own record: only for counting, with the viewer
// counted apart (countListed).
func listedToOthers(x string) string { return predicate(listedToOthersT, x) }
func suggestable(x string) string    { return predicate(suggestT, x) }
func party(x string) string          { return predicate(partyT, x) }
func contact(x string) string        { return predicate(contactT, x) }
func reachable(x string) string      { return predicate(reachT, x) }

// sharedThemesT is the list of the ids of {v}'s themes that {o} works on too: the same theme, or
// one broader or narrower by one step (the partial credit of peers). It guards nobody: the query
// that uses it guards {o} with a predicate.
const sharedThemesT = `[({v})-[:WORKS_ON]->({v}_st:Theme) WHERE EXISTS { ({o})-[:WORKS_ON]->({v}_st) }
    OR EXISTS { ({o})-[:WORKS_ON]->(:Theme)-[:BROADER]-({v}_st) } | {v}_st.id]`

// sharedThemes expands sharedThemesT for the variables v and o.
func sharedThemes(v, o string) string {
	return strings.NewReplacer("{v}", v, "{o}", o).Replace(sharedThemesT)
}

// current holds for a MEMBER_OF relationship r that has begun and not ended today.
func current(r string) string { return predicate(currentT, r) }

// fellow holds for person x, member of group g through the relationship r, when the viewer and x
// are both current members of g and x has not paused.
func fellow(x, g, r string) string {
	return `($viewerId IS NOT NULL AND NOT coalesce(` + x + `.paused, false) AND ` + current(r) +
		` AND EXISTS { (` + g + `)<-[` + x + `_vm:MEMBER_OF]-(:Person {id: $viewerId}) WHERE ` + current(x+"_vm") + ` })`
}

// viewerParams are the parameters every person query takes from the viewer, the API's clock
// ($now, and $today as an ISO date for the stored dates of memberships) and the status sets.
func viewerParams(v bridge.Principal) map[string]any {
	levels := make([]string, 0, 3)
	for _, l := range v.VisibleLevels() {
		levels = append(levels, string(l))
	}
	now := time.Now().UTC()
	return map[string]any{"viewerId": nullIfEmpty(v.PersonID), "levels": levels, "contact": v.IsSecretariat(),
		"now": now, "today": now.Format(time.DateOnly),
		"connected": bridge.StatusStrings(bridge.ConnectedStatuses), "mutual": bridge.StatusStrings(bridge.MutualStatuses)}
}
