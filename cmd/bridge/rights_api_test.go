package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// The register of data-subject rights requests and the audit log over the API (security.md rows
// 73 and 74), per role, against the real handler and Neo4j.

// gqlResult is a response with its first error's code, field path and status.
type gqlResult struct {
	data   map[string]json.RawMessage
	code   string
	field  string
	status string
	raw    string
}

func (a *api) call(who bridge.Principal, q string, vars map[string]any) gqlResult {
	a.t.Helper()
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	_, resp, raw := a.postAs(who, string(b))
	out := gqlResult{data: resp.Data, raw: raw}
	if len(resp.Errors) > 0 {
		ext := resp.Errors[0].Extensions
		out.code, _ = ext["code"].(string)
		out.status, _ = ext["status"].(string)
		if f, ok := ext["field"].([]any); ok {
			parts := make([]string, len(f))
			for i, p := range f {
				parts[i], _ = p.(string)
			}
			out.field = strings.Join(parts, ".")
		}
	}
	for _, leak := range []string{"Neo.", "MATCH ", "RETURN "} {
		if strings.Contains(raw, leak) {
			a.t.Fatalf("internals in a response: %s", raw)
		}
	}
	return out
}

type rightsView struct {
	ID, Kind, Channel, Status, ReceivedAt, DueAt string
	DaysLeft                                     *int
	Overdue                                      bool
	ExtendedAt, ExtensionReason, ClosedAt        *string
	Outcome, Note, ClosingNote                   *string
	Person                                       *struct{ ID string }
	Anonymised                                   bool
}

const rightsFields = `id kind channel status receivedAt dueAt daysLeft overdue extendedAt extensionReason closedAt outcome
  note closingNote person { id } anonymised`

const (
	mRecordRights = `mutation($in: RecordRightsRequestInput!) { recordRightsRequest(input: $in) { ` + rightsFields + ` } }`
	mExtendRights = `mutation($id: ID!, $reason: String!) { extendRightsRequest(id: $id, reason: $reason) { ` + rightsFields + ` } }`
	mCloseRights  = `mutation($id: ID!, $outcome: RightsRequestOutcome!, $note: String) {
  closeRightsRequest(id: $id, outcome: $outcome, note: $note) { ` + rightsFields + ` } }`
	qRightsReport = `query($f: RightsRequestFilter, $first: Int!, $after: String) {
  rightsRequests(filter: $f, first: $first, after: $after) {
    totalCount edges { cursor node { ` + rightsFields + ` } } pageInfo { hasNextPage endCursor } } }`
	qRightsRequest = `query($id: ID!) { rightsRequest(id: $id) { ` + rightsFields + ` } }`
)

func decodeRights(t *testing.T, res gqlResult, field string) rightsView {
	t.Helper()
	if res.code != "" {
		t.Fatalf("%s: %s %s (%s)", field, res.code, res.field, res.raw)
	}
	var v rightsView
	if err := json.Unmarshal(res.data[field], &v); err != nil || v.ID == "" {
		t.Fatalf("%s: %v (%s)", field, err, res.raw)
	}
	return v
}

type rightsPage struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   rightsView
	}
	PageInfo struct {
		HasNextPage bool
		EndCursor   *string
	}
}

func rightsReport(t *testing.T, a *api, filter map[string]any, first int, after string) rightsPage {
	t.Helper()
	vars := map[string]any{"f": filter, "first": first}
	if after != "" {
		vars["after"] = after
	}
	res := a.call(secretariat, qRightsReport, vars)
	if res.code != "" {
		t.Fatalf("report %v: %s %s", filter, res.code, res.field)
	}
	var p rightsPage
	if err := json.Unmarshal(res.data["rightsRequests"], &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// ids lists the ids of a page's requests that are among want, in page order.
func (p rightsPage) ids(want ...string) []string {
	var out []string
	for _, e := range p.Edges {
		if slices.Contains(want, e.Node.ID) {
			out = append(out, e.Node.ID)
		}
	}
	return out
}

// calendarDaysLeft is the number of UTC calendar days from today to due's day.
func calendarDaysLeft(due time.Time) int {
	d := func(t time.Time) time.Time {
		y, m, dd := t.UTC().Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	}
	return int(d(due).Sub(d(time.Now())).Hours() / 24)
}

func recordVars(personID, kind, channel string, received time.Time, note string) map[string]any {
	in := map[string]any{"personId": gid("Person", personID), "kind": kind, "channel": channel,
		"receivedAt": received.UTC().Format(time.RFC3339)}
	if note != "" {
		in["note"] = note
	}
	return map[string]any{"in": in}
}

// forgetRights removes the test's requests (anonymous ones included) when it ends.
func forgetRights(t *testing.T, ids *[]string) {
	t.Cleanup(func() {
		var keys []string
		for _, id := range *ids {
			if _, key, err := bridge.ParseGlobalID(nil, id); err == nil {
				keys = append(keys, key)
			}
		}
		fx.DeleteRightsRequests(t, keys)
	})
}

// TestRightsRequestRegisterAndSLAReport: only the secretariat records, extends, closes and reads
// the register; the report is ordered by due date with the right daysLeft, and its filters and
// paging hold; illegal steps are CONFLICT and bad input names its field.
func TestRightsRequestRegisterAndSLAReport(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Rita"), openPerson("Sven"))
	rita, sven := ids[0], ids[1]
	api := newTestAPI(t, envProduction, nil)
	var created []string
	forgetRights(t, &created)
	now := time.Now().UTC().Truncate(time.Second)

	// Who may.
	for _, who := range []bridge.Principal{bridge.Anonymous, as(rita)} {
		want := "FORBIDDEN"
		if who.Role == bridge.RoleAnonymous {
			want = "UNAUTHENTICATED"
		}
		if res := api.call(who, qRightsReport, map[string]any{"first": 10}); res.code != want || string(res.data["rightsRequests"]) != "" && string(res.data["rightsRequests"]) != "null" {
			t.Errorf("%s lists rights requests: %s %s", who.Role, res.code, res.raw)
		}
		if res := api.call(who, mRecordRights, recordVars(rita, "ACCESS", "EMAIL", now, "")); res.code != want {
			t.Errorf("%s records a rights request: %s", who.Role, res.code)
		}
	}

	// Three requests: overdue, due within a week, due in about a month.
	receivedOverdue, receivedSoon, receivedNew := now.AddDate(0, 0, -40), now.AddDate(0, 0, -27), now.Add(-time.Hour)
	overdue := decodeRights(t, api.call(secretariat, mRecordRights, recordVars(rita, "ACCESS", "EMAIL", receivedOverdue, "asked twice")), "recordRightsRequest")
	soon := decodeRights(t, api.call(secretariat, mRecordRights, recordVars(sven, "RECTIFICATION", "LETTER", receivedSoon, "")), "recordRightsRequest")
	fresh := decodeRights(t, api.call(secretariat, mRecordRights, recordVars(rita, "OBJECTION", "PHONE", receivedNew, "")), "recordRightsRequest")
	created = append(created, overdue.ID, soon.ID, fresh.ID)
	mine := []string{overdue.ID, soon.ID, fresh.ID}
	for _, c := range []struct {
		got      rightsView
		received time.Time
		person   string
	}{{overdue, receivedOverdue, rita}, {soon, receivedSoon, sven}, {fresh, receivedNew, rita}} {
		due := bridge.RightsDueAt(c.received, false)
		if c.got.Status != "OPEN" || c.got.ReceivedAt != c.received.Format(time.RFC3339) || c.got.DueAt != due.Format(time.RFC3339) ||
			c.got.DaysLeft == nil || *c.got.DaysLeft != calendarDaysLeft(due) || c.got.Person == nil || c.got.Person.ID != gid("Person", c.person) {
			t.Errorf("recorded %+v; want OPEN, received %s, due %s (%d days)", c.got, c.received.Format(time.RFC3339), due.Format(time.RFC3339), calendarDaysLeft(due))
		}
	}
	if !overdue.Overdue || *overdue.DaysLeft >= 0 || soon.Overdue || *soon.DaysLeft < 0 || *soon.DaysLeft > 7 || *fresh.DaysLeft < 27 {
		t.Errorf("daysLeft: overdue %d (%v), soon %d, fresh %d", *overdue.DaysLeft, overdue.Overdue, *soon.DaysLeft, *fresh.DaysLeft)
	}
	if overdue.Note == nil || *overdue.Note != "asked twice" || overdue.Channel != "EMAIL" || overdue.Kind != "ACCESS" {
		t.Errorf("recorded %+v", overdue)
	}

	// The report: by due date, the filters.
	open := map[string]any{"status": []string{"OPEN", "EXTENDED"}}
	report := rightsReport(t, api, open, 100, "")
	if got := report.ids(mine...); !slices.Equal(got, mine) {
		t.Errorf("open requests in order %v, want %v (by due date)", got, mine)
	}
	for k := 1; k < len(report.Edges); k++ {
		if report.Edges[k-1].Node.DueAt > report.Edges[k].Node.DueAt {
			t.Errorf("report not ordered by due date at %d: %s > %s", k, report.Edges[k-1].Node.DueAt, report.Edges[k].Node.DueAt)
		}
	}
	for _, c := range []struct {
		filter map[string]any
		want   []string
	}{
		{map[string]any{"overdue": true}, []string{overdue.ID}},
		{map[string]any{"overdue": false, "status": []string{"OPEN"}}, []string{soon.ID, fresh.ID}},
		{map[string]any{"dueWithinDays": 7}, []string{overdue.ID, soon.ID}},
		{map[string]any{"dueWithinDays": 7, "overdue": false}, []string{soon.ID}},
		{map[string]any{"kind": []string{"RECTIFICATION", "OBJECTION"}}, []string{soon.ID, fresh.ID}},
	} {
		p := rightsReport(t, api, c.filter, 100, "")
		if got := p.ids(mine...); !slices.Equal(got, c.want) || p.TotalCount < len(c.want) {
			t.Errorf("filter %v: %v (total %d), want %v", c.filter, got, p.TotalCount, c.want)
		}
		for _, e := range p.Edges {
			if o, ok := c.filter["overdue"].(bool); ok && e.Node.Overdue != o {
				t.Errorf("filter %v returned %+v", c.filter, e.Node)
			}
		}
	}
	// Paging: two at a time, nothing twice, the total is what was paged.
	var paged []string
	after := ""
	total := -1
	for page := 0; page < 100; page++ {
		p := rightsReport(t, api, open, 2, after)
		total = p.TotalCount
		for _, e := range p.Edges {
			paged = append(paged, e.Node.ID)
		}
		if !p.PageInfo.HasNextPage {
			break
		}
		after = *p.PageInfo.EndCursor
	}
	sorted := slices.Clone(paged)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(paged) || len(paged) != total || !slices.Equal(rightsPage{Edges: edgesOf(paged)}.ids(mine...), mine) {
		t.Errorf("paging: %d ids (total %d): %v", len(paged), total, paged)
	}

	// Extension: once, with a reason, within the month.
	if res := api.call(secretariat, mExtendRights, map[string]any{"id": fresh.ID, "reason": "  "}); res.code != "BAD_USER_INPUT" || res.field != "reason" {
		t.Errorf("extension without a reason: %s %s", res.code, res.field)
	}
	if res := api.call(secretariat, mExtendRights, map[string]any{"id": overdue.ID, "reason": "complex"}); res.code != "CONFLICT" || res.status != "OPEN" {
		t.Errorf("extension after the month: %s %s", res.code, res.status)
	}
	extended := decodeRights(t, api.call(secretariat, mExtendRights, map[string]any{"id": fresh.ID, "reason": "many records to collect"}), "extendRightsRequest")
	due3 := bridge.RightsDueAt(receivedNew, true)
	if extended.Status != "EXTENDED" || extended.DueAt != due3.Format(time.RFC3339) || *extended.DaysLeft != calendarDaysLeft(due3) ||
		extended.ExtendedAt == nil || extended.ExtensionReason == nil || *extended.ExtensionReason != "many records to collect" {
		t.Errorf("extended: %+v; want due %s", extended, due3.Format(time.RFC3339))
	}
	if res := api.call(secretariat, mExtendRights, map[string]any{"id": fresh.ID, "reason": "again"}); res.code != "CONFLICT" || res.status != "EXTENDED" {
		t.Errorf("second extension: %s %s", res.code, res.status)
	}

	// Closing: a rejection gives its reason; a closed request stays closed.
	if res := api.call(secretariat, mCloseRights, map[string]any{"id": soon.ID, "outcome": "REJECTED"}); res.code != "BAD_USER_INPUT" || res.field != "note" {
		t.Errorf("rejection without a reason: %s %s", res.code, res.field)
	}
	rejected := decodeRights(t, api.call(secretariat, mCloseRights, map[string]any{"id": soon.ID, "outcome": "REJECTED", "note": "not our data"}), "closeRightsRequest")
	if rejected.Status != "REJECTED" || rejected.Outcome == nil || *rejected.Outcome != "REJECTED" || rejected.ClosedAt == nil ||
		rejected.DaysLeft != nil || rejected.Overdue || rejected.ClosingNote == nil {
		t.Errorf("rejected: %+v", rejected)
	}
	if res := api.call(secretariat, mCloseRights, map[string]any{"id": soon.ID, "outcome": "FULFILLED"}); res.code != "CONFLICT" || res.status != "REJECTED" {
		t.Errorf("closing twice: %s %s", res.code, res.status)
	}
	if res := api.call(secretariat, mExtendRights, map[string]any{"id": soon.ID, "reason": "x"}); res.code != "CONFLICT" {
		t.Errorf("extending a closed request: %s", res.code)
	}
	closed := decodeRights(t, api.call(secretariat, mCloseRights, map[string]any{"id": overdue.ID, "outcome": "FULFILLED"}), "closeRightsRequest")
	if closed.Status != "FULFILLED" || closed.DaysLeft != nil || closed.Overdue {
		t.Errorf("fulfilled: %+v", closed)
	}
	if p := rightsReport(t, api, map[string]any{"overdue": true}, 100, ""); len(p.ids(mine...)) != 0 {
		t.Errorf("a closed request is still overdue: %v", p.ids(mine...))
	}
	if got := decodeRights(t, api.call(secretariat, qRightsRequest, map[string]any{"id": closed.ID}), "rightsRequest"); got.Status != "FULFILLED" {
		t.Errorf("rightsRequest(id): %+v", got)
	}
	if res := api.call(as(rita), qRightsRequest, map[string]any{"id": closed.ID}); res.code != "FORBIDDEN" {
		t.Errorf("a member reads a rights request: %s", res.code)
	}
	// node(id:) answers the register's readers and gives anyone else null, as for a missing id.
	qNode := `query($id: ID!) { node(id: $id) { id ... on RightsRequest { status } } }`
	if res := api.call(secretariat, qNode, map[string]any{"id": closed.ID}); res.code != "" || !strings.Contains(string(res.data["node"]), `"status":"FULFILLED"`) {
		t.Errorf("node(id) of a rights request for the secretariat: %s", res.raw)
	}
	for _, who := range []bridge.Principal{as(rita), bridge.Anonymous} {
		for _, id := range []string{closed.ID, bridge.GlobalID("RightsRequest", uuid.NewString())} {
			if res := api.call(who, qNode, map[string]any{"id": id}); res.code != "" || string(res.data["node"]) != "null" {
				t.Errorf("node(id) of a rights request for %s: %s", who.Role, res.raw)
			}
		}
	}
	for _, m := range []string{mExtendRights, mCloseRights} {
		if res := api.call(as(rita), m, map[string]any{"id": fresh.ID, "reason": "x", "outcome": "FULFILLED"}); res.code != "FORBIDDEN" {
			t.Errorf("a member changes a rights request: %s", res.code)
		}
	}
	missing := bridge.GlobalID("RightsRequest", uuid.NewString())
	if res := api.call(secretariat, mCloseRights, map[string]any{"id": missing, "outcome": "FULFILLED"}); res.code != "NOT_FOUND" {
		t.Errorf("closing an unknown request: %s", res.code)
	}

	// Bad input names its field.
	future := now.Add(time.Hour)
	for _, c := range []struct {
		vars  map[string]any
		field string
	}{
		{recordVars(rita, "ACCESS", "EMAIL", future, ""), "input.receivedAt"},
		{recordVars(rita, "ACCESS", "SELF_SERVICE", now, ""), "input.channel"},
		{recordVars(rita, "ACCESS", "EMAIL", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), ""), "input.receivedAt"},
		{recordVars(uuid.NewString(), "ACCESS", "EMAIL", now, ""), "input.personId"},
		{recordVars(rita, "ACCESS", "EMAIL", now, strings.Repeat("x", bridge.MaxRightsNote+1)), "input.note"},
		{map[string]any{"in": map[string]any{"personId": "not-an-id", "kind": "ACCESS", "channel": "EMAIL", "receivedAt": now.Format(time.RFC3339)}}, "input.personId"},
		{map[string]any{"in": map[string]any{"personId": gid("Person", rita), "kind": "ACCESS", "channel": "EMAIL", "receivedAt": "yesterday"}}, "input.receivedAt"},
	} {
		if res := api.call(secretariat, mRecordRights, c.vars); res.code != "BAD_USER_INPUT" || res.field != c.field {
			t.Errorf("%v: %s at %q, want BAD_USER_INPUT at %s", c.vars, res.code, res.field, c.field)
		}
	}
	if res := api.call(secretariat, qRightsReport, map[string]any{"f": map[string]any{"dueWithinDays": -1}, "first": 10}); res.code != "BAD_USER_INPUT" || res.field != "filter.dueWithinDays" {
		t.Errorf("negative dueWithinDays: %s %s", res.code, res.field)
	}
	if res := api.call(secretariat, qRightsReport, map[string]any{"first": 10, "after": bridge.Cursor("x")}); res.code != "BAD_USER_INPUT" || res.field != "after" {
		t.Errorf("bad cursor: %s %s", res.code, res.field)
	}

	// Every act of the secretariat is in the audit log, with ids only.
	events := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"RECORD_RIGHTS_REQUEST", "EXTEND_RIGHTS_REQUEST", "CLOSE_RIGHTS_REQUEST"},
		TargetIDs: []string{rita, sven}})
	keys := keysOf(t, mine)
	counts := map[string]int{}
	for _, e := range events {
		if !slices.ContainsFunc(keys, func(id string) bool { return strings.Contains(e.Detail, id) }) {
			continue // about a request of another test
		}
		counts[e.Action]++
		if d := e.Detail; strings.Contains(d, "asked twice") || strings.Contains(d, "not our data") {
			t.Errorf("free text in an audit event: %s", d)
		}
	}
	if counts["RECORD_RIGHTS_REQUEST"] != 3 || counts["EXTEND_RIGHTS_REQUEST"] != 1 || counts["CLOSE_RIGHTS_REQUEST"] != 2 {
		t.Errorf("audit events of the register: %v", counts)
	}
}

func edgesOf(ids []string) []struct {
	Cursor string
	Node   rightsView
} {
	out := make([]struct {
		Cursor string
		Node   rightsView
	}, len(ids))
	for i, id := range ids {
		out[i].Node.ID = id
	}
	return out
}

func keysOf(t *testing.T, globalIDs []string) []string {
	t.Helper()
	out := make([]string, len(globalIDs))
	for i, id := range globalIDs {
		_, key, err := bridge.ParseGlobalID(nil, id)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = key
	}
	return out
}

// selfServiceRights reads the register entries of a person from the graph: kind/channel/status.
func selfServiceRights(t *testing.T, personID string) []string {
	var out []string
	for _, r := range fx.RightsRequestsConcerning(t, personID) {
		k := r.Kind + "/" + r.Channel + "/" + r.Status
		if !r.FulfilledAtOnce {
			t.Errorf("%s: not received and fulfilled at once", k)
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestSelfServiceRightsActsAreRecorded: the app's own export, pause and erasure each record a
// request received and fulfilled at once, in the act's transaction.
func TestSelfServiceRightsActsAreRecorded(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Ulla"), openPerson("Vidar"))
	ulla, vidar := ids[0], ids[1]
	api := newTestAPI(t, envProduction, nil)

	res := api.call(as(ulla), `mutation { exportMyData { document } }`, nil)
	if res.code != "" {
		t.Fatalf("export: %s", res.code)
	}
	var exp struct {
		Document struct {
			Format         string
			RightsRequests []struct{ ID, Kind, Channel, Status, ReceivedAt, ClosedAt string }
		}
	}
	if err := json.Unmarshal(res.data["exportMyData"], &exp); err != nil {
		t.Fatal(err)
	}
	if got := exp.Document.RightsRequests; len(got) != 1 || got[0].Kind != "ACCESS" || got[0].Channel != "SELF_SERVICE" ||
		got[0].Status != "FULFILLED" || got[0].ClosedAt == "" || exp.Document.Format != bridge.ExportFormat {
		t.Errorf("the export lists its own request: %+v", exp.Document)
	}
	if got := selfServiceRights(t, ulla); !slices.Equal(got, []string{"ACCESS/SELF_SERVICE/FULFILLED"}) {
		t.Errorf("after the export: %v", got)
	}
	// The secretariat sees it in the register.
	v := decodeRights(t, api.call(secretariat, qRightsRequest, map[string]any{"id": bridge.GlobalID("RightsRequest", exp.Document.RightsRequests[0].ID)}), "rightsRequest")
	if v.Status != "FULFILLED" || v.Channel != "SELF_SERVICE" || v.Person == nil || v.Person.ID != gid("Person", ulla) || v.DaysLeft != nil {
		t.Errorf("the register's view: %+v", v)
	}

	for _, m := range []string{`mutation { pauseMyProfile { paused } }`, `mutation { pauseMyProfile { paused } }`, `mutation { resumeMyProfile { paused } }`} {
		if res := api.call(as(ulla), m, nil); res.code != "" {
			t.Fatalf("%s: %s", m, res.code)
		}
	}
	if got := selfServiceRights(t, ulla); !slices.Equal(got, []string{"ACCESS/SELF_SERVICE/FULFILLED", "RESTRICTION/SELF_SERVICE/FULFILLED"}) {
		t.Errorf("after pause, pause again and resume: %v (want one restriction)", got)
	}

	anonymousErasures := func() []string {
		var out []string
		for _, id := range fx.AnonymousSelfServiceErasures(t) {
			out = append(out, bridge.GlobalID("RightsRequest", id))
		}
		return out
	}
	before := anonymousErasures()
	res = api.call(as(vidar), `mutation { eraseMyProfile { rightsRequestsKept } }`, nil)
	if res.code != "" || !strings.Contains(string(res.data["eraseMyProfile"]), `"rightsRequestsKept":1`) {
		t.Fatalf("erase: %s %s", res.code, res.data["eraseMyProfile"])
	}
	var added []string
	for _, id := range anonymousErasures() {
		if !slices.Contains(before, id) {
			added = append(added, id)
		}
	}
	forgetRights(t, &added)
	if len(added) != 1 {
		t.Errorf("%d new anonymous, fulfilled self-service ERASURE requests, want 1", len(added))
	}
}

// TestErasePersonClosesItsRightsRequest: erasePerson with a rightsRequestId closes that request
// as fulfilled in the erasure's transaction, and the register keeps it without the person, the
// notes or anything else that identifies them; wrong requests change nothing.
func TestErasePersonClosesItsRightsRequest(t *testing.T) {
	tag := strings.ToLower(uuid.NewString()[:8])
	ids, domain := introFixture(t, openPerson("Wilma"+tag), openPerson("Xaver"))
	wilma, xaver := ids[0], ids[1]
	email := "wilma" + tag + ".0@" + domain
	api := newTestAPI(t, envProduction, nil)
	var created []string
	forgetRights(t, &created)
	now := time.Now().UTC()

	erasure := decodeRights(t, api.call(secretariat, mRecordRights, recordVars(wilma, "ERASURE", "LETTER", now.AddDate(0, 0, -3),
		"Letter from Wilma"+tag+" <"+email+">, signed")), "recordRightsRequest")
	access := decodeRights(t, api.call(secretariat, mRecordRights, recordVars(wilma, "PORTABILITY", "EMAIL", now.AddDate(0, 0, -2), "")), "recordRightsRequest")
	created = append(created, erasure.ID, access.ID)
	erase := `mutation($id: ID!, $rr: ID) { erasePerson(id: $id, rightsRequestId: $rr) { introductionsAnonymised rightsRequestsKept } }`
	export := `mutation($id: ID!, $rr: ID) { exportPersonData(id: $id, rightsRequestId: $rr) { exportedAt } }`

	// Wrong requests: nothing happens.
	for _, c := range []struct {
		q, person, rr, code, field string
	}{
		{erase, wilma, access.ID, "BAD_USER_INPUT", "rightsRequestId"},            // a portability request does not ask for erasure
		{erase, xaver, erasure.ID, "BAD_USER_INPUT", "rightsRequestId"},           // another person's request
		{export, wilma, erasure.ID, "BAD_USER_INPUT", "rightsRequestId"},          // an erasure request is not answered by an export
		{erase, wilma, gid("Person", xaver), "BAD_USER_INPUT", "rightsRequestId"}, // not a request id
		{erase, wilma, bridge.GlobalID("RightsRequest", uuid.NewString()), "BAD_USER_INPUT", "rightsRequestId"},
	} {
		res := api.call(secretariat, c.q, map[string]any{"id": gid("Person", c.person), "rr": c.rr})
		if res.code != c.code || res.field != c.field {
			t.Errorf("%s of %s with %s: %s %s, want %s %s", c.q[:20], c.person, c.rr, res.code, res.field, c.code, c.field)
		}
	}
	if !emailSeen(api, secretariat, wilma) || !emailSeen(api, secretariat, xaver) {
		t.Fatal("a refused erasure erased someone")
	}
	if res := api.call(as(wilma), erase, map[string]any{"id": gid("Person", wilma), "rr": erasure.ID}); res.code != "FORBIDDEN" {
		t.Errorf("a member calls erasePerson: %s", res.code)
	}

	// The export closes the portability request, once.
	if res := api.call(secretariat, export, map[string]any{"id": gid("Person", wilma), "rr": access.ID}); res.code != "" {
		t.Fatalf("export: %s %s", res.code, res.field)
	}
	if v := decodeRights(t, api.call(secretariat, qRightsRequest, map[string]any{"id": access.ID}), "rightsRequest"); v.Status != "FULFILLED" || v.ClosedAt == nil {
		t.Errorf("after the export: %+v", v)
	}
	if res := api.call(secretariat, export, map[string]any{"id": gid("Person", wilma), "rr": access.ID}); res.code != "CONFLICT" || res.status != "FULFILLED" {
		t.Errorf("a second export on the same request: %s %s", res.code, res.status)
	}

	needles := []string{"wilma" + tag, email}
	if len(fx.ValuesContaining(t, needles...)) == 0 {
		t.Fatal("the scan does not find the person before erasure: it would prove nothing after")
	}
	res := api.call(secretariat, erase, map[string]any{"id": gid("Person", wilma), "rr": erasure.ID})
	if res.code != "" || !strings.Contains(string(res.data["erasePerson"]), `"rightsRequestsKept":2`) {
		t.Fatalf("erase: %s %s %s", res.code, res.field, res.data["erasePerson"])
	}
	v := decodeRights(t, api.call(secretariat, qRightsRequest, map[string]any{"id": erasure.ID}), "rightsRequest")
	if v.Status != "FULFILLED" || v.Outcome == nil || *v.Outcome != "FULFILLED" || v.ClosedAt == nil || v.Person != nil || !v.Anonymised ||
		v.Note != nil || v.Kind != "ERASURE" || v.Channel != "LETTER" || v.ReceivedAt == "" {
		t.Errorf("the erasure request after the erasure: %+v", v)
	}
	if found := fx.ValuesContaining(t, needles...); len(found) > 0 {
		t.Errorf("the erased person's name or e-mail is still in the graph (the note?): %v", found)
	}
	if entries := fx.RightsRequests(t, keysOf(t, created)); len(entries) != 2 {
		t.Errorf("the register lost requests: %+v", entries)
	} else {
		for _, r := range entries {
			if r.Linked || slices.Contains(r.Properties, "note") {
				t.Errorf("an erased person's request still links or notes: %+v", r)
			}
		}
	}
	if res := api.call(secretariat, mCloseRights, map[string]any{"id": erasure.ID, "outcome": "REJECTED", "note": "x"}); res.code != "CONFLICT" {
		t.Errorf("closing the fulfilled erasure request again: %s", res.code)
	}
	if closes := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"CLOSE_RIGHTS_REQUEST"}, TargetIDs: []string{wilma}}); len(closes) != 2 {
		t.Errorf("%d CLOSE_RIGHTS_REQUEST events, want 2 (export and erasure)", len(closes))
	}
}

type auditView struct {
	ID, At, Action, ActorRole string
	ActorID, TargetID         *string
	RequestID, Detail         *string
}

const qAuditEvents = `query($f: AuditEventFilter, $first: Int!, $after: String) {
  auditEvents(filter: $f, first: $first, after: $after) {
    totalCount edges { cursor node { id at action actorRole actorId targetId requestId detail } } pageInfo { hasNextPage endCursor } } }`

type auditPage struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   auditView
	}
	PageInfo struct {
		HasNextPage bool
		EndCursor   *string
	}
}

func readAudit(t *testing.T, a *api, who bridge.Principal, filter map[string]any, first int, after string) auditPage {
	t.Helper()
	vars := map[string]any{"f": filter, "first": first}
	if after != "" {
		vars["after"] = after
	}
	res := a.call(who, qAuditEvents, vars)
	if res.code != "" {
		t.Fatalf("auditEvents %v: %s %s", filter, res.code, res.field)
	}
	var p auditPage
	if err := json.Unmarshal(res.data["auditEvents"], &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAuditLogIsReadByAdminsOnlyAndEveryReadIsAudited: only an administrator reads the log,
// newest first and paged; each read is an AUDIT_READ event that the next read shows.
func TestAuditLogIsReadByAdminsOnlyAndEveryReadIsAudited(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Yrsa"))
	yrsa := ids[0]
	api := newTestAPI(t, envProduction, nil)
	admin := bridge.Principal{Role: bridge.RoleAdmin, PersonID: uuid.NewString()}
	clerk := bridge.Principal{Role: bridge.RoleSecretariat, PersonID: uuid.NewString()}

	for who, want := range map[bridge.Role]string{bridge.RoleAnonymous: "UNAUTHENTICATED", bridge.RoleMember: "FORBIDDEN", bridge.RoleSecretariat: "FORBIDDEN"} {
		p := bridge.Principal{Role: who, PersonID: yrsa}
		if who == bridge.RoleAnonymous {
			p = bridge.Anonymous
		}
		res := api.call(p, qAuditEvents, map[string]any{"first": 5})
		if res.code != want || strings.Contains(res.raw, "edges") {
			t.Errorf("%s reads the audit log: %s %s", who, res.code, res.raw)
		}
	}
	n := 0
	for _, e := range fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"AUDIT_READ"}}) {
		if e.ActorRole != "" && e.ActorRole != "ADMIN" { // as Cypher's <> (an absent role is no answer)
			n++
		}
	}
	if n != 0 {
		t.Errorf("%v refused reads were recorded as reads", n)
	}

	// Events about the person: two exports by the secretariat, newest first.
	for range 2 {
		if res := api.call(clerk, `mutation($id: ID!) { exportPersonData(id: $id) { exportedAt } }`, map[string]any{"id": gid("Person", yrsa)}); res.code != "" {
			t.Fatal(res.code)
		}
	}
	about := map[string]any{"personId": gid("Person", yrsa)}
	p := readAudit(t, api, admin, about, 50, "")
	if p.TotalCount != 2 || len(p.Edges) != 2 {
		t.Fatalf("events about the person: %+v", p)
	}
	for k, e := range p.Edges {
		n := e.Node
		if n.Action != "EXPORT" || n.ActorRole != "SECRETARIAT" || n.ActorID == nil || *n.ActorID != gid("Person", clerk.PersonID) ||
			n.TargetID == nil || *n.TargetID != gid("Person", yrsa) || n.RequestID == nil || *n.RequestID == "" || n.ID == "" {
			t.Errorf("event %d: %+v", k, n)
		}
		if k > 0 && p.Edges[k-1].Node.At < n.At {
			t.Errorf("not newest first: %s before %s", p.Edges[k-1].Node.At, n.At)
		}
	}
	// Paging: one at a time gives the same two.
	first := readAudit(t, api, admin, about, 1, "")
	second := readAudit(t, api, admin, about, 1, *first.PageInfo.EndCursor)
	if !first.PageInfo.HasNextPage || second.PageInfo.HasNextPage || len(second.Edges) != 1 ||
		first.Edges[0].Node.ID != p.Edges[0].Node.ID || second.Edges[0].Node.ID != p.Edges[1].Node.ID {
		t.Errorf("paging: %+v then %+v", first, second)
	}

	// The reads so far (3) are in the log now, by this admin, with the filter; a read does not
	// list itself, the next one does.
	mine := map[string]any{"action": "AUDIT_READ", "actorId": gid("Person", admin.PersonID)}
	reads := readAudit(t, api, admin, mine, 50, "")
	if reads.TotalCount != 3 {
		t.Fatalf("AUDIT_READ events of this admin: %d, want 3 (the read itself not yet)", reads.TotalCount)
	}
	for _, e := range reads.Edges {
		n := e.Node
		if n.ActorRole != "ADMIN" || n.TargetID != nil || n.Detail == nil || !strings.Contains(*n.Detail, "personId="+yrsa) ||
			n.RequestID == nil || *n.RequestID == "" {
			t.Errorf("AUDIT_READ event: %+v", n)
		}
	}
	if d := *reads.Edges[0].Node.Detail; !strings.Contains(d, "first=1") || !strings.Contains(d, "after=cursor") {
		t.Errorf("the newest read's detail %q: want the page it asked for", d)
	}
	again := readAudit(t, api, admin, mine, 50, "")
	if again.TotalCount != 4 || !strings.Contains(*again.Edges[0].Node.Detail, "action=AUDIT_READ") {
		t.Errorf("the previous read is not in the log: %d, newest %+v", again.TotalCount, again.Edges[0].Node)
	}
	since := readAudit(t, api, admin, map[string]any{"actorId": gid("Person", admin.PersonID), "since": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
		"until": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, 50, "")
	if since.TotalCount != 5 {
		t.Errorf("reads within the hour: %d, want 5", since.TotalCount)
	}

	// Bad filters name their field, and are not read; an action outside the enum AuditAction is a
	// variable of the wrong type, refused before any resolver runs.
	if res := api.call(admin, qAuditEvents, map[string]any{"f": map[string]any{"action": "read contact"}, "first": 5}); res.code != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("action outside the enum: %s", res.raw)
	}
	for _, c := range []struct {
		vars  map[string]any
		field string
	}{
		{map[string]any{"f": map[string]any{"since": "yesterday"}, "first": 5}, "filter.since"},
		{map[string]any{"f": map[string]any{"personId": "nope"}, "first": 5}, "filter.personId"},
		{map[string]any{"f": map[string]any{"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "first": 5}, "filter.until"},
		{map[string]any{"first": 0}, "first"},
		{map[string]any{"first": 5, "after": bridge.Cursor("1/2")}, "after"},
	} {
		if res := api.call(admin, qAuditEvents, c.vars); res.code != "BAD_USER_INPUT" || res.field != c.field {
			t.Errorf("%v: %s %q, want BAD_USER_INPUT at %s", c.vars, res.code, res.field, c.field)
		}
	}
	if final := readAudit(t, api, admin, mine, 50, ""); final.TotalCount != 6 {
		t.Errorf("refused reads were recorded: %d AUDIT_READ events, want 6", final.TotalCount)
	}

	// node(id:) of an event: the administrator reads it, audited like any read of the log; anyone
	// else gets null exactly as for an id that does not exist, and nothing is recorded for them.
	qNode := `query($id: ID!) { node(id: $id) { id ... on AuditEvent { action at actorRole } } }`
	if res := api.call(admin, qNode, map[string]any{"id": p.Edges[0].Node.ID}); res.code != "" ||
		!strings.Contains(string(res.data["node"]), `"action":"EXPORT"`) || !strings.Contains(string(res.data["node"]), `"actorRole":"SECRETARIAT"`) {
		t.Errorf("node(id) of an audit event for an admin: %s", res.raw)
	}
	for _, who := range []bridge.Principal{clerk, {Role: bridge.RoleMember, PersonID: yrsa}, bridge.Anonymous} {
		var raws []string
		for _, id := range []string{p.Edges[0].Node.ID, bridge.GlobalID("AuditEvent", uuid.NewString())} {
			res := api.call(who, qNode, map[string]any{"id": id})
			raws = append(raws, res.raw)
			if res.code != "" || string(res.data["node"]) != "null" {
				t.Errorf("node(id) of an audit event for %s: %s", who.Role, res.raw)
			}
		}
		if raws[0] != raws[1] {
			t.Errorf("node(id) of an audit event for %s tells an event from a missing id: %s vs %s", who.Role, raws[0], raws[1])
		}
	}

	if last := readAudit(t, api, admin, mine, 1, ""); last.TotalCount != 8 || !strings.HasPrefix(*last.Edges[0].Node.Detail, "id=") {
		t.Errorf("the node(id) read is not in the log as the newest of 8: %d, newest %+v", last.TotalCount, last.Edges[0].Node)
	}
}
