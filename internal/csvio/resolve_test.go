package csvio

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// nameRef is testRef with theme labels and organisation names.
func nameRef() Reference {
	ref := testRef()
	ref.Themes = []bridge.Theme{
		{ID: "health", Labels: map[string]string{"en": "Health", "sv": "Hälsa", "fi": "Terveys"}},
		{ID: "language-learning", Labels: map[string]string{"en": "Language learning", "sv": "Språkinlärning"}},
	}
	ref.Organisations[1].Name = "Migrationsverket"
	ref.Organisations[1].NameEn = "Swedish Migration Agency"
	return ref
}

// TestMunicipalityByName: a municipality is found by any of its names within the row's country,
// without regard to case; a name that is off by its diacritics or a letter is a problem with a
// suggestion, never a silent guess.
func TestMunicipalityByName(t *testing.T) {
	ix := nameRef().index()
	cases := []struct {
		name, country, cell, want string
		suggested                 []string
	}{
		{"name", "SE", "Malmö", "SE-1280", nil},
		{"any case", "SE", "MALMÖ", "SE-1280", nil},
		{"decomposed ö", "SE", "Malmo\u0308", "SE-1280", nil},
		{"other language", "FI", "Helsingfors", "FI-091", nil},
		{"diacritics folded: suggestion only", "SE", "Malmo", "", []string{"SE-1280"}},
		{"Danish ø folded", "SE", "Malmø", "", []string{"SE-1280"}},
		{"one letter off", "SE", "Upplands Vasbi", "", []string{"SE-0114"}},
		{"other country's name", "NO", "Malmö", "", nil},
		{"nothing near", "SE", "Kiruna", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, reason, sugg := ix.municipality(tc.country, tc.cell)
			if got != tc.want || (tc.want == "") != (reason != "") {
				t.Fatalf("municipality(%s, %q) = %q, %q; want %q", tc.country, tc.cell, got, reason, tc.want)
			}
			var values []string
			for _, s := range sugg {
				values = append(values, s.Value)
			}
			if !reflect.DeepEqual(values, tc.suggested) {
				t.Errorf("suggestions %v, want %v", values, tc.suggested)
			}
		})
	}
}

// TestSuggestionsInRows: an unknown municipality, theme or organisation is reported on its line
// and column with the cell as it would be with each suggestion; names resolve to keys.
func TestSuggestionsInRows(t *testing.T) {
	head := "email,given_name,family_name,country,municipality,themes,organisation\n"
	text := head +
		"a@imp-test.example.org,Anna,Berg,SE,Malmö,Hälsa:offers;Language learning:SEEKS,Swedish Migration Agency\n" +
		"b@imp-test.example.org,Bo,Ek,SE,Malmo,health:OFFERS;helth:SEEKS,Migrationsverk\n"
	f, errs, err := ParsePeople(strings.NewReader(text), nameRef(), nil)
	if err != nil || f != nil {
		t.Fatalf("file %v, err %v", f, err)
	}
	want := []RowError{
		{Line: 3, Column: "municipality", Suggestions: []Suggestion{{Value: "SE-1280", Label: "Malmö (SE-1280)"}}},
		{Line: 3, Column: "themes", Suggestions: []Suggestion{{Value: "health:OFFERS;health:SEEKS", Label: "Health (health)"}}},
		{Line: 3, Column: "organisation", Suggestions: []Suggestion{{Value: "se-migrationsverket", Label: "Migrationsverket (se-migrationsverket)"}}},
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %+v", errs)
	}
	for i, w := range want {
		g := errs[i]
		if g.Line != w.Line || g.Column != w.Column || !reflect.DeepEqual(g.Suggestions, w.Suggestions) {
			t.Errorf("error %d = %+v, want %+v", i, g, w)
		}
	}

	good := head + "a@imp-test.example.org,Anna,Berg,SE,Malmö,Hälsa:offers;Language learning:SEEKS,Swedish Migration Agency\n"
	f, errs, err = ParsePeople(strings.NewReader(good), nameRef(), nil)
	if err != nil || len(errs) > 0 {
		t.Fatalf("errs %v, err %v", errs, err)
	}
	p := f.Rows[0].Person
	if p.MunicipalityID != "SE-1280" || p.Affiliations[0].OrganisationID != "se-migrationsverket" ||
		!reflect.DeepEqual(p.Themes, []bridge.ThemeLink{{ThemeID: "health", Mode: "OFFERS"}, {ThemeID: "language-learning", Mode: "SEEKS"}}) {
		t.Errorf("person %+v", p)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Malmö": "malmo", "  Ærø  Kommune": "aero kommune", "Þingeyjarsveit": "thingeyjarsveit", "Jyväskylä": "jyvaskyla"} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b  string
		limit int
		want  int
	}{{"malmo", "malmo", 2, 0}, {"malmo", "malm", 2, 1}, {"kitten", "sitting", 3, 3}, {"kitten", "sitting", 1, 2}, {"a", "abcdef", 2, 3}}
	for _, tc := range cases {
		if got := editDistance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}

// TestMapping: headers map to columns by name, case, spacing and alias; an explicit mapping
// renames and leaves columns out; an unknown header is a problem only when mapped automatically.
func TestMapping(t *testing.T) {
	got := AutoMapping([]string{"E-mail", "First name", "Surname", " Country ", "shoe size", "Kommun"}, PeopleColumns())
	want := []string{"email", "given_name", "family_name", "country", "", ""}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("AutoMapping = %q, want %q", got, want)
	}
	text := "E-mail,First name,Surname,Country,shoe size,Kommun\na@imp-test.example.org,Anna,Berg,SE,44,Malmö\n"
	_, layout, errs, err := ParsePeopleWith(strings.NewReader(text), nameRef(), Options{})
	if err != nil || len(errs) != 2 || errs[0].Column != "shoe size" || errs[1].Column != "kommun" {
		t.Fatalf("automatic: errs %+v, err %v", errs, err)
	}
	if !reflect.DeepEqual(layout.Mapping, want) || layout.Header[3] != "Country" {
		t.Errorf("layout %+v", layout)
	}
	f, layout, errs, err := ParsePeopleWith(strings.NewReader(text), nameRef(),
		Options{Mapping: []string{"email", "given_name", "family_name", "country", "", "municipality"}})
	if err != nil || len(errs) > 0 {
		t.Fatalf("mapped: errs %+v, err %v", errs, err)
	}
	if p := f.Rows[0].Person; p.MunicipalityID != "SE-1280" || layout.Rows != 1 {
		t.Errorf("person %+v, layout %+v", p, layout)
	}
	_, _, errs, _ = ParsePeopleWith(strings.NewReader(text), nameRef(),
		Options{Mapping: []string{"email", "email", "family_name", "country", "", "nonsense"}})
	if len(errs) != 3 { // twice, unknown, given_name missing
		t.Errorf("bad mapping: %+v", errs)
	}
}

func TestSetCell(t *testing.T) {
	text := "email;themes\nx@example.org;\"a;b\"\ny@example.org;\"multi\nline\"\nz@example.org;c\n"
	got, err := SetCell(text, 5, 1, "d;e")
	if err != nil {
		t.Fatal(err)
	}
	if want := "email;themes\nx@example.org;\"a;b\"\ny@example.org;\"multi\nline\"\nz@example.org;\"d;e\"\n"; got != want {
		t.Errorf("SetCell = %q, want %q", got, want)
	}
	for _, bad := range [][2]int{{4, 1}, {5, 2}, {1, 0}} {
		if _, err := SetCell(text, bad[0], bad[1], "v"); err == nil {
			t.Errorf("SetCell(line %d, column %d) succeeded", bad[0], bad[1])
		}
	}
}
