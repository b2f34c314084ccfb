package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestNetworkPageIsForTheSecretariatOnly: members get "not found" and visitors are refused on
// the page and the CSV; the secretariat gets the page (every section) and a CSV with a line per
// table, country and column, empty cells included; a bad threshold is shown next to its field.
func TestNetworkPageIsForTheSecretariatOnly(t *testing.T) {
	store := seedSite(t)
	a, _ := introPeople(t, store)
	for name, principal := range map[string]bridge.Principal{"member": member(a), "signed out": bridge.Anonymous} {
		srv := siteFor(t, store, principal)
		want := http.StatusNotFound
		if !principal.SignedIn() {
			want = http.StatusForbidden
		}
		for _, path := range []string{"/desk/network", "/desk/network/coverage.csv"} {
			if p := get(t, srv, path, ""); p.status != want || strings.Contains(p.body, "Map of the network") || strings.Contains(p.body, "dimension,") {
				t.Errorf("%s: GET %s = %d (want %d)", name, path, p.status, want)
			}
		}
	}
	desk := siteFor(t, store, secretariatPrincipal)
	if p := get(t, desk, "/desk", ""); !strings.Contains(p.body, `href="/desk/network"`) {
		t.Error("the desk does not link to the map of the network")
	}
	p := get(t, desk, "/desk/network?by=SIZE_CLASS", "")
	for _, want := range []string{`id="network-table"`, `id="network-tiles"`, `id="gaps-places"`, `id="bridges-summary"`,
		`id="network-chart"`, `id="network-hidden-counts"`, "Population not known", "AX</abbr>", `<td class="heat-4">`} {
		if p.status != http.StatusOK || !strings.Contains(p.body, want) {
			t.Errorf("the page (HTTP %d) lacks %s", p.status, want)
		}
	}
	// A slice of the table: the choice stays selected, is said above the table, and the CSV link
	// exports the same slice; a kind that is not in the list is refused next to its field.
	slice := get(t, desk, "/desk/network?by=THEME&kind=MIGRANT_LED&size=CITY", "")
	for _, want := range []string{`<option value="MIGRANT_LED" selected>`, `<option value="CITY" selected>`, `id="network-slice"`,
		`href="/desk/network/coverage.csv?kind=MIGRANT_LED&amp;size=CITY"`} {
		if slice.status != http.StatusOK || !strings.Contains(slice.body, want) {
			t.Errorf("the slice's page (HTTP %d) lacks %s", slice.status, want)
		}
	}
	if p := get(t, desk, "/desk/network?kind=PIRATES", ""); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="network-kind-error"`) {
		t.Errorf("kind PIRATES: HTTP %d", p.status)
	}
	if c := get(t, desk, "/desk/network/coverage.csv?kind=MIGRANT_LED&size=CITY", ""); c.status != http.StatusOK ||
		!strings.Contains(c.body, ",MIGRANT_LED,CITY\n") {
		t.Errorf("the slice's CSV: HTTP %d %.300s", c.status, c.body)
	}
	if p := get(t, desk, "/desk/network?threshold=0", ""); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="network-threshold-error"`) {
		t.Errorf("threshold 0: HTTP %d", p.status)
	}
	csv := get(t, desk, "/desk/network/coverage.csv", "")
	lines := strings.Split(strings.TrimSpace(csv.body), "\n")
	if csv.status != http.StatusOK || lines[0] != "dimension,key,label,country,people,organisations,filter_kind,filter_size_class" {
		t.Fatalf("CSV: HTTP %d %.200s", csv.status, csv.body)
	}
	kinds, orgs := 0, 0
	for _, l := range lines {
		if strings.HasPrefix(l, "KIND,") {
			kinds++
			f := strings.Split(l, ",")
			n, _ := strconv.Atoi(f[len(f)-3])
			orgs += n
		}
	}
	if orgs == 0 {
		t.Error("the CSV counts no organisation by kind")
	}
	if kinds != 8*len(bridge.OrganisationKinds) || !strings.Contains(csv.body, "SIZE_CLASS,UNKNOWN,Population not known,GL,") {
		t.Errorf("CSV: %d KIND lines, want %d: %.400s", kinds, 8*len(bridge.OrganisationKinds), csv.body)
	}
}
