package neo4jstore_test

import (
	"slices"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/seed"
)

func TestReferenceDataInTheGraph(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	want := map[string]int{"SE": 290, "NO": 357, "DK": 98, "FI": 292, "AX": 16, "IS": 62, "FO": 29, "GL": 5}
	total := 0
	for country, n := range want {
		page, err := s.Municipalities(ctx, bridge.MunicipalityFilter{CountryCode: country}, bridge.Page{First: 1})
		if err != nil {
			t.Fatal(err)
		}
		if page.TotalCount != n {
			t.Errorf("%s: %d municipalities in the graph, want %d", country, page.TotalCount, n)
		}
		total += page.TotalCount
	}
	all, err := s.Municipalities(ctx, bridge.MunicipalityFilter{}, bridge.Page{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if all.TotalCount != 1149 || total != 1149 {
		t.Errorf("%d municipalities (%d by country), want 1,149", all.TotalCount, total)
	}
	regions, err := s.Regions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 75 {
		t.Errorf("%d regions, want 75", len(regions))
	}
	themes, err := s.Themes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(themes) < 20 {
		t.Fatalf("%d themes in the graph", len(themes))
	}
	for _, th := range themes {
		for _, lang := range bridge.RequiredLabelLanguages {
			if th.Labels[lang] == "" {
				t.Errorf("theme %s has no %s label in the graph", th.ID, lang)
			}
		}
	}
}

func TestReferenceSeedIsIdempotent(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	ref, err := seed.ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertReference(ctx, ref); err != nil {
		t.Fatal(err)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.Nodes != after.Nodes || before.Relationships != after.Relationships {
		t.Fatalf("seeding the reference data again changed the graph: %+v -> %+v", before, after)
	}
	for label, want := range map[string]int64{"Country": 8, "Region": 75, "Municipality": 1149,
		"Theme": int64(len(ref.Themes)), "ExpertGroup": 5, "Event": 4} {
		if after.ByLabel[label] < want {
			t.Errorf("%d %s nodes, want at least %d", after.ByLabel[label], label, want)
		}
	}
}

func TestMunicipalityTextSearchFoldsLetters(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	for text, want := range map[string]string{"Malmo": "SE-1280", "Vasteras": "SE-1980", "Tromso": "NO-5501",
		"Reykjavik": "IS-0000", "Kobenhavn": "DK-0101", "helsingfors": "FI-091", "Mariehamn": "AX-478", "oslove": "NO-0301"} {
		page, err := s.Municipalities(ctx, bridge.MunicipalityFilter{Text: text}, bridge.Page{First: 20})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range page.Items {
			ids = append(ids, m.ID)
		}
		if !slices.Contains(ids, want) {
			t.Errorf("%q found %v, want %s among them", text, ids, want)
		}
	}
	if _, err := s.Municipalities(ctx, bridge.MunicipalityFilter{Text: "*** ~~"}, bridge.Page{First: 5}); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Errorf("a text without letters: %v, want BAD_USER_INPUT", err)
	}
	// Lucene syntax is not passed through.
	if _, err := s.Municipalities(ctx, bridge.MunicipalityFilter{Text: `Malmo" OR name:* AND (`}, bridge.Page{First: 5}); err != nil {
		t.Errorf("a text with Lucene syntax: %v", err)
	}
}

func TestMunicipalityPagesAreKeysetAndComplete(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	var seen []string
	after := ""
	for {
		page, err := s.Municipalities(ctx, bridge.MunicipalityFilter{CountryCode: "AX"}, bridge.Page{First: 5, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if page.TotalCount != 16 {
			t.Fatalf("totalCount %d on every page, want 16", page.TotalCount)
		}
		for _, m := range page.Items {
			seen = append(seen, m.ID)
			if m.Region == nil || m.Region.ID != "AX-21" {
				t.Errorf("%s: region %+v, want AX-21", m.ID, m.Region)
			}
		}
		if !page.HasNextPage {
			break
		}
		after = page.Items[len(page.Items)-1].ID
	}
	if len(seen) != 16 || !slices.IsSorted(seen) {
		t.Fatalf("pages gave %v", seen)
	}
}
