package main

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestNetworkMapIsTheSecretariats: the map of the network is refused to visitors (sign in) and
// members (FORBIDDEN), every query of it.
func TestNetworkMapIsTheSecretariats(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Nadia"))
	api := newTestAPI(t, envProduction, nil)
	for _, q := range []string{`{ networkCoverage(by: KIND) { columns } }`, `{ networkGaps { emptyMunicipalitiesTotal } }`,
		`{ networkBridges { nodes } }`, `{ networkTrends { month } }`, `{ networkHidden { total } }`} {
		if res := api.call(as(ids[0]), q, nil); res.code != "FORBIDDEN" {
			t.Errorf("a member reads %s: %s", q, res.raw)
		}
		if res := api.call(bridge.Principal{}, q, nil); res.code != "UNAUTHENTICATED" {
			t.Errorf("a visitor reads %s: %s", q, res.raw)
		}
	}
	if res := api.call(secretariat, `{ networkGaps(threshold: 0) { emptyMunicipalitiesTotal } }`, nil); res.code != "BAD_USER_INPUT" || res.field != "threshold" {
		t.Errorf("threshold 0: %s", res.raw)
	}
	if res := api.call(secretariat, `{ networkBridges(limit: 101) { nodes } }`, nil); res.code != "BAD_USER_INPUT" || res.field != "limit" {
		t.Errorf("limit 101: %s", res.raw)
	}
}

// TestNetworkCountsMove: the secretariat's figures move by exactly one when a person (visible to
// the secretariat only, in Sweden, on family reunification, linked to nothing) is added; every
// country and column is in the table, empty cells included.
func TestNetworkCountsMove(t *testing.T) {
	api := newTestAPI(t, envProduction, nil)
	type figures struct {
		Coverage struct {
			Columns []string
			Rows    []struct {
				Country string
				Cells   []struct {
					Key    string
					People int
				}
			}
		} `json:"networkCoverage"`
		Hidden  struct{ Total, SecretariatOnly int } `json:"networkHidden"`
		Bridges struct{ Nodes, Components int }      `json:"networkBridges"`
		Trends  []struct{ Month string }             `json:"networkTrends"`
	}
	theme := bridge.GlobalID("Theme", "family-reunification")
	read := func() (figures, int) {
		t.Helper()
		res := api.call(secretariat, `{ networkCoverage(by: THEME) { columns rows { country cells { key people } } }
		  networkHidden { total secretariatOnly } networkBridges { nodes components } networkTrends(months: 12) { month } }`, nil)
		var f figures
		raw, _ := json.Marshal(res.data)
		if res.code != "" || json.Unmarshal(raw, &f) != nil {
			t.Fatalf("figures: %s", res.raw)
		}
		if len(f.Coverage.Rows) != 8 || len(f.Trends) != 12 {
			t.Fatalf("want 8 countries and 12 months: %s", res.raw)
		}
		se := -1
		for _, r := range f.Coverage.Rows {
			if len(r.Cells) != len(f.Coverage.Columns) {
				t.Fatalf("%s has %d cells for %d columns", r.Country, len(r.Cells), len(f.Coverage.Columns))
			}
			for _, c := range r.Cells {
				if r.Country == "SE" && c.Key == theme {
					se = c.People
				}
			}
		}
		if se < 0 {
			t.Fatalf("no SE cell for %s", theme)
		}
		return f, se
	}
	before, seBefore := read()
	p := openPerson("Saga")
	p.visibility = bridge.VisibilitySecretariat
	introFixture(t, p) // SE
	after, seAfter := read()
	if seAfter-seBefore != 1 {
		t.Errorf("SE × family reunification moved by %d, want 1", seAfter-seBefore)
	}
	if d := after.Hidden.SecretariatOnly - before.Hidden.SecretariatOnly; d != 1 || after.Hidden.Total-before.Hidden.Total != 1 {
		t.Errorf("hidden moved by %d (total %d), want 1", d, after.Hidden.Total-before.Hidden.Total)
	}
	if after.Bridges.Nodes-before.Bridges.Nodes != 1 || after.Bridges.Components-before.Bridges.Components != 1 {
		t.Errorf("bridges: %+v then %+v: want one more node, an island of its own", before.Bridges, after.Bridges)
	}
}

// TestNetworkCoverageSlices: the coverage table narrowed to an organisation kind and a
// municipality size class counts a person at such an organisation in such a municipality (and the
// organisation), and nobody in another slice.
func TestNetworkCoverageSlices(t *testing.T) {
	api := newTestAPI(t, envProduction, nil)
	store := testneo4j.Prepared(t, nil)
	theme := bridge.GlobalID("Theme", "family-reunification")
	cell := func(filter string) (people, orgs int) {
		t.Helper()
		res := api.call(secretariat, `{ networkCoverage(by: THEME, filter: `+filter+`) { rows { country cells { key people organisations } } } }`, nil)
		var f struct {
			Coverage struct {
				Rows []struct {
					Country string
					Cells   []struct {
						Key                   string
						People, Organisations int
					}
				}
			} `json:"networkCoverage"`
		}
		raw, _ := json.Marshal(res.data)
		if res.code != "" || json.Unmarshal(raw, &f) != nil {
			t.Fatalf("coverage %s: %s", filter, res.raw)
		}
		for _, r := range f.Coverage.Rows {
			for _, c := range r.Cells {
				if r.Country == "SE" && c.Key == theme {
					return c.People, c.Organisations
				}
			}
		}
		t.Fatalf("coverage %s: no SE cell for %s", filter, theme)
		return 0, 0
	}
	slices := []string{`{kind: MIGRANT_LED, sizeClass: CITY}`, `{kind: MIGRANT_LED}`, `{sizeClass: CITY}`,
		`{kind: RESEARCH, sizeClass: CITY}`, `{kind: MIGRANT_LED, sizeClass: VERY_SMALL}`}
	want := [][2]int{{1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}}
	before := make([][2]int, len(slices))
	for i, s := range slices {
		before[i][0], before[i][1] = cell(s)
	}
	tag := uuid.NewString()[:8]
	ctx := t.Context()
	orgID := "slice-org-" + tag
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{{ID: orgID, Name: "Slice Test Association " + tag + " (demo)",
		Kind: bridge.OrganisationKind("MIGRANT_LED"), CountryCode: "SE", MunicipalityID: "SE-1280", Active: true, Demo: true}}); err != nil {
		t.Fatal(err)
	}
	domain := "slice-" + tag + ".example.org"
	if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: uuid.NewString(), GivenName: "Skiva", FamilyName: "Slice" + tag,
		Title: "Coordinator", Email: "skiva@" + domain, Languages: []string{"sv"}, CountryCode: "SE", MunicipalityID: "SE-1280",
		Visibility: bridge.VisibilityMembers, Confirmed: true, Source: bridge.SourceDemo, Demo: true,
		Affiliations: []bridge.Affiliation{{OrganisationID: orgID, Role: "Coordinator"}},
		Themes:       []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeBoth}}}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.RemovePeople(t, domain) })
	for i, s := range slices {
		p, o := cell(s)
		if d := [2]int{p - before[i][0], o - before[i][1]}; d != want[i] {
			t.Errorf("slice %s moved by %v (people, organisations), want %v", s, d, want[i])
		}
	}
}
