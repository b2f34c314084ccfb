package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMunicipalitiesThroughGraphQL(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	want := map[string]int{"SE": 290, "NO": 357, "DK": 98, "FI": 292, "AX": 16, "IS": 62, "FO": 29, "GL": 5}
	for country, n := range want {
		_, resp, raw := a.query(`{ municipalities(filter: {country: "` + country + `"}, first: 1) { totalCount } }`)
		var got struct{ TotalCount int }
		if err := json.Unmarshal(resp.Data["municipalities"], &got); err != nil || got.TotalCount != n {
			t.Errorf("%s: %s, want totalCount %d", country, raw, n)
		}
	}
}

func TestMunicipalityPagesAndNesting(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	q := `query($after: String) { municipalities(filter: {country: "AX"}, first: 10, after: $after) {
	  totalCount pageInfo { hasNextPage endCursor }
	  edges { cursor node { id key name names officialCode region { key name country { code } } country { code parent { code } } } } } }`
	type page struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Edges []struct {
			Node struct {
				ID, Key, Name string
				Names         []string
				Region        struct {
					Key     string
					Country struct{ Code string }
				}
				Country struct {
					Code   string
					Parent *struct{ Code string }
				}
			}
		}
	}
	var keys []string
	after := any(nil)
	before := a.roundTrips()
	pages := 0
	for {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"after": after}})
		_, resp, raw := a.post(string(body))
		if len(resp.Errors) > 0 {
			t.Fatal(raw)
		}
		var p page
		if err := json.Unmarshal(resp.Data["municipalities"], &p); err != nil {
			t.Fatal(err)
		}
		pages++
		for _, e := range p.Edges {
			keys = append(keys, e.Node.Key)
			if e.Node.Country.Code != "AX" || e.Node.Country.Parent == nil || e.Node.Country.Parent.Code != "FI" ||
				e.Node.Region.Key != "AX-21" || e.Node.Region.Country.Code != "AX" {
				t.Errorf("%s: %+v", e.Node.Key, e.Node)
			}
		}
		if !p.PageInfo.HasNextPage {
			break
		}
		after = p.PageInfo.EndCursor
	}
	if len(keys) != 16 || pages != 2 {
		t.Fatalf("%d pages gave %v", pages, keys)
	}
	// Each page is one round trip for the municipalities with their regions plus one for the
	// countries (loaded once per request, whatever the list size).
	if got := a.roundTrips() - before; got != float64(2*pages) {
		t.Errorf("%d pages took %v round trips, want %d", pages, got, 2*pages)
	}
}

func TestMunicipalityArgumentsAreValidated(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	for q, field := range map[string]string{
		`{ municipalities(first: 0) { totalCount } }`:                           "first",
		`{ municipalities(first: 101) { totalCount } }`:                         "first",
		`{ municipalities(first: 5, after: "nonsense!") { totalCount } }`:       "after",
		`{ municipalities(filter: {country: "Sweden"}) { totalCount } }`:        "filter.country",
		`{ municipalities(filter: {region: "Q291bnRyeTpTRQ"}) { totalCount } }`: "filter.region",
	} {
		_, resp, raw := a.query(q)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("%s: %s", q, raw)
			continue
		}
		var path []string
		for _, p := range resp.Errors[0].Extensions["field"].([]any) {
			path = append(path, p.(string))
		}
		if strings.Join(path, ".") != field {
			t.Errorf("%s: field %v, want %s", q, path, field)
		}
	}
}

func TestThemesThroughGraphQL(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	before := a.roundTrips()
	_, resp, raw := a.query(`{ themes { key sv: label(lang: "sv") is: label(lang: "is") labels { lang text }
	  broader { key narrower { key } } narrower { key broader { key } } } }`)
	if len(resp.Errors) > 0 {
		t.Fatal(raw)
	}
	var themes []struct {
		Key, Sv, Is string
		Labels      []struct{ Lang, Text string }
		Broader     []struct {
			Key      string
			Narrower []struct{ Key string }
		}
	}
	if err := json.Unmarshal(resp.Data["themes"], &themes); err != nil {
		t.Fatal(err)
	}
	if len(themes) < 20 {
		t.Fatalf("%d themes", len(themes))
	}
	for _, th := range themes {
		langs := map[string]bool{}
		for _, l := range th.Labels {
			langs[l.Lang] = l.Text != ""
		}
		for _, lang := range []string{"en", "sv", "nb", "da", "fi", "is"} {
			if !langs[lang] {
				t.Errorf("%s: no %s label", th.Key, lang)
			}
		}
		for _, b := range th.Broader {
			found := false
			for _, n := range b.Narrower {
				found = found || n.Key == th.Key
			}
			if !found {
				t.Errorf("%s is under %s, but not among its narrower themes", th.Key, b.Key)
			}
		}
	}
	if got := a.roundTrips() - before; got != 1 {
		t.Errorf("a 3-level theme query took %v round trips, want 1", got)
	}
}

// TestMunicipalityPopulationAndSizeClass: the official figure with its date and source, and the
// size class; Danish municipalities, which have no figure, say UNKNOWN and null, not zero.
func TestMunicipalityPopulationAndSizeClass(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	for key, want := range map[string]string{
		"SE-1280": `"population":365644,"populationDate":"2024-12-31","populationSource":"Statistics Sweden (SCB), population on 31 December 2024","sizeClass":"CITY"`,
		"DK-0101": `"population":null,"populationDate":null,"populationSource":null,"sizeClass":"UNKNOWN"`,
	} {
		_, _, raw := a.query(`{ node(id: "` + gid("Municipality", key) + `") { ... on Municipality { population populationDate populationSource sizeClass } } }`)
		if !strings.Contains(raw, want) {
			t.Errorf("%s: %s, want %s", key, raw, want)
		}
	}
}

// TestMunicipalitySearchFoldsAndSpellsAaBothWays: what a practitioner types, with or without the
// letters of their language, finds the place: prefixes with accents (the index folds them, and
// so must the query's prefix terms) and Danish/Norwegian aa and å for each other.
func TestMunicipalitySearchFoldsAndSpellsAaBothWays(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	for text, key := range map[string]string{"Jyväs": "FI-179", "jyvas": "FI-179", "Reykjavík": "IS-0000",
		"Reykjav": "IS-0000", "Århus": "DK-0751", "Arhus": "DK-0751", "Aarhus": "DK-0751", "Malmö": "SE-1280",
		"malmo": "SE-1280", "Tromsø": "NO-5501", "Tromso": "NO-5501", "Aafjord": "NO-5058", "Åfjord": "NO-5058",
		// Names in the other languages, and the towns Greenland's and the Faroes' municipalities
		// are known by (seed/reference/municipality_aliases.csv).
		"Copenhagen": "DK-0101", "Köpenhamn": "DK-0101", "Kööpenhamina": "DK-0101", "Gothenburg": "SE-1480",
		"Tukholma": "SE-0180", "Nuuk": "GL-956", "Godthåb": "GL-956", "Torshavn": "FO-4701", "Helsingfors": "FI-091",
		"Reykjavik": "IS-0000"} {
		_, _, raw := a.query(`{ municipalities(filter: {text: "` + text + `"}, first: 5) { edges { node { key } } } }`)
		if !strings.Contains(raw, `"key":"`+key+`"`) {
			t.Errorf("%q: %s, want %s among the results", text, raw, key)
		}
	}
}
