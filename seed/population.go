package seed

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// PopulationSources cites each source of municipality_population.csv by its id there: who counted,
// what and when. The details (repositories, commits, checks) are in reference/README.md and the
// shared data set's SOURCES.md. Nothing is estimated: a municipality without a figure has none
// (all of Denmark today).
var PopulationSources = map[string]string{
	"se_scb_2024":      "Statistics Sweden (SCB), population on 31 December 2024",
	"no_ssb_2024":      "Statistics Norway (SSB, table 07459), population on 1 January 2024",
	"fi_statfi_2020":   "Statistics Finland, population on 31 December 2020",
	"is_hagstofa_2025": "Statistics Iceland (Hagstofa, MAN02005), population on 1 January 2025",
	"fo_hagstova_2024": "Statistics Faroe Islands (Hagstova), population estimate for 1 January 2024",
	"gl_statgl_2025":   "Statistics Greenland, population on 1 January 2025",
}

// addPopulationSources gives each municipality with a population the source of its figure, from
// municipality_population.csv: one row per row of nordic_municipalities_all.csv, in the same
// order, with the same figure and date (checked row by row).
func addPopulationSources(munis []bridge.Municipality, rows, population []map[string]string) error {
	if len(population) != len(rows) || len(munis) != len(rows) {
		return fmt.Errorf("municipality_population.csv has %d rows, nordic_municipalities_all.csv %d", len(population), len(rows))
	}
	for i, p := range population {
		row := rows[i]
		if p["country"] != row["country"] || p["municipality_code"] != row["municipality_code"] || p["municipality_name"] != row["municipality_name"] {
			return rowErr(p, "is not the municipality of line %s of nordic_municipalities_all.csv", row["#line"])
		}
		if p["population"] != row["population"] || p["population_date"] != row["population_date"] {
			return rowErr(p, "population %s (%s) differs from nordic_municipalities_all.csv", p["population"], p["population_date"])
		}
		if munis[i].Population == 0 {
			continue
		}
		citation, ok := PopulationSources[p["source"]]
		if !ok {
			return rowErr(p, "unknown population source %q", p["source"])
		}
		if strconv.Itoa(munis[i].Population) != p["population"] {
			return rowErr(p, "population out of step with the parsed municipality")
		}
		munis[i].PopulationSource = citation
	}
	return nil
}

// addAliases gives municipalities the other names of municipality_aliases.csv (key, aliases
// separated by "|", why); every key must be a municipality, and every alias a name.
func addAliases(munis []bridge.Municipality, rows []map[string]string) error {
	index := make(map[string]int, len(munis))
	for i, m := range munis {
		index[m.ID] = i
	}
	for _, row := range rows {
		i, ok := index[row["key"]]
		if !ok {
			return rowErr(row, "no municipality %q", row["key"])
		}
		if strings.TrimSpace(row["why"]) == "" {
			return rowErr(row, "an alias needs its reason")
		}
		for _, a := range strings.Split(row["aliases"], "|") {
			if a = strings.TrimSpace(a); a == "" {
				return rowErr(row, "empty alias")
			}
			munis[i].Aliases = append(munis[i].Aliases, a)
		}
	}
	return nil
}
