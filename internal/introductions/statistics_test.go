package introductions

import (
	"reflect"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

func TestTallyCountsByMonthCountryAndTheme(t *testing.T) {
	from, to := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	st := tally(from, to, []bridge.IntroductionFacts{
		{MadeAt: day(9, 3), ThemeID: "language", Countries: []string{"SE", "NO"}, Introduced: true, Outcome: bridge.OutcomeUseful},
		{MadeAt: day(9, 20), ThemeID: "language", Countries: []string{"SE", "SE"}, Introduced: true, Outcome: bridge.OutcomeNotUseful},
		{MadeAt: day(11, 30), ThemeID: "housing", Countries: []string{"FI", "IS"}},
		{MadeAt: day(12, 1), ThemeID: "housing", Countries: []string{"FI"}}, // outside the range
	})
	months := []bridge.IntroductionTally{{Key: "2026-09", Made: 2, Introduced: 2, Met: 2, Useful: 1}, {Key: "2026-10"},
		{Key: "2026-11", Made: 1}}
	if !reflect.DeepEqual(st.Months, months) {
		t.Errorf("months %+v, want %+v (every month, also the empty one)", st.Months, months)
	}
	if want := (bridge.IntroductionTally{Made: 3, Introduced: 2, Met: 2, Useful: 1}); st.Total != want {
		t.Errorf("total %+v, want %+v", st.Total, want)
	}
	countries := []bridge.IntroductionTally{{Key: "SE", Made: 2, Introduced: 2, Met: 2, Useful: 1}, {Key: "FI", Made: 1},
		{Key: "IS", Made: 1}, {Key: "NO", Made: 1, Introduced: 1, Met: 1, Useful: 1}}
	if !reflect.DeepEqual(st.Countries, countries) {
		t.Errorf("countries %+v, want %+v (a country once per introduction, most made first)", st.Countries, countries)
	}
	if len(st.Themes) != 2 || st.Themes[0].Key != "language" || st.Themes[0].Made != 2 || st.Themes[1].Key != "housing" {
		t.Errorf("themes %+v", st.Themes)
	}
}

func TestStatisticsRangeAndRole(t *testing.T) {
	s := New(nil, bridge.Limits{}, func() time.Time { return now }, nil)
	if _, err := s.Statistics(t.Context(), memberA, time.Time{}, time.Time{}); code(err) != bridge.CodeForbidden {
		t.Errorf("a member: %v, want FORBIDDEN", err)
	}
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.Statistics(t.Context(), secretary, from, from); bridge.InvalidField(err) != "to" {
		t.Errorf("an empty range: %v, want BAD_USER_INPUT at to", err)
	}
	if _, err := s.Statistics(t.Context(), secretary, from.AddDate(-6, 0, 0), from); bridge.InvalidField(err) != "from" {
		t.Errorf("six years: %v, want BAD_USER_INPUT at from", err)
	}
}
