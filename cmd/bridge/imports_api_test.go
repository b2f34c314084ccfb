package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// The secretariat's import through the API (checkImport, applyImport), per role, against the
// real handler and Neo4j.

const importAPIDomain = "@imp-api.example.org"

const (
	qCheckImport = `query($kind: ImportKind!, $csv: String!, $mapping: [ColumnMapping!]) {
  checkImport(kind: $kind, csv: $csv, mapping: $mapping) {
    columns { index header column } knownColumns rowCount problemCount
    problems { line column reason suggestions { value label } } } }`
	mApplyImport = `mutation($kind: ImportKind!, $csv: String!, $mapping: [ColumnMapping!]) {
  applyImport(kind: $kind, csv: $csv, mapping: $mapping) { created updated unchanged skipped } }`
)

type importCheckView struct {
	Columns []struct {
		Index  int
		Header string
		Column *string
	}
	RowCount, ProblemCount int
	Problems               []struct {
		Line        int
		Column      *string
		Reason      string
		Suggestions []struct{ Value, Label string }
	}
}

func TestImportAPI(t *testing.T) {
	api := newTestAPI(t, envProduction, nil)
	since := time.Now().UTC().Add(-time.Second)
	clean := func() {
		fx.DeletePeople(t, importAPIDomain)
		fx.DeleteAuditEvents(t, fx.AuditFilter{Actions: []string{"IMPORT"}, Since: since})
	}
	clean()
	t.Cleanup(clean)
	bad := "E-mail,Given name,Family name,Country,Kommun,Themes\n" +
		"ada" + importAPIDomain + ",Ada,Import (example),SE,Malmö,Hälsa:OFFERS\n" +
		"bo" + importAPIDomain + ",Bo,Import (example),SE,Malmo,health:SEEKS\n"
	mapping := []map[string]any{{"index": 0, "column": "email"}, {"index": 1, "column": "given_name"},
		{"index": 2, "column": "family_name"}, {"index": 3, "column": "country"}, {"index": 4, "column": "municipality"},
		{"index": 5, "column": "themes"}}
	vars := map[string]any{"kind": "PEOPLE", "csv": bad, "mapping": mapping}

	// Only the secretariat checks or applies.
	for _, who := range []bridge.Principal{anonymous, member} {
		want := map[bool]string{true: "UNAUTHENTICATED", false: "FORBIDDEN"}[who.Role == bridge.RoleAnonymous]
		for _, q := range []string{qCheckImport, mApplyImport} {
			if res := api.call(who, q, vars); res.code != want {
				t.Errorf("%s: %s, want %s (%s)", who.Role, res.code, want, res.raw)
			}
		}
	}

	// Automatic mapping: "Kommun" is not a column, and the check says so on line 1.
	res := api.call(secretariat, qCheckImport, map[string]any{"kind": "PEOPLE", "csv": bad})
	var auto importCheckView
	if res.code != "" || json.Unmarshal(res.data["checkImport"], &auto) != nil {
		t.Fatalf("check: %s", res.raw)
	}
	if auto.ProblemCount != 1 || auto.Problems[0].Line != 1 || auto.Columns[4].Column != nil || *auto.Columns[0].Column != "email" {
		t.Fatalf("automatic mapping: %+v", auto)
	}

	// Mapped: the misspelt municipality on line 3, with its suggestion.
	res = api.call(secretariat, qCheckImport, vars)
	var check importCheckView
	if res.code != "" || json.Unmarshal(res.data["checkImport"], &check) != nil {
		t.Fatalf("check: %s", res.raw)
	}
	if check.RowCount != 2 || check.ProblemCount != 1 || check.Problems[0].Line != 3 || *check.Problems[0].Column != "municipality" ||
		len(check.Problems[0].Suggestions) == 0 || check.Problems[0].Suggestions[0].Value != "SE-1280" {
		t.Fatalf("check: %+v", check)
	}
	if strings.Contains(res.raw, "bo"+importAPIDomain) {
		t.Errorf("a check repeats an e-mail address: %s", res.raw)
	}

	// Applying a file with a problem writes nothing.
	if res := api.call(secretariat, mApplyImport, vars); res.code != "BAD_USER_INPUT" || res.field != "csv" {
		t.Fatalf("apply bad file: %s", res.raw)
	}
	if n := len(fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"IMPORT"}, Since: since})); n != 0 {
		t.Errorf("a refused import was audited %d times", n)
	}

	// Fixed, it writes both rows in one go, audited; applying again changes nothing.
	vars["csv"] = strings.Replace(bad, ",Malmo,", ",SE-1280,", 1)
	for i, want := range []string{`{"created":2,"updated":0,"unchanged":0,"skipped":0}`, `{"created":0,"updated":0,"unchanged":2,"skipped":0}`} {
		res := api.call(secretariat, mApplyImport, vars)
		if res.code != "" || string(res.data["applyImport"]) != want {
			t.Fatalf("apply %d: %s, want %s", i, res.raw, want)
		}
	}
	events := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"IMPORT"}, Since: since})
	if len(events) != 2 || events[0].ActorRole != "SECRETARIAT" || events[0].Detail != "people: created 2, updated 0, unchanged 0, skipped 0" {
		t.Errorf("audit: %+v", events)
	}

	// A bad kind and a bad mapping name their argument.
	if res := api.call(secretariat, qCheckImport, map[string]any{"kind": "PEOPLE", "csv": bad,
		"mapping": []map[string]any{{"index": 0}, {"index": 0}}}); res.code != "BAD_USER_INPUT" || !strings.HasPrefix(res.field, "mapping") {
		t.Errorf("repeated index: %s", res.raw)
	}
}
