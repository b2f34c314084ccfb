package seed

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The reference files, copied from the shared Nordic data set (see reference/README.md).
//
//go:embed reference/*.csv
var referenceFiles embed.FS

// Reference is the real reference data of the graph: places and the public actors in integration.
type Reference struct {
	Countries      []bridge.Country
	Regions        []bridge.Region
	Municipalities []bridge.Municipality
	Organisations  []bridge.Organisation
}

// LoadReference parses and validates the embedded reference files.
func LoadReference() (Reference, error) {
	var ref Reference
	var err error
	if ref.Countries, err = Countries(); err != nil {
		return ref, err
	}
	read := func(name string) ([]map[string]string, error) {
		raw, err := referenceFiles.ReadFile("reference/" + name)
		if err != nil {
			return nil, err
		}
		return readCSV(name, raw)
	}
	regions, err := read("nordic_regions.csv")
	if err != nil {
		return ref, err
	}
	munis, err := read("nordic_municipalities_all.csv")
	if err != nil {
		return ref, err
	}
	finland, err := read("finland_municipalities_2024_statfi.csv")
	if err != nil {
		return ref, err
	}
	greenland, err := read("greenland_municipalities.csv")
	if err != nil {
		return ref, err
	}
	iceland, err := read("iceland_municipalities_2025_hagstofa.csv")
	if err != nil {
		return ref, err
	}
	population, err := read("municipality_population.csv")
	if err != nil {
		return ref, err
	}
	orgs, err := read("organisations.csv")
	if err != nil {
		return ref, err
	}
	if ref.Regions, err = parseRegions(regions); err != nil {
		return ref, err
	}
	if ref.Municipalities, err = parseMunicipalities(munis, finland, greenland, iceland, ref.Regions); err != nil {
		return ref, err
	}
	if err := addPopulationSources(ref.Municipalities, munis, population); err != nil {
		return ref, err
	}
	aliases, err := read("municipality_aliases.csv")
	if err != nil {
		return ref, err
	}
	if err := addAliases(ref.Municipalities, aliases); err != nil {
		return ref, err
	}
	if ref.Organisations, err = parseOrganisations(orgs); err != nil {
		return ref, err
	}
	return ref, nil
}

// readCSV reads a CSV file with a header into maps keyed by column name; each map also carries
// the line number under "#line", for error messages.
func readCSV(name string, raw []byte) ([]map[string]string, error) {
	r := csv.NewReader(bytes.NewReader(raw))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		row := map[string]string{"#line": strconv.Itoa(line), "#file": name}
		for i, h := range header {
			row[h] = strings.TrimSpace(rec[i])
		}
		out = append(out, row)
	}
}

func rowErr(row map[string]string, format string, args ...any) error {
	return fmt.Errorf("%s line %s: %s", row["#file"], row["#line"], fmt.Sprintf(format, args...))
}

// alandRegion is the Finnish maakunta code of Åland: its region and municipalities belong to the
// autonomous territory AX, not to FI.
const alandRegion = "21"

func placeCountry(country, regionCode string) string {
	if country == "FI" && regionCode == alandRegion {
		return "AX"
	}
	return country
}

// RegionID is our key of a region: the official code prefixed by the country, unless the code
// already carries it (Icelandic ISO codes such as IS-1).
func RegionID(country, code string) string {
	if strings.HasPrefix(code, country+"-") {
		return code
	}
	return country + "-" + code
}

func parseRegions(rows []map[string]string) ([]bridge.Region, error) {
	seen := map[string]bool{}
	out := make([]bridge.Region, 0, len(rows))
	for _, row := range rows {
		country := placeCountry(row["country"], row["code"])
		r := bridge.Region{ID: RegionID(country, row["code"]), OfficialCode: row["code"], Name: row["name"],
			Level: row["level"], CountryCode: country}
		if r.OfficialCode == "" || r.Name == "" || !knownCountry(country) {
			return nil, rowErr(row, "region needs a code, a name and a known country")
		}
		if seen[r.ID] {
			return nil, rowErr(row, "duplicate region %s", r.ID)
		}
		seen[r.ID] = true
		out = append(out, r)
	}
	return out, nil
}

func knownCountry(code string) bool {
	switch code {
	case "DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX":
		return true
	}
	return false
}

func parseMunicipalities(rows, finland, greenland, iceland []map[string]string, regions []bridge.Region) ([]bridge.Municipality, error) {
	swedishName := map[string]string{}
	for _, f := range finland {
		swedishName[f["kuntanumero"]] = f["kunta_sv"]
	}
	greenlandNames := map[string][]string{}
	for _, g := range greenland {
		names := []string{g["official_name"]}
		// other_names is "Avannaata (kal), The Northern (eng), Norden (dan)": keep the Danish name.
		for _, part := range strings.Split(g["other_names"], ",") {
			if n, ok := strings.CutSuffix(strings.TrimSpace(part), " (dan)"); ok {
				names = append(names, n)
			}
		}
		greenlandNames[g["kommunekode_cpr"]] = names
	}
	icelandISO := map[string]string{}
	for _, i := range iceland {
		icelandISO[i["sveitarfelag"]] = i["iso_3166_2"]
	}
	regionIDs := map[string]bool{}
	for _, r := range regions {
		regionIDs[r.ID] = true
	}

	seen := map[string]bool{}
	out := make([]bridge.Municipality, 0, len(rows))
	for _, row := range rows {
		country := placeCountry(row["country"], row["region_code"])
		if !knownCountry(country) {
			return nil, rowErr(row, "unknown country %q", row["country"])
		}
		m := bridge.Municipality{OfficialCode: row["municipality_code"], CountryCode: country}
		// Parallel names (Norwegian Sámi and Kven names, Finnish/Swedish) are joined by " - ".
		m.Names = appendUnique(nil, strings.Split(row["municipality_name"], " - ")...)
		switch row["country"] {
		case "FI":
			m.Names = appendUnique(m.Names, swedishName[m.OfficialCode])
			if country == "AX" { // Åland is Swedish-speaking: its Swedish name comes first
				m.Names = appendUnique([]string{swedishName[m.OfficialCode]}, m.Names...)
			}
		case "GL":
			m.Names = appendUnique(m.Names, greenlandNames[m.OfficialCode]...)
		}
		if len(m.Names) == 0 || m.Names[0] == "" {
			return nil, rowErr(row, "municipality without a name")
		}
		m.Name = m.Names[0]
		switch {
		case m.OfficialCode != "":
			m.ID = country + "-" + m.OfficialCode
		case country == "IS" && icelandISO[m.Name] != "":
			// No source gives these merged municipalities a code: key them by their ISO 3166-2
			// code and leave the official code empty rather than guess one.
			m.ID = "IS-X-" + strings.TrimPrefix(icelandISO[m.Name], "IS-")
		default:
			return nil, rowErr(row, "municipality %q has neither an official code nor an ISO code", m.Name)
		}
		if row["region_code"] != "" {
			m.RegionID = RegionID(country, row["region_code"])
			if !regionIDs[m.RegionID] {
				return nil, rowErr(row, "unknown region %s", m.RegionID)
			}
		}
		if p := row["population"]; p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n <= 0 {
				return nil, rowErr(row, "population %q is not a positive number", p)
			}
			if _, err := time.Parse(time.DateOnly, row["population_date"]); err != nil {
				return nil, rowErr(row, "population without a valid date")
			}
			m.Population, m.PopulationDate = n, row["population_date"]
		}
		if seen[m.ID] {
			return nil, rowErr(row, "duplicate municipality %s", m.ID)
		}
		seen[m.ID] = true
		out = append(out, m)
	}
	return out, nil
}

func appendUnique(list []string, names ...string) []string {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		dup := false
		for _, x := range list {
			dup = dup || x == n
		}
		if !dup {
			list = append(list, n)
		}
	}
	return list
}

func parseOrganisations(rows []map[string]string) ([]bridge.Organisation, error) {
	ids := map[string]bool{}
	out := make([]bridge.Organisation, 0, len(rows))
	for _, row := range rows {
		o := bridge.Organisation{ID: row["id"], Name: row["name"], NameEn: row["name_en"],
			Kind: bridge.OrganisationKind(row["kind"]), Description: row["description"], CountryCode: row["country"],
			ParentID: row["parent_id"], ParentConfirmed: row["parent_confirmed"] == "true", Source: row["source"],
			Active: row["active"] == "true"}
		switch {
		case o.ID == "" || o.Name == "":
			return nil, rowErr(row, "organisation needs an id and a name")
		case !o.Kind.Valid():
			return nil, rowErr(row, "unknown organisation kind %q", o.Kind)
		case o.CountryCode != "" && !knownCountry(o.CountryCode):
			return nil, rowErr(row, "unknown country %q", o.CountryCode)
		case o.CountryCode == "" && o.Kind != bridge.OrgNordic:
			return nil, rowErr(row, "only Nordic institutions have no country")
		case ids[o.ID]:
			return nil, rowErr(row, "duplicate organisation %s", o.ID)
		}
		ids[o.ID] = true
		out = append(out, o)
	}
	for _, o := range out {
		if o.ParentID != "" && !ids[o.ParentID] {
			return nil, fmt.Errorf("organisation %s: unknown parent %s", o.ID, o.ParentID)
		}
	}
	return out, nil
}

// ReferenceData parses every embedded reference file (places, organisations, themes, the
// programme's groups, events and knowledge items) into the value the store seeds in one go.
func ReferenceData() (bridge.ReferenceData, error) {
	ref, err := LoadReference()
	if err != nil {
		return bridge.ReferenceData{}, err
	}
	themes, err := Themes()
	if err != nil {
		return bridge.ReferenceData{}, err
	}
	aliases, err := referenceCSV("theme_aliases.csv")
	if err != nil {
		return bridge.ReferenceData{}, err
	}
	if err := addThemeAliases(themes, aliases); err != nil {
		return bridge.ReferenceData{}, err
	}
	prog, err := LoadProgramme(themes)
	if err != nil {
		return bridge.ReferenceData{}, err
	}
	return bridge.ReferenceData{Countries: ref.Countries, Regions: ref.Regions, Municipalities: ref.Municipalities,
		Organisations: ref.Organisations, Themes: themes, Groups: prog.Groups, Events: prog.Events,
		Practices: prog.Practices}, nil
}

// referenceCSV reads one embedded reference file.
func referenceCSV(name string) ([]map[string]string, error) {
	raw, err := referenceFiles.ReadFile("reference/" + name)
	if err != nil {
		return nil, err
	}
	return readCSV(name, raw)
}

// addThemeAliases gives themes the words of theme_aliases.csv (theme, lang, aliases separated by
// "|"): every theme must exist, every language be one of the labels' languages, every alias be
// a non-empty word or phrase (one used in several languages is kept once).
func addThemeAliases(themes []bridge.Theme, rows []map[string]string) error {
	index := make(map[string]int, len(themes))
	for i, t := range themes {
		index[t.ID] = i
	}
	langs := append(append([]string{}, bridge.RequiredLabelLanguages...), bridge.OptionalLabelLanguages...)
	for _, row := range rows {
		i, ok := index[row["theme"]]
		if !ok {
			return rowErr(row, "unknown theme %s", row["theme"])
		}
		if !slices.Contains(langs, row["lang"]) {
			return rowErr(row, "unknown language %s", row["lang"])
		}
		for _, a := range strings.Split(row["aliases"], "|") {
			a = strings.TrimSpace(a)
			if a == "" {
				return rowErr(row, "empty alias")
			}
			if !slices.Contains(themes[i].Aliases, a) {
				themes[i].Aliases = append(themes[i].Aliases, a)
			}
		}
	}
	return nil
}
