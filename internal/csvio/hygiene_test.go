package csvio

import (
	"strings"
	"testing"
)

// TestImportTextHygiene: an import file's free text obeys the API's rules (bridge.CleanLine,
// CleanText, CleanPhone): no control or direction-override characters, no invisible-only names,
// a phone number's shape; and what is stored is NFC and trimmed.
func TestImportTextHygiene(t *testing.T) {
	cases := []struct {
		name, column, reason string
		edit                 func(cells []string) // on the cells of goodPerson
	}{
		{"RLO in a given name", "given_name", "direction", func(c []string) { c[1] = "Anna\u202egreB" }},
		{"isolate in a family name", "family_name", "direction", func(c []string) { c[2] = "\u2067Berg\u2069" }},
		{"zero-width family name", "family_name", "required", func(c []string) { c[2] = "\u200b\u200c\u200d\ufeff" }},
		{"Hangul filler given name", "given_name", "no visible characters", func(c []string) { c[1] = "\u3164" }},
		{"NUL in a title", "title", "control characters", func(c []string) { c[3] = "Coordinator\x00" }},
		{"ANSI escape in a title", "title", "control characters", func(c []string) { c[3] = "\x1b[31mCoordinator\x1b[0m" }},
		{"C1 control in a role", "role", "control characters", func(c []string) { c[11] = "Adviser\u009b" }},
		{"ESC in a bio", "bio", "control characters", func(c []string) { c[4] = "Works\x1b[2J on housing" }},
		{"RLO in a bio", "bio", "direction", func(c []string) { c[4] = "Works on \u202ehousing" }},
		{"phone with too few digits", "phone", "6 to 15 digits", func(c []string) { c[5] = "12345" }},
		{"phone with too many digits", "phone", "6 to 15 digits", func(c []string) { c[5] = "+46 1234 5678 9012 34" }},
		{"phone with slashes", "phone", "only digits", func(c []string) { c[5] = "+46/40/123456" }},
		{"phone with a plus inside", "phone", "only digits", func(c []string) { c[5] = "46+40 123456" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cells := strings.Split(strings.Replace(goodPerson(7), `"Works on housing, schools"`, "Works on housing", 1), ",")
			tc.edit(cells)
			f, errs := parsePeople(t, peopleHeader+"\n"+strings.Join(cells, ",")+"\n")
			if f != nil || len(errs) != 1 {
				t.Fatalf("want exactly one error, got %v", errs)
			}
			if e := errs[0]; e.Line != 2 || e.Column != tc.column || !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("got %q, want line 2, column %s, reason containing %q", e.Format("f.csv"), tc.column, tc.reason)
			}
		})
	}

	cells := strings.Split(strings.Replace(goodPerson(8), `"Works on housing, schools"`, `"Line one.`+"\r\n"+`Line two."`, 1), ",")
	cells[1], cells[2] = "\u200bMa\u0308lmo\u0308\u200b", "Bergstro\u0308m"
	cells[3], cells[5], cells[11] = "Integration\u00a0coordinator ", "+46\u00a040 123\u201145", " Adviser\u00a0"
	f, errs := parsePeople(t, peopleHeader+"\n"+strings.Join(cells, ",")+"\n")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	p := f.Rows[0].Person
	if p.GivenName != "Mälmö" || p.FamilyName != "Bergström" || p.Title != "Integration\u00a0coordinator" ||
		p.Bio != "Line one.\nLine two." || p.Phone != "+46 40 123-45" || p.Affiliations[0].Role != "Adviser" {
		t.Fatalf("stored form: %+q", []string{p.GivenName, p.FamilyName, p.Title, p.Bio, p.Phone, p.Affiliations[0].Role})
	}

	f2, errs := parseOrgs(t, orgHeader+"\nimp-a,\u200bMalmo\u0308 stad ,City of Malmo\u0308,MUNICIPAL_ADMINISTRATION,SE,,,,,\"One.\r\nTwo.\"\n"+
		"imp-b,Name\u202e,,MINISTRY,SE,,,,,\nimp-c,\u200d,,MINISTRY,SE,,,,,\nimp-d,Name,\"English\nname\",MINISTRY,SE,,,,,\n")
	if f2 != nil || len(errs) != 3 {
		t.Fatalf("want three errors, got %v", errs)
	}
	for i, want := range []struct{ column, reason string }{{"name", "direction"}, {"name", "required"}, {"name_en", "line break"}} {
		if e := errs[i]; e.Column != want.column || !strings.Contains(e.Reason, want.reason) {
			t.Errorf("error %d: %s, want column %s: %s", i, e.Format("f"), want.column, want.reason)
		}
	}
	f2, errs = parseOrgs(t, orgHeader+"\nimp-a,\u200bMalmo\u0308 stad ,City of Malmo\u0308,MUNICIPAL_ADMINISTRATION,SE,,,,,\"One.\r\nTwo.\"\n")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if o := f2.Rows[0].Organisation; o.Name != "Malmö stad" || o.NameEn != "City of Malmö" || o.Description != "One.\nTwo." {
		t.Fatalf("stored form: %+q", []string{o.Name, o.NameEn, o.Description})
	}
}
