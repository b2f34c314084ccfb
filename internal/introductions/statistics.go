package introductions

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MaxStatisticsRange bounds one statistics request: five years of months.
const MaxStatisticsRange = 5 * 366 * 24 * time.Hour

// Statistics are the secretariat's outcome statistics of the introductions made in [from, to)
// (UTC months; the zero from is twelve months before to's month, the zero to is the start of the
// next month): per month, per country of the people and the country asked for, and per theme.
// An introduction counts once per month and theme, and once for each of its countries.
func (s *Service) Statistics(ctx context.Context, v bridge.Actor, from, to time.Time) (bridge.IntroductionStatistics, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return bridge.IntroductionStatistics{}, err
	}
	if to.IsZero() {
		to = monthStart(s.now().UTC()).AddDate(0, 1, 0)
	}
	to = monthStart(to.UTC())
	if from.IsZero() {
		from = to.AddDate(0, -12, 0)
	}
	from = monthStart(from.UTC())
	if !from.Before(to) {
		return bridge.IntroductionStatistics{}, bridge.InvalidInput([]string{"to"}, "must be a later month than from")
	}
	if to.Sub(from) > MaxStatisticsRange {
		return bridge.IntroductionStatistics{}, bridge.InvalidInput([]string{"from"}, "at most five years at a time")
	}
	facts, err := s.store.IntroductionFacts(ctx, from, to)
	if err != nil {
		return bridge.IntroductionStatistics{}, err
	}
	return tally(from, to, facts), nil
}

// tally counts the facts per month (every month of the range), country and theme (those with
// any, most made first, then by key).
func tally(from, to time.Time, facts []bridge.IntroductionFacts) bridge.IntroductionStatistics {
	st := bridge.IntroductionStatistics{From: from, To: to}
	month := map[string]int{}
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		month[m.Format("2006-01")] = len(st.Months)
		st.Months = append(st.Months, bridge.IntroductionTally{Key: m.Format("2006-01")})
	}
	countries, themes := map[string]*bridge.IntroductionTally{}, map[string]*bridge.IntroductionTally{}
	add := func(m map[string]*bridge.IntroductionTally, key string, f bridge.IntroductionFacts) {
		if key == "" {
			return
		}
		if m[key] == nil {
			m[key] = &bridge.IntroductionTally{Key: key}
		}
		m[key].Add(f)
	}
	for _, f := range facts {
		k, ok := month[f.MadeAt.UTC().Format("2006-01")]
		if !ok {
			continue // the store read outside the range
		}
		st.Months[k].Add(f)
		st.Total.Add(f)
		add(themes, f.ThemeID, f)
		seen := map[string]bool{}
		for _, c := range f.Countries {
			if !seen[c] {
				seen[c] = true
				add(countries, c, f)
			}
		}
	}
	st.Countries, st.Themes = sorted(countries), sorted(themes)
	return st
}

func sorted(m map[string]*bridge.IntroductionTally) []bridge.IntroductionTally {
	out := make([]bridge.IntroductionTally, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b bridge.IntroductionTally) int {
		if a.Made != b.Made {
			return b.Made - a.Made
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
