package neo4jstore

import (
	"strings"
	"testing"
)

// TestRowReportsMissingAndMistypedColumns: a column that is absent or of another type is an
// error, never a zero value (the silent cast it replaces read a mistyped consent as false).
func TestRowReportsMissingAndMistypedColumns(t *testing.T) {
	good := mapRow(map[string]any{"id": "x", "consent": true, "n": int64(3), "title": nil,
		"themes": []any{map[string]any{"id": "t"}}, "langs": []any{"sv"}})
	if good.Str("id") != "x" || !good.Bool("consent") || good.Int("n") != 3 || good.OptStr("title") != "" ||
		good.Rows("themes")[0].Str("id") != "t" || good.Strs("langs")[0] != "sv" || good.Err("good") != nil {
		t.Fatalf("a well-typed row: %v", good.Err("good"))
	}
	for name, read := range map[string]func(r *row){
		"missing column":       func(r *row) { r.Bool("consent") },
		"mistyped column":      func(r *row) { r.Bool("n") },
		"null where required":  func(r *row) { r.Str("title") },
		"mistyped nested":      func(r *row) { r.Rows("themes")[0].Int("id") },
		"list of other things": func(r *row) { r.Strs("numbers") },
		"not a map":            func(r *row) { r.Rows("langs") },
		"null map":             func(r *row) { r.Row("title") },
		"missing map":          func(r *row) { r.Row("contact") },
		"missing value":        func(r *row) { r.Value("contact") },
	} {
		r := mapRow(map[string]any{"n": int64(1), "title": nil, "themes": []any{map[string]any{"id": "t"}},
			"numbers": []any{int64(1)}, "langs": []any{"sv"}})
		read(r)
		if err := r.Err("row"); err == nil || !strings.HasPrefix(err.Error(), "row: ") {
			t.Errorf("%s: err %v; want an error", name, err)
		}
	}
}

// TestRowOfAFailedMapReportsOnce: the columns of a map that could not be read add no errors of
// their own; the one error names the map.
func TestRowOfAFailedMapReportsOnce(t *testing.T) {
	r := mapRow(map[string]any{"item": "text", "n": nil})
	item := r.Row("item")
	item.Str("id")
	item.Rows("themes")
	if r.Value("n") != nil || len(*r.errs) != 1 || !strings.Contains(r.Err("row").Error(), "item: want map") {
		t.Fatalf("err %v; want only the item's type", r.Err("row"))
	}
	ok := mapRow(map[string]any{"item": map[string]any{"id": "x"}}).Row("item")
	if ok.Str("id") != "x" || ok.Err("row") != nil {
		t.Fatalf("a nested map: %v", ok.Err("row"))
	}
}

// mapRow reads a map as recordRow reads a record.
func mapRow(m map[string]any) *row { return &row{m: m, errs: new([]error)} }
