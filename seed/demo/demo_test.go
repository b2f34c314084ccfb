package demo

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// testReference is a small synthetic reference: municipalities in four countries, with and
// without population, themes with broader links, two groups and two events.
func testReference() Reference {
	muni := func(id, name, country string, pop int, names ...string) bridge.Municipality {
		if len(names) == 0 {
			names = []string{name}
		}
		return bridge.Municipality{ID: id, Name: name, Names: names, CountryCode: country, Population: pop}
	}
	theme := func(id, en, sv string, broader ...string) bridge.Theme {
		return bridge.Theme{ID: id, Labels: map[string]string{"en": en, "sv": sv, "nb": en, "da": en, "fi": en, "is": en}, Broader: broader}
	}
	return Reference{
		Municipalities: []bridge.Municipality{
			muni("SE-1280", "Malmö", "SE", 0),
			muni("SE-0180", "Stockholm", "SE", 0),
			muni("SE-2480", "Umeå", "SE", 0),
			muni("SE-0123", "Järfälla", "SE", 0),
			muni("NO-0301", "Oslo - Oslove", "NO", 0, "Oslo", "Oslove"),
			muni("NO-5501", "Tromsø", "NO", 0, "Tromsø", "Romsa", "Tromssa"),
			muni("NO-3419", "Våler", "NO", 0),
			muni("FI-091", "Helsinki", "FI", 0, "Helsinki", "Helsingfors"),
			muni("FI-853", "Turku", "FI", 0, "Turku", "Åbo"),
			muni("FI-005", "Alajärvi", "FI", 0),
			muni("IS-0000", "Reykjavíkurborg", "IS", 138772),
			muni("IS-6000", "Akureyrarbær", "IS", 19893),
			muni("IS-1606", "Kjósarhreppur", "IS", 301),
			muni("IS-x-unknown", "Óþekktahreppur", "IS", 0),
		},
		Themes: []bridge.Theme{
			theme("labour-market-establishment", "Faster labour-market establishment", "Snabbare etablering på arbetsmarknaden"),
			theme("children-families-schools", "Newly arrived children and families, schools and ECEC", "Nyanlända barn och familjer, skola och förskola"),
			theme("civil-society-culture", "The role of civil society and culture", "Civilsamhällets och kulturens roll"),
			theme("health", "Health", "Hälsa"),
			theme("recognition-of-qualifications", "Recognition of foreign qualifications", "Validering av utländsk kompetens", "labour-market-establishment"),
			theme("mentoring-matchmaking", "Mentoring and matchmaking with employers", "Mentorskap och matchning", "labour-market-establishment"),
			theme("ecec-language", "Language development in ECEC", "Språkutveckling i förskolan", "children-families-schools"),
			theme("introductory-classes", "Introductory classes", "Förberedelseklasser", "children-families-schools"),
			theme("volunteering", "Volunteering with newcomers", "Volontärarbete med nyanlända", "civil-society-culture"),
			theme("trauma-informed-care", "Trauma-informed care", "Traumamedveten omsorg", "health"),
			theme("EU-funding", "EU funding for integration projects", "EU-finansiering", "civil-society-culture", "labour-market-establishment"),
		},
		Groups: []bridge.ExpertGroup{
			{ID: "group-labour", Name: "Expert group on labour-market integration", Kind: bridge.GroupExpert,
				ThemeIDs: []string{"labour-market-establishment", "mentoring-matchmaking"}},
			{ID: "group-children", Name: "Expert group on early intervention", Kind: bridge.GroupExpert,
				ThemeIDs: []string{"children-families-schools"}},
		},
		Events: []bridge.Event{
			{ID: "event-oslo-2017", Name: "Oslo conference 2017", StartDate: "2017-06-01", EndDate: "2017-06-01", City: "Oslo", CountryCode: "NO"},
			{ID: "event-copenhagen-2018", Name: "Copenhagen conference 2018", StartDate: "2018-11-20", EndDate: "2018-11-20", City: "København", CountryCode: "DK"},
		},
	}
}

func newGenerator(t testing.TB, people int, seed uint64) *Generator {
	t.Helper()
	g, err := New(testReference(), people, seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewValidates(t *testing.T) {
	tests := map[string]func(*Reference) int{
		"negative people":        func(*Reference) int { return -1 },
		"no municipalities":      func(r *Reference) int { r.Municipalities = nil; return 10 },
		"no themes":              func(r *Reference) int { r.Themes = nil; return 10 },
		"unknown country":        func(r *Reference) int { r.Municipalities[0].CountryCode = "DE"; return 10 },
		"duplicate municipality": func(r *Reference) int { r.Municipalities[1].ID = r.Municipalities[0].ID; return 10 },
		"negative population":    func(r *Reference) int { r.Municipalities[0].Population = -3; return 10 },
		"duplicate theme":        func(r *Reference) int { r.Themes[1].ID = r.Themes[0].ID; return 10 },
		"theme without ID":       func(r *Reference) int { r.Themes[2].ID = ""; return 10 },
		"group without ID":       func(r *Reference) int { r.Groups[0].ID = ""; return 10 },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			ref := testReference()
			people := mutate(&ref)
			if g, err := New(ref, people, 1); err == nil {
				t.Fatalf("New accepted it: %v", g)
			}
		})
	}
	if _, err := New(testReference(), 0, 1); err != nil {
		t.Errorf("zero people: %v", err)
	}
}

func TestDeterminism(t *testing.T) {
	a, b := newGenerator(t, 2000, 42), newGenerator(t, 2000, 42)
	if !reflect.DeepEqual(a.People(0, 500), b.People(0, 500)) {
		t.Error("two generators with the same seed gave different people")
	}
	if !reflect.DeepEqual(a.Organisations(), b.Organisations()) {
		t.Error("two generators with the same seed gave different organisations")
	}
	if !reflect.DeepEqual(a.Introductions(0, 2000), b.Introductions(0, 2000)) {
		t.Error("two generators with the same seed gave different introductions")
	}
	c := newGenerator(t, 2000, 43)
	pa, pc := a.People(0, 500), c.People(0, 500)
	same := 0
	for i := range pa {
		if pa[i].ID == pc[i].ID {
			t.Errorf("person %d has the same ID under seeds 42 and 43", i)
		}
		if pa[i].GivenName == pc[i].GivenName && pa[i].FamilyName == pc[i].FamilyName && pa[i].MunicipalityID == pc[i].MunicipalityID {
			same++
		}
	}
	if same > 25 {
		t.Errorf("%d of 500 people are alike under seeds 42 and 43", same)
	}
}

// TestGolden pins a few values, so that a change of the output is noticed: a new Go release
// that maps PCG differently, or an edit of a table. Demo data that changes under the loader
// makes benchmark runs incomparable; update the values only on purpose.
func TestGolden(t *testing.T) {
	g := newGenerator(t, 1000, 7)
	if got, want := g.PersonID(0), "3f451435-911b-4ad3-8ec4-b82a960264cb"; got != want {
		t.Errorf("PersonID(0) = %q, want %q", got, want)
	}
	p := g.People(3, 4)[0]
	want := []string{"elin.gustafsson.3@example.org", "SE-2480", "Enhetschef för integration",
		"Enhetschef för integration i Umeå. Arbetar med validering av utländsk kompetens. " +
			"Vill gärna lära sig mer om traumamedveten omsorg från andra nordiska länder."}
	if got := []string{p.Email, p.MunicipalityID, p.Title, p.Bio}; !reflect.DeepEqual(got, want) {
		t.Errorf("person 3 is\n%q, want\n%q", got, want)
	}
	if o := g.Organisations()[0]; o.ID != "ed84a942-4bd7-4512-b0c7-a5cbd8cc92c6" || o.Name != "Våler kommune – flyktningtjenesten (demo)" {
		t.Errorf("organisation 0 is %q %q", o.ID, o.Name)
	}
	in := g.Introductions(0, 1000)[0]
	if in.ID != "9b8483a5-f0d0-4457-8416-1b54c18790e5" || in.ToID != "751894b8-6f4d-4451-9b0a-927c15a5aae7" || in.Date != "2024-02-21" {
		t.Errorf("first introduction is %+v", in)
	}
}

func TestBatchIndependence(t *testing.T) {
	g := newGenerator(t, 1000, 1)
	a, b := g.People(0, 100), g.People(50, 150)
	if !reflect.DeepEqual(a[57], b[7]) {
		t.Errorf("person 57 depends on its batch:\n%+v\n%+v", a[57], b[7])
	}
	// Generating in reverse order or one at a time changes nothing either.
	for i := 99; i >= 90; i-- {
		if one := g.People(i, i+1); !reflect.DeepEqual(one[0], a[i]) {
			t.Errorf("person %d generated alone differs", i)
		}
	}
	all := g.Introductions(0, 1000)
	parts := append(g.Introductions(0, 333), g.Introductions(333, 1000)...)
	if !reflect.DeepEqual(all, parts) {
		t.Error("introductions depend on the batch")
	}
	// Organisations do not depend on how many times they are asked for.
	if !reflect.DeepEqual(g.Organisations(), g.Organisations()) {
		t.Error("Organisations is not stable")
	}
}

func TestRanges(t *testing.T) {
	g := newGenerator(t, 100, 1)
	tests := []struct{ from, to, want int }{
		{-5, 3, 3}, {10, 5, 0}, {98, 110, 2}, {100, 200, 0}, {0, 0, 0}, {0, 100, 100},
	}
	for _, tt := range tests {
		if got := len(g.People(tt.from, tt.to)); got != tt.want {
			t.Errorf("People(%d, %d) gave %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	if got := g.People(98, 110)[1]; !reflect.DeepEqual(got, g.People(99, 100)[0]) {
		t.Error("a clamped batch differs from an exact one")
	}
	for _, n := range []int{0, 1} {
		if intros := newGenerator(t, n, 1).Introductions(0, n); len(intros) != 0 {
			t.Errorf("%d people had %d introductions", n, len(intros))
		}
	}
}

// countryLanguages are the languages of which every person of a country speaks at least one.
var countryLanguages = map[string][]string{
	"SE": {"sv"}, "AX": {"sv"}, "NO": {"nb", "nn"}, "DK": {"da"}, "FO": {"fo", "da"}, "GL": {"kl", "da"}, "FI": {"fi", "sv"}, "IS": {"is"},
}

func TestPeopleInvariants(t *testing.T) {
	const n = 20_000
	ref := testReference()
	g := newGenerator(t, n, 2024)
	people := g.People(0, n)
	orgIDs := map[string]bool{}
	for _, o := range g.Organisations() {
		orgIDs[o.ID] = true
	}
	muniCountry := map[string]string{}
	for _, m := range ref.Municipalities {
		muniCountry[m.ID] = m.CountryCode
	}
	groupIDs, eventIDs, themeIDs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, x := range ref.Groups {
		groupIDs[x.ID] = true
	}
	for _, x := range ref.Events {
		eventIDs[x.ID] = true
	}
	for _, x := range ref.Themes {
		themeIDs[x.ID] = true
	}
	emails, ids := map[string]int{}, map[string]int{}
	var public, open, members, events, withAff, migrantLang int
	modes := map[bridge.ThemeMode]int{}
	for i, p := range people {
		if !p.Demo || p.Source != bridge.SourceDemo || !p.Confirmed {
			t.Fatalf("person %d is not a confirmed demo person: %+v", i, p)
		}
		if j, dup := emails[strings.ToLower(p.Email)]; dup {
			t.Fatalf("persons %d and %d share e-mail %s", j, i, p.Email)
		}
		emails[strings.ToLower(p.Email)] = i
		if !strings.HasSuffix(p.Email, "@example.org") || strings.Count(p.Email, "@") != 1 {
			t.Fatalf("person %d has e-mail %q", i, p.Email)
		}
		if !uuidV4.MatchString(p.ID) || p.ID != g.PersonID(i) {
			t.Fatalf("person %d has ID %q (PersonID %q)", i, p.ID, g.PersonID(i))
		}
		if j, dup := ids[p.ID]; dup {
			t.Fatalf("persons %d and %d share ID %s", j, i, p.ID)
		}
		ids[p.ID] = i
		if p.GivenName == "" || p.FamilyName == "" || p.Title == "" || p.Bio == "" || strings.Contains(p.Bio, "{") {
			t.Fatalf("person %d is incomplete: %+v", i, p)
		}
		if p.Phone != "" && !strings.HasPrefix(p.Phone, "+00 ") {
			t.Fatalf("person %d has a phone number that might be real: %q", i, p.Phone)
		}
		if muniCountry[p.MunicipalityID] != p.CountryCode {
			t.Fatalf("person %d lives in %s, which is not in %s", i, p.MunicipalityID, p.CountryCode)
		}
		if !slices.ContainsFunc(countryLanguages[p.CountryCode], func(l string) bool { return slices.Contains(p.Languages, l) }) {
			t.Fatalf("person %d in %s speaks %v", i, p.CountryCode, p.Languages)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(p.Languages)))) != len(p.Languages) {
			t.Fatalf("person %d has a language twice: %v", i, p.Languages)
		}
		for _, l := range p.Languages {
			if slices.Contains([]string{"ar", "so", "fa", "ti", "uk", "bs", "pl", "ku"}, l) {
				migrantLang++
				break
			}
		}
		if len(p.Themes) < 2 || len(p.Themes) > 6 {
			t.Fatalf("person %d has %d themes", i, len(p.Themes))
		}
		seen := map[string]bool{}
		for _, tl := range p.Themes {
			if seen[tl.ThemeID] {
				t.Fatalf("person %d has theme %s twice", i, tl.ThemeID)
			}
			seen[tl.ThemeID] = true
			if !themeIDs[tl.ThemeID] || !tl.Mode.Valid() {
				t.Fatalf("person %d has theme link %+v", i, tl)
			}
			modes[tl.Mode]++
		}
		if !p.Visibility.Valid() {
			t.Fatalf("person %d has visibility %q", i, p.Visibility)
		}
		if p.Visibility == bridge.VisibilityPublic {
			public++
		}
		if p.OpenToIntroductions {
			open++
			if p.IntroductionsPerQuarter < 1 || p.IntroductionsPerQuarter > 5 {
				t.Fatalf("person %d is open with %d a quarter", i, p.IntroductionsPerQuarter)
			}
		} else if p.IntroductionsPerQuarter != 0 {
			t.Fatalf("person %d is closed with %d a quarter", i, p.IntroductionsPerQuarter)
		}
		if len(p.Affiliations) > 0 {
			withAff++
		}
		for _, a := range p.Affiliations {
			if !orgIDs[a.OrganisationID] || a.Role == "" || a.Since < "2010-01-01" || a.Since > "2025-12-31" {
				t.Fatalf("person %d has affiliation %+v", i, a)
			}
		}
		if len(p.Memberships) > 0 {
			members++
		}
		for _, m := range p.Memberships {
			if !groupIDs[m.GroupID] || m.Since < "2016-01-01" || m.Since > "2024-12-31" || (m.Until != "" && m.Until <= m.Since) {
				t.Fatalf("person %d has membership %+v", i, m)
			}
		}
		if len(p.EventIDs) > 0 {
			events++
		}
		if len(slices.Compact(slices.Sorted(slices.Values(p.EventIDs)))) != len(p.EventIDs) {
			t.Fatalf("person %d attended an event twice: %v", i, p.EventIDs)
		}
		for _, e := range p.EventIDs {
			if !eventIDs[e] {
				t.Fatalf("person %d attended unknown event %s", i, e)
			}
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	checks := []struct {
		name      string
		got, want float64
		tolerance float64
	}{
		{"public", share(public), 0.30, 0.02},
		{"open to introductions", share(open), 0.80, 0.02},
		{"members of a group", share(members), 0.02, 0.006},
		{"attended an event", share(events), 0.05, 0.01},
		{"working at a demo organisation", share(withAff), 0.93, 0.02},
		{"speaking a migrant language", share(migrantLang), 0.16, 0.04},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > c.tolerance {
			t.Errorf("share %s is %.3f, want %.3f ± %.3f", c.name, c.got, c.want, c.tolerance)
		}
	}
	total := modes[bridge.ModeOffers] + modes[bridge.ModeSeeks] + modes[bridge.ModeBoth]
	if f := float64(modes[bridge.ModeOffers]) / float64(total); math.Abs(f-0.45) > 0.02 {
		t.Errorf("share of OFFERS is %.3f, want 0.45", f)
	}
}

func TestCountryShares(t *testing.T) {
	const n = 20_000
	g := newGenerator(t, n, 99)
	counts := map[string]int{}
	iceland := map[string]int{}
	for _, p := range g.People(0, n) {
		counts[p.CountryCode]++
		if p.CountryCode == "IS" {
			iceland[p.MunicipalityID]++
		}
	}
	weights := map[string]float64{"SE": 10.5, "NO": 5.5, "FI": 5.6, "IS": 0.39}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	for code, w := range weights {
		want, got := w/sum, float64(counts[code])/n
		if math.Abs(got-want) > 0.02 || math.Abs(got-want)/want > 0.25 {
			t.Errorf("share of %s is %.4f, want %.4f", code, got, want)
		}
	}
	if len(counts) != len(weights) {
		t.Errorf("people in %v, want only the countries of the reference", counts)
	}
	// Within Iceland, by population: Reykjavík has about 138772/(138772+19893+301+mean) of them.
	mean := (138772.0 + 19893 + 301) / 3
	want := 138772 / (138772 + 19893 + 301 + mean)
	if got := float64(iceland["IS-0000"]) / float64(counts["IS"]); math.Abs(got-want) > 0.08 {
		t.Errorf("share of Reykjavík among Icelanders is %.3f, want %.3f", got, want)
	}
}

func TestThemeSkew(t *testing.T) {
	const n = 20_000
	// A vocabulary of 60 themes, 11 of them top themes, like the programme's.
	big := testReference()
	big.Themes = nil
	for i := range 60 {
		th := bridge.Theme{ID: fmt.Sprintf("theme-%d", i), Labels: map[string]string{"en": fmt.Sprintf("Theme %d", i)}}
		if i >= 11 {
			th.Broader = []string{fmt.Sprintf("theme-%d", i%11)}
		}
		big.Themes = append(big.Themes, th)
	}
	tests := []struct {
		name  string
		ref   Reference
		ratio int // the commonest theme is named by at least ratio times as many people as the median one
	}{
		// With eleven themes and two to six per person, the common themes saturate.
		{"small vocabulary", testReference(), 2},
		{"large vocabulary", big, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(tt.ref, n, 5)
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, p := range g.People(0, n) {
				for _, tl := range p.Themes {
					counts[tl.ThemeID]++
				}
			}
			var c []int
			for _, th := range tt.ref.Themes {
				c = append(c, counts[th.ID])
			}
			slices.Sort(c)
			most, median := c[len(c)-1], c[len(c)/2]
			if most < tt.ratio*median {
				t.Errorf("most popular theme has %d people, the median one %d: not skewed (%v)", most, median, c)
			}
			if most > n*3/4 {
				t.Errorf("most popular theme has %d of %d people: too dominant", most, n)
			}
			if c[0] == 0 {
				t.Errorf("some theme has nobody: %v", c)
			}
		})
	}
}

func TestIntroductions(t *testing.T) {
	const n = 20_000
	g := newGenerator(t, n, 11)
	people := g.People(0, n)
	index := map[string]int{}
	for i, p := range people {
		index[p.ID] = i
	}
	intros := g.Introductions(0, n)
	if got := float64(len(intros)) / n; math.Abs(got-0.05) > 0.01 {
		t.Errorf("%d introductions for %d people, want about one per twenty", len(intros), n)
	}
	ids := map[string]bool{}
	abroad := 0
	for _, in := range intros {
		from, okFrom := index[in.FromID]
		to, okTo := index[in.ToID]
		if !okFrom || !okTo || from == to {
			t.Fatalf("introduction %+v: from %d (%v) to %d (%v)", in, from, okFrom, to, okTo)
		}
		if !slices.ContainsFunc(people[from].Themes, func(tl bridge.ThemeLink) bool { return tl.ThemeID == in.ThemeID }) {
			t.Fatalf("introduction %+v is on a theme the person does not have", in)
		}
		if !in.Demo || !uuidV4.MatchString(in.ID) || ids[in.ID] {
			t.Fatalf("introduction %+v: bad or duplicate ID, or not demo", in)
		}
		ids[in.ID] = true
		if in.Date < "2018-01-01" || in.Date > "2025-12-31" {
			t.Fatalf("introduction %+v: date out of range", in)
		}
		if !slices.Contains([]string{"MET", "USEFUL", "NOT_USEFUL", "NO_CONTACT"}, in.Outcome) {
			t.Fatalf("introduction %+v: outcome", in)
		}
		if people[from].CountryCode != people[to].CountryCode {
			abroad++
		}
	}
	if f := float64(abroad) / float64(len(intros)); f < 0.9 {
		t.Errorf("only %.2f of introductions cross a border", f)
	}
	// A batch yields only introductions from its own people.
	for _, in := range g.Introductions(100, 200) {
		if i := index[in.FromID]; i < 100 || i >= 200 {
			t.Errorf("Introductions(100, 200) gave one from person %d", i)
		}
	}
}

func TestOrganisations(t *testing.T) {
	ref := testReference()
	muniCountry := map[string]string{}
	for _, m := range ref.Municipalities {
		muniCountry[m.ID] = m.CountryCode
	}
	for _, tt := range []struct{ people, want int }{{0, 20}, {100, 20}, {8000, 1000}, {1_000_000, 50_000}} {
		g := newGenerator(t, tt.people, 3)
		orgs := g.Organisations()
		if len(orgs) != tt.want {
			t.Errorf("%d people: %d organisations, want %d", tt.people, len(orgs), tt.want)
		}
		ids, names, domains := map[string]bool{}, map[string]bool{}, map[string]bool{}
		kinds := map[bridge.OrganisationKind]int{}
		for _, o := range orgs {
			if !o.Demo || !o.Active || o.Source != "demo" || !uuidV4.MatchString(o.ID) || ids[o.ID] {
				t.Fatalf("organisation %+v: not demo, inactive, or bad ID", o)
			}
			ids[o.ID] = true
			if !strings.HasSuffix(o.Name, " (demo)") || !strings.HasSuffix(o.NameEn, " (demo)") {
				t.Fatalf("organisation %q does not look like demo", o.Name)
			}
			if o.Kind != bridge.OrgMunicipality {
				if names[o.Name] {
					t.Fatalf("two organisations are called %q", o.Name)
				}
				names[o.Name] = true
			}
			if !strings.HasSuffix(o.EmailDomain, ".example.org") || domains[o.EmailDomain] {
				t.Fatalf("organisation %q has e-mail domain %q", o.Name, o.EmailDomain)
			}
			domains[o.EmailDomain] = true
			if o.Website != "" && o.Website != "https://"+o.EmailDomain {
				t.Fatalf("organisation %q has website %q", o.Name, o.Website)
			}
			if muniCountry[o.MunicipalityID] != o.CountryCode || o.CountryCode == "" {
				t.Fatalf("organisation %q is in %q, %q", o.Name, o.MunicipalityID, o.CountryCode)
			}
			kinds[o.Kind]++
		}
		for _, k := range []bridge.OrganisationKind{bridge.OrgMunicipality, bridge.OrgCivilSociety} {
			if kinds[k] == 0 {
				t.Errorf("%d people: no organisation of kind %s (%v)", tt.people, k, kinds)
			}
		}
		for k := range kinds {
			if !slices.Contains([]bridge.OrganisationKind{bridge.OrgMunicipality, bridge.OrgCivilSociety, bridge.OrgMigrantLed, bridge.OrgResearch}, k) {
				t.Errorf("unexpected kind %s", k)
			}
		}
	}
}

// TestMunicipalRolesWorkAtHome checks that a person with a municipal role works at their own
// municipality's administration whenever it has one.
func TestMunicipalRolesWorkAtHome(t *testing.T) {
	g := newGenerator(t, 5000, 8)
	orgs := map[string]bridge.Organisation{}
	for _, o := range g.Organisations() {
		orgs[o.ID] = o
	}
	home, municipal := 0, 0
	for _, p := range g.People(0, 5000) {
		if len(p.Affiliations) == 0 {
			continue
		}
		if o := orgs[p.Affiliations[0].OrganisationID]; o.Kind == bridge.OrgMunicipality {
			municipal++
			if o.MunicipalityID == p.MunicipalityID {
				home++
			}
		}
	}
	if municipal == 0 || home != municipal {
		t.Errorf("%d of %d municipal staff work in their own municipality", home, municipal)
	}
}

func TestSlugAndNames(t *testing.T) {
	tests := map[string]string{
		"Malmö stad":            "malmo-stad",
		"Þórunn Sigurðardóttir": "thorunn-sigurdardottir",
		"Hodžić":                "hodzic",
		"Al-Hassan":             "al-hassan",
		"  Ærø -- Kommune ":     "aero-kommune",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := polishFeminine("Kowalski"); got != "Kowalska" {
		t.Errorf("polishFeminine(Kowalski) = %q", got)
	}
	if got := polishFeminine("Nowak"); got != "Nowak" {
		t.Errorf("polishFeminine(Nowak) = %q", got)
	}
	if got := lowerFirst("EU funding"); got != "EU funding" {
		t.Errorf("lowerFirst kept no acronym: %q", got)
	}
	for x, want := range map[uint64]uint64{0: 0, 1: 1, 15: 3, 16: 4, 17: 4, 1 << 40: 1 << 20, 3 << 20: 1773} {
		if got := isqrt(x); got != want {
			t.Errorf("isqrt(%d) = %d, want %d", x, got, want)
		}
	}
	if got := lowerFirst("Health"); got != "health" {
		t.Errorf("lowerFirst(Health) = %q", got)
	}
}

func BenchmarkPeople(b *testing.B) {
	const batch = 10_000
	g := newGenerator(b, 1_000_000, 1)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		from := (i * batch) % (1_000_000 - batch)
		if got := g.People(from, from+batch); len(got) != batch {
			b.Fatalf("got %d people", len(got))
		}
	}
	b.ReportMetric(float64(b.N)*batch/b.Elapsed().Seconds(), "people/s")
}

func BenchmarkIntroductions(b *testing.B) {
	const batch = 10_000
	g := newGenerator(b, 1_000_000, 1)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		from := (i * batch) % (1_000_000 - batch)
		g.Introductions(from, from+batch)
	}
}

// TestConcurrentBatches runs batches in parallel, as a loader does; run it with -race.
func TestConcurrentBatches(t *testing.T) {
	g := newGenerator(t, 4000, 3)
	want := g.People(0, 4000)
	got := make([][]bridge.Person, 4)
	done := make(chan int)
	for k := range got {
		go func() {
			got[k] = g.People(k*1000, (k+1)*1000)
			g.Introductions(k*1000, (k+1)*1000)
			g.Organisations()
			done <- k
		}()
	}
	for range got {
		<-done
	}
	if !reflect.DeepEqual(slices.Concat(got...), want) {
		t.Error("parallel batches differ from one sequential batch")
	}
}
