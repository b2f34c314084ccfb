package main

import (
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The map of the network's secretariat-only reports read the whole graph; `make bench-network`
// measures them at 100,000 demo people (BRIDGE_BENCH_PEOPLE) on a fresh Neo4j.

func BenchmarkNetworkCoverageByTheme(b *testing.B) {
	runQueries(b, secretariat, func(int) string {
		return `{ networkCoverage(by: THEME) { columns rows { country cells { key people organisations } } } }`
	})
}

func BenchmarkNetworkCoverageByKind(b *testing.B) {
	runQueries(b, secretariat, func(int) string {
		return `{ networkCoverage(by: KIND) { rows { country cells { key people organisations } } } }`
	})
}

func BenchmarkNetworkGaps(b *testing.B) {
	runQueries(b, secretariat, func(int) string {
		return `{ networkGaps { emptyMunicipalitiesTotal thinThemes { country people } groups { name countries } } }`
	})
}

func BenchmarkNetworkBridges(b *testing.B) {
	runQueries(b, secretariat, func(int) string {
		return `{ networkBridges(limit: 20) { nodes edges components largest islandsTotal bridges { separated node { kind name } } } }`
	})
}

func BenchmarkNetworkWebPage(b *testing.B) {
	runPages(b, func(int) bridge.Principal { return secretariat }, func(int) string { return "/desk/network" })
}
