// Package network is the secretariat's map of the network (issue 14): coverage of people and
// organisations by country and theme, organisation kind or municipality size class (empty cells
// included); the gaps (municipalities with nobody, national actors without staff, thin themes,
// expert groups without a country); the bridges and islands of the person–organisation–group–event
// graph; trends per month; and how many people are hidden from members. Every figure is a
// secretariat-only report that reads in proportion to the graph (QueryPolicy: secretariat only);
// the store counts only people the secretariat may list (erased people are gone from the graph).
//
// Bridges: Neo4j Graph Data Science is not used (no org.neo4j.gds artifact is served in this
// environment's Maven mirror, and it is a plugin to install into every Neo4j). gonum has connected
// components and betweenness, but betweenness is O(V·E), too slow at 100,000 people per request,
// and gonum has no articulation points; so the store streams the edge list in one query and
// Bridges runs an iterative Tarjan (linear in the edges) here.
package network

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/introductions"
)

// Dimensions of the coverage tables (the rows are always the countries).
const (
	ByTheme     = "THEME"
	ByKind      = "KIND"
	BySizeClass = "SIZE_CLASS"
)

// Countries are the five countries and three territories, in the order the tables show them.
var Countries = []string{"DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX"}

// SizeClasses are the municipality size classes, smallest first.
var SizeClasses = []string{"VERY_SMALL", "SMALL", "MEDIUM", "LARGE", "CITY", "UNKNOWN"}

// NationalKinds are the organisation kinds that act for a whole country.
var NationalKinds = []string{string(bridge.OrgMinistry), string(bridge.OrgNationalAgency)}

// Limits of the lists a report returns.
const (
	MaxList      = 100
	MaxThreshold = 1000
	MaxMonths    = 60
)

// Filter narrows a coverage table to people at an organisation of Kind and in a municipality of
// SizeClass, and organisations of Kind in such a municipality ("" for any).
type Filter struct {
	Kind, SizeClass string
}

// Count is one figure of the store: people and organisations in (country, dimension key).
type Count struct {
	Country, Key          string
	People, Organisations int
}

// Cell is one cell of a coverage table.
type Cell struct {
	Key                   string
	People, Organisations int
}

// Row is one country of a coverage table, a cell per column.
type Row struct {
	Country string
	Cells   []Cell
}

// Table is a coverage table by one dimension.
type Table struct {
	Dimension string
	Columns   []string
	Rows      []Row
}

// Place is a municipality with nobody in Bridge.
type Place struct {
	ID, Name, Country string
	Population        int
}

// Actor is an organisation.
type Actor struct {
	ID, Name, Country, Kind string
}

// Thin is a theme with few people in a country.
type Thin struct {
	Country, ThemeID string
	People           int
}

// GroupGap is an expert group and the countries none of its current members come from.
type GroupGap struct {
	ID, Name  string
	Countries []string
}

// Gaps are the gaps of the network.
type Gaps struct {
	EmptyMunicipalities      []Place
	EmptyMunicipalitiesTotal int
	NationalActors           []Actor
	ThinThemes               []Thin
	Groups                   []GroupGap
}

// Node is a vertex of the network graph: Kind is PERSON, ORGANISATION, GROUP or EVENT.
type Node struct {
	Key, Kind, ID, Name string
	Hidden              bool // a person members do not see (visibility SECRETARIAT or paused): its read is audited
}

// Edge joins two nodes by their keys.
type Edge struct{ From, To string }

// Bridge is a node whose removal cuts Separated nodes off from the rest of its component.
type Bridge struct {
	Node
	Separated int
}

// Island is a component not linked to the largest one.
type Island struct {
	Size    int
	Members []Node // at most five
}

// Bridges are the articulation points (largest cut first) and the islands.
type Bridges struct {
	Nodes, Edges, Components, Largest int
	Bridges                           []Bridge
	Islands                           []Island
	IslandsTotal                      int
}

// Month is one month of the trends.
type Month struct {
	Month                                   string
	NewProfiles, Introductions, Met, Useful int
}

// Hidden counts the people the secretariat sees and members do not.
type Hidden struct {
	Total, SecretariatOnly, Paused, NotSuggestable int
}

// Store reads the figures.
type Store interface {
	NetworkCounts(ctx context.Context, v bridge.Principal, dimension string, f Filter) ([]Count, error)
	NetworkColumns(ctx context.Context, dimension string) ([]string, error)
	NetworkGaps(ctx context.Context, v bridge.Principal, first int) (Gaps, error) // all but ThinThemes
	NetworkGraph(ctx context.Context, v bridge.Principal) ([]Node, []Edge, error) // nodes without names
	NetworkNames(ctx context.Context, v bridge.Principal, nodes []Node) (map[string]string, error)
	NewProfiles(ctx context.Context, v bridge.Principal, from, to time.Time) (map[string]int, error)
	HiddenPeople(ctx context.Context, v bridge.Principal) (Hidden, error)
}

// Service answers the secretariat's questions about the network.
type Service struct {
	Store         Store
	Introductions *introductions.Service
	Now           func() time.Time
}

// Coverage is the table of countries by dimension, every country and column present.
func (s Service) Coverage(ctx context.Context, v bridge.Actor, dimension string, f Filter) (Table, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return Table{}, err
	}
	var cols []string
	switch dimension {
	case ByKind:
		for _, k := range bridge.OrganisationKinds {
			cols = append(cols, string(k))
		}
	case BySizeClass:
		cols = SizeClasses
	case ByTheme:
		var err error
		if cols, err = s.Store.NetworkColumns(ctx, dimension); err != nil {
			return Table{}, err
		}
	default:
		return Table{}, bridge.InvalidInput([]string{"by"}, "unknown dimension")
	}
	if f.Kind != "" && !slices.Contains(bridge.OrganisationKinds, bridge.OrganisationKind(f.Kind)) {
		return Table{}, bridge.InvalidInput([]string{"filter", "kind"}, "unknown organisation kind")
	}
	if f.SizeClass != "" && !slices.Contains(SizeClasses, f.SizeClass) {
		return Table{}, bridge.InvalidInput([]string{"filter", "sizeClass"}, "unknown size class")
	}
	counts, err := s.Store.NetworkCounts(ctx, v.Principal, dimension, f)
	if err != nil {
		return Table{}, err
	}
	return fill(dimension, cols, counts), nil
}

// fill lays the counts out on every country and column (empty cells zero; counts outside ignored).
func fill(dimension string, cols []string, counts []Count) Table {
	t := Table{Dimension: dimension, Columns: cols}
	at := map[[2]string]Count{}
	for _, c := range counts {
		at[[2]string{c.Country, c.Key}] = c
	}
	for _, country := range Countries {
		row := Row{Country: country}
		for _, col := range cols {
			c := at[[2]string{country, col}]
			row.Cells = append(row.Cells, Cell{Key: col, People: c.People, Organisations: c.Organisations})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Gaps are the gaps; threshold is the number of people below which a theme is thin in a country,
// first bounds each list.
func (s Service) Gaps(ctx context.Context, v bridge.Actor, threshold, first int) (Gaps, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return Gaps{}, err
	}
	if threshold < 1 || threshold > MaxThreshold {
		return Gaps{}, bridge.InvalidInput([]string{"threshold"}, "must be between 1 and 1000")
	}
	if first < 1 || first > MaxList {
		return Gaps{}, bridge.InvalidInput([]string{"limit"}, "must be between 1 and 100")
	}
	g, err := s.Store.NetworkGaps(ctx, v.Principal, first)
	if err != nil {
		return g, err
	}
	t, err := s.Coverage(ctx, v, ByTheme, Filter{})
	if err != nil {
		return g, err
	}
	g.ThinThemes = thin(t, threshold, first)
	return g, nil
}

// thin are the cells of the theme table with fewer people than threshold: thinnest first, then
// in the table's order of countries and themes; at most first.
func thin(t Table, threshold, first int) []Thin {
	var out []Thin
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if c.People < threshold {
				out = append(out, Thin{Country: r.Country, ThemeID: c.Key, People: c.People})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].People < out[j].People })
	return out[:min(first, len(out))]
}

// Bridges finds the bridges and islands; first bounds both lists.
func (s Service) Bridges(ctx context.Context, v bridge.Actor, first int) (Bridges, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return Bridges{}, err
	}
	if first < 1 || first > MaxList {
		return Bridges{}, bridge.InvalidInput([]string{"limit"}, "must be between 1 and 100")
	}
	nodes, edges, err := s.Store.NetworkGraph(ctx, v.Principal)
	if err != nil {
		return Bridges{}, err
	}
	b := Analyse(nodes, edges, first)
	var shown []Node
	for _, x := range b.Bridges {
		shown = append(shown, x.Node)
	}
	for _, i := range b.Islands {
		shown = append(shown, i.Members...)
	}
	names, err := s.Store.NetworkNames(ctx, v.Principal, shown)
	if err != nil {
		return Bridges{}, err
	}
	for k := range b.Bridges {
		b.Bridges[k].Name = names[b.Bridges[k].Key]
	}
	for _, i := range b.Islands {
		for k := range i.Members {
			i.Members[k].Name = names[i.Members[k].Key]
		}
	}
	return b, nil
}

// Trends are the last months (the current one included): new profiles, introductions made, met
// and useful (from the introductions' statistics).
func (s Service) Trends(ctx context.Context, v bridge.Actor, months int) ([]Month, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return nil, err
	}
	if months < 1 || months > MaxMonths {
		return nil, bridge.InvalidInput([]string{"months"}, "must be between 1 and 60")
	}
	now := s.Now().UTC()
	to := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	from := to.AddDate(0, -months, 0)
	st, err := s.Introductions.Statistics(ctx, v, from, to)
	if err != nil {
		return nil, err
	}
	profiles, err := s.Store.NewProfiles(ctx, v.Principal, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]Month, 0, len(st.Months))
	for _, m := range st.Months {
		out = append(out, Month{Month: m.Key, NewProfiles: profiles[m.Key], Introductions: m.Made, Met: m.Met, Useful: m.Useful})
	}
	return out, nil
}

// Hidden counts the people hidden from members.
func (s Service) Hidden(ctx context.Context, v bridge.Actor) (Hidden, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return Hidden{}, err
	}
	return s.Store.HiddenPeople(ctx, v.Principal)
}

// Analyse finds the articulation points (with how many nodes each cuts off from its component)
// and the components other than the largest, with an iterative Tarjan in O(V+E).
func Analyse(nodes []Node, edges []Edge, first int) Bridges {
	index := make(map[string]int, len(nodes))
	for i, n := range nodes {
		index[n.Key] = i
	}
	adj := make([][]int, len(nodes))
	ne := 0
	for _, e := range edges {
		a, okA := index[e.From]
		b, okB := index[e.To]
		if !okA || !okB || a == b {
			continue
		}
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
		ne++
	}
	n := len(nodes)
	disc, low, size, cut := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	for i := range disc {
		disc[i] = -1
	}
	type frame struct{ v, parent, next int }
	var comps [][]int
	timer := 0
	for root := 0; root < n; root++ {
		if disc[root] >= 0 {
			continue
		}
		var comp []int
		stack := []frame{{root, -1, 0}}
		disc[root], low[root], size[root] = timer, timer, 1
		timer++
		comp = append(comp, root)
		var rootSizes []int
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < len(adj[f.v]) {
				w := adj[f.v][f.next]
				f.next++
				if disc[w] < 0 {
					disc[w], low[w], size[w] = timer, timer, 1
					timer++
					comp = append(comp, w)
					stack = append(stack, frame{w, f.v, 0})
				} else if w != f.parent && disc[w] < low[f.v] {
					low[f.v] = disc[w]
				}
				continue
			}
			v, p := f.v, f.parent
			stack = stack[:len(stack)-1]
			if p >= 0 {
				size[p] += size[v]
				if low[v] < low[p] {
					low[p] = low[v]
				}
				if p != root && low[v] >= disc[p] {
					cut[p] += size[v]
				}
				if p == root {
					rootSizes = append(rootSizes, size[v])
				}
			}
		}
		if len(rootSizes) > 1 { // the root cuts off all its subtrees but the largest
			cut[root] = -slices.Max(rootSizes)
			for _, k := range rootSizes {
				cut[root] += k
			}
		}
		comps = append(comps, comp)
	}
	out := Bridges{Nodes: n, Edges: ne, Components: len(comps)}
	for v := 0; v < n; v++ {
		if cut[v] > 0 {
			out.Bridges = append(out.Bridges, Bridge{Node: nodes[v], Separated: cut[v]})
		}
	}
	sort.SliceStable(out.Bridges, func(i, j int) bool {
		if out.Bridges[i].Separated != out.Bridges[j].Separated {
			return out.Bridges[i].Separated > out.Bridges[j].Separated
		}
		return out.Bridges[i].Key < out.Bridges[j].Key
	})
	if len(out.Bridges) > first {
		out.Bridges = out.Bridges[:first]
	}
	sort.SliceStable(comps, func(i, j int) bool { return len(comps[i]) > len(comps[j]) })
	if len(comps) > 0 {
		out.Largest = len(comps[0])
		out.IslandsTotal = len(comps) - 1
	}
	for _, c := range comps[min(1, len(comps)):] {
		if len(out.Islands) == first {
			break
		}
		isl := Island{Size: len(c)}
		for _, v := range c[:min(5, len(c))] {
			isl.Members = append(isl.Members, nodes[v])
		}
		out.Islands = append(out.Islands, isl)
	}
	return out
}
