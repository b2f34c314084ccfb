package csvio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// testRef is a small reference data set: the real keys of a few places and themes.
func testRef() Reference {
	return Reference{
		Countries: []string{"DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX"},
		Municipalities: []bridge.Municipality{
			{ID: "SE-1280", CountryCode: "SE", OfficialCode: "1280", Name: "Malmö", Names: []string{"Malmö"}},
			{ID: "SE-0114", CountryCode: "SE", OfficialCode: "0114", Name: "Upplands Väsby"},
			{ID: "FI-091", CountryCode: "FI", OfficialCode: "091", Name: "Helsinki", Names: []string{"Helsinki", "Helsingfors"}},
			{ID: "NO-0301", CountryCode: "NO", OfficialCode: "0301", Name: "Oslo"},
			{ID: "AX-478", CountryCode: "AX", OfficialCode: "478"},
			{ID: "IS-x-kjosarhreppur", CountryCode: "IS"},
		},
		ThemeIDs: []string{"health", "language-learning", "anti-segregation"},
		Organisations: []bridge.Organisation{
			{ID: "se-ministry-justice"},
			{ID: "se-migrationsverket", ParentID: "se-ministry-justice"},
			{ID: "nordregio"},
		},
	}
}

const peopleHeader = "email,given_name,family_name,title,bio,phone,country,municipality,languages,themes,organisation,role,open_to_introductions,introductions_per_quarter"

// goodPerson is a valid row for peopleHeader; i makes the e-mail unique.
func goodPerson(i int) string {
	return fmt.Sprintf("person%d@imp-test.example.org,Anna,Berg (example),Coordinator,\"Works on housing, schools\",+46 40 123 45,SE,1280,sv;en,health:OFFERS;language-learning:seeks,se-migrationsverket,Adviser,true,3", i)
}

func parsePeople(t *testing.T, text string) (*PeopleFile, []RowError) {
	t.Helper()
	f, errs, err := ParsePeople(strings.NewReader(text), testRef(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return f, errs
}

func TestParsePeopleValidRow(t *testing.T) {
	f, errs := parsePeople(t, peopleHeader+"\n"+goodPerson(1)+"\n")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := bridge.Person{Email: "person1@imp-test.example.org", GivenName: "Anna", FamilyName: "Berg (example)",
		Title: "Coordinator", Bio: "Works on housing, schools", Phone: "+46 40 123 45", CountryCode: "SE",
		MunicipalityID: "SE-1280", Languages: []string{"sv", "en"},
		Themes:                  []bridge.ThemeLink{{ThemeID: "health", Mode: bridge.ModeOffers}, {ThemeID: "language-learning", Mode: bridge.ModeSeeks}},
		Affiliations:            []bridge.Affiliation{{OrganisationID: "se-migrationsverket", Role: "Adviser"}},
		OpenToIntroductions:     true,
		IntroductionsPerQuarter: 3}
	if len(f.Rows) != 1 || f.Rows[0].Line != 2 || !reflect.DeepEqual(f.Rows[0].Person, want) {
		t.Fatalf("rows = %+v\nwant line 2 and %+v", f.Rows, want)
	}
}

// TestParsePeopleRules: every rule names the line, the column and the reason, and the reason
// never repeats the e-mail address.
func TestParsePeopleRules(t *testing.T) {
	long := strings.Repeat("x", 101)
	cases := []struct {
		name, column, reason string
		edit                 func(cells []string) // on the cells of goodPerson
	}{
		{"bad e-mail", "email", "not a valid e-mail address", func(c []string) { c[0] = "anna.berg-at-example.org" }},
		{"e-mail with a name", "email", "not a valid e-mail address", func(c []string) { c[0] = "Anna <anna@example.org>" }},
		{"e-mail without a dot", "email", "not a valid e-mail address", func(c []string) { c[0] = "anna@localhost" }},
		{"missing e-mail", "email", "required", func(c []string) { c[0] = "" }},
		{"missing given name", "given_name", "required", func(c []string) { c[1] = "" }},
		{"missing family name", "family_name", "required", func(c []string) { c[2] = "" }},
		{"too long name", "given_name", "too long: 101 characters, at most 100", func(c []string) { c[1] = long }},
		{"too long title", "title", "too long", func(c []string) { c[3] = strings.Repeat("t", 201) }},
		{"too long bio", "bio", "too long", func(c []string) { c[4] = strings.Repeat("b", 2001) }},
		{"bad phone", "phone", "only digits", func(c []string) { c[5] = "call me" }},
		{"missing country", "country", "required", func(c []string) { c[6] = ""; c[7] = "" }},
		{"unknown country", "country", `unknown country "DE"`, func(c []string) { c[6] = "DE"; c[7] = "" }},
		{"unknown municipality", "municipality", `unknown municipality "9999" in SE`, func(c []string) { c[7] = "9999" }},
		{"municipality of another country", "municipality", "FI-091 is in FI, not in SE", func(c []string) { c[7] = "FI-091" }},
		{"unknown language", "languages", `unknown language "swedish"`, func(c []string) { c[8] = "swedish" }},
		{"language twice", "languages", "language sv is listed twice", func(c []string) { c[8] = "sv;SV" }},
		{"unknown theme", "themes", `unknown theme "housing"`, func(c []string) { c[9] = "housing:OFFERS" }},
		{"theme without mode", "themes", "needs a mode", func(c []string) { c[9] = "health" }},
		{"bad theme mode", "themes", `unknown mode "TEACHES"`, func(c []string) { c[9] = "health:teaches" }},
		{"theme twice", "themes", "theme health is listed twice", func(c []string) { c[9] = "health:OFFERS;health:SEEKS" }},
		{"unknown organisation", "organisation", `unknown organisation "se-nowhere"`, func(c []string) { c[10] = "se-nowhere" }},
		{"role without organisation", "role", "a role needs an organisation", func(c []string) { c[10] = "" }},
		{"bad boolean", "open_to_introductions", `must be true or false, not "ja"`, func(c []string) { c[12] = "ja" }},
		{"per quarter too high", "introductions_per_quarter", "must be from 0 to 20, not 21", func(c []string) { c[13] = "21" }},
		{"per quarter not a number", "introductions_per_quarter", "whole number", func(c []string) { c[13] = "three" }},
		{"line break in a name", "family_name", "line break", func(c []string) { c[2] = "\"Berg\nLund\"" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cells := strings.Split(strings.Replace(goodPerson(7), `"Works on housing, schools"`, "Works on housing", 1), ",")
			tc.edit(cells)
			text := peopleHeader + "\n" + goodPerson(1) + "\n" + strings.Join(cells, ",") + "\n"
			f, errs := parsePeople(t, text)
			if f != nil {
				t.Fatal("a file with errors came back as valid")
			}
			if len(errs) != 1 {
				t.Fatalf("want exactly one error, got %v", errs)
			}
			e := errs[0]
			if e.Line != 3 || e.Column != tc.column || !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("got %q, want line 3, column %s, reason containing %q", e.Format("f.csv"), tc.column, tc.reason)
			}
			if strings.Contains(e.Reason, "imp-test") || strings.Contains(strings.ToLower(e.Reason), "anna") {
				t.Fatalf("the reason repeats an e-mail address: %q", e.Reason)
			}
		})
	}
}

func TestRowErrorFormat(t *testing.T) {
	e := RowError{Line: 7, Column: "email", Reason: "not a valid e-mail address"}
	if got, want := e.Format("people.csv"), "people.csv:7: column email: not a valid e-mail address"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got, want := (RowError{Reason: "too big"}).Format("p.csv"), "p.csv: too big"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestParsePeopleOneBadRowInAThousand(t *testing.T) {
	var b strings.Builder
	b.WriteString(peopleHeader + "\n")
	for i := 1; i <= 1000; i++ {
		if i == 613 {
			b.WriteString(strings.Replace(goodPerson(i), "health:OFFERS", "health:MAYBE", 1) + "\n")
			continue
		}
		b.WriteString(goodPerson(i) + "\n")
	}
	f, errs := parsePeople(t, b.String())
	if f != nil || len(errs) != 1 {
		t.Fatalf("want exactly one error and no file, got %d errors: %v", len(errs), errs)
	}
	if errs[0].Line != 614 || errs[0].Column != "themes" {
		t.Fatalf("got %s, want line 614 (row 613 after the header), column themes", errs[0].Format("f"))
	}
}

func TestParsePeopleDuplicateEmails(t *testing.T) {
	text := peopleHeader + "\n" + goodPerson(1) + "\n" + goodPerson(2) + "\n" +
		strings.Replace(goodPerson(1), "person1@imp-test", "PERSON1@Imp-Test", 1) + "\n"
	_, errs := parsePeople(t, text)
	if len(errs) != 1 || errs[0].Line != 4 || errs[0].Column != "email" || !strings.Contains(errs[0].Reason, "same e-mail address as line 2") {
		t.Fatalf("got %v, want line 4 as a duplicate of line 2", errs)
	}
}

func TestParsePeopleBOMCRLFAndHeaderCase(t *testing.T) {
	header := strings.ToUpper(strings.ReplaceAll(peopleHeader, "given_name", " Given_Name "))
	text := "\xEF\xBB\xBF" + header + "\r\n" + goodPerson(1) + "\r\n" + goodPerson(2) + "\r\n"
	f, errs := parsePeople(t, text)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if len(f.Rows) != 2 || f.Rows[1].Line != 3 || f.Rows[0].Person.Email != "person1@imp-test.example.org" ||
		f.Rows[1].Person.IntroductionsPerQuarter != 3 {
		t.Fatalf("rows = %+v", f.Rows)
	}
}

func TestParsePeopleSemicolonDelimited(t *testing.T) {
	// Nordic spreadsheet programs write ";" between cells; list cells are then quoted.
	text := "email;given_name;family_name;country;languages\r\nanna@imp-test.example.org;Anna;Berg;se;\"sv;en\"\r\n"
	f, errs := parsePeople(t, text)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if p := f.Rows[0].Person; p.CountryCode != "SE" || !reflect.DeepEqual(p.Languages, []string{"sv", "en"}) {
		t.Fatalf("person = %+v", p)
	}
}

func TestParsePeopleHeaderProblems(t *testing.T) {
	cases := []struct {
		name, header, column, reason string
	}{
		{"unknown extra column", "email,given_name,family_name,country,shoe_size", "shoe_size", "unknown column; the columns are email, given_name"},
		{"missing required column", "email,given_name,country", "family_name", "required column is missing"},
		{"column twice", "email,given_name,family_name,country,Email", "email", "appears twice"},
		{"role without organisation column", "email,given_name,family_name,country,role", "role", "needs the organisation column"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, errs := parsePeople(t, tc.header+"\nanna@imp-test.example.org,Anna,Berg,SE,x\n")
			if f != nil || len(errs) != 1 {
				t.Fatalf("want one error, got %v", errs)
			}
			if e := errs[0]; e.Line != 1 || e.Column != tc.column || !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("got %q, want line 1, column %s: %s", e.Format("f"), tc.column, tc.reason)
			}
		})
	}
}

func TestParsePeopleFileShape(t *testing.T) {
	t.Run("empty file", func(t *testing.T) {
		if _, errs := parsePeople(t, ""); len(errs) != 1 || !strings.Contains(errs[0].Reason, "empty") {
			t.Fatalf("got %v", errs)
		}
	})
	t.Run("short row", func(t *testing.T) {
		_, errs := parsePeople(t, "email,given_name,family_name,country\nanna@imp-test.example.org,Anna,Berg\n")
		if len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Reason, "3 cells, the header has 4") {
			t.Fatalf("got %v", errs)
		}
	})
	t.Run("stray quote", func(t *testing.T) {
		_, errs := parsePeople(t, "email,given_name,family_name,country\nanna@imp-test.example.org,An\"na,Berg,SE\n")
		if len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Reason, "quote") {
			t.Fatalf("got %v", errs)
		}
	})
	t.Run("multi-line cell keeps the row's first line", func(t *testing.T) {
		text := "email,given_name,family_name,country,bio\n" +
			"a@imp-test.example.org,Anna,Berg,SE,\"line one\nline two\"\n" +
			"b@imp-test.example.org,Bo,Lund,XX,\n"
		_, errs := parsePeople(t, text)
		if len(errs) != 1 || errs[0].Line != 4 || errs[0].Column != "country" {
			t.Fatalf("got %v, want the row starting on line 4", errs)
		}
	})
	t.Run("empty rows are ignored", func(t *testing.T) {
		f, errs := parsePeople(t, "email,given_name,family_name,country\n,,,\nanna@imp-test.example.org,Anna,Berg,SE\n,,,\n")
		if len(errs) > 0 || len(f.Rows) != 1 || f.Rows[0].Line != 3 {
			t.Fatalf("got %v %+v", errs, f)
		}
	})
	t.Run("not UTF-8", func(t *testing.T) {
		_, errs := parsePeople(t, "email,given_name,family_name,country\nanna@imp-test.example.org,J\xf6rgen,Berg,SE\n")
		if len(errs) != 1 || errs[0].Column != "given_name" || !strings.Contains(errs[0].Reason, "UTF-8") {
			t.Fatalf("got %v", errs)
		}
	})
}

func TestParsePeopleRowLimit(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("email,given_name,family_name,country\n")
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&b, "p%d@imp-test.example.org,A,B,SE\n", i)
	}
	f, errs, err := ParsePeople(&b, testRef(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f != nil || len(errs) != 1 || errs[0].Line != MaxRows+2 || !strings.Contains(errs[0].Reason, "more than 50,000 rows") {
		t.Fatalf("got %v", errs)
	}
}

func TestMunicipalityLookup(t *testing.T) {
	ix := testRef().index()
	cases := []struct{ country, cell, want string }{
		{"SE", "SE-1280", "SE-1280"},
		{"SE", "se-1280", "SE-1280"},
		{"SE", "1280", "SE-1280"},
		{"SE", "0114", "SE-0114"},
		{"SE", "114", "SE-0114"}, // a spreadsheet dropped the leading zero
		{"FI", "91", "FI-091"},
		{"AX", "478", "AX-478"},
		{"IS", "IS-x-kjosarhreppur", "IS-x-kjosarhreppur"},
		{"NO", "1280", ""},
		{"SE", "AX-478", ""},
	}
	for _, tc := range cases {
		got, reason, _ := ix.municipality(tc.country, tc.cell)
		if got != tc.want || (tc.want == "") != (reason != "") {
			t.Errorf("municipality(%s, %s) = %q, %q; want %q", tc.country, tc.cell, got, reason, tc.want)
		}
	}
}

func TestPeopleMergeKeepsAbsentColumns(t *testing.T) {
	f, errs := parsePeople(t, "email,given_name,family_name,country,themes\nanna@imp-test.example.org,Anna,Berg,SE,health:BOTH\n")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	existing := bridge.Person{Title: "Coordinator", Bio: "Bio", Phone: "+46 1234567", MunicipalityID: "SE-1280",
		Languages: []string{"sv"}, Themes: []bridge.ThemeLink{{ThemeID: "language-learning", Mode: bridge.ModeSeeks}},
		Affiliations: []bridge.Affiliation{{OrganisationID: "nordregio", Role: "Researcher"}}, OpenToIntroductions: true,
		IntroductionsPerQuarter: 4}
	got := f.Rows[0].Person
	f.Merge(existing, &got)
	want := existing
	want.Email, want.GivenName, want.FamilyName, want.CountryCode = "anna@imp-test.example.org", "Anna", "Berg", "SE"
	want.Themes = []bridge.ThemeLink{{ThemeID: "health", Mode: bridge.ModeBoth}} // the file has this column
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("merged = %+v\nwant     %+v", got, want)
	}
	// A municipality of another country is not kept when the country changes.
	existing.MunicipalityID = "FI-091"
	got = f.Rows[0].Person
	f.Merge(existing, &got)
	if got.MunicipalityID != "" {
		t.Fatalf("kept municipality %s of another country", got.MunicipalityID)
	}
}

// TestPeopleRoundTrip: a person written by the export writer and read back by the import is the
// same person, including a bio that a spreadsheet would take for a formula and a phone number
// that starts with "+".
func TestPeopleRoundTrip(t *testing.T) {
	people := []bridge.Person{
		{Email: "a@imp-test.example.org", GivenName: "Åsa", FamilyName: "Öberg (example)", Title: "Teacher",
			Bio: "=1+1 is not a formula\nand a second line, with \"quotes\"", Phone: "+358 40 1234567",
			CountryCode: "FI", MunicipalityID: "FI-091", Languages: []string{"fi", "sv"},
			Themes:       []bridge.ThemeLink{{ThemeID: "anti-segregation", Mode: bridge.ModeBoth}},
			Affiliations: []bridge.Affiliation{{OrganisationID: "nordregio", Role: "-lead-"}}, IntroductionsPerQuarter: 20,
			Language: "fi"},
		{Email: "b@imp-test.example.org", GivenName: "Bo", FamilyName: "Lund", CountryCode: "AX", MunicipalityID: "AX-478"},
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, FormatCSV, PeopleColumns())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		rec, _ := PersonRecord(p)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\"'=1+1") || !strings.Contains(buf.String(), ",'+358") {
		t.Fatalf("formula-like cells are not escaped:\n%s", buf.String())
	}
	f, errs, err := ParsePeople(&buf, testRef(), nil)
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	got := f.People()
	people[1].Languages, people[1].Themes = []string{}, []bridge.ThemeLink{}
	if !reflect.DeepEqual(got, people) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, people)
	}
}

// TestParsePeopleLanguage: the optional language column takes one of the six languages Bridge
// writes in (any case); anything else is an error of that column; a file without the column
// leaves the stored choice (Merge).
func TestParsePeopleLanguage(t *testing.T) {
	header := "email,given_name,family_name,country,language\n"
	f, errs := parsePeople(t, header+"a@imp-test.example.org,Anna,Berg,SE,SV\nb@imp-test.example.org,Bo,Lund,FI,\n")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if got := []string{f.Rows[0].Person.Language, f.Rows[1].Person.Language}; got[0] != "sv" || got[1] != "" {
		t.Fatalf("languages = %q, want sv and none", got)
	}
	for _, bad := range []string{"no", "sv-SE", "de"} {
		_, errs = parsePeople(t, header+"a@imp-test.example.org,Anna,Berg,SE,"+bad+"\n")
		if len(errs) != 1 || errs[0].Column != "language" || errs[0].Line != 2 {
			t.Errorf("%s: errors = %v, want one of column language on line 2", bad, errs)
		}
	}
	f, _ = parsePeople(t, "email,given_name,family_name,country\na@imp-test.example.org,Anna,Berg,SE\n")
	got := f.Rows[0].Person
	f.Merge(bridge.Person{Language: "is"}, &got)
	if got.Language != "is" {
		t.Fatalf("a file without the language column changed the stored one to %q", got.Language)
	}
}

func TestPersonRecordFirstAffiliation(t *testing.T) {
	rec, truncated := PersonRecord(bridge.Person{Affiliations: []bridge.Affiliation{
		{OrganisationID: "se-migrationsverket", Role: "B"}, {OrganisationID: "nordregio", Role: "A"}}})
	if !truncated || rec[10] != "nordregio" || rec[11] != "A" {
		t.Fatalf("got %v %v", rec[10:12], truncated)
	}
}

func TestJSONWriter(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, FormatJSON, []string{"id", "name"})
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Write([]string{"a", "=Ä \"x\""})
	_ = w.Write([]string{"b", ""})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []map[string]string
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, buf.String())
	}
	want := []map[string]string{{"id": "a", "name": "=Ä \"x\""}, {"id": "b", "name": ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
	if !strings.HasPrefix(buf.String(), "[\n{\"id\":") {
		t.Fatalf("keys are not in column order: %s", buf.String())
	}
	buf.Reset()
	w, _ = NewWriter(&buf, FormatJSON, []string{"id"})
	_ = w.Close()
	if strings.TrimSpace(buf.String()) != "[]" {
		t.Fatalf("empty export = %q", buf.String())
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Fatal("ParseFormat accepted xml")
	}
}

const orgHeader = "id,name,name_en,kind,country,municipality,parent,website,email_domain,description"

func parseOrgs(t *testing.T, text string) (*OrganisationsFile, []RowError) {
	t.Helper()
	f, errs, err := ParseOrganisations(strings.NewReader(text), testRef(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return f, errs
}

func TestParseOrganisations(t *testing.T) {
	text := orgHeader + "\n" +
		"imp-child,Barnet,The child,civil_society,se,1280,imp-parent,https://child.example.org,Child.Example.org,Works with children.\n" +
		"imp-parent,Föräldern,,CIVIL_SOCIETY,SE,,se-migrationsverket,,,\n" +
		"imp-nordic,Nordic body,,NORDIC_INSTITUTION,,,,,,\n"
	f, errs := parseOrgs(t, text)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := bridge.Organisation{ID: "imp-child", Name: "Barnet", NameEn: "The child", Kind: bridge.OrgCivilSociety,
		CountryCode: "SE", MunicipalityID: "SE-1280", ParentID: "imp-parent", Website: "https://child.example.org",
		EmailDomain: "child.example.org", Description: "Works with children."}
	if len(f.Rows) != 3 || !reflect.DeepEqual(f.Rows[0].Organisation, want) {
		t.Fatalf("rows = %+v", f.Rows)
	}
}

func TestParseOrganisationsRules(t *testing.T) {
	cases := []struct {
		name, row, column, reason string
	}{
		{"bad id", "Imp Org,Name,,MINISTRY,SE,,,,,", "id", "lower-case letters"},
		{"missing name", "imp-org,,,MINISTRY,SE,,,,,", "name", "required"},
		{"bad kind", "imp-org,Name,,CHURCH,SE,,,,,", "kind", `unknown kind "CHURCH"`},
		{"no country", "imp-org,Name,,MINISTRY,,,,,,", "country", "required, except for kind NORDIC_INSTITUTION"},
		{"unknown country", "imp-org,Name,,MINISTRY,DE,,,,,", "country", `unknown country "DE"`},
		{"unknown municipality", "imp-org,Name,,MINISTRY,NO,1280,,,,", "municipality", "unknown municipality"},
		{"unknown parent", "imp-org,Name,,MINISTRY,SE,,imp-nowhere,,,", "parent", "not in Bridge and not in this file"},
		{"own parent", "imp-org,Name,,MINISTRY,SE,,imp-org,,,", "parent", "its own parent"},
		{"http website", "imp-org,Name,,MINISTRY,SE,,,http://example.org,,", "website", "https://"},
		{"not a website", "imp-org,Name,,MINISTRY,SE,,,example,,", "website", "not a web address"},
		{"bad e-mail domain", "imp-org,Name,,MINISTRY,SE,,,,@example.org,", "email_domain", "not a domain name"},
		{"too long description", "imp-org,Name,,MINISTRY,SE,,,,," + strings.Repeat("d", 2001), "description", "too long"},
		{"duplicate id", "imp-ok,Again,,MINISTRY,SE,,,,,", "id", "the same id as line 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, errs := parseOrgs(t, orgHeader+"\nimp-ok,Fine,,MINISTRY,SE,,,,,\n"+tc.row+"\n")
			if f != nil || len(errs) != 1 {
				t.Fatalf("want exactly one error, got %v", errs)
			}
			if e := errs[0]; e.Line != 3 || e.Column != tc.column || !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("got %q, want line 3, column %s: %s", e.Format("f"), tc.column, tc.reason)
			}
		})
	}
}

func TestParseOrganisationsParentLoop(t *testing.T) {
	// se-ministry-justice is in the graph; making it a child of its own child loops.
	text := orgHeader + "\n" +
		"se-ministry-justice,Justitiedepartementet,,MINISTRY,SE,,se-migrationsverket,,,\n" +
		"imp-a,A,,MINISTRY,SE,,imp-b,,,\n" +
		"imp-b,B,,MINISTRY,SE,,imp-a,,,\n"
	_, errs := parseOrgs(t, text)
	if len(errs) != 3 {
		t.Fatalf("want three errors, got %v", errs)
	}
	for _, e := range errs {
		if e.Column != "parent" || !strings.Contains(e.Reason, "loop") {
			t.Errorf("got %s", e.Format("f"))
		}
	}
	if !strings.Contains(errs[0].Reason, "se-ministry-justice → se-migrationsverket → se-ministry-justice") {
		t.Errorf("loop not shown: %s", errs[0].Reason)
	}
}

func TestOrganisationsRoundTripAndMerge(t *testing.T) {
	orgs := []bridge.Organisation{
		{ID: "imp-a", Name: "A", NameEn: "A en", Kind: bridge.OrgResearch, CountryCode: "NO", MunicipalityID: "NO-0301",
			ParentID: "nordregio", Website: "https://a.example.org/x?y=1", EmailDomain: "a.example.org", Description: "-dash"},
		{ID: "imp-b", Name: "B", Kind: bridge.OrgNordic},
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, FormatCSV, OrganisationColumns())
	for _, o := range orgs {
		_ = w.Write(OrganisationRecord(o))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, errs, err := ParseOrganisations(&buf, testRef(), nil)
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	if got := f.Organisations(); !reflect.DeepEqual(got, orgs) {
		t.Fatalf("read back %+v\nwant %+v", got, orgs)
	}

	f, _ = parseOrgs(t, "id,name,kind,country\nimp-a,A2,RESEARCH,NO\n")
	got := f.Rows[0].Organisation
	f.Merge(orgs[0], &got)
	want := orgs[0]
	want.Name = "A2"
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("merged %+v\nwant %+v", got, want)
	}
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestProgress(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	p := NewProgress(&out, true, clock.now)
	p.Start("writing people.csv", 10000)
	clock.t = clock.t.Add(2 * time.Second)
	p.Set(4000)
	if got, want := p.line(clock.t), "writing people.csv: 4,000/10,000 rows (40%), 2,000 rows/s, about 3s left"; got != want {
		t.Fatalf("line = %q, want %q", got, want)
	}
	p.Set(4001) // within the redraw interval: not drawn
	p.done = 3000
	if got, want := p.line(clock.t), "writing people.csv: 3,000/10,000 rows (30%), 1,500 rows/s, about 5s left"; got != want {
		t.Fatalf("line = %q, want %q (the time left is rounded up)", got, want)
	}
	clock.t = clock.t.Add(3 * time.Second)
	p.Set(10000)
	p.Finish()
	s := out.String()
	if strings.Count(s, "\r\x1b[K") != 3 || !strings.HasSuffix(s, "10,000/10,000 rows (100%), 2,000 rows/s\n") {
		t.Fatalf("output = %q", s)
	}

	out.Reset()
	quiet := NewProgress(&out, false, clock.now)
	quiet.Start("writing", 10)
	quiet.Set(5)
	quiet.Finish()
	if out.Len() != 0 {
		t.Fatalf("a disabled progress drew %q", out.String())
	}
	if IsTerminal(&out) {
		t.Fatal("a buffer is not a terminal")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 50000: "50,000", 1234567: "1,234,567", -1200: "-1,200"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestProgressNote(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	p := NewProgress(&out, true, clock.now)
	p.Start("writing", 10)
	clock.t = clock.t.Add(time.Second)
	p.Set(10)
	p.Note("committing the transaction")
	if !strings.HasSuffix(out.String(), "10/10 rows (100%), 10 rows/s, committing the transaction") {
		t.Fatalf("output = %q", out.String())
	}
	p.Finish()
	if !strings.HasSuffix(out.String(), "10/10 rows (100%), 10 rows/s\n") {
		t.Fatalf("the note outlived the phase: %q", out.String())
	}
}

func TestPeopleMergeKeepsRoleWithoutTouchingTheFile(t *testing.T) {
	f, errs := parsePeople(t, "email,given_name,family_name,country,organisation\nanna@imp-test.example.org,Anna,Berg,SE,nordregio\n")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	existing := bridge.Person{Affiliations: []bridge.Affiliation{{OrganisationID: "nordregio", Role: "Researcher"}}}
	got := f.Rows[0].Person
	f.Merge(existing, &got)
	if got.Affiliations[0].Role != "Researcher" {
		t.Fatalf("role %q, want the stored one", got.Affiliations[0].Role)
	}
	if f.Rows[0].Person.Affiliations[0].Role != "" {
		t.Fatal("Merge changed the parsed file's row")
	}
}
