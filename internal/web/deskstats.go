package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The secretariat's outcome statistics (/desk/statistics, issue 14): how many introductions were
// made, introduced, met and useful, per month as a bar chart (server-rendered SVG with the same
// figures as a table beside it, which is also the chart's text alternative), per country and per
// theme, over a range of whole months chosen with two month fields (the API's default: the last
// twelve months).

// statSeries are a tally's counts, in the order the chart draws them.
var statSeries = []string{"made", "introduced", "met", "useful"}

// statRow is one line of a statistics table: a month, a country or a theme, and its counts.
type statRow struct {
	Label  string
	Counts []any
}

// statBar is one bar of the chart (SVG user units; y grows downwards).
type statBar struct {
	X, Y, W, H float64
	Series     int
	Title      string
}

// statChart is the monthly chart: bars grouped by month, the scale's ticks and the month labels.
type statChart struct {
	W, H, Left, Bottom float64
	Bars               []statBar
	Ticks              []statTick
	Labels             []statTick
}

type statTick struct {
	X, Y  float64
	Label string
}

// deskStatistics is the statistics page.
func (a *App) deskStatistics(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	l := localizerFrom(r.Context())
	vars := map[string]any{"lang": l.Lang}
	errs := map[string]string{}
	from, to := param(r, "from"), param(r, "to")
	for name, v := range map[string]string{"from": from, "to": to} {
		if v == "" {
			continue
		}
		m, err := time.Parse("2006-01", v)
		if err != nil {
			errs[name] = l.T("desk.stats.error.month")
			continue
		}
		if name == "to" { // the API's to is the first month not counted; the page's is the last counted
			m = m.AddDate(0, 1, 0)
		}
		vars[name] = m.Format(time.DateOnly)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
		delete(vars, "from")
		delete(vars, "to")
	}
	data, err := a.run(r.Context(), "DeskStatistics", vars)
	var ae *apiError
	if errors.As(err, &ae) && ae.Code == bridge.CodeBadUserInput {
		// A range the API refuses (backwards, or longer than it counts): said next to "to".
		errs["to"] = l.T("desk.stats.error.range")
		status = http.StatusUnprocessableEntity
		data, err = a.run(r.Context(), "DeskStatistics", map[string]any{"lang": l.Lang})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st := object(data, "introductionStatistics")
	themeLabels := map[string]string{}
	for _, t := range list(data, "themes") {
		themeLabels[fmt.Sprint(t["id"])] = fmt.Sprint(t["label"])
	}
	var months, countries, themes []statRow
	var monthTallies []map[string]any
	for _, m := range list(st, "months") {
		months = append(months, statRow{Label: monthLabel(l, fmt.Sprint(m["month"])), Counts: tally(object(m, "tally"))})
		monthTallies = append(monthTallies, object(m, "tally"))
	}
	for _, c := range list(st, "countries") {
		countries = append(countries, statRow{Label: l.Country(fmt.Sprint(c["country"])), Counts: tally(object(c, "tally"))})
	}
	for _, t := range list(st, "themes") {
		label := themeLabels[fmt.Sprint(t["theme"])]
		if label == "" {
			label = l.T("desk.stats.othertheme")
		}
		themes = append(themes, statRow{Label: label, Counts: tally(object(t, "tally"))})
	}
	shownFrom, shownTo := month(st["from"]), month(st["to"])
	if t, err := time.Parse("2006-01", shownTo); err == nil {
		shownTo = t.AddDate(0, -1, 0).Format("2006-01")
	}
	if from == "" || errs["from"] != "" || errs["to"] != "" {
		from = shownFrom
	}
	if to == "" || errs["from"] != "" || errs["to"] != "" {
		to = shownTo
	}
	var series []string
	for _, s := range statSeries {
		series = append(series, l.T("desk.stats."+s))
	}
	d := map[string]any{"Total": tally(object(st, "total")), "Months": months, "Countries": countries, "Themes": themes,
		"Series": series, "From": from, "To": to, "Errors": errs,
		"Range": l.T("desk.stats.range", monthLabel(l, shownFrom), monthLabel(l, shownTo)),
		"Chart": monthChart(l, months, monthTallies)}
	a.render(w, r, status, "desk-statistics", "desk", l.T("desk.stats.title"), d)
}

// tally is a tally's counts in the order of statSeries.
func tally(t map[string]any) []any {
	out := make([]any, len(statSeries))
	for i, s := range statSeries {
		out[i] = t[s]
		if out[i] == nil {
			out[i] = 0
		}
	}
	return out
}

// month is the year and month ("2026-11") of an API Date.
func month(v any) string {
	s, _ := v.(string)
	if len(s) < 7 {
		return s
	}
	return s[:7]
}

// monthLabel is a month ("2026-11") in the visitor's language.
func monthLabel(l *Localizer, m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return l.T("desk.stats.month."+strconv.Itoa(int(t.Month())), t.Year())
}

// monthChart lays out the grouped bars of the monthly counts on a scale rounded up to a whole
// step. The chart is drawn by hand in SVG: four series of at most sixty months need no charting
// library, and the page stays free of script.
func monthChart(l *Localizer, rows []statRow, tallies []map[string]any) statChart {
	c := statChart{W: 760, H: 260, Left: 40, Bottom: 220}
	if len(rows) == 0 {
		return c
	}
	peak := 0
	for _, t := range tallies {
		for _, s := range statSeries {
			if n := intOf(t[s]); n > peak {
				peak = n
			}
		}
	}
	step := 1 // 1, 2, 5, 10, 20, 50 …: at most five steps up to the peak
	for k := 0; (peak+step-1)/step > 5; k++ {
		step = []int{2, 5, 10}[k%3] * pow10(k/3)
	}
	top := ((peak + step - 1) / step) * step
	if top == 0 {
		top = 1
	}
	plot := c.Bottom - 20
	for v := 0; v <= top; v += step {
		c.Ticks = append(c.Ticks, statTick{X: c.Left - 6, Y: c.Bottom - float64(v)/float64(top)*plot, Label: strconv.Itoa(v)})
	}
	group := (c.W - c.Left - 10) / float64(len(rows))
	bar := group * 0.8 / float64(len(statSeries))
	every := 1 + len(rows)/7 // at most about seven month labels: a label is wider than a month's bars
	for i, t := range tallies {
		x0 := c.Left + float64(i)*group + group*0.1
		for k, s := range statSeries {
			n := intOf(t[s])
			h := float64(n) / float64(top) * plot
			c.Bars = append(c.Bars, statBar{X: x0 + float64(k)*bar, Y: c.Bottom - h, W: bar * 0.9, H: h, Series: k,
				Title: l.T("desk.stats.bar", rows[i].Label, l.T("desk.stats."+s), n)})
		}
		if i%every == 0 {
			c.Labels = append(c.Labels, statTick{X: x0 + group*0.4, Y: c.Bottom + 16, Label: rows[i].Label})
		}
	}
	return c
}

// pow10 is 10 to the power n.
func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}
