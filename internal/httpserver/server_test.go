package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

type fakeMetrics struct{}

func (fakeMetrics) ObserveHTTP(string, string, int, time.Duration) {}
func (fakeMetrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "bridge_http_requests_total 1\n") })
}

type okPinger struct{}

func (okPinger) Ping(context.Context) error { return nil }

// syncBuffer is a log buffer the handler's goroutines and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testRouter(gql http.Handler, timeout time.Duration, logs io.Writer) http.Handler {
	return NewRouter(Deps{GraphQL: gql, Ready: okPinger{}, ReadyTimeout: time.Second, RequestTimeout: timeout,
		Metrics: fakeMetrics{}, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
}

// TestClientRequestIDsAreChecked: a client's X-Request-Id is kept only when it is a plain token
// (up to 64 of A-Z a-z 0-9 . _ -); anything else (an e-mail address, free text, a long value) is
// replaced by a generated id and reaches neither the logs nor the handler.
func TestClientRequestIDsAreChecked(t *testing.T) {
	var seen string
	var logs syncBuffer
	h := testRouter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = middleware.GetReqID(r.Context())
	}), time.Second, &logs)
	for _, c := range []struct {
		sent string
		keep bool
	}{
		{"a1b2c3d4-0000-4000-8000-000000000001", true},
		{"edge.proxy_7-XYZ", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"anna.andersson@example.org", false},
		{"Anna Andersson asked about her data", false},
		{"id\nforged log line", false},
		{"ü", false},
	} {
		seen = ""
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{}`))
		req.Header.Set("X-Request-Id", c.sent)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header().Get("X-Request-Id")
		if got == "" || seen != got {
			t.Fatalf("%q: response id %q, handler saw %q", c.sent, got, seen)
		}
		if (got == c.sent) != c.keep {
			t.Errorf("%q: kept %v, want %v (id %q)", c.sent, got == c.sent, c.keep, got)
		}
		if !c.keep && strings.Contains(logs.String(), c.sent) {
			t.Errorf("%q reached the log", c.sent)
		}
	}
}

// TestMetricsAreNotPublic: the API's router does not serve /metrics (per-operation counters show
// privacy activity); it is served apart, on BRIDGE_METRICS_ADDR.
func TestMetricsAreNotPublic(t *testing.T) {
	h := testRouter(http.NotFoundHandler(), time.Second, io.Discard)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "bridge_") {
		t.Fatalf("/metrics on the API: %d %s", rec.Code, rec.Body.String())
	}
}

// TestDeadlineAnswersOneError: a handler that goes on past the request deadline (ignoring its
// context, as serialising loaded data does) does not reach the client: the client gets one
// UNAVAILABLE error at the deadline, and nothing of what the handler wrote.
func TestDeadlineAnswersOneError(t *testing.T) {
	finished := make(chan struct{})
	var logs syncBuffer
	h := testRouter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(finished)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":{"partial":"`)
		<-r.Context().Done()
		io.WriteString(w, strings.Repeat("x", 1<<20)+`"}}`)
	}), 20*time.Millisecond, &logs)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{}`)))
	<-finished
	var out struct {
		Data   any `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("not one JSON document (%d bytes): %.200s", rec.Body.Len(), rec.Body.String())
	}
	if rec.Code != http.StatusServiceUnavailable || len(out.Errors) != 1 || out.Data != nil ||
		out.Errors[0].Extensions["code"] != "UNAVAILABLE" || out.Errors[0].Extensions["requestId"] == "" {
		t.Fatalf("%d %.300s", rec.Code, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(logs.String(), `"status":503`) {
		t.Errorf("the access log does not show the 503: %s", logs.String())
	}
}

// TestInTimeResponsesPassThrough: a handler that answers within the deadline is answered as it
// wrote it (status, headers, body).
func TestInTimeResponsesPassThrough(t *testing.T) {
	h := testRouter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Context().Deadline(); !ok {
			t.Error("no deadline on the request's context")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Test", "1")
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, `{"data":{}}`)
	}), time.Minute, io.Discard)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{}`)))
	if rec.Code != http.StatusTeapot || rec.Header().Get("X-Test") != "1" || rec.Body.String() != `{"data":{}}` {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body.String())
	}
}

// TestPanicsAnswerInternalWithoutInternals: a panic below the router (outside gqlgen's own
// recovery) answers 500 in the API's error shape with a code and the request id, and the log says
// where, not what: the panic value (which can quote personal data) and the stack stay out.
func TestPanicsAnswerInternalWithoutInternals(t *testing.T) {
	var logs syncBuffer
	h := testRouter(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("alice@example.org has no profile")
	}), time.Second, &logs)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { id } }"}`)))
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusInternalServerError ||
		len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "INTERNAL" || body.Errors[0].Extensions["requestId"] == "" {
		t.Fatalf("status %d, body %q", rec.Code, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "alice") || strings.Contains(logs.String(), "alice") ||
		strings.Contains(logs.String(), "goroutine") || strings.Contains(logs.String(), ".go:") {
		t.Errorf("the panic value or a stack got out:\nbody %s\nlogs %s", rec.Body.String(), logs.String())
	}
	if !strings.Contains(logs.String(), "TestPanicsAnswerInternalWithoutInternals") {
		t.Errorf("the log does not say where the panic happened: %s", logs.String())
	}
}

// TestWebPagesAreRateLimited: the web app (every path but the API's) gets a per-caller limit of
// its own, like /graphql, and its own answer: plain text for a browser.
func TestWebPagesAreRateLimited(t *testing.T) {
	web := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "page") })
	h := NewRouter(Deps{GraphQL: http.NotFoundHandler(), Web: web, Ready: okPinger{}, ReadyTimeout: time.Second,
		RequestTimeout: time.Second, Metrics: fakeMetrics{}, Logger: slog.New(slog.DiscardHandler), RateLimit: 2})
	status := func(path string) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "192.0.2.7:1234"
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if a, b := status("/"), status("/themes"); a != 200 || b != 200 {
		t.Fatalf("the first two pages: %d %d", a, b)
	}
	if got := status("/search"); got != http.StatusTooManyRequests {
		t.Fatalf("the third page in a minute: %d, want 429", got)
	}
	if got := status("/healthz"); got != 200 {
		t.Fatalf("/healthz is not a page: %d", got)
	}
}
