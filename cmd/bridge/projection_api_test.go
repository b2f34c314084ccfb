package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestRelationsProjectWhatIsAsked: a relation (here an organisation's staff) and a search read only the
// parts of each person that its query asks for (graph.personPartsField); every field that comes
// from such a part is the same through the relation, asked alone or beside the others, as read
// directly, for the secretariat (who sees contact details and settings) and for a member.
func TestRelationsProjectWhatIsAsked(t *testing.T) {
	api := newTestAPI(t, envProduction, nil)
	store := testneo4j.Prepared(t, nil)
	ctx := t.Context()
	tag := uuid.NewString()[:8]
	orgID := "projection-org-" + tag
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{{ID: orgID, Name: "Projection Test Centre " + tag + " (demo)",
		Kind: bridge.OrgCivilSociety, CountryCode: "SE", MunicipalityID: "SE-1280", Active: true, Demo: true}}); err != nil {
		t.Fatal(err)
	}
	domain := "projection-" + tag + ".example.org"
	id := uuid.NewString()
	if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: id, GivenName: "Projekta", FamilyName: "Delsson" + tag,
		Title: "Coordinator", Bio: "Works on everything.", Email: "projekta@" + domain, Phone: "+00 555 0199",
		Languages: []string{"sv", "en"}, CountryCode: "SE", MunicipalityID: "SE-1280", Language: "sv",
		Visibility: bridge.VisibilityMembers, OpenToIntroductions: true, IntroductionsPerQuarter: 3, Confirmed: true,
		Source: bridge.SourceDemo, Demo: true, Consents: bridge.ConsentPurposes(),
		Themes:       []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeBoth}, {ThemeID: "language-training", Mode: bridge.ModeOffers}},
		Affiliations: []bridge.Affiliation{{OrganisationID: orgID, Role: "Coordinator"}},
		Memberships:  []bridge.Membership{{GroupID: fxGroup, Role: bridge.GroupRoleMember, Since: "2020-01-01"}},
		EventIDs:     []string{fxEvent}}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.RemovePeople(t, domain) })
	fields := map[string]string{
		"municipality": "municipality { id }", "themes": "themes { mode theme { id } }",
		"affiliations": "affiliations { role organisation { id } }", "memberships": "memberships { role group { id } }",
		"events": "events { id }", "email": "email", "phone": "phone", "version": "version", "language": "language",
	}
	all := ""
	for _, sel := range fields {
		all += " " + sel
	}
	org, person := bridge.GlobalID("Organisation", orgID), bridge.GlobalID("Person", id)
	for name, who := range map[string]bridge.Principal{"secretariat": secretariat, "member": member} {
		direct := api.call(who, `query($id: ID!) { person(id: $id) { `+all+` } }`, map[string]any{"id": person})
		var want map[string]map[string]json.RawMessage
		raw, _ := json.Marshal(direct.data)
		if direct.code != "" || json.Unmarshal(raw, &want) != nil || want["person"] == nil {
			t.Fatalf("%s: the person directly: %s", name, direct.raw)
		}
		if name == "secretariat" && (string(want["person"]["email"]) == "null" || string(want["person"]["language"]) == "null" ||
			string(want["person"]["events"]) == "[]" || string(want["person"]["memberships"]) == "[]") {
			t.Fatalf("the fixture lacks a part: %s", direct.raw)
		}
		for route, query := range map[string]string{
			"staff":  `query($id: ID!) { organisation(id: $id) { list: staff(first: 5) { edges { node { name %s } } } } }`,
			"search": `query($q: String!) { list: people(filter: {text: $q}, first: 5) { edges { node { name %s } } } }`,
		} {
			through := func(sel string) map[string]json.RawMessage {
				t.Helper()
				vars := map[string]any{"id": org}
				if route == "search" {
					vars = map[string]any{"q": "Delsson" + tag}
				}
				res := api.call(who, fmt.Sprintf(query, sel), vars)
				var d map[string]json.RawMessage
				raw, _ := json.Marshal(res.data)
				if res.code != "" || json.Unmarshal(raw, &d) != nil {
					t.Fatalf("%s: %s with %s: %s", name, route, sel, res.raw)
				}
				list := d["list"]
				if route == "staff" {
					var o map[string]json.RawMessage
					_ = json.Unmarshal(d["organisation"], &o)
					list = o["list"]
				}
				var l struct {
					Edges []struct{ Node map[string]json.RawMessage }
				}
				if json.Unmarshal(list, &l) != nil || len(l.Edges) != 1 {
					t.Fatalf("%s: %s with %s: %s", name, route, sel, res.raw)
				}
				return l.Edges[0].Node
			}
			together := through(all)
			for f, sel := range fields {
				alone := through(sel)
				if string(alone[f]) != string(want["person"][f]) || string(together[f]) != string(want["person"][f]) {
					t.Errorf("%s: %s through %s is %s alone and %s beside the others, %s directly", name, f, route, alone[f], together[f], want["person"][f])
				}
			}
		}
	}
}
