package neo4jstore_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// TestTextFirstPageIsThePageOfEveryMatch: a text search's first page, read from each theme's and
// municipality's first people by name (textFirstPageRowsFrom), is the page read from every match, for
// words that find people through their own record, an organisation, a place, a theme and its
// narrower ones, and a misspelling; in three roles, both orders, two page sizes and with filters.
// The data: 1,000 demo people (removed afterwards), so that themes and places hold more people
// than a page and the first page is cut from them.
func TestTextFirstPageIsThePageOfEveryMatch(t *testing.T) {
	s, ctx, viewers := demoViewers(t, 1000, 17)
	vocabulary, err := s.Themes(ctx) // for the theme filter
	if err != nil {
		t.Fatal(err)
	}

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
				got, err := s.SearchPeople(ctx, v, f, page, vocabulary)
				if err != nil {
					t.Fatalf("%q as %s: %v", word, role, err)
				}
				want, err := s.SearchPeopleEveryMatchForTest(ctx, v, f, page, vocabulary)
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
	t.Run("the count stops at the cap", func(t *testing.T) { textCountsStopAtTheCap(t, s, ctx, viewers, words) })
}

// textCountsStopAtTheCap: a text search's first page with its count, where the count stops at a
// cap (lowered here, so that a thousand people reach it), says the exact number of matches
// when they are within the cap and "more than the cap" past it, for every word, role and a
// filter, and shows the same page as without a cap. The caps are chosen so that both ways of
// the first page's count are taken: the people found on their own record or through an
// organisation alone reach the smallest cap for most words (the count is not read again), and
// the largest is never reached (the count over every source).
func textCountsStopAtTheCap(t *testing.T, s *neo4jstore.Store, ctx context.Context, viewers map[string]bridge.Principal, words []string) {
	exactly, capped := 0, 0
	for _, f := range []bridge.PeopleFilter{{}, {Countries: []string{"NO"}}} {
		for _, word := range words {
			for role, v := range viewers {
				f.Text = word
				page := bridge.PeoplePage{First: 20, Order: bridge.OrderRelevance}
				want, err := s.SearchPeopleCappedForTest(ctx, v, f, page, nil, 1<<30, true)
				if err != nil {
					t.Fatalf("%q as %s, every match: %v", word, role, err)
				}
				for _, limit := range []int{2, 10, 40, 1 << 30} {
					got, err := s.SearchPeopleCappedForTest(ctx, v, f, page, nil, limit, false)
					if err != nil {
						t.Fatalf("%q as %s, cap %d: %v", word, role, limit, err)
					}
					wantCount, wantCapped := want.TotalCount, false
					if wantCount > limit {
						wantCount, wantCapped = limit, true
					}
					if got.TotalCount != wantCount || got.TotalCountCapped != wantCapped {
						t.Errorf("%q as %s, %v, cap %d: count %d (capped %v), want %d (capped %v) of %d matches",
							word, role, f.Countries, limit, got.TotalCount, got.TotalCountCapped, wantCount, wantCapped, want.TotalCount)
					}
					if !reflect.DeepEqual(summary(got)[1:], summary(want)[1:]) || got.HasNextPage != want.HasNextPage {
						t.Errorf("%q as %s, cap %d: page %v, want %v", word, role, limit, summary(got), summary(want))
					}
					if wantCapped {
						capped++
					} else {
						exactly++
					}
				}
			}
		}
	}
	t.Logf("%d counts exact, %d stopped at the cap", exactly, capped)
	if exactly == 0 || capped == 0 {
		t.Errorf("%d counts exact and %d capped: the data does not test both", exactly, capped)
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
	vocabulary, err := s.Themes(ctx) // for the theme filter
	if err != nil {
		t.Fatal(err)
	}

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
					got, err := s.SearchPeople(ctx, v, f, page, vocabulary)
					if err != nil {
						t.Fatalf("%q as %s, page %d: %v", word, role, n, err)
					}
					want, err := s.SearchPeopleEveryMatchForTest(ctx, v, f, page, vocabulary)
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
					got, err := s.SearchPeople(ctx, v, f, page, vocabulary)
					want, err2 := s.SearchPeopleEveryMatchForTest(ctx, v, f, page, vocabulary)
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
