package neo4jstore_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestTextFirstPageIsThePageOfEveryMatch: a text search's first page, read from each theme's and
// municipality's first people by name (textFirstPageRows), is the page read from every match, for
// words that find people through their own record, an organisation, a place, a theme and its
// narrower ones, and a misspelling; in three roles, both orders, two page sizes and with filters.
// The data: 1,000 demo people (removed afterwards), so that themes and places hold more people
// than a page and the first page is cut from them.
func TestTextFirstPageIsThePageOfEveryMatch(t *testing.T) {
	s, ctx, viewers := demoViewers(t, 1000, 17)

	words := []string{
		"arbetsmarknaden", "työmarkkinat", "bolig", "integration", "koordinator", "koordinatr",
		"Malmö", "Oslo", "Reykjavík", "Anna", "Nowak", "education",
	}
	// The filters in the scans of a theme or a place: a country, openness, a region (a pattern of
	// its own through LOCATED_IN) and a theme (one through WORKS_ON).
	filters := []bridge.PeopleFilter{{}, {Countries: []string{"SE"}}, {OpenToIntroductions: ptr(true)},
		{RegionIDs: []string{"SE-12"}}, {ThemeIDs: []string{"labour-market-establishment"}}}
	type search struct {
		filter int
		order  bridge.PeopleOrder
		first  int
	}
	// The filters and orders outermost: each of their combinations is a query of its own, which
	// Neo4j plans once (about a second on a database just loaded).
	searches := []search{{0, bridge.OrderRelevance, 3}, {0, bridge.OrderRelevance, 20}, {0, bridge.OrderName, 20},
		{1, bridge.OrderRelevance, 20}, {2, bridge.OrderRelevance, 20}, {3, bridge.OrderRelevance, 20}, {4, bridge.OrderRelevance, 20}}
	compared, cut := 0, 0
	for _, x := range searches {
		for _, word := range words {
			for role, v := range viewers {
				f := filters[x.filter]
				f.Text = word
				page := bridge.PeoplePage{First: x.first, Order: x.order}
				got, err := s.SearchPeople(ctx, v, f, page)
				if err != nil {
					t.Fatalf("%q as %s: %v", word, role, err)
				}
				want, err := s.SearchPeopleEveryMatchForTest(ctx, v, f, page)
				if err != nil {
					t.Fatalf("%q as %s, every match: %v", word, role, err)
				}
				if !reflect.DeepEqual(summary(got), summary(want)) {
					t.Errorf("%q as %s, %+v:\n first page %v\n every match %v", word, role, x, summary(got), summary(want))
				}
				compared++
				if want.HasNextPage {
					cut++
				}
			}
		}
	}
	t.Logf("%d first pages compared, %d of them cut from more matches", compared, cut)
	if cut < compared/2 {
		t.Errorf("only %d of %d pages were cut from more matches: the data does not test the cut", cut, compared)
	}
}

// summary is what a page shows: the people in order, their ranks, the count and whether more follow.
func summary(r bridge.PeopleResult) []string {
	out := []string{fmt.Sprintf("total %d capped %v more %v", r.TotalCount, r.TotalCountCapped, r.HasNextPage)}
	for i, p := range r.People {
		rank := ""
		if r.Ranks != nil {
			rank = fmt.Sprint(r.Ranks[i])
		}
		out = append(out, rank+":"+p.ID)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// TestTextLaterPagesAreThePagesOfEveryMatch: a text search's later pages in relevance order,
// read after a cursor that holds its position from each matched thing's first people by name
// (PeoplePage.AfterPosition), are the pages read from every match, page after page, for the
// words of TestTextFirstPageIsThePageOfEveryMatch in three roles, with and without the count,
// and with a filter; a cursor past bridge.CountCap reads every match, and its page is the same.
func TestTextLaterPagesAreThePagesOfEveryMatch(t *testing.T) {
	s, ctx, viewers := demoViewers(t, 1000, 17)

	words := []string{"arbetsmarknaden", "bolig", "integration", "koordinatr", "Malmö", "Anna", "education"}
	filters := []bridge.PeopleFilter{{}, {Countries: []string{"SE", "NO"}}}
	const first, pages = 7, 6
	compared := 0
	for fi, f := range filters {
		for _, word := range words {
			for role, v := range viewers {
				f.Text = word
				page := bridge.PeoplePage{First: first, Order: bridge.OrderRelevance, SkipCount: fi == 0}
				position := 0
				for n := 1; n <= pages; n++ {
					got, err := s.SearchPeople(ctx, v, f, page)
					if err != nil {
						t.Fatalf("%q as %s, page %d: %v", word, role, n, err)
					}
					want, err := s.SearchPeopleEveryMatchForTest(ctx, v, f, page)
					if err != nil {
						t.Fatalf("%q as %s, page %d, every match: %v", word, role, n, err)
					}
					if !reflect.DeepEqual(summary(got), summary(want)) {
						t.Errorf("%q as %s, filter %d, page %d (after position %d):\n got         %v\n every match %v",
							word, role, fi, n, page.AfterPosition, summary(got), summary(want))
						break
					}
					if n > 1 {
						compared++
					}
					if !want.HasNextPage {
						break
					}
					last := len(want.People) - 1
					position += len(want.People)
					page.AfterRank, page.AfterName, page.AfterID = want.Ranks[last], want.People[last].DisplayName(), want.People[last].ID
					page.AfterPosition = position
				}
				// A cursor past CountCap: every match is read, the page is the same.
				page.AfterPosition = bridge.CountCap + 1
				if page.AfterID != "" {
					got, err := s.SearchPeople(ctx, v, f, page)
					want, err2 := s.SearchPeopleEveryMatchForTest(ctx, v, f, page)
					if err != nil || err2 != nil || !reflect.DeepEqual(summary(got), summary(want)) {
						t.Errorf("%q as %s past CountCap: %v %v\n got         %v\n every match %v", word, role, err, err2, summary(got), summary(want))
					}
				}
			}
		}
	}
	t.Logf("%d later pages compared", compared)
	if compared < len(filters)*len(words)*len(viewers) {
		t.Errorf("only %d later pages compared: the words find too few people to test later pages", compared)
	}
}
