package main

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestOrganisationPagesWithAndWithoutTheirCount: a page read without totalCount (no count is
// run: the page seeks the id index from the cursor) holds the same organisations in the same
// order as with it, page after page, with and without a filter and text; the count, when asked,
// is the number of organisations the pages walk through.
func TestOrganisationPagesWithAndWithoutTheirCount(t *testing.T) {
	api := newTestAPI(t, envProduction, nil)
	type conn struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID string } }
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
	walk := func(filter string, count bool) (ids []string, total int) {
		t.Helper()
		sel := `edges { node { id } } pageInfo { hasNextPage endCursor }`
		if count {
			sel = "totalCount " + sel
		}
		var after *string
		for range 200 {
			res := api.call(member, `query($after: String) { organisations(first: 7, after: $after, filter: `+filter+`) { `+sel+` } }`,
				map[string]any{"after": after})
			var d struct{ Organisations conn }
			raw, _ := json.Marshal(res.data)
			if res.code != "" || json.Unmarshal(raw, &d) != nil {
				t.Fatalf("organisations %s: %s", filter, res.raw)
			}
			for _, e := range d.Organisations.Edges {
				ids = append(ids, e.Node.ID)
			}
			total = d.Organisations.TotalCount
			if !d.Organisations.PageInfo.HasNextPage {
				return ids, total
			}
			after = d.Organisations.PageInfo.EndCursor
		}
		t.Fatalf("organisations %s: more than 200 pages", filter)
		return nil, 0
	}
	for _, filter := range []string{`{}`, `{country: "SE"}`, `{country: "NO", kinds: [MUNICIPAL_ADMINISTRATION, CIVIL_SOCIETY]}`, `{text: "integration"}`} {
		counted, total := walk(filter, true)
		uncounted, _ := walk(filter, false)
		if len(counted) == 0 || len(counted) != total {
			t.Errorf("%s: the pages walk through %d organisations, totalCount %d", filter, len(counted), total)
		}
		if !slices.Equal(counted, uncounted) {
			t.Errorf("%s: %d organisations with the count, %d without, or in another order", filter, len(counted), len(uncounted))
		}
	}
}
