package seed

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

func TestThemes(t *testing.T) {
	themes, err := Themes()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]bridge.Theme{}
	for _, th := range themes {
		byID[th.ID] = th
	}
	var top, narrower int
	for _, th := range themes {
		for _, lang := range bridge.RequiredLabelLanguages {
			if strings.TrimSpace(th.Labels[lang]) == "" {
				t.Errorf("%s: no %s label", th.ID, lang)
			}
		}
		if th.Descriptions["en"] == "" {
			t.Errorf("%s: no English description", th.ID)
		}
		if len(th.CrossWalks) == 0 && len(th.Broader) == 0 {
			t.Errorf("%s: a top theme should cross-walk to the reference vocabularies", th.ID)
		}
		if len(th.Broader) == 0 {
			top++
			continue
		}
		narrower++
		// The vocabulary is two levels deep: a narrower theme points at top themes only.
		for _, b := range th.Broader {
			if len(byID[b].Broader) != 0 {
				t.Errorf("%s: broader %s is not a top theme", th.ID, b)
			}
		}
	}
	if top < 10 || top > 12 {
		t.Errorf("%d top themes, want 10–12", top)
	}
	if narrower < 25 || narrower > 40 {
		t.Errorf("%d narrower themes, want 25–40", narrower)
	}
	// Every top theme has something narrower, so that a specific theme exists to choose.
	for _, th := range themes {
		if len(th.Broader) != 0 {
			continue
		}
		found := false
		for _, n := range themes {
			if slices.Contains(n.Broader, th.ID) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("top theme %s has no narrower theme", th.ID)
		}
	}
	// The example id of the domain documentation exists.
	if _, ok := byID["labour-market-establishment"]; !ok {
		t.Error("labour-market-establishment is missing")
	}
}

func TestLoadProgramme(t *testing.T) {
	themes, err := Themes()
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadProgramme(themes)
	if err != nil {
		t.Fatal(err)
	}

	wantGroups := map[string]bridge.GroupKind{
		"expert-group-labour-market":      bridge.GroupExpert,
		"expert-group-early-intervention": bridge.GroupExpert,
		"nordic-migrant-expert-forum":     bridge.GroupExpert,
		"reference-group-ministries":      bridge.GroupReference,
		"nordic-safe-cities":              bridge.GroupNetwork,
	}
	if len(p.Groups) != len(wantGroups) {
		t.Errorf("%d groups, want %d", len(p.Groups), len(wantGroups))
	}
	for _, g := range p.Groups {
		if kind, ok := wantGroups[g.ID]; !ok || kind != g.Kind {
			t.Errorf("group %s: kind %s (known %v), want %s", g.ID, g.Kind, ok, kind)
		}
	}

	type dates struct{ start, end, country string }
	wantEvents := map[string]dates{
		"oslo-2017-civil-society-culture":                     {"2017-03-28", "2017-03-28", "NO"},
		"oslo-2017-ecec-schools":                              {"2017-05-02", "2017-05-03", "NO"},
		"oslo-2017-labour-market-inclusion":                   {"2017-06-13", "2017-06-13", "NO"},
		"copenhagen-2018-integration-in-the-nordic-countries": {"2018-11-20", "2018-11-20", "DK"},
	}
	if len(p.Events) != len(wantEvents) {
		t.Errorf("%d events, want %d", len(p.Events), len(wantEvents))
	}
	for _, e := range p.Events {
		got := dates{e.StartDate, e.EndDate, e.CountryCode}
		if want, ok := wantEvents[e.ID]; !ok || got != want {
			t.Errorf("event %s: %v (known %v), want %v", e.ID, got, ok, want)
		}
	}

	// Knowledge items come only from the addresses the reference file was compiled from.
	ref, err := parseVocabularies(vocabulariesFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Practices) == 0 {
		t.Error("no practices")
	}
	for _, pr := range p.Practices {
		if !ref.sources[pr.URL] {
			t.Errorf("practice %s: url %q is not a source of %s", pr.ID, pr.URL, vocabulariesFileName)
		}
		if pr.Kind != bridge.PracticePublication {
			t.Errorf("practice %s: kind %s, want %s", pr.ID, pr.Kind, bridge.PracticePublication)
		}
	}
}

func TestNordicCountryCodesMatchCountries(t *testing.T) {
	cs, err := Countries()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range cs {
		codes = append(codes, c.Code)
	}
	slices.Sort(codes)
	want := slices.Sorted(slices.Values(nordicCountryCodes))
	if !slices.Equal(codes, want) {
		t.Fatalf("countries.csv has %v, the programme accepts %v", codes, want)
	}
}

const testVocabularies = `{
  "plain": {"items": ["Health", "Housing"], "cross_cutting": ["Gender"], "sources": ["https://example.org/a"]},
  "nested": {"items": {"Social Cohesion": ["health", "housing"]}}
}`

// testTheme returns a valid theme as written in themes.json, for tests to break one field at a
// time. Labels are derived from the id so that they are unique.
func testTheme(id string, broader ...string) map[string]any {
	labels := map[string]any{}
	for _, lang := range bridge.RequiredLabelLanguages {
		labels[lang] = id + " " + lang
	}
	return map[string]any{
		"id":           id,
		"labels":       labels,
		"descriptions": map[string]any{"en": "A theme for tests."},
		"broader":      broader,
		"crossWalks":   []string{"plain:Health"},
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseThemesAccepts(t *testing.T) {
	ref, err := parseVocabularies([]byte(testVocabularies))
	if err != nil {
		t.Fatal(err)
	}
	a := testTheme("a")
	a["crossWalks"] = []string{"plain:Housing", "plain:Gender", "nested:Social Cohesion"}
	a["labels"].(map[string]any)["fo"] = "a fo"
	b := testTheme("b-2", "a") // broader may name a theme before or after it
	c := testTheme("c", "b-2")
	delete(c, "broader")
	delete(c, "crossWalks")
	themes, err := parseThemes(mustJSON(t, []any{b, a, c}), ref)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{themes[0].ID, themes[1].ID, themes[2].ID}; !slices.Equal(got, []string{"b-2", "a", "c"}) {
		t.Errorf("order %v, want file order", got)
	}
	if themes[2].Broader == nil || themes[2].CrossWalks == nil {
		t.Error("missing lists should be empty, not nil")
	}
}

func TestParseThemesRejects(t *testing.T) {
	ref, err := parseVocabularies([]byte(testVocabularies))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edit  func(a, b map[string]any)
		wants []string // substrings of the error
	}{
		{"missing label", func(a, _ map[string]any) { delete(a["labels"].(map[string]any), "is") },
			[]string{`theme "a"`, "labels.is is missing"}},
		{"empty label", func(a, _ map[string]any) { a["labels"].(map[string]any)["fi"] = "  " },
			[]string{`theme "a"`, "labels.fi", "empty"}},
		{"unknown language", func(a, _ map[string]any) { a["labels"].(map[string]any)["no"] = "Helse" },
			[]string{`theme "a"`, "labels.no", "unknown language"}},
		{"duplicate label", func(a, b map[string]any) { b["labels"].(map[string]any)["sv"] = "A SV" },
			[]string{`theme "b"`, "labels.sv", `theme "a"`}},
		{"missing description", func(a, _ map[string]any) { a["descriptions"] = map[string]any{"sv": "Ett tema."} },
			[]string{`theme "a"`, "descriptions.en is missing"}},
		{"bad slug", func(a, _ map[string]any) { a["id"] = "Labour_Market" },
			[]string{`theme "Labour_Market"`, "id", "not a slug"}},
		{"trailing hyphen", func(a, _ map[string]any) { a["id"] = "a-" },
			[]string{"id", "not a slug"}},
		{"missing id", func(a, _ map[string]any) { delete(a, "id") },
			[]string{"theme #1", "id: is missing"}},
		{"duplicate id", func(_, b map[string]any) { b["id"] = "a" },
			[]string{`theme "a"`, "duplicate"}},
		{"unknown broader", func(_, b map[string]any) { b["broader"] = []string{"nowhere"} },
			[]string{`theme "b"`, "broader", `unknown theme "nowhere"`}},
		{"self broader", func(_, b map[string]any) { b["broader"] = []string{"b"} },
			[]string{`theme "b"`, "broader", "itself"}},
		{"cycle", func(a, _ map[string]any) { a["broader"] = []string{"b"} },
			[]string{"cycle", "a → b → a"}},
		{"unknown vocabulary", func(a, _ map[string]any) { a["crossWalks"] = []string{"mipex:Health"} },
			[]string{`theme "a"`, "crossWalks", `unknown vocabulary "mipex"`}},
		{"unknown crosswalk item", func(a, _ map[string]any) { a["crossWalks"] = []string{"plain:Wealth"} },
			[]string{`theme "a"`, "crossWalks", `no item "Wealth"`}},
		{"nested item is not a key", func(a, _ map[string]any) { a["crossWalks"] = []string{"nested:health"} },
			[]string{"crossWalks", `no item "health"`}},
		{"crosswalk without key", func(a, _ map[string]any) { a["crossWalks"] = []string{"Health"} },
			[]string{"crossWalks", "<vocabulary key>:<item>"}},
		{"unknown field", func(a, _ map[string]any) { a["broder"] = []string{} },
			[]string{"themes.json", "broder"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := testTheme("a"), testTheme("b", "a")
			tc.edit(a, b)
			_, err := parseThemes(mustJSON(t, []any{a, b}), ref)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}

	for name, data := range map[string]string{"not json": "{", "empty": "[]", "trailing data": "[] []"} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseThemes([]byte(data), ref); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestParseVocabulariesRejects(t *testing.T) {
	tests := map[string]string{
		"not json":       `[`,
		"no vocabulary":  `{}`,
		"missing items":  `{"v": {"sources": []}}`,
		"items a string": `{"v": {"items": "Health"}}`,
		"items a number": `{"v": {"items": {"Health": 1}}}`,
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := parseVocabularies([]byte(data)); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

// testProgramme returns a valid programme.json with one item of each kind, for tests to break one
// field at a time.
func testProgramme() map[string]any {
	return map[string]any{
		"groups": []any{map[string]any{
			"id": "g", "name": "Group", "kind": "EXPERT_GROUP", "description": "A group.", "themeIds": []string{"a"},
		}},
		"events": []any{map[string]any{
			"id": "e", "name": "Event", "description": "An event.", "startDate": "2017-05-02", "endDate": "2017-05-03",
			"city": "Oslo", "countryCode": "NO", "themeIds": []string{"a", "b"},
		}},
		"practices": []any{map[string]any{
			"id": "p", "title": "Report", "kind": "PUBLICATION", "summary": "A report.", "year": 2022,
			"url": "https://example.org/a", "themeIds": []string{"b"}, "countryCodes": []string{"IS", "AX"},
		}},
	}
}

func TestParseProgramme(t *testing.T) {
	themes := []bridge.Theme{{ID: "a"}, {ID: "b"}}
	first := func(p map[string]any, list string) map[string]any { return p[list].([]any)[0].(map[string]any) }

	p, err := parseProgramme(mustJSON(t, testProgramme()), themes)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) != 1 || len(p.Events) != 1 || len(p.Practices) != 1 {
		t.Fatalf("got %+v", p)
	}
	if p.Groups[0].Kind != bridge.GroupExpert || p.Practices[0].Kind != bridge.PracticePublication {
		t.Errorf("kinds not carried over: %+v", p)
	}

	tests := []struct {
		name  string
		edit  func(p map[string]any)
		wants []string
	}{
		{"unknown theme in a group", func(p map[string]any) { first(p, "groups")["themeIds"] = []string{"a", "zz"} },
			[]string{`group "g"`, "themeIds", `unknown theme "zz"`}},
		{"group without themes", func(p map[string]any) { first(p, "groups")["themeIds"] = []string{} },
			[]string{`group "g"`, "themeIds", "empty"}},
		{"bad group kind", func(p map[string]any) { first(p, "groups")["kind"] = "COMMITTEE" },
			[]string{`group "g"`, "kind", "COMMITTEE"}},
		{"group without name", func(p map[string]any) { first(p, "groups")["name"] = "" },
			[]string{`group "g"`, "name", "empty"}},
		{"duplicate group", func(p map[string]any) { p["groups"] = append(p["groups"].([]any), first(p, "groups")) },
			[]string{`group "g"`, "id", "twice"}},
		{"bad date", func(p map[string]any) { first(p, "events")["startDate"] = "2017-02-30" },
			[]string{`event "e"`, "startDate", "not an ISO date"}},
		{"unpadded date", func(p map[string]any) { first(p, "events")["endDate"] = "2017-5-3" },
			[]string{`event "e"`, "endDate", "not an ISO date"}},
		{"missing end date", func(p map[string]any) { delete(first(p, "events"), "endDate") },
			[]string{`event "e"`, "endDate", "missing"}},
		{"end before start", func(p map[string]any) { first(p, "events")["endDate"] = "2017-05-01" },
			[]string{`event "e"`, "endDate", "before startDate"}},
		{"event outside the Nordics", func(p map[string]any) { first(p, "events")["countryCode"] = "DE" },
			[]string{`event "e"`, "countryCode", `"DE"`}},
		{"unknown theme in an event", func(p map[string]any) { first(p, "events")["themeIds"] = []string{"zz"} },
			[]string{`event "e"`, "themeIds", `unknown theme "zz"`}},
		{"bad practice kind", func(p map[string]any) { first(p, "practices")["kind"] = "BOOK" },
			[]string{`practice "p"`, "kind", "BOOK"}},
		{"bad practice country", func(p map[string]any) { first(p, "practices")["countryCodes"] = []string{"IS", "is"} },
			[]string{`practice "p"`, "countryCodes", `"is"`}},
		{"repeated practice country", func(p map[string]any) { first(p, "practices")["countryCodes"] = []string{"IS", "IS"} },
			[]string{`practice "p"`, "countryCodes", "twice"}},
		{"unknown theme in a practice", func(p map[string]any) { first(p, "practices")["themeIds"] = []string{"zz"} },
			[]string{`practice "p"`, "themeIds", `unknown theme "zz"`}},
		{"relative url", func(p map[string]any) { first(p, "practices")["url"] = "pub.norden.org/us2022-423/" },
			[]string{`practice "p"`, "url"}},
		{"implausible year", func(p map[string]any) { first(p, "practices")["year"] = 22 },
			[]string{`practice "p"`, "year"}},
		{"unknown field", func(p map[string]any) { first(p, "practices")["author"] = "someone" },
			[]string{"programme.json", "author"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := testProgramme()
			tc.edit(p)
			_, err := parseProgramme(mustJSON(t, p), themes)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}
