package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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

func firstError(t *testing.T, out map[string]any) (string, map[string]any) {
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
	if !strings.Contains(logs, "panic in resolver") || !strings.Contains(logs, "stack") {
		t.Fatalf("the panic is not logged: %s", logs)
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
