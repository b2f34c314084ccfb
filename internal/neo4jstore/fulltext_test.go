package neo4jstore

import "testing"

// TestFullTextQueryComposesFirst: a name typed with combining marks (as some keyboards and
// pasted text send it) is the same query as its composed form; before, the combining mark split
// "Malmö" into "malmo" + nothing and "Jyväskylä" into three words.
func TestFullTextQueryComposesFirst(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Malmo\u0308", "(malmo OR malmo*)"},
		{"Jyva\u0308skyla\u0308", "(jyvaskyla OR jyvaskyla*)"},
		{"Malmö", "(malmo OR malmo*)"},
		{"språk nyanländ", "(sprak OR sprak*) AND (nyanland OR nyanland*)"},
		{"Jyväs", "(jyvas OR jyvas*)"},
		{"Reykjavík", "(reykjavik OR reykjavik*)"},
		{"Tórshavn Færøerne Þingeyjar Garðabær", "(torshavn OR torshavn*) AND (faeroerne OR faeroerne*) AND (thingeyjar OR thingeyjar*) AND (gardabaer OR gardabaer*)"},
	} {
		if got := FullTextQuery(c.in); got != c.want {
			t.Errorf("FullTextQuery(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestSearchTextSpellsAaBothWays(t *testing.T) {
	for in, want := range map[string]string{
		"Aarhus":          "Aarhus århus",
		"Åfjord":          "Åfjord aafjord",
		"Faaborg-Midtfyn": "Faaborg-Midtfyn fåborg",
		"Malmö":           "Malmö",
	} {
		if got := searchText(in); got != want {
			t.Errorf("searchText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := searchText("Oslo", "", " City of Oslo "); got != "Oslo City of Oslo" {
		t.Errorf("several names: %q", got)
	}
}
