package neo4jstore

// These tests run inside the package (not neo4jstore_test) so that their fixtures can be written
// with the package's own Cypher helpers; for the same reason they cannot use internal/testneo4j,
// which imports this package, and open the test server themselves from the same variables.
// Every fixture id starts with "test-imp-" and every imported e-mail ends with
// "@imp-test.example.org"; cleanup removes exactly those.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/csvio"
	"github.com/nordic-integration/bridge/schema"
	"github.com/nordic-integration/bridge/seed"
)

const impEmailDomain = "@imp-test.example.org"

const (
	qImpTestFixtures = `
MATCH (se:Country {code: 'SE'}), (fi:Country {code: 'FI'})
MERGE (m1:Municipality {id: 'test-imp-se-1'})
SET m1.country = 'SE', m1.officialCode = 'test-imp-901', m1.name = 'Testby (test-imp)', m1.names = ['Testby (test-imp)']
MERGE (m1)-[:IN_COUNTRY]->(se)
MERGE (m2:Municipality {id: 'test-imp-fi-1'})
SET m2.country = 'FI', m2.officialCode = 'test-imp-902', m2.name = 'Testila (test-imp)', m2.names = ['Testila (test-imp)']
MERGE (m2)-[:IN_COUNTRY]->(fi)
MERGE (ta:Theme {id: 'test-imp-theme-a'}) SET ta.name = 'Test theme A (test-imp)'
MERGE (tb:Theme {id: 'test-imp-theme-b'}) SET tb.name = 'Test theme B (test-imp)'
MERGE (tc:Theme {id: 'test-imp-theme-c'}) SET tc.name = 'Test theme C (test-imp)'
MERGE (oa:Organisation {id: 'test-imp-org-a'})
SET oa.name = 'Test organisation A (test-imp)', oa.kind = 'CIVIL_SOCIETY', oa.country = 'SE', oa.active = true, oa.demo = false
MERGE (oa)-[:IN_COUNTRY]->(se)
MERGE (ob:Organisation {id: 'test-imp-org-b'})
SET ob.name = 'Test organisation B (test-imp)', ob.kind = 'RESEARCH', ob.country = 'FI', ob.active = true, ob.demo = false
MERGE (ob)-[:IN_COUNTRY]->(fi)`

	qImpTestCleanup = `
MATCH (n)
WHERE (n:Person AND n.emailKey ENDS WITH $domain)
   OR ((n:Municipality OR n:Theme OR n:Organisation) AND n.id STARTS WITH 'test-imp-')
DETACH DELETE n`

	qImpTestDeletePeople = `
MATCH (p:Person) WHERE p.emailKey ENDS WITH $domain
DETACH DELETE p`

	qImpTestConfirm = `
MATCH (p:Person {emailKey: $key}) SET p.confirmed = true, p.source = 'SELF'`

	qImpTestAffiliationSince = `
MATCH (p:Person {emailKey: $key})-[w:WORKS_AT]->(:Organisation {id: $org}) SET w.since = $since`

	qImpTestDeleteAudit = `MATCH (a:AuditEvent {id: $id}) DELETE a`

	qImpTestReadAudit = `MATCH (a:AuditEvent {id: $id}) RETURN a.action AS action, a.count AS count`

	qImpTestMarkDemo = `MATCH (p:Person {emailKey: $key}) SET p.demo = true`
)

// impStore opens the test server, migrates it, seeds the countries and writes this file's
// fixtures; cleanup removes the fixtures and every person imported with the test domain.
func impStore(t *testing.T) (*Store, context.Context) {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Fatal("NEO4J_URI is not set: integration tests need the real Neo4j that `make test` starts")
	}
	user := os.Getenv("NEO4J_USER")
	if user == "" {
		user = "neo4j"
	}
	s, err := Open(Config{URI: uri, User: user, Password: os.Getenv("NEO4J_PASSWORD"), Database: "neo4j",
		QueryTimeout: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	migrations, err := schema.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx, migrations); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	countries, err := seed.Countries()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertCountries(ctx, countries); err != nil {
		t.Fatalf("seed countries: %v", err)
	}
	impCleanup(t, s) // a crashed earlier run may have left some
	if _, err := s.write(ctx, "test_imp_fixtures", statement{qImpTestFixtures, nil}); err != nil {
		t.Fatalf("fixtures: %v", err)
	}
	t.Cleanup(func() {
		impCleanup(t, s)
		cancel()
		cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer ccancel()
		if err := s.Close(cctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s, ctx
}

func impCleanup(t *testing.T, s *Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.bulk().write(ctx, "test_imp_cleanup", statement{qImpTestCleanup, map[string]any{"domain": impEmailDomain}}); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}

// impPeople generates n valid people of the test domain that use every import column.
func impPeople(n int) []bridge.Person {
	out := make([]bridge.Person, n)
	for i := range out {
		p := bridge.Person{
			Email:       fmt.Sprintf("person%05d%s", i, impEmailDomain),
			GivenName:   []string{"Åsa", "Bo", "Jógvan", "Aino", "Sigríður"}[i%5],
			FamilyName:  fmt.Sprintf("Testsson %d (example)", i),
			CountryCode: []string{"SE", "FI", "NO"}[i%3],
			Languages:   [][]string{{"sv", "en"}, {"fi"}, nil}[i%3],
		}
		switch i % 3 {
		case 0:
			p.MunicipalityID = "test-imp-se-1"
			p.Themes = []bridge.ThemeLink{{ThemeID: "test-imp-theme-a", Mode: bridge.ModeOffers}, {ThemeID: "test-imp-theme-b", Mode: bridge.ModeSeeks}}
			p.Affiliations = []bridge.Affiliation{{OrganisationID: "test-imp-org-a", Role: "Coordinator"}}
			p.Title, p.Bio, p.Phone = "Integration coordinator", "Works with newly arrived families.\nSecond line.", "+46 40 123 456"
			p.OpenToIntroductions, p.IntroductionsPerQuarter = true, 4
		case 1:
			p.MunicipalityID = "test-imp-fi-1"
			p.Themes = []bridge.ThemeLink{{ThemeID: "test-imp-theme-c", Mode: bridge.ModeBoth}}
			p.Affiliations = []bridge.Affiliation{{OrganisationID: "test-imp-org-b"}}
		}
		out[i] = p
	}
	return out
}

// impOwnPeople exports every person of the test domain (paging with the given page size) and
// returns them by e-mail key, with the number of pages read.
func impOwnPeople(t *testing.T, ctx context.Context, s *Store, pageSize int) (map[string]bridge.Person, int) {
	t.Helper()
	out := map[string]bridge.Person{}
	after, pages := "", 0
	for {
		page, err := s.ExportPeople(ctx, ExportFilter{}, after, pageSize)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for i, p := range page {
			if i > 0 && page[i-1].ID >= p.ID {
				t.Fatalf("page not ordered by id: %s after %s", p.ID, page[i-1].ID)
			}
			if p.ID <= after {
				t.Fatalf("id %s repeats or precedes the cursor %s", p.ID, after)
			}
			if strings.HasSuffix(p.Email, impEmailDomain) {
				out[bridge.EmailKey(p.Email)] = p
			}
		}
		if len(page) < pageSize {
			return out, pages
		}
		after = page[len(page)-1].ID
	}
}

// impSame compares what an import owns, field by field, and reports every difference.
func impSame(t *testing.T, got, want bridge.Person) {
	t.Helper()
	norm := func(p bridge.Person) bridge.Person {
		q := bridge.Person{Email: p.Email, GivenName: p.GivenName, FamilyName: p.FamilyName, Title: p.Title, Bio: p.Bio,
			Phone: p.Phone, CountryCode: p.CountryCode, MunicipalityID: p.MunicipalityID, Languages: slices.Clone(p.Languages),
			OpenToIntroductions: p.OpenToIntroductions, IntroductionsPerQuarter: p.IntroductionsPerQuarter,
			Themes: slices.Clone(p.Themes)}
		for _, a := range p.Affiliations {
			q.Affiliations = append(q.Affiliations, bridge.Affiliation{OrganisationID: a.OrganisationID, Role: a.Role})
		}
		if len(q.Languages) == 0 {
			q.Languages = nil
		}
		if len(q.Themes) == 0 {
			q.Themes = nil
		}
		slices.SortFunc(q.Themes, func(a, b bridge.ThemeLink) int { return strings.Compare(a.ThemeID, b.ThemeID) })
		return q
	}
	g, w := norm(got), norm(want)
	gv, wv := reflect.ValueOf(g), reflect.ValueOf(w)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("%s: field %s = %#v, want %#v", want.Email, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func TestImportPeopleTwiceChangesNothing(t *testing.T) {
	s, ctx := impStore(t)
	people := impPeople(30)
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportPeople(ctx, people, ImportOptions[bridge.Person]{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 30 || res.Updated != 0 || res.Unchanged != 0 || len(res.Skipped) != 0 {
		t.Fatalf("first import: %+v", res)
	}
	// 30 people, 20 LOCATED_IN, 10×2 + 10 WORKS_ON, 20 WORKS_AT
	if res.Counts.NodesCreated != 30 || res.Counts.RelationshipsCreated != 20+30+20 {
		t.Fatalf("first import counts: %+v", res.Counts)
	}
	after1, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after1.Nodes != before.Nodes+30 || after1.Relationships != before.Relationships+70 {
		t.Fatalf("graph %+v -> %+v", before, after1)
	}
	own, _ := impOwnPeople(t, ctx, s, 1000)
	for _, p := range people {
		got, ok := own[bridge.EmailKey(p.Email)]
		if !ok {
			t.Fatalf("%s was not imported", p.Email)
		}
		impSame(t, got, p)
		if got.Visibility != bridge.VisibilitySecretariat || got.Confirmed || got.Source != bridge.SourceImport || got.Demo {
			t.Errorf("%s: visibility %s, confirmed %v, source %s, demo %v", p.Email, got.Visibility, got.Confirmed, got.Source, got.Demo)
		}
	}

	res, err = s.ImportPeople(ctx, people, ImportOptions[bridge.Person]{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged != 30 || res.Created != 0 || res.Updated != 0 || res.Counts != (WriteCounts{}) {
		t.Fatalf("second import: %+v, want 30 unchanged and no write at all", res)
	}
	after2, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after2.Nodes != after1.Nodes || after2.Relationships != after1.Relationships {
		t.Fatalf("the second import changed the graph: %+v -> %+v", after1, after2)
	}
	again, _ := impOwnPeople(t, ctx, s, 1000)
	if !reflect.DeepEqual(again, own) {
		t.Fatal("the second import changed a person")
	}
}

func TestImportPeopleUpdatesByEmailCaseInsensitively(t *testing.T) {
	s, ctx := impStore(t)
	people := impPeople(3)
	if _, err := s.ImportPeople(ctx, people, ImportOptions[bridge.Person]{}); err != nil {
		t.Fatal(err)
	}
	key := bridge.EmailKey(people[0].Email)
	if _, err := s.write(ctx, "test_imp_since", statement{qImpTestAffiliationSince,
		map[string]any{"key": key, "org": "test-imp-org-a", "since": "2020-01-01"}}); err != nil {
		t.Fatal(err)
	}
	own, _ := impOwnPeople(t, ctx, s, 1000)
	id := own[key].ID
	before, _ := s.Counts(ctx)

	changed := people[0]
	changed.Email = strings.ToUpper(changed.Email[:8]) + changed.Email[8:] // PERSON00000@imp-test…
	changed.Title = "Head of unit"
	changed.Themes = []bridge.ThemeLink{{ThemeID: "test-imp-theme-a", Mode: bridge.ModeBoth}, {ThemeID: "test-imp-theme-c", Mode: bridge.ModeSeeks}}
	changed.Affiliations = []bridge.Affiliation{{OrganisationID: "test-imp-org-a", Role: "Head of unit"}}
	res, err := s.ImportPeople(ctx, []bridge.Person{changed, people[1]}, ImportOptions[bridge.Person]{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 || res.Unchanged != 1 || res.Created != 0 {
		t.Fatalf("result %+v, want 1 updated and 1 unchanged", res)
	}
	after, _ := s.Counts(ctx)
	if after.Nodes != before.Nodes || after.Relationships != before.Relationships {
		t.Fatalf("graph %+v -> %+v: the update should replace one theme link with another", before, after)
	}
	own, _ = impOwnPeople(t, ctx, s, 1000)
	got := own[key]
	if got.ID != id {
		t.Fatalf("the person's id changed from %s to %s", id, got.ID)
	}
	impSame(t, got, changed)
	if len(got.Affiliations) != 1 || got.Affiliations[0].Since != "2020-01-01" {
		t.Fatalf("affiliation %+v: the since date the file does not carry must survive", got.Affiliations)
	}
}

func TestImportPeopleSkipsConfirmedProfiles(t *testing.T) {
	s, ctx := impStore(t)
	people := impPeople(4)
	if _, err := s.ImportPeople(ctx, people, ImportOptions[bridge.Person]{}); err != nil {
		t.Fatal(err)
	}
	key := bridge.EmailKey(people[2].Email)
	if _, err := s.write(ctx, "test_imp_confirm", statement{qImpTestConfirm, map[string]any{"key": key}}); err != nil {
		t.Fatal(err)
	}
	changed := slices.Clone(people)
	changed[2].GivenName, changed[3].GivenName = "Changed", "Changed"
	res, err := s.ImportPeople(ctx, changed, ImportOptions[bridge.Person]{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Skipped, []int{2}) || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("result %+v, want row 2 skipped, one updated, two unchanged", res)
	}
	own, _ := impOwnPeople(t, ctx, s, 1000)
	if got := own[key]; got.GivenName != people[2].GivenName || !got.Confirmed || got.Source != bridge.SourceSelf {
		t.Fatalf("a confirmed profile was overwritten: %+v", got)
	}
	if got := own[bridge.EmailKey(people[3].Email)]; got.GivenName != "Changed" {
		t.Fatalf("the unconfirmed profile was not updated: %+v", got)
	}
}

// TestImportPeopleIsOneTransaction interrupts an import after its first chunk has been written:
// nothing of the file may remain.
func TestImportPeopleIsOneTransaction(t *testing.T) {
	s, ctx := impStore(t)
	before, _ := s.Counts(ctx)
	people := impPeople(2500)
	ictx, cancel := context.WithCancel(ctx)
	defer cancel()
	calls := 0
	_, err := s.ImportPeople(ictx, people, ImportOptions[bridge.Person]{Progress: func(done, total int) {
		calls++
		if done >= importWriteChunk {
			cancel() // the first 1,000 rows are written inside the transaction
		}
	}})
	if err == nil {
		t.Fatal("an interrupted import reported success")
	}
	if bridge.ErrorCode(err) != bridge.CodeUnavailable {
		t.Fatalf("error %v, want UNAVAILABLE", err)
	}
	if calls < 2 {
		t.Fatalf("progress was called %d times; the cancel did not happen mid-write", calls)
	}
	after, _ := s.Counts(ctx)
	own, _ := impOwnPeople(t, ctx, s, 1000)
	if len(own) != 0 || after.Nodes != before.Nodes || after.Relationships != before.Relationships {
		t.Fatalf("an interrupted import left %d people; graph %+v -> %+v", len(own), before, after)
	}
}

// TestImportRejectsRemovedReferences: the reference data is checked again inside the transaction.
func TestImportRejectsRemovedReferences(t *testing.T) {
	s, ctx := impStore(t)
	p := impPeople(1)
	p[0].Themes = []bridge.ThemeLink{{ThemeID: "test-imp-theme-gone", Mode: bridge.ModeOffers}}
	_, err := s.ImportPeople(ctx, p, ImportOptions[bridge.Person]{})
	if bridge.ErrorCode(err) != bridge.CodeConflict {
		t.Fatalf("error %v, want CONFLICT", err)
	}
	if own, _ := impOwnPeople(t, ctx, s, 1000); len(own) != 0 {
		t.Fatal("a rejected import wrote people")
	}
}

// TestBadFileWritesNothing runs the whole path of a file with one bad row among 1,000: the
// reference read, validation, and no write.
func TestBadFileWritesNothing(t *testing.T) {
	s, ctx := impStore(t)
	var b strings.Builder
	w, _ := csvio.NewWriter(&b, csvio.FormatCSV, csvio.PeopleColumns())
	for i, p := range impPeople(1000) {
		if i == 700 {
			p.Email = "not-an-address"
		}
		rec, _ := csvio.PersonRecord(p)
		_ = w.Write(rec)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ref, err := s.ImportReference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cref := csvio.Reference{Countries: ref.Countries, Municipalities: ref.Municipalities, ThemeIDs: ref.ThemeIDs, Organisations: ref.Organisations}
	f, errs, err := csvio.ParsePeople(strings.NewReader(b.String()), cref, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Some bios span two lines, so the bad row (the 701st) starts on the line after the last line
	// break before it.
	line := strings.Count(b.String()[:strings.Index(b.String(), "not-an-address")], "\n") + 1
	if f != nil || len(errs) != 1 || errs[0].Line != line || errs[0].Column != "email" {
		t.Fatalf("errors %v, want one on line %d", errs, line)
	}
	// Without the bad row the same file is valid against the graph's reference data.
	f, errs, _ = csvio.ParsePeople(strings.NewReader(strings.Replace(b.String(), "not-an-address", "ok"+impEmailDomain, 1)), cref, nil)
	if len(errs) != 0 || len(f.Rows) != 1000 {
		t.Fatalf("the corrected file: %v", errs)
	}
	if own, _ := impOwnPeople(t, ctx, s, 1000); len(own) != 0 {
		t.Fatal("people were written")
	}
}

func TestImportReferenceHasFixtures(t *testing.T) {
	s, ctx := impStore(t)
	ref, err := s.ImportReference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ref.Countries, "AX") || !slices.Contains(ref.ThemeIDs, "test-imp-theme-b") ||
		!slices.ContainsFunc(ref.Municipalities, func(m bridge.Municipality) bool {
			return m.ID == "test-imp-fi-1" && m.CountryCode == "FI" && m.OfficialCode == "test-imp-902"
		}) ||
		!slices.ContainsFunc(ref.Organisations, func(o bridge.Organisation) bool { return o.ID == "test-imp-org-a" && o.ParentID == "" }) {
		t.Fatalf("reference data lacks the fixtures: %d countries, %d municipalities, %d themes, %d organisations",
			len(ref.Countries), len(ref.Municipalities), len(ref.ThemeIDs), len(ref.Organisations))
	}
}

// TestExportDeleteImportReproducesPeople: export (CSV, several pages), delete, import the export:
// the same people come back, field by field.
func TestExportDeleteImportReproducesPeople(t *testing.T) {
	s, ctx := impStore(t)
	people := impPeople(25)
	people[4].Bio = "=SUM(A1) is how the bio starts"
	people[5].Affiliations = []bridge.Affiliation{{OrganisationID: "test-imp-org-a", Role: "Mentor, volunteer"}}
	if _, err := s.ImportPeople(ctx, people, ImportOptions[bridge.Person]{}); err != nil {
		t.Fatal(err)
	}
	original, pages := impOwnPeople(t, ctx, s, 7)
	if len(original) != 25 || pages < 4 {
		t.Fatalf("exported %d people in %d pages, want 25 in at least 4", len(original), pages)
	}

	var buf bytes.Buffer
	w, _ := csvio.NewWriter(&buf, csvio.FormatCSV, csvio.PeopleColumns())
	after := ""
	for {
		page, err := s.ExportPeople(ctx, ExportFilter{}, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			if strings.HasSuffix(p.Email, impEmailDomain) {
				rec, _ := csvio.PersonRecord(p)
				_ = w.Write(rec)
			}
		}
		if len(page) < 7 {
			break
		}
		after = page[len(page)-1].ID
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write(ctx, "test_imp_delete", statement{qImpTestDeletePeople, map[string]any{"domain": impEmailDomain}}); err != nil {
		t.Fatal(err)
	}
	if own, _ := impOwnPeople(t, ctx, s, 1000); len(own) != 0 {
		t.Fatal("delete left people")
	}

	ref, err := s.ImportReference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f, errs, err := csvio.ParsePeople(&buf, csvio.Reference{Countries: ref.Countries, Municipalities: ref.Municipalities,
		ThemeIDs: ref.ThemeIDs, Organisations: ref.Organisations}, nil)
	if err != nil || len(errs) > 0 {
		t.Fatalf("the export does not import: %v %v", err, errs)
	}
	res, err := s.ImportPeople(ctx, f.People(), ImportOptions[bridge.Person]{Merge: f.Merge})
	if err != nil || res.Created != 25 {
		t.Fatalf("import of the export: %+v, %v", res, err)
	}
	reimported, _ := impOwnPeople(t, ctx, s, 1000)
	for key, want := range original {
		got, ok := reimported[key]
		if !ok {
			t.Errorf("%s did not come back", key)
			continue
		}
		impSame(t, got, want)
	}
	for _, p := range people {
		impSame(t, reimported[bridge.EmailKey(p.Email)], p)
	}
}

func TestImportOrganisations(t *testing.T) {
	s, ctx := impStore(t)
	orgs := []bridge.Organisation{
		// The child comes first: a parent may be anywhere in the file.
		{ID: "test-imp-child", Name: "Barnet (test-imp)", NameEn: "The child", Kind: bridge.OrgCivilSociety, CountryCode: "SE",
			MunicipalityID: "test-imp-se-1", ParentID: "test-imp-parent", Website: "https://child.example.org", EmailDomain: "child.example.org",
			Description: "Test organisation."},
		{ID: "test-imp-parent", Name: "Föräldern (test-imp)", Kind: bridge.OrgNationalAgency, CountryCode: "SE", ParentID: "test-imp-org-a"},
		{ID: "test-imp-nordic", Name: "Nordic test body (test-imp)", Kind: bridge.OrgNordic},
	}
	before, _ := s.Counts(ctx)
	res, err := s.ImportOrganisations(ctx, orgs, ImportOptions[bridge.Organisation]{})
	if err != nil || res.Created != 3 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	after1, _ := s.Counts(ctx)
	// 3 nodes; IN_COUNTRY ×2, LOCATED_IN ×1, PART_OF ×2
	if after1.Nodes != before.Nodes+3 || after1.Relationships != before.Relationships+5 {
		t.Fatalf("graph %+v -> %+v", before, after1)
	}
	res, err = s.ImportOrganisations(ctx, orgs, ImportOptions[bridge.Organisation]{})
	if err != nil || res.Unchanged != 3 || res.Counts != (WriteCounts{}) {
		t.Fatalf("second import: %+v, %v", res, err)
	}
	after2, _ := s.Counts(ctx)
	if after2.Nodes != after1.Nodes || after2.Relationships != after1.Relationships {
		t.Fatalf("graph %+v -> %+v", after1, after2)
	}

	moved := orgs[0]
	moved.CountryCode, moved.MunicipalityID, moved.ParentID, moved.Website = "FI", "test-imp-fi-1", "test-imp-org-b", ""
	res, err = s.ImportOrganisations(ctx, []bridge.Organisation{moved}, ImportOptions[bridge.Organisation]{})
	if err != nil || res.Updated != 1 {
		t.Fatalf("update: %+v, %v", res, err)
	}
	got := impOwnOrganisations(t, ctx, s)
	want := []bridge.Organisation{moved, orgs[2], orgs[1]}
	for i := range want {
		want[i].Source, want[i].Active = "IMPORT", true
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("exported\n%+v\nwant\n%+v", got, want)
	}
	after3, _ := s.Counts(ctx)
	if after3.Relationships != after2.Relationships {
		t.Fatalf("moving an organisation changed the number of links: %+v -> %+v", after2, after3)
	}
}

// impOwnOrganisations exports (in pages of 2) the organisations this file's tests imported.
func impOwnOrganisations(t *testing.T, ctx context.Context, s *Store) []bridge.Organisation {
	t.Helper()
	var out []bridge.Organisation
	after := ""
	for {
		page, err := s.ExportOrganisations(ctx, ExportFilter{}, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page {
			if strings.HasPrefix(o.ID, "test-imp-") && !strings.HasPrefix(o.ID, "test-imp-org-") {
				out = append(out, o)
			}
		}
		if len(page) < 2 {
			return out
		}
		after = page[len(page)-1].ID
	}
}

func TestExportLeavesOutDemoUnlessAsked(t *testing.T) {
	s, ctx := impStore(t)
	people := impPeople(2)
	if _, err := s.ImportPeople(ctx, people, ImportOptions[bridge.Person]{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write(ctx, "test_imp_demo", statement{qImpTestMarkDemo,
		map[string]any{"key": bridge.EmailKey(people[1].Email)}}); err != nil {
		t.Fatal(err)
	}
	own, _ := impOwnPeople(t, ctx, s, 1000)
	if len(own) != 1 {
		t.Fatalf("export without demo gave %d of the test people, want 1", len(own))
	}
	all, err := s.ExportPeople(ctx, ExportFilter{IncludeDemo: true}, "", MaxExportPage)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range all {
		if strings.HasSuffix(p.Email, impEmailDomain) {
			n++
		}
	}
	withDemo, _ := s.CountExportPeople(ctx, ExportFilter{IncludeDemo: true})
	without, _ := s.CountExportPeople(ctx, ExportFilter{})
	if n != 2 || withDemo-without < 1 {
		t.Fatalf("with demo: %d test people; counts %d with, %d without", n, withDemo, without)
	}
	if _, err := s.ExportPeople(ctx, ExportFilter{}, "", MaxExportPage+1); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Fatalf("an oversized page: %v", err)
	}
}

func TestAuditExport(t *testing.T) {
	s, ctx := impStore(t)
	id, err := s.AuditExport(ctx, "EXPORT_PEOPLE", "test-imp", 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = s.write(context.Background(), "test_imp_audit_cleanup", statement{qImpTestDeleteAudit, map[string]any{"id": id}})
	})
	recs, err := s.read(ctx, "test_imp_audit", qImpTestReadAudit, map[string]any{"id": id})
	if err != nil || len(recs) != 1 {
		t.Fatalf("audit event: %v, %d records", err, len(recs))
	}
	if action, _ := recs[0].Get("action"); action != "EXPORT_PEOPLE" {
		t.Fatalf("action %v", action)
	}
}

func TestImportPeopleRejectsOversizedAndRepeatedInput(t *testing.T) {
	s := &Store{}
	big := make([]bridge.Person, MaxImportRows+1)
	if _, err := s.ImportPeople(context.Background(), big, ImportOptions[bridge.Person]{}); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Fatalf("oversized: %v", err)
	}
	twice := []bridge.Person{{Email: "a" + impEmailDomain}, {Email: "A" + impEmailDomain}}
	var e *bridge.Error
	if _, err := s.ImportPeople(context.Background(), twice, ImportOptions[bridge.Person]{}); !errors.As(err, &e) || e.Code != bridge.CodeBadUserInput {
		t.Fatalf("repeated: %v", err)
	}
}
