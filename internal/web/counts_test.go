package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// cannedExecutor answers each operation with its canned data, as the GraphQL API would.
type cannedExecutor map[string]string

func (c cannedExecutor) Execute(_ context.Context, _, operationName string, _ map[string]any) *graphql.Response {
	data, ok := c[operationName]
	if !ok {
		return &graphql.Response{Errors: gqlerror.List{{Message: "no canned answer for " + operationName}}}
	}
	return &graphql.Response{Data: json.RawMessage(data)}
}

// TestListCountsSayWhenTheyStopped: the people of a theme, a municipality, an organisation's
// staff, a group's members and an event's attendees are counted up to 1,000 (bridge.CountCap); when the API says the count is not exact, the
// page says "more than", in the visitor's language, and an exact count stays a plain number. The API's side (when the
// count stops) is TestRelatedPagesAreThePagesOfEveryPerson in neo4jstore; this is the page's.
func TestListCountsSayWhenTheyStopped(t *testing.T) {
	people := func(total int, exact bool) string {
		b, _ := json.Marshal(map[string]any{"totalCount": total, "totalCountIsExact": exact, "edges": []any{},
			"pageInfo": map[string]any{"hasNextPage": false, "hasPreviousPage": false, "endCursor": nil}})
		return string(b)
	}
	theme := func(p string) string {
		return `{"theme": {"id": "VGhlbWU6aGVhbHRo", "label": "Health", "description": null, "descriptionEn": null,
		  "labels": [], "broader": [], "narrower": [], "people": ` + p + `}}`
	}
	municipality := func(p string) string {
		return `{"municipality": {"id": "TXVuaWNpcGFsaXR5OlNFLTAxODA=", "name": "Stockholm", "names": ["Stockholm"],
		  "officialCode": "0180", "population": 984748, "populationDate": "2024-12-31", "sizeClass": "LARGE",
		  "region": null, "country": {"code": "SE"}, "people": ` + p + `}}`
	}
	organisation := func(p string) string {
		return `{"organisation": {"id": "T3JnYW5pc2F0aW9uOm9yZy0x", "name": "Example agency (demo)", "nameEn": null, "kind": "PUBLIC",
		  "description": null, "website": null, "active": true, "country": {"code": "SE"}, "municipality": null, "parent": null,
		  "practices": [], "staff": ` + p + `}}`
	}
	group := func(p string) string {
		return `{"expertGroup": {"id": "RXhwZXJ0R3JvdXA6Zy0x", "name": "Example group (demo)", "kind": "EXPERT_GROUP",
		  "description": null, "themes": [], "members": ` + p + `}}`
	}
	event := func(p string) string { // in the future, so that the page asks nothing about the viewer's attendance
		return `{"node": {"id": "RXZlbnQ6ZS0x", "name": "Example seminar (demo)", "description": null, "startDate": "2999-05-01",
		  "endDate": "2999-05-02", "city": "Oslo", "country": {"code": "NO"}, "themes": [], "attendees": ` + p + `}}`
	}
	cases := []struct {
		name, op, data, lang, want, notWant string
	}{
		{"group, capped, sv", "Group", group(people(1000, false)), "sv", "Personer: fler än 1000", "Personer: 1000<"},
		{"group, exact, en", "Group", group(people(15, true)), "en", "People: 15<", "more than"},
		{"event, capped, en", "Event", event(people(1000, false)), "en", "People: more than 1000", "People: 1000<"},
		{"event, exact, sv", "Event", event(people(31, true)), "sv", "Personer: 31<", "fler än"},
		{"organisation, capped, sv", "Organisation", organisation(people(1000, false)), "sv", "Personer: fler än 1000", "Personer: 1000<"},
		{"organisation, exact, en", "Organisation", organisation(people(7, true)), "en", "People: 7<", "more than"},
		{"theme, capped, en", "Theme", theme(people(1000, false)), "en", "People: more than 1000", "People: 1000<"},
		{"theme, capped, sv", "Theme", theme(people(1000, false)), "sv", "Personer: fler än 1000", "Personer: 1000<"},
		{"theme, exact", "Theme", theme(people(999, true)), "en", "People: 999<", "more than"},
		{"municipality, capped, fi", "Municipality", municipality(people(1000, false)), "fi", "Henkilöitä: yli 1000", "Henkilöitä: 1000<"},
		{"municipality, exact, sv", "Municipality", municipality(people(12, true)), "sv", "Personer: 12<", "fler än"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := New(Config{Executor: cannedExecutor{c.op: c.data}})
			if err != nil {
				t.Fatal(err)
			}
			path := "/themes/VGhlbWU6aGVhbHRo"
			switch c.op {
			case "Municipality":
				path = "/municipalities/TXVuaWNpcGFsaXR5OlNFLTAxODA="
			case "Organisation":
				path = "/organisations/T3JnYW5pc2F0aW9uOm9yZy0x"
			case "Group":
				path = "/groups/RXhwZXJ0R3JvdXA6Zy0x"
			case "Event":
				path = "/events/RXZlbnQ6ZS0x"
			}
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Accept-Language", c.lang)
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d: %.500s", path, rec.Code, body)
			}
			if !strings.Contains(body, c.want) || strings.Contains(body, c.notWant) {
				i := strings.Index(body, `class="count"`)
				t.Errorf("the count should read %q, not %q; it reads: %.120s", c.want, c.notWant, body[max(i, 0):])
			}
		})
	}
}

// TestSampledFacetsShowNoCounts: when more people match than the API counts facets over
// (bridge.FacetSample), the API says countsAreExact false, and the search page offers the values
// without their counts, every country included (one with none in the sample may still have
// people), and says why in the visitor's language; exact facets keep their counts and leave out
// the countries with nobody. The API's side is TestFacetCountsAreWhatChoosingTheValueFinds/a_sample
// in neo4jstore.
func TestSampledFacetsShowNoCounts(t *testing.T) {
	search := func(exact bool) string {
		b, _ := json.Marshal(map[string]any{"people": map[string]any{"totalCount": 1000, "totalCountIsExact": false, "edges": []any{},
			"pageInfo": map[string]any{"hasNextPage": false, "hasPreviousPage": false, "endCursor": nil},
			"facets": map[string]any{"countsAreExact": exact,
				"countries":         []any{map[string]any{"value": "SE", "count": 612}, map[string]any{"value": "GL", "count": 0}},
				"themes":            []any{map[string]any{"value": "VGhlbWU6aGVhbHRo", "count": 431}},
				"organisationKinds": []any{}, "languages": []any{map[string]any{"value": "sv", "count": 598}},
				"expertGroups": []any{}}},
			"themes": []any{map[string]any{"id": "VGhlbWU6aGVhbHRo", "label": "Health"}}})
		return string(b)
	}
	others := `{"organisations": {"totalCount": 0, "edges": []}, "municipalities": {"totalCount": 0, "edges": []}, "practices": []}`
	cases := []struct {
		name, lang, note string
		exact            bool
	}{
		{"sampled, en", "en", "So many people match that the filters show no counts.", false},
		{"sampled, sv", "sv", "Så många personer matchar att filtren inte visar några antal.", false},
		{"exact, en", "en", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := New(Config{Executor: cannedExecutor{"SearchPeople": search(c.exact), "SearchOthers": others}})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodGet, "/search?q=arbetsmarknaden", nil)
			req.Header.Set("Accept-Language", c.lang)
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /search = %d: %.500s", rec.Code, body)
			}
			counts, greenland := strings.Count(body, `class="facet-count"`), strings.Contains(body, `name="country" value="GL"`)
			if c.exact {
				if counts != 3 || greenland || strings.Contains(body, `id="facets-sampled"`) {
					t.Errorf("exact facets: %d counts shown (want 3), Greenland offered %v, the note %v", counts, greenland, strings.Contains(body, `id="facets-sampled"`))
				}
				return
			}
			if counts != 0 || !greenland || !strings.Contains(body, c.note) {
				t.Errorf("sampled facets: %d counts shown (want none), Greenland offered %v (want it), the note %q shown %v",
					counts, greenland, c.note, strings.Contains(body, c.note))
			}
		})
	}
}
