package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// fakeCountries is a CountryService whose behaviour each test sets; the real store is tested
// against Neo4j in package neo4jstore and end to end in cmd/bridge.
type fakeCountries struct {
	list func() ([]bridge.Country, error)
}

func (f fakeCountries) Countries(context.Context) ([]bridge.Country, error) { return f.list() }
func (f fakeCountries) CountryByCode(context.Context, string) (*bridge.Country, error) {
	return nil, nil
}

func serveQuery(t *testing.T, svc bridge.CountryService) (map[string]any, string) {
	t.Helper()
	var logs bytes.Buffer
	h := NewHandler(&Resolver{CountryService: svc}, HandlerConfig{
		MaxBodyBytes: 1 << 20, ComplexityLimit: 100, ParserTokenLimit: 1000,
		RequestID: func(context.Context) string { return "req-42" },
		Logger:    slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ countries { code } }"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("response is not JSON: %s", rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "secret-detail") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("response leaks internals: %s", rec.Body.String())
	}
	return out, logs.String()
}

func firstError(t testing.TB, out map[string]any) (string, map[string]any) {
	t.Helper()
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("no errors in %v", out)
	}
	e := errs[0].(map[string]any)
	ext, _ := e["extensions"].(map[string]any)
	return e["message"].(string), ext
}

func TestPresenterHidesUnclassifiedErrors(t *testing.T) {
	out, logs := serveQuery(t, fakeCountries{list: func() ([]bridge.Country, error) {
		return nil, errors.New("secret-detail: MATCH (n) RETURN n")
	}})
	msg, ext := firstError(t, out)
	if msg != "internal error" || ext["code"] != "INTERNAL" || ext["requestId"] != "req-42" {
		t.Fatalf("message %q extensions %v", msg, ext)
	}
	if !strings.Contains(logs, "secret-detail") || !strings.Contains(logs, "req-42") {
		t.Fatalf("the cause is not logged with the request id: %s", logs)
	}
}

func TestPresenterRecoversPanics(t *testing.T) {
	out, logs := serveQuery(t, fakeCountries{list: func() ([]bridge.Country, error) {
		panic("secret-detail")
	}})
	msg, ext := firstError(t, out)
	if msg != "internal error" || ext["code"] != "INTERNAL" {
		t.Fatalf("message %q extensions %v", msg, ext)
	}
	if !strings.Contains(logs, "panic in resolver") || !strings.Contains(logs, "TestPresenterRecoversPanics") {
		t.Fatalf("the panic is not logged with where it happened: %s", logs)
	}
	if strings.Contains(logs, "secret-detail") || strings.Contains(logs, "goroutine") || strings.Contains(logs, ".go:") ||
		strings.Contains(fmt.Sprint(out), "secret-detail") {
		t.Fatalf("the panic value or the stack got out:\nresponse %s\nlogs %s", out, logs)
	}
}

func TestPresenterShowsDomainErrors(t *testing.T) {
	out, _ := serveQuery(t, fakeCountries{list: func() ([]bridge.Country, error) {
		return nil, &bridge.Error{Code: bridge.CodeForbidden, Message: "not yours", Err: errors.New("secret-detail")}
	}})
	msg, ext := firstError(t, out)
	if msg != "not yours" || ext["code"] != "FORBIDDEN" {
		t.Fatalf("message %q extensions %v", msg, ext)
	}
}

// testHandler is the handler with the production limits' shape and fake services.
func testHandler(r *Resolver, logs *bytes.Buffer) http.Handler {
	if logs == nil {
		logs = &bytes.Buffer{}
	}
	return NewHandler(r, HandlerConfig{
		MaxBodyBytes: 1 << 20, ComplexityLimit: 1000, DepthLimit: 10, SelectionLimit: 500, ParserTokenLimit: 10000,
		RequestID: func(context.Context) string { return "req-42" },
		Logger:    slog.New(slog.NewJSONHandler(logs, nil)),
	})
}

// do posts body with the content type to h and returns the status, the decoded body and the raw
// body.
func do(t testing.TB, h http.Handler, ctx context.Context, contentType, body string) (int, map[string]any, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body)).WithContext(ctx)
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("response is not JSON: %s", rec.Body.String())
	}
	return rec.Code, out, rec.Body.String()
}

func gqlBody(query string) string {
	b, _ := json.Marshal(map[string]string{"query": query})
	return string(b)
}

// TestNestedPagesAreRefusedBeforeExecution: the query of issue 10 (complexity 26 under the old
// cost, a list costing 1 whatever its first) is refused with COMPLEXITY_LIMIT_EXCEEDED and no
// resolver runs (the resolver here has no services: running one would panic).
func TestNestedPagesAreRefusedBeforeExecution(t *testing.T) {
	h := testHandler(&Resolver{}, nil)
	for levels := 2; levels <= 4; levels++ {
		_, out, raw := do(t, h, t.Context(), "application/json", gqlBody(nested(levels)))
		if _, ext := firstError(t, out); ext["code"] != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Fatalf("nested %d levels: %s", levels, raw)
		}
		if errs := out["errors"].([]any); len(errs) != 1 || out["data"] != nil {
			t.Fatalf("nested %d levels: want one error and no data: %s", levels, raw)
		}
	}
}

// TestDeepQueriesAreRefused: a cheap query nested deeper than the depth limit is refused before
// execution; one at the limit runs.
func TestDeepQueriesAreRefused(t *testing.T) {
	calls := 0
	h := testHandler(&Resolver{CountryService: fakeCountries{list: func() ([]bridge.Country, error) {
		calls++
		return []bridge.Country{{Code: "SE", Name: "Sweden"}}, nil
	}}}, nil)
	deep := func(levels int) string { // countries { parent { … { code } } }: levels fields deep
		return "{ countries { " + strings.Repeat("parent { ", levels-2) + "code" + strings.Repeat(" }", levels-2) + " } }"
	}
	_, out, raw := do(t, h, t.Context(), "application/json", gqlBody(deep(11)))
	if _, ext := firstError(t, out); ext["code"] != "DEPTH_LIMIT_EXCEEDED" || calls != 0 {
		t.Fatalf("11 levels (calls %d): %s", calls, raw)
	}
	_, out, raw = do(t, h, t.Context(), "application/json", gqlBody(deep(10)))
	if out["errors"] != nil || calls != 1 {
		t.Fatalf("10 levels (calls %d): %s", calls, raw)
	}
}

// manyFields is the 24 KB query of issue 10: 4,900 copies of one field, and a field that does not
// exist at the end, which validation would report.
var manyFields = "{ countries { " + strings.Repeat("code ", 4900) + "} noSuchField }"

// TestManyFieldsAreRefusedBeforeValidation: the selection pre-check refuses the query before the
// parser and the validator see it (validation would answer GRAPHQL_VALIDATION_FAILED for the
// unknown field, after seconds of CPU on the duplicates).
func TestManyFieldsAreRefusedBeforeValidation(t *testing.T) {
	h := testHandler(&Resolver{}, nil)
	_, out, raw := do(t, h, t.Context(), "application/json", gqlBody(manyFields))
	msg, ext := firstError(t, out)
	if ext["code"] != "COMPLEXITY_LIMIT_EXCEEDED" || !strings.Contains(msg, "selections") {
		t.Fatalf("%.300s", raw)
	}
}

// BenchmarkRefuseManyFields measures the server CPU of refusing the 4,900-field query (issue 10:
// 1.3–3.5 s of validation before the fix). Run: go test ./graph -run '^$' -bench RefuseManyFields
func BenchmarkRefuseManyFields(b *testing.B) {
	h := testHandler(&Resolver{}, nil)
	body := gqlBody(manyFields)
	for b.Loop() {
		do(b, h, context.Background(), "application/json", body)
	}
}

// ctxCountries is a CountryService that gets the request's context.
type ctxCountries struct {
	list func(context.Context) ([]bridge.Country, error)
}

func (f ctxCountries) Countries(ctx context.Context) ([]bridge.Country, error) { return f.list(ctx) }
func (f ctxCountries) CountryByCode(context.Context, string) (*bridge.Country, error) {
	return nil, nil
}

// TestDeadlineStopsTheResponse: a service that returns its data only after the request's deadline
// (as loaded data is resolved and serialised after it) gives one UNAVAILABLE error and no data.
func TestDeadlineStopsTheResponse(t *testing.T) {
	var logs bytes.Buffer
	h := testHandler(&Resolver{CountryService: ctxCountries{list: func(ctx context.Context) ([]bridge.Country, error) {
		<-ctx.Done()
		return []bridge.Country{{Code: "DK", Name: "Denmark"}, {Code: "FO", Name: "Faroe Islands", ParentCode: "DK"}}, nil
	}}}, &logs)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	_, out, raw := do(t, h, ctx, "application/json", gqlBody(`{ countries { code name parent { code name } } }`))
	msg, ext := firstError(t, out)
	if ext["code"] != "UNAVAILABLE" || ext["requestId"] != "req-42" || !strings.Contains(msg, "too long") {
		t.Fatalf("%s", raw)
	}
	if errs := out["errors"].([]any); len(errs) != 1 || out["data"] != nil || strings.Contains(raw, "Denmark") {
		t.Fatalf("want one error and no data: %s", raw)
	}
	if n := strings.Count(logs.String(), `"code":"UNAVAILABLE"`); n != 1 {
		t.Fatalf("want the deadline logged once, got %d: %s", n, logs.String())
	}
}

// TestDeadlineErrorsAreUnavailable: a service that gives up at the deadline with the context's
// error answers UNAVAILABLE, not INTERNAL.
func TestDeadlineErrorsAreUnavailable(t *testing.T) {
	out, _ := serveQuery(t, fakeCountries{list: func() ([]bridge.Country, error) {
		return nil, fmt.Errorf("countries: %w", context.DeadlineExceeded)
	}})
	if _, ext := firstError(t, out); ext["code"] != "UNAVAILABLE" || ext["retryAfterSeconds"] != float64(retryAfterSeconds) {
		t.Fatalf("extensions %v, want UNAVAILABLE with a retry hint", ext)
	}
}

// TestBodyGuardMediaTypes: exactly application/json (any parameters, any case) passes; anything
// else is 415 UNSUPPORTED_MEDIA_TYPE; every refusal carries extensions.code.
func TestBodyGuardMediaTypes(t *testing.T) {
	h := testHandler(&Resolver{CountryService: fakeCountries{list: func() ([]bridge.Country, error) { return nil, nil }}}, nil)
	body := gqlBody(`{ countries { code } }`)
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON"} {
		if status, out, raw := do(t, h, t.Context(), ct, body); status != http.StatusOK || out["errors"] != nil {
			t.Errorf("%q: %d %s", ct, status, raw)
		}
	}
	for _, ct := range []string{"application/jsonx", "application/json-patch+json", "text/plain", "",
		"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/graphql"} {
		status, out, raw := do(t, h, t.Context(), ct, body)
		if _, ext := firstError(t, out); status != http.StatusUnsupportedMediaType || ext["code"] != "UNSUPPORTED_MEDIA_TYPE" {
			t.Errorf("%q: %d %s", ct, status, raw)
		}
	}
}

// BenchmarkValidationAtTheSelectionLimit measures the worst validation we found under the
// selection pre-check: 100 fields with one response name and conflicting arguments (200
// selections; every pair is compared and reported). Run:
// go test ./graph -run '^$' -bench 'ValidationAtTheSelectionLimit|RefuseManyFields'
func BenchmarkValidationAtTheSelectionLimit(b *testing.B) {
	h := NewHandler(&Resolver{}, HandlerConfig{MaxBodyBytes: 1 << 20, ComplexityLimit: 50_000, DepthLimit: 10,
		SelectionLimit: 200, ParserTokenLimit: 5000})
	var q strings.Builder
	q.WriteString("{ ")
	for i := range 100 {
		fmt.Fprintf(&q, `a: country(code: "%d") { code } `, i%3)
	}
	q.WriteString("}")
	if n := countSelections(q.String(), 1000); n != 200 {
		b.Fatalf("%d selections", n)
	}
	body := gqlBody(q.String())
	for b.Loop() {
		_, out, raw := do(b, h, context.Background(), "application/json", body)
		if _, ext := firstError(b, out); ext["code"] != "GRAPHQL_VALIDATION_FAILED" {
			b.Fatalf("%.300s", raw)
		}
	}
}
