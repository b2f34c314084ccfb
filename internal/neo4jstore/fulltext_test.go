package neo4jstore

import "testing"

// TestFullTextQueryComposesFirst: a name typed with combining marks (as some keyboards and
// pasted text send it) is the same query as its composed form; before, the combining mark split
// "Malmö" into "malmo" + nothing and "Jyväskylä" into three words.
func TestFullTextQueryComposesFirst(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Malmo\u0308", "(malmö OR malmö*)"},
		{"Jyva\u0308skyla\u0308", "(jyväskylä OR jyväskylä*)"},
		{"Malmö", "(malmö OR malmö*)"},
		{"språk nyanländ", "(språk OR språk*) AND (nyanländ OR nyanländ*)"},
	} {
		if got := FullTextQuery(c.in); got != c.want {
			t.Errorf("FullTextQuery(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}
