package searchquality

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// The demo data the judgments are made against: `bridge seed --demo-people 1000 --seed 1`.
const (
	demoPeople = 1000
	demoSeed   = 1
)

var update = flag.Bool("update", false, "write the figures reached to baseline.json")

// TestSearchQuality runs the query set as the secretariat (who may list every demo person, so
// that the judgments need not repeat the visibility rules) and keeps every figure of
// baseline.json. Only the demo people of this data set are judged: whatever else other tests
// left in the database is left out of each ranked list before it is cut at ten (a condensed list),
// so the figures do not depend on the order in which tests run. Relevance order depends on each
// person's own record only, so leaving others out does not change the order of the rest.
func TestSearchQuality(t *testing.T) {
	raw, err := os.ReadFile("queries.json")
	if err != nil {
		t.Fatal(err)
	}
	queries, err := ParseQueries(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(queries) < 60 {
		t.Fatalf("%d queries; the set keeps at least 60", len(queries))
	}
	testneo4j.Prepared(t, nil)
	// Quality, not time: each query has a minute (the first on a fresh database compiles the
	// large text query while the machine may be busy).
	cfg := testneo4j.Config(t)
	cfg.QueryTimeout = time.Minute
	store := testneo4j.Open(t, cfg, nil)
	ref, err := seed.ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.New(demo.Reference{Municipalities: ref.Municipalities, Themes: ref.Themes, Groups: ref.Groups, Events: ref.Events}, demoPeople, demoSeed)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := store.UpsertOrganisations(ctx, gen.Organisations()); err != nil {
		t.Fatal(err)
	}
	people := gen.People(0, demoPeople)
	for from := 0; from < demoPeople; from += 500 {
		if _, err := store.UpsertPeople(ctx, people[from:from+500]); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.RefreshStatistics(ctx); err != nil { // as `bridge seed` does after a bulk load
		t.Fatal(err)
	}
	ours := map[string]bool{}
	for _, p := range people {
		ours[p.ID] = true
	}
	narrower := narrowerThemes(ref.Themes)
	orgNames := map[string]string{}
	for _, o := range gen.Organisations() {
		orgNames[o.ID] = o.Name + " " + o.NameEn
	}
	viewer := bridge.Principal{Role: bridge.RoleSecretariat}
	var results []Result
	var failing []string
	for _, q := range queries {
		relevant := q.Relevant(people, narrower, orgNames)
		if len(relevant) == 0 {
			t.Errorf("%s %q: nobody in the demo data is relevant; fix the judgment", q.Lang, q.Text)
			continue
		}
		res, err := store.SearchPeople(ctx, viewer, bridge.PeopleFilter{Text: q.Text}, searchPage(100), nil)
		if err != nil {
			t.Fatalf("%q: %v", q.Text, err)
		}
		var ranked []string
		for _, p := range res.People {
			if ours[p.ID] {
				ranked = append(ranked, p.ID)
			}
		}
		r := Result{Query: q, Relevant: len(relevant)}
		r.Recall, r.NDCG = Score(ranked, relevant)
		results = append(results, r)
		if r.NDCG < 0.5 {
			failing = append(failing, q.Lang+" "+q.Text+" ("+q.Why+"): recall "+ftoa(r.Recall)+", nDCG "+ftoa(r.NDCG))
		}
	}
	table := Table(results)
	t.Logf("search quality, %d queries on %d demo people (seed %d):\n%s", len(results), demoPeople, demoSeed, Format(table))
	t.Logf("queries with nDCG@10 below 0.5:\n  %s", strings.Join(failing, "\n  "))
	if *update {
		out, _ := json.MarshalIndent(table, "", "  ")
		if err := os.WriteFile("baseline.json", append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	rawBase, err := os.ReadFile("baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]Figures
	if err := json.Unmarshal(rawBase, &base); err != nil {
		t.Fatal(err)
	}
	for lang, want := range base {
		got := table[lang]
		if got.Recall < want.Recall || got.NDCG < want.NDCG {
			t.Errorf("%s: recall@10 %.3f, nDCG@10 %.3f; the level reached is %.3f and %.3f", lang, got.Recall, got.NDCG, want.Recall, want.NDCG)
		}
	}
}

func ftoa(x float64) string {
	b, _ := json.Marshal(round(x))
	return string(b)
}

// narrowerThemes gives for a theme itself and the themes up to two levels under it, as the
// themes filter reads them.
func narrowerThemes(themes []bridge.Theme) func(string) []string {
	children := map[string][]string{}
	for _, t := range themes {
		for _, b := range t.Broader {
			children[b] = append(children[b], t.ID)
		}
	}
	return func(id string) []string {
		out := []string{id}
		for _, c := range children[id] {
			out = append(out, c)
			out = append(out, children[c]...)
		}
		return out
	}
}
