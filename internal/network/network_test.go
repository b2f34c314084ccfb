package network

import "testing"

func TestAnalyse(t *testing.T) {
	nodes := []Node{{Key: "a"}, {Key: "b"}, {Key: "c"}, {Key: "d"}, {Key: "e"}, {Key: "x"}, {Key: "y"}, {Key: "z"}}
	// a-b-c triangle; c-d-e chain: c cuts off d and e, d cuts off e. x-y an island; z alone.
	edges := []Edge{{"a", "b"}, {"b", "c"}, {"c", "a"}, {"c", "d"}, {"d", "e"}, {"x", "y"}, {"e", "nobody"}}
	got := Analyse(nodes, edges, 10)
	if got.Components != 3 || got.Largest != 5 || got.IslandsTotal != 2 || got.Edges != 6 {
		t.Fatalf("components: %+v", got)
	}
	want := map[string]int{"c": 2, "d": 1}
	if len(got.Bridges) != 2 {
		t.Fatalf("bridges: %+v", got.Bridges)
	}
	for _, b := range got.Bridges {
		if want[b.Key] != b.Separated {
			t.Errorf("bridge %s separates %d, want %d", b.Key, b.Separated, want[b.Key])
		}
	}
	if got.Bridges[0].Key != "c" || got.Islands[0].Size != 2 || got.Islands[1].Size != 1 {
		t.Fatalf("order: %+v %+v", got.Bridges, got.Islands)
	}
	// A star rooted at its centre: the centre (the DFS root) cuts off all but one leaf.
	star := Analyse([]Node{{Key: "h"}, {Key: "1"}, {Key: "2"}, {Key: "3"}}, []Edge{{"h", "1"}, {"h", "2"}, {"h", "3"}}, 1)
	if len(star.Bridges) != 1 || star.Bridges[0].Key != "h" || star.Bridges[0].Separated != 2 {
		t.Fatalf("star: %+v", star.Bridges)
	}
}

func TestFill(t *testing.T) {
	tb := fill(ByKind, []string{"A", "B"}, []Count{{Country: "SE", Key: "B", People: 3, Organisations: 1}, {Country: "XX", Key: "A", People: 9}})
	if len(tb.Rows) != 8 || len(tb.Rows[4].Cells) != 2 || tb.Rows[4].Country != "SE" || tb.Rows[4].Cells[1].People != 3 || tb.Rows[0].Cells[0].People != 0 {
		t.Fatalf("table: %+v", tb)
	}
}

func TestThin(t *testing.T) {
	tb := fill(ByTheme, []string{"a", "b"}, []Count{{Country: "DK", Key: "a", People: 5}, {Country: "DK", Key: "b", People: 2}, {Country: "FI", Key: "a", People: 1}})
	got := thin(tb, 3, 3)
	// 13 cells have nobody (DK and FI each have one, the six others two); then FI a (1), DK b (2).
	if len(got) != 3 || got[0] != (Thin{Country: "FI", ThemeID: "b"}) || got[1].Country != "IS" {
		t.Fatalf("thin: %+v", got)
	}
	if all := thin(tb, 3, 100); len(all) != 15 || all[13] != (Thin{"FI", "a", 1}) || all[14] != (Thin{"DK", "b", 2}) {
		t.Fatalf("all thin: %d %+v", len(all), all)
	}
}
