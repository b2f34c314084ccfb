// Package searchquality measures people search as a search team would: a fixed set of queries
// practitioners type (names, places with their exonyms, themes, inflected words, acronyms,
// misspellings; in Swedish, Norwegian, Danish, Finnish, Icelandic and English), each with the
// people a practitioner would expect, judged against the deterministic demo data, and scored as
// recall@10 and nDCG@10 per language and overall. The queries and judgments are queries.json;
// the levels reached are baseline.json, which the test keeps (`make search-quality` prints the
// table).
package searchquality

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// K is the cut-off of both measures: the first page a practitioner reads.
const K = 10

// Query is one query of the set and what a practitioner expects of it. A person is relevant
// when they satisfy every judgment given (names, places, themes; within one, any value).
type Query struct {
	Lang string `json:"lang"` // sv, nb, da, fi, is or en: the language the query is typed in
	Text string `json:"q"`
	Why  string `json:"why"` // what the query tests: name, place, exonym, theme, inflection, acronym, misspelling
	// Names are full names (given and family) of the people meant.
	Names []string `json:"names,omitempty"`
	// Places are municipality keys: the people based there.
	Places []string `json:"places,omitempty"`
	// Themes are theme keys: the people on one of them or on a narrower theme.
	Themes []string `json:"themes,omitempty"`
	// Also relevant, whatever the judgments above: people whose title contains one of
	// AlsoTitles, or who work at an organisation whose name contains one of AlsoOrganisations
	// (an interpreter-service manager for "interpreter", the staff of "Women on the Move" for
	// "women").
	AlsoTitles        []string `json:"alsoTitles,omitempty"`
	AlsoOrganisations []string `json:"alsoOrganisations,omitempty"`
}

// ParseQueries reads the query set and checks that each query says what it expects.
func ParseQueries(raw []byte) ([]Query, error) {
	var qs []Query
	if err := json.Unmarshal(raw, &qs); err != nil {
		return nil, err
	}
	langs := []string{"sv", "nb", "da", "fi", "is", "en"}
	for i, q := range qs {
		if !slices.Contains(langs, q.Lang) || strings.TrimSpace(q.Text) == "" || q.Why == "" {
			return nil, fmt.Errorf("query %d (%q): needs lang (one of %v), q and why", i, q.Text, langs)
		}
		if len(q.Names)+len(q.Places)+len(q.Themes) == 0 {
			return nil, fmt.Errorf("query %d (%q): no judgment (names, places or themes)", i, q.Text)
		}
	}
	return qs, nil
}

// Relevant is the set of ids of people who satisfy the query's judgments. narrower gives, for
// a theme, itself and the themes under it (as the themes filter reads them); orgNames the names
// of organisations by key.
func (q Query) Relevant(people []bridge.Person, narrower func(string) []string, orgNames map[string]string) map[string]bool {
	themes := map[string]bool{}
	for _, t := range q.Themes {
		for _, n := range narrower(t) {
			themes[n] = true
		}
	}
	out := map[string]bool{}
	for _, p := range people {
		if q.also(p, orgNames) {
			out[p.ID] = true
			continue
		}
		if len(q.Names) > 0 && !slices.Contains(q.Names, p.GivenName+" "+p.FamilyName) {
			continue
		}
		if len(q.Places) > 0 && !slices.Contains(q.Places, p.MunicipalityID) {
			continue
		}
		if len(q.Themes) > 0 && !slices.ContainsFunc(p.Themes, func(l bridge.ThemeLink) bool { return themes[l.ThemeID] }) {
			continue
		}
		out[p.ID] = true
	}
	return out
}

func (q Query) also(p bridge.Person, orgNames map[string]string) bool {
	for _, w := range q.AlsoTitles {
		if strings.Contains(strings.ToLower(p.Title), strings.ToLower(w)) {
			return true
		}
	}
	for _, a := range p.Affiliations {
		for _, w := range q.AlsoOrganisations {
			if strings.Contains(strings.ToLower(orgNames[a.OrganisationID]), strings.ToLower(w)) {
				return true
			}
		}
	}
	return false
}

// Score is recall@K and nDCG@K of one ranked list of ids against the relevant set (binary
// gains). Recall is over min(K, relevant): a query with 300 relevant people and 10 of them in
// its first ten has recall 1.
func Score(ranked []string, relevant map[string]bool) (recall, ndcg float64) {
	if len(relevant) == 0 {
		return 0, 0
	}
	ideal := min(K, len(relevant))
	var hits int
	var dcg, idcg float64
	for i, id := range ranked[:min(K, len(ranked))] {
		if relevant[id] {
			hits++
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	for i := range ideal {
		idcg += 1 / math.Log2(float64(i+2))
	}
	return float64(hits) / float64(ideal), dcg / idcg
}

// Figures are the mean measures of a group of queries.
type Figures struct {
	Queries int     `json:"queries"`
	Recall  float64 `json:"recall@10"`
	NDCG    float64 `json:"ndcg@10"`
}

// Result is one query's scores.
type Result struct {
	Query        Query
	Relevant     int
	Recall, NDCG float64
}

// Table averages results per language and overall ("all").
func Table(results []Result) map[string]Figures {
	sums := map[string]*Figures{}
	add := func(key string, r Result) {
		f := sums[key]
		if f == nil {
			f = &Figures{}
			sums[key] = f
		}
		f.Queries++
		f.Recall += r.Recall
		f.NDCG += r.NDCG
	}
	for _, r := range results {
		add(r.Query.Lang, r)
		add("all", r)
	}
	out := map[string]Figures{}
	for k, f := range sums {
		out[k] = Figures{Queries: f.Queries, Recall: round(f.Recall / float64(f.Queries)), NDCG: round(f.NDCG / float64(f.Queries))}
	}
	return out
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// Format prints the table: one row per language in a fixed order, then all.
func Format(t map[string]Figures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-4s %7s %9s %7s\n", "lang", "queries", "recall@10", "nDCG@10")
	keys := []string{"sv", "nb", "da", "fi", "is", "en", "all"}
	for k := range t {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if f, ok := t[k]; ok {
			fmt.Fprintf(&b, "%-4s %7d %9.3f %7.3f\n", k, f.Queries, f.Recall, f.NDCG)
		}
	}
	return b.String()
}
