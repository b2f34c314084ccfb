package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/csvio"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The example files, and the addresses and ids these tests import (and remove again).
const (
	examplePeople        = "../../examples/people.csv"
	exampleOrganisations = "../../examples/organisations.csv"
	exampleDomain        = "@nordic.example.org"
	cmdTestDomain        = "@imp-cmd.example.org"
)

// cmdTestSetup prepares the test server (schema and reference data) and removes what these tests
// import, before and after the test.
func cmdTestSetup(t *testing.T) (*neo4jstore.Store, context.Context) {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	since := time.Now().UTC().Add(-time.Second)
	clean := func() {
		fx.DeletePeople(t, exampleDomain)
		fx.DeletePeople(t, cmdTestDomain)
		fx.RemoveOrganisations(t, "example-")
		fx.DeleteAuditEvents(t, fx.AuditFilter{Actions: []string{"EXPORT_PEOPLE"}, Actor: "cli", Since: since})
	}
	clean()
	t.Cleanup(clean)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return store, ctx
}

// bridgeRun runs the bridge command line against the test server, as main does.
func bridgeRun(t *testing.T, ctx context.Context, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cfg := testneo4j.Config(t)
	env := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_USER": cfg.User, "NEO4J_PASSWORD": cfg.Password}
	var out, errOut bytes.Buffer
	err = run(ctx, args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func mustRun(t *testing.T, ctx context.Context, args ...string) (string, string) {
	t.Helper()
	out, errOut, err := bridgeRun(t, ctx, args...)
	if err != nil {
		t.Fatalf("bridge %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out, errOut
}

// ownRows reads an export and keeps the header and the rows whose first cell (email or id)
// matches.
func ownRows(t *testing.T, data []byte, keep func(first string) bool) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := [][]string{recs[0]}
	for _, r := range recs[1:] {
		if keep(r[0]) {
			out = append(out, r)
		}
	}
	return out
}

func writeCSV(t *testing.T, path string, recs [][]string) {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestImportExportExamplesEndToEnd drives the commands as an operator would: import the example
// organisations and people, import again (nothing changes), skip a confirmed profile, export,
// delete, import the export, and export again (the same rows).
func TestImportExportExamplesEndToEnd(t *testing.T) {
	store, ctx := cmdTestSetup(t)

	out, errOut := mustRun(t, ctx, "import", "organisations", exampleOrganisations)
	if !strings.Contains(out, "10 rows imported in one transaction: 10 created, 0 updated, 0 unchanged (") {
		t.Fatalf("stdout: %s", out)
	}
	if strings.Contains(errOut, "\r") {
		t.Fatalf("progress drawn on a non-terminal: %q", errOut)
	}
	out, _ = mustRun(t, ctx, "import", "people", examplePeople)
	if !strings.Contains(out, "20 rows imported in one transaction: 20 created, 0 updated, 0 unchanged, 0 skipped") {
		t.Fatalf("stdout: %s", out)
	}
	before, err := store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out, _ = mustRun(t, ctx, "import", "people", examplePeople)
	if !strings.Contains(out, "0 created, 0 updated, 20 unchanged, 0 skipped") {
		t.Fatalf("second import: %s", out)
	}
	out, _ = mustRun(t, ctx, "import", "organisations", exampleOrganisations)
	if !strings.Contains(out, "0 created, 0 updated, 10 unchanged") {
		t.Fatalf("second import: %s", out)
	}
	after, err := store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Nodes != before.Nodes || after.Relationships != before.Relationships {
		t.Fatalf("importing again changed the graph: %+v -> %+v", before, after)
	}

	// A profile its owner confirmed is not overwritten, and the row is reported, not failed.
	fx.ConfirmPerson(t, "astrid.lindqvist"+exampleDomain)
	dir := t.TempDir()
	examples, err := os.ReadFile(examplePeople)
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(dir, "changed.csv")
	edited := strings.ReplaceAll(string(examples), "(example)", "(example - edited)")
	if err := os.WriteFile(changed, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ = mustRun(t, ctx, "import", "people", changed)
	if !strings.Contains(out, changed+":2: skipped: maintained by the person") ||
		!strings.Contains(out, "0 created, 19 updated, 0 unchanged, 1 skipped") {
		t.Fatalf("stdout: %s", out)
	}
	mustRun(t, ctx, "import", "people", examplePeople) // back to the example file

	// Export, keep this test's rows, delete the people, import the export, export again.
	exported := filepath.Join(dir, "people.csv")
	_, errOut = mustRun(t, ctx, "export", "people", "--out", exported)
	if !strings.Contains(errOut, "written to "+exported+" (csv)") {
		t.Fatalf("stderr: %s", errOut)
	}
	if st, err := os.Stat(exported); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v, mode %v; want 0600", err, st.Mode())
	}
	data, _ := os.ReadFile(exported)
	mine := func(email string) bool { return strings.HasSuffix(email, exampleDomain) }
	first := ownRows(t, data, mine)
	if len(first) != 21 {
		t.Fatalf("export has %d example people, want 20", len(first)-1)
	}
	if got := strings.Join(first[0], ","); got != strings.Join(csvio.PeopleColumns(), ",") {
		t.Fatalf("export header %s", got)
	}
	own := filepath.Join(dir, "own.csv")
	writeCSV(t, own, first)

	fx.DeletePeople(t, exampleDomain)
	out, _ = mustRun(t, ctx, "import", "people", own)
	if !strings.Contains(out, "20 created") {
		t.Fatalf("import of the export: %s", out)
	}
	out, _ = mustRun(t, ctx, "export", "people")
	second := ownRows(t, []byte(out), mine)
	if !reflect.DeepEqual(sortedRows(second), sortedRows(first)) {
		t.Fatalf("export → delete → import → export differs:\nfirst  %v\nsecond %v", first, second)
	}

	// The export holds what the example file said, once the municipality codes are keys.
	examplesByEmail := map[string][]string{}
	for _, r := range ownRows(t, examples, mine)[1:] {
		examplesByEmail[r[0]] = r
	}
	for _, r := range second[1:] {
		want := examplesByEmail[r[0]]
		for i, col := range csvio.PeopleColumns() {
			got := strings.TrimPrefix(r[i], "'")
			if col == "municipality" && want[i] != "" && !strings.HasSuffix(got, want[i]) {
				t.Errorf("%s: municipality %q, file said %q", r[0], got, want[i])
			}
			if col != "municipality" && col != "themes" && got != want[i] {
				t.Errorf("%s: %s = %q, file said %q", r[0], col, got, want[i])
			}
		}
	}

	// JSON holds the same rows.
	out, _ = mustRun(t, ctx, "export", "people", "--format", "json")
	var objs []map[string]string
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range objs {
		if mine(o["email"]) {
			n++
			if o["country"] == "" || len(o) != len(csvio.PeopleColumns()) {
				t.Fatalf("JSON object %v", o)
			}
		}
	}
	if n != 20 {
		t.Fatalf("JSON export has %d example people", n)
	}

	// Organisations too: the export of the example organisations imports unchanged.
	out, _ = mustRun(t, ctx, "export", "organisations")
	orgs := filepath.Join(dir, "orgs.csv")
	writeCSV(t, orgs, ownRows(t, []byte(out), func(id string) bool { return strings.HasPrefix(id, "example-") }))
	out, _ = mustRun(t, ctx, "import", "organisations", orgs)
	if !strings.Contains(out, "10 rows imported in one transaction: 0 created, 0 updated, 10 unchanged") {
		t.Fatalf("import of the organisations export: %s", out)
	}
}

func sortedRows(recs [][]string) map[string][]string {
	out := map[string][]string{}
	for _, r := range recs {
		out[r[0]] = r
	}
	return out
}

// TestImportCommandBadFileWritesNothing: one bad row among 1,000 is reported with its line, and
// nothing is written.
func TestImportCommandBadFileWritesNothing(t *testing.T) {
	store, ctx := cmdTestSetup(t)
	var b strings.Builder
	b.WriteString("email,given_name,family_name,country,municipality,themes\n")
	for i := 1; i <= 1000; i++ {
		theme := "health:OFFERS"
		if i == 500 {
			theme = "no-such-theme:OFFERS"
		}
		fmt.Fprintf(&b, "p%04d%s,Test,Person %d (example),SE,1280,%s\n", i, cmdTestDomain, i, theme)
	}
	file := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := store.Counts(ctx)
	out, errOut, err := bridgeRun(t, ctx, "import", "people", file)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("err = %v; stdout %s", err, out)
	}
	wantLine := file + `:501: column themes: unknown theme "no-such-theme"`
	if !strings.Contains(errOut, wantLine) || strings.Count(errOut, file+":") != 2 ||
		!strings.Contains(errOut, file+": 1 error in 1 row") {
		t.Fatalf("stderr:\n%s\nwant the line %q and a summary", errOut, wantLine)
	}
	if strings.Contains(errOut, cmdTestDomain) {
		t.Fatalf("stderr repeats e-mail addresses:\n%s", errOut)
	}
	after, _ := store.Counts(ctx)
	if after.Nodes != before.Nodes || after.Relationships != before.Relationships {
		t.Fatalf("a bad file changed the graph: %+v -> %+v", before, after)
	}

	// Fixed, --dry-run checks it and still writes nothing; without it, all 1,000 are written.
	if err := os.WriteFile(file, []byte(strings.Replace(b.String(), "no-such-theme", "health", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ = mustRun(t, ctx, "import", "people", "--dry-run", file)
	if !strings.Contains(out, "1,000 rows checked, no errors; nothing written (--dry-run)") {
		t.Fatalf("dry run: %s", out)
	}
	if now, _ := store.Counts(ctx); now.Nodes != before.Nodes {
		t.Fatal("--dry-run wrote")
	}
	out, _ = mustRun(t, ctx, "import", "people", file)
	if !strings.Contains(out, "1,000 created") {
		t.Fatalf("stdout: %s", out)
	}
	if now, _ := store.Counts(ctx); now.Nodes != before.Nodes+1000 {
		t.Fatalf("%d nodes, want %d", now.Nodes, before.Nodes+1000)
	}
}

func TestImportExportUsageErrors(t *testing.T) {
	ctx := context.Background()
	env := func(string) string { return "" }
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "want people or organisations and one file"},
		{[]string{"import", "people"}, "want people or organisations and one file"},
		{[]string{"import", "persons", "x.csv"}, "want people or organisations and one file"},
		{[]string{"import", "people", "a.csv", "b.csv"}, "want people or organisations and one file"},
		{[]string{"import", "people", filepath.Join(t.TempDir(), "missing.csv")}, "no such file"},
		{[]string{"export"}, "want people or organisations"},
		{[]string{"export", "people", "--format", "xml"}, `unknown format "xml"`},
		{[]string{"export", "people", "--no-such-flag"}, "flag provided but not defined"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		err := run(ctx, tc.args, env, &out, &errOut)
		if err == nil || !strings.Contains(err.Error()+errOut.String(), tc.want) {
			t.Errorf("bridge %s: err %v, stderr %q; want %q", strings.Join(tc.args, " "), err, errOut.String(), tc.want)
		}
	}
}

func TestParseInterleaved(t *testing.T) {
	for _, args := range [][]string{
		{"people", "--dry-run", "f.csv"}, {"--dry-run", "people", "f.csv"}, {"people", "f.csv", "--dry-run"},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		dry := fs.Bool("dry-run", false, "")
		pos, err := parseInterleaved(fs, args)
		if err != nil || !*dry || !reflect.DeepEqual(pos, []string{"people", "f.csv"}) {
			t.Errorf("%v: %v %v %v", args, pos, *dry, err)
		}
	}
}

// TestRowLimitsAgree: the file limit that validation enforces is the one the store accepts.
func TestRowLimitsAgree(t *testing.T) {
	if csvio.MaxRows != neo4jstore.MaxImportRows {
		t.Fatalf("csvio.MaxRows %d, neo4jstore.MaxImportRows %d", csvio.MaxRows, neo4jstore.MaxImportRows)
	}
}

// TestImportCommandByNames: `bridge import` takes a municipality by its name and a theme by any
// of its labels, and a misspelt name is reported with what it may have meant.
func TestImportCommandByNames(t *testing.T) {
	store, ctx := cmdTestSetup(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	writeCSV(t, bad, [][]string{{"E-mail", "Given name", "Family name", "Country", "Municipality", "Themes"},
		{"names" + cmdTestDomain, "Nora", "Namn (example)", "SE", "Malmo", "Hälsa:OFFERS"}})
	_, errOut, err := bridgeRun(t, ctx, "import", "people", bad)
	if err == nil || !strings.Contains(errOut, bad+`:2: column municipality: unknown municipality "Malmo" in SE`) ||
		!strings.Contains(errOut, `did you mean "SE-1280"?`) {
		t.Fatalf("misspelt name: err %v, stderr %s", err, errOut)
	}
	good := filepath.Join(dir, "good.csv")
	writeCSV(t, good, [][]string{{"E-mail", "Given name", "Family name", "Country", "Municipality", "Themes"},
		{"names" + cmdTestDomain, "Nora", "Namn (example)", "SE", "Malmö", "Hälsa:OFFERS;Reception, introduction and settlement:seeks"}})
	out, _ := mustRun(t, ctx, "import", "people", good)
	if !strings.Contains(out, "1 row imported in one transaction: 1 created") {
		t.Fatalf("stdout: %s", out)
	}
	for after := ""; ; {
		people, err := store.ExportPeople(ctx, neo4jstore.ExportFilter{}, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(people) == 0 {
			t.Fatal("the person is not in the export")
		}
		for _, p := range people {
			if p.Email == "names"+cmdTestDomain {
				if p.MunicipalityID != "SE-1280" || len(p.Themes) != 2 {
					t.Errorf("imported %+v", p)
				}
				return
			}
		}
		after = people[len(people)-1].ID
	}
}
