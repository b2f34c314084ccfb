package seed

import (
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

func TestLoadReferenceCounts(t *testing.T) {
	ref, err := LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	perCountry := map[string]int{}
	for _, m := range ref.Municipalities {
		perCountry[m.CountryCode]++
	}
	want := map[string]int{"SE": 290, "NO": 357, "DK": 98, "FI": 292, "AX": 16, "IS": 62, "FO": 29, "GL": 5}
	for c, n := range want {
		if perCountry[c] != n {
			t.Errorf("%s: %d municipalities, want %d", c, perCountry[c], n)
		}
	}
	if len(ref.Municipalities) != 1149 {
		t.Errorf("%d municipalities, want 1,149", len(ref.Municipalities))
	}
	if len(ref.Regions) != 75 {
		t.Errorf("%d regions, want 75", len(ref.Regions))
	}
}

func TestMunicipalityNamesAndKeys(t *testing.T) {
	ref, err := LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string][]string{}
	uncoded := 0
	for _, m := range ref.Municipalities {
		byID[m.ID] = m.Names
		if m.OfficialCode == "" {
			uncoded++
			if m.CountryCode != "IS" || !strings.HasPrefix(m.ID, "IS-X-") || m.Population == 0 {
				t.Errorf("uncoded municipality %+v", m)
			}
		}
	}
	if uncoded != 6 {
		t.Errorf("%d municipalities without official code, want the 6 Icelandic ones", uncoded)
	}
	for id, want := range map[string][]string{
		"FI-091":   {"Helsinki", "Helsingfors"},
		"AX-478":   {"Mariehamn", "Maarianhamina"},
		"NO-0301":  {"Oslo", "Oslove"},
		"NO-1826":  {"Aarborte", "Hattfjelldal"},
		"SE-1280":  {"Malmö"},
		"GL-956":   {"Sermersooq", "Kommuneqarfik Sermersooq"},
		"IS-X-SKR": {"Skagafjörður"},
	} {
		got := byID[id]
		if len(got) < len(want) {
			t.Errorf("%s: names %v, want %v", id, got, want)
			continue
		}
		for i, n := range want {
			if got[i] != n {
				t.Errorf("%s: names %v, want %v", id, got, want)
				break
			}
		}
	}
}

func TestOrganisationsHaveNoPeopleAndAbolishedAreInactive(t *testing.T) {
	ref, err := LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]bool{}
	for _, o := range ref.Organisations {
		byID[o.ID] = o.Active
		if strings.Contains(o.Description, "Minister for") {
			t.Errorf("%s names an office holder: %s", o.ID, o.Description)
		}
	}
	if active, ok := byID["is-fjolmenningarsetur"]; !ok || active {
		t.Errorf("the abolished Multicultural Information Centre: present %v, active %v", ok, active)
	}
	if !byID["no-imdi"] || !byID["nordregio"] {
		t.Error("IMDi and Nordregio should be active organisations")
	}
}

func TestReferenceRejectsBadRows(t *testing.T) {
	regions := []map[string]string{{"country": "SE", "code": "12", "name": "Skåne län", "level": "län"}}
	good := map[string]string{"country": "SE", "municipality_code": "1280", "municipality_name": "Malmö", "region_code": "12"}
	with := func(k, v string) map[string]string {
		r := map[string]string{"#file": "t.csv", "#line": "2"}
		for kk, vv := range good {
			r[kk] = vv
		}
		r[k] = v
		return r
	}
	rs, err := parseRegions(regions)
	if err != nil {
		t.Fatal(err)
	}
	for name, row := range map[string]map[string]string{
		"unknown country": with("country", "XX"),
		"unknown region":  with("region_code", "99"),
		"bad population":  with("population", "many"),
		"no code no iso":  with("municipality_code", ""),
		"no name":         with("municipality_name", ""),
	} {
		if _, err := parseMunicipalities([]map[string]string{row}, nil, nil, nil, rs); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%s: error %v, want one naming line 2", name, err)
		}
	}
	if _, err := parseMunicipalities([]map[string]string{with("x", ""), with("x", "")}, nil, nil, nil, rs); err == nil {
		t.Error("duplicate municipality accepted")
	}
}

// TestMunicipalityPopulations: every municipality outside Denmark has an official population with
// its date and a cited source; Denmark has none (no source found, none estimated).
func TestMunicipalityPopulations(t *testing.T) {
	ref, err := LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	known, denmark := 0, 0
	byID := map[string]bridge.Municipality{}
	for _, m := range ref.Municipalities {
		byID[m.ID] = m
		switch {
		case m.CountryCode == "DK":
			denmark++
			if m.Population != 0 || m.PopulationSource != "" {
				t.Errorf("%s has a population: %d (%s)", m.ID, m.Population, m.PopulationSource)
			}
		case m.Population > 0:
			known++
			if m.PopulationDate == "" || m.PopulationSource == "" {
				t.Errorf("%s: population %d without date or source", m.ID, m.Population)
			}
		default:
			t.Errorf("%s (%s) has no population", m.ID, m.Name)
		}
	}
	if known != 1051 || denmark != 98 {
		t.Errorf("%d municipalities with a population, %d in Denmark; want 1051 and 98", known, denmark)
	}
	for id, want := range map[string]struct {
		min, max int
		class    bridge.SizeClass
		source   string
	}{
		"SE-1280": {350_000, 400_000, bridge.SizeCity, "Statistics Sweden"},
		"NO-5501": {70_000, 90_000, bridge.SizeLarge, "Statistics Norway"},
		"FI-837":  {230_000, 260_000, bridge.SizeCity, "Statistics Finland"},
		"AX-478":  {11_000, 12_500, bridge.SizeSmall, "Statistics Finland"},
	} {
		m := byID[id]
		if m.Population < want.min || m.Population > want.max || m.SizeClass() != want.class || !strings.HasPrefix(m.PopulationSource, want.source) {
			t.Errorf("%s %s: %d, %s, %q", id, m.Name, m.Population, m.SizeClass(), m.PopulationSource)
		}
	}
}
