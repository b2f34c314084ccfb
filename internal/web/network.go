package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The map of the network (issue 14) on the secretariat's desk: /desk/network shows coverage by
// country and a dimension chosen in a GET form (themes, organisation kinds or municipality size
// classes) as a table with a heat scale (CSS classes by bucket: the CSP allows no inline styles),
// a schematic tile map of the eight countries and territories coloured by the people located
// there (there is no boundary data in Bridge, so the tiles are placed by rough geography, not
// drawn to shape), the gaps, the bridges and islands of the network, the trends per month as a
// server-rendered SVG chart with a title, a description and the numbers as a table, and how
// many people are hidden from members. /desk/network/coverage.csv exports the three coverage
// tables. Like the desk, it is for the secretariat only: a member gets "not found".

// networkDimensions are the dimensions of the coverage table, the default first.
var networkDimensions = []string{"KIND", "THEME", "SIZE_CLASS"}

// networkCountries are the eight countries and territories, in the API's order.
var networkCountries = []string{"DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX"}

// networkFilter reads the coverage table's slice (organisation kind, municipality size class) from
// the query string: the API's filter, the values to show again, and the errors of unknown values.
func networkFilter(r *http.Request, l *Localizer, errs map[string]string) (filter map[string]any, kind, size string) {
	filter = map[string]any{}
	kind, size = param(r, "kind"), param(r, "size")
	if kind != "" && !slices.Contains(networkKinds(), kind) {
		errs["kind"], kind = l.T("network.error.filter"), ""
	}
	if size != "" && !slices.Contains(networkSizeClasses, size) {
		errs["size"], size = l.T("network.error.filter"), ""
	}
	if kind != "" {
		filter["kind"] = kind
	}
	if size != "" {
		filter["sizeClass"] = size
	}
	return filter, kind, size
}

// networkSizeClasses are the municipality size classes, smallest first (the API's enum).
var networkSizeClasses = []string{"VERY_SMALL", "SMALL", "MEDIUM", "LARGE", "CITY", "UNKNOWN"}

// networkKinds are the organisation kinds (the API's enum).
func networkKinds() []string {
	out := make([]string, 0, len(bridge.OrganisationKinds))
	for _, k := range bridge.OrganisationKinds {
		out = append(out, string(k))
	}
	return out
}

// maxThreshold bounds the thin-theme threshold (as the API does).
const maxThreshold = 1000

// heatCell is one cell of the coverage table.
type heatCell struct {
	Country               string
	People, Organisations int
	Class                 string
}

// heatRow is one column of the API's table, shown as a row (countries across).
type heatRow struct {
	Label string
	Cells []heatCell
}

// tile is one country of the tile map.
type tile struct {
	Code, Name, Class string
	People            int
	X, Y, TX, TY, NY  int
}

// bar is one bar of the trends chart.
type bar struct {
	X, Y, W, H int
	Class      string
	Label      string
}

// tick is a label on an axis.
type tick struct {
	X, Y  int
	Label string
}

// heat is the CSS class of n on a scale up to max: heat-0 for nothing, heat-1 to heat-4 by quarter.
func heat(n, max int) string {
	if n <= 0 || max <= 0 {
		return "heat-0"
	}
	return "heat-" + strconv.Itoa(min(4, 1+4*(n-1)/max))
}

// tilePlaces are the tile map's grid positions (column, row): west to east, north to south.
var tilePlaces = map[string][2]int{"GL": {0, 0}, "IS": {1, 0}, "NO": {2, 0}, "SE": {3, 0}, "FI": {4, 0},
	"FO": {1, 1}, "DK": {2, 1}, "AX": {4, 1}}

// columnLabel is the words for a column of the coverage table.
func columnLabel(l *Localizer, dimension, key string, themes map[string]string) string {
	switch dimension {
	case "THEME":
		if s, ok := themes[key]; ok {
			return s
		}
		return key
	case "KIND":
		return l.Enum("orgkind", key)
	default:
		return l.Enum("sizeclass", key)
	}
}

// themeLabels maps the themes' global ids to their labels.
func themeLabels(data map[string]any) map[string]string {
	out := map[string]string{}
	for _, t := range list(data, "themes") {
		out[fmt.Sprint(t["id"])] = fmt.Sprint(t["label"])
	}
	return out
}

// intOf reads a number of the API's answer (json.Number).
func intOf(v any) int {
	num, _ := v.(json.Number)
	n, _ := num.Int64()
	return int(n)
}

func (a *App) network(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	ctx := r.Context()
	l := localizerFrom(ctx)
	by := param(r, "by")
	if !slices.Contains(networkDimensions, by) {
		by = networkDimensions[0]
	}
	errs := map[string]string{}
	threshold := 3
	if s := param(r, "threshold"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxThreshold {
			errs["threshold"] = l.T("network.error.threshold", maxThreshold)
		} else {
			threshold = n
		}
	}
	filter, kind, size := networkFilter(r, l, errs)
	data, err := a.run(ctx, "NetworkPage", map[string]any{"lang": l.Lang, "by": by, "filter": filter, "threshold": threshold})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	themes := themeLabels(data)
	cov := object(data, "coverage")
	var cols []string
	for _, c := range cov["columns"].([]any) {
		cols = append(cols, fmt.Sprint(c))
	}
	// The API's rows are countries; the page shows a row per column so that eight countries fit across.
	max := 0
	counts := map[string][]map[string]any{}
	for _, row := range list(cov, "rows") {
		cells := list(row, "cells")
		counts[fmt.Sprint(row["country"])] = cells
		for _, c := range cells {
			max = maxInt(max, intOf(c["people"]))
		}
	}
	var rows []heatRow
	for i, key := range cols {
		hr := heatRow{Label: columnLabel(l, by, key, themes)}
		for _, country := range networkCountries {
			var p, o int
			if cells := counts[country]; i < len(cells) {
				p, o = intOf(cells[i]["people"]), intOf(cells[i]["organisations"])
			}
			hr.Cells = append(hr.Cells, heatCell{Country: country, People: p, Organisations: o, Class: heat(p, max)})
		}
		rows = append(rows, hr)
	}
	// The tile map: people located in each country (one municipality each).
	located, maxLocated := map[string]int{}, 0
	for _, row := range list(object(data, "places"), "rows") {
		n := 0
		for _, c := range list(row, "cells") {
			n += intOf(c["people"])
		}
		located[fmt.Sprint(row["country"])] = n
		maxLocated = maxInt(maxLocated, n)
	}
	var tiles []tile
	for _, c := range networkCountries {
		pl := tilePlaces[c]
		x, y := 10+pl[0]*110, 10+pl[1]*80
		tiles = append(tiles, tile{Code: c, Name: l.Country(c), People: located[c], Class: heat(located[c], maxLocated),
			X: x, Y: y, TX: x + 50, TY: y + 28, NY: y + 50})
	}
	gaps := object(data, "networkGaps")
	for _, t := range list(gaps, "thinThemes") {
		t["label"] = themes[fmt.Sprint(t["theme"])]
	}
	trends := list(data, "networkTrends")
	chart := trendChart(l, trends)
	d := map[string]any{"By": by, "Dimensions": networkDimensions, "Columns": networkCountries, "Rows": rows,
		"Tiles": tiles, "Gaps": gaps, "Threshold": threshold, "Errors": errs,
		"Kinds": networkKinds(), "SizeClasses": networkSizeClasses, "Kind": kind, "Size": size,
		"CSV":     "/desk/network/coverage.csv?" + url.Values{"kind": {kind}, "size": {size}}.Encode(),
		"Bridges": object(data, "networkBridges"), "Trends": trends, "Chart": chart, "Hidden": object(data, "networkHidden")}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	a.render(w, r, status, "network", "desk", l.T("network.title"), d)
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// chart is the trends chart's geometry.
type chart struct {
	Width, Height, Left, Bottom, Top, Right int
	Bars                                    []bar
	XTicks, YTicks                          []tick
}

// trendSeries are the chart's series: the field of a month and its CSS class.
var trendSeries = []struct{ Field, Class string }{{"newProfiles", "series-profiles"}, {"introductions", "series-introductions"}, {"useful", "series-useful"}}

// trendChart lays out grouped bars: a group per month, a bar per series, a y axis from 0 to the
// largest value (three ticks).
func trendChart(l *Localizer, months []map[string]any) chart {
	c := chart{Width: 760, Height: 280, Left: 50, Bottom: 240, Top: 20, Right: 750}
	top := 1
	for _, m := range months {
		for _, s := range trendSeries {
			top = maxInt(top, intOf(m[s.Field]))
		}
	}
	plotH := c.Bottom - c.Top
	if len(months) == 0 {
		return c
	}
	group := (c.Right - c.Left) / len(months)
	bw := maxInt(2, (group-6)/len(trendSeries))
	for i, m := range months {
		x0 := c.Left + i*group + 3
		for k, s := range trendSeries {
			v := intOf(m[s.Field])
			h := v * plotH / top
			c.Bars = append(c.Bars, bar{X: x0 + k*bw, Y: c.Bottom - h, W: bw - 1, H: h, Class: s.Class,
				Label: fmt.Sprintf("%s %s: %d", m["month"], l.T("network.series."+s.Field), v)})
		}
		month := fmt.Sprint(m["month"])
		c.XTicks = append(c.XTicks, tick{X: x0 + group/2 - 3, Y: c.Bottom + 18, Label: month[strings.LastIndex(month, "-")+1:]})
	}
	for _, v := range []int{0, (top + 1) / 2, top} {
		c.YTicks = append(c.YTicks, tick{X: c.Left - 6, Y: c.Bottom - v*plotH/top + 4, Label: strconv.Itoa(v)})
	}
	return c
}

// networkCSV is the coverage export: one line per table, country and column, empty cells included.
func (a *App) networkCSV(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	ctx := r.Context()
	l := localizerFrom(ctx)
	errs := map[string]string{}
	filter, kind, size := networkFilter(r, l, errs)
	if len(errs) > 0 {
		http.Error(w, l.T("network.error.filter"), http.StatusUnprocessableEntity)
		return
	}
	data, err := a.run(ctx, "NetworkCoverageExport", map[string]any{"lang": l.Lang, "filter": filter})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	themes := themeLabels(data)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="network-coverage.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	// Every line names the slice it counts (empty: any), so that exports of several slices can be
	// put together into the country × theme × kind × size class table.
	_ = cw.Write([]string{"dimension", "key", "label", "country", "people", "organisations", "filter_kind", "filter_size_class"})
	for _, table := range []string{"theme", "kind", "size"} {
		t := object(data, table)
		dim := fmt.Sprint(t["dimension"])
		for _, row := range list(t, "rows") {
			for _, c := range list(row, "cells") {
				key := fmt.Sprint(c["key"])
				_ = cw.Write([]string{dim, key, csvCell(columnLabel(l, dim, key, themes)), fmt.Sprint(row["country"]),
					strconv.Itoa(intOf(c["people"])), strconv.Itoa(intOf(c["organisations"])), kind, size})
			}
		}
	}
	cw.Flush()
}

// csvCell keeps a spreadsheet from reading a label as a formula (OWASP "CSV injection").
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
