// Package httpserver is Bridge's HTTP surface: the chi router with its middleware (request ids,
// access logs without personal data, metrics, panic recovery, deadlines), the operational
// endpoints /healthz, /readyz and /metrics, GraphiQL in development, and an http.Server with
// timeouts. The GraphQL handler itself is built by package graph and passed in, as is the web app
// (internal/web), which gets every other path.
package httpserver

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/causal"
	"github.com/nordic-integration/bridge/internal/httperr"
)

// Metrics is what the router records; package metrics implements it.
type Metrics interface {
	ObserveHTTP(route, method string, status int, d time.Duration)
	Handler() http.Handler
}

// Deps are the parts the router is built from.
type Deps struct {
	GraphQL        http.Handler
	Ready          bridge.Pinger // readiness: every dependency that must answer
	ReadyTimeout   time.Duration
	RequestTimeout time.Duration // deadline of one GraphQL request, passed down to Neo4j
	Metrics        Metrics
	Logger         *slog.Logger
	Development    bool // serves GraphiQL at /graphiql
	// Web is the web app (internal/web): every path not routed here (/ and the pages). Nil: none.
	Web http.Handler
	// Authenticate turns the request's bearer token into the principal in the context (or
	// refuses it); it wraps /graphql only. Nil: no authentication step.
	Authenticate func(http.Handler) http.Handler
	// RateLimit is how many /graphql requests one caller may make per minute (0: no limit): a
	// signed-in caller is counted by their person (or account), an anonymous one by client IP.
	RateLimit int
	// MaxInFlight bounds the /graphql requests served at once (0: no bound); a request that finds
	// no free slot within QueueWait is answered 503 UNAVAILABLE at once, with Retry-After, rather
	// than joining a queue that would make every request miss its deadline (load shedding).
	MaxInFlight int
	QueueWait   time.Duration
	// Bookmarks seals the clients' bookmark tokens (internal/causal: read your own writes across
	// instances); nil: none are given out or read. SecureCookies marks their cookie Secure.
	Bookmarks     *causal.Sealer
	SecureCookies bool
	// TrustedProxies are the CIDR prefixes of reverse proxies whose X-Forwarded-For gives the
	// client IP; empty: the TCP peer is the client (a forwarded header is never trusted).
	TrustedProxies []string
}

// NewRouter builds the routes:
//
//	POST /graphql   the API (GET is not served: queries would end up in URLs and logs)
//	GET  /healthz   200 while the process runs
//	GET  /readyz    200 when every dependency answers within ReadyTimeout, else 503
//	GET  /graphiql  GraphiQL (assets served by the binary), in development only
//	     /*         the web app (Web), every other path
//
// /metrics is not among them: per-operation counters show privacy activity, so Prometheus gets
// them on an address of its own (NewMetricsServer), never on the API's.
func NewRouter(d Deps) http.Handler {
	r := chi.NewRouter()
	r.Use(requestID, requestIDHeader, observe(d.Metrics, d.Logger), recoverer(d.Logger))
	if d.Bookmarks != nil {
		// A client's last write travels with it between instances (read your own writes on a
		// cluster).
		r.Use(causal.Middleware(d.Bookmarks, d.SecureCookies))
	}
	if len(d.TrustedProxies) > 0 {
		r.Use(middleware.ClientIPFromXFF(d.TrustedProxies...))
	} else {
		r.Use(middleware.ClientIPFromRemoteAddr)
	}

	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), d.ReadyTimeout)
		defer cancel()
		if err := d.Ready.Ping(ctx); err != nil {
			d.Logger.WarnContext(ctx, "not ready", slog.String("code", string(bridge.ErrorCode(err))),
				slog.String("cause", err.Error()))
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	gql := r.With(deadline(d.RequestTimeout))
	if d.MaxInFlight > 0 {
		gql = gql.With(shed(d.MaxInFlight, d.QueueWait))
	}
	if d.Authenticate != nil {
		gql = gql.With(d.Authenticate)
	}
	if d.RateLimit > 0 {
		gql = gql.With(httprate.LimitBy(d.RateLimit, time.Minute, callerKey, httprate.WithLimitHandler(tooManyRequests)))
	}
	gql.Handle("/graphql", d.GraphQL)
	if d.Development {
		gi := graphiqlHandler()
		r.Get("/graphiql", gi.ServeHTTP)
		r.Get("/graphiql/assets/*", gi.ServeHTTP)
	}
	if d.Web != nil {
		// Each page runs GraphQL operations in-process, so pages count against a limit of their
		// own per caller, as /graphql requests do.
		web := r.With()
		if d.RateLimit > 0 {
			web = web.With(httprate.LimitBy(d.RateLimit, time.Minute, callerKey, httprate.WithLimitHandler(tooManyPages)))
		}
		web.Mount("/", d.Web)
	}
	return r
}

// callerKey is the rate-limit bucket of a request: the signed-in person or account (so a caller
// cannot escape the limit by changing address, and colleagues behind one NAT do not share it),
// else the client IP (an IPv6 client by its /64, which it could otherwise rotate within).
func callerKey(r *http.Request) (string, error) {
	p := bridge.PrincipalFrom(r.Context())
	switch {
	case p.PersonID != "":
		return "person:" + p.PersonID, nil
	case p.Account != nil:
		return "account:" + p.Account.Issuer + "|" + p.Account.Subject, nil
	}
	return "ip:" + httprate.CanonicalizeIP(middleware.GetClientIP(r.Context())), nil
}

// shed serves at most limit requests at once; a request that waits longer than wait for a slot
// is answered 503 UNAVAILABLE with Retry-After. Written here rather than chi's Throttle, which
// answers in plain text: the API's answers keep its error shape (extensions.code).
func shed(limit int, wait time.Duration) func(http.Handler) http.Handler {
	slots := make(chan struct{}, limit)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			timer := time.NewTimer(wait)
			defer timer.Stop()
			select {
			case slots <- struct{}{}:
			case <-timer.C:
				w.Header().Set("Retry-After", "2")
				httperr.Write(w, http.StatusServiceUnavailable, string(bridge.CodeUnavailable),
					"the service is busy; try again in a moment", middleware.GetReqID(r.Context()))
				return
			case <-r.Context().Done():
				return
			}
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		})
	}
}

// tooManyRequests answers 429 in the API's error shape (httprate has set Retry-After and the
// X-RateLimit-* headers).
func tooManyRequests(w http.ResponseWriter, r *http.Request) {
	httperr.Write(w, http.StatusTooManyRequests, string(bridge.CodeRateLimited), "too many requests; wait a moment and try again",
		middleware.GetReqID(r.Context()))
}

// tooManyPages answers 429 to a browser in plain words (httprate has set Retry-After).
func tooManyPages(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = io.WriteString(w, "Too many requests: wait a minute and try again.\n")
}

// NewServer wraps the router in an http.Server whose timeouts bound slow clients (slowloris) and
// slow handlers.
func NewServer(addr string, h http.Handler, requestTimeout time.Duration, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      requestTimeout + 10*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// NewMetricsServer serves GET /metrics alone, for an address apart from the API's: loopback, or
// an internal interface that only Prometheus reaches (BRIDGE_METRICS_ADDR).
func NewMetricsServer(addr string, m Metrics, logger *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return &http.Server{
		Addr:              addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// maxRequestIDLength bounds a client's X-Request-Id.
const maxRequestIDLength = 64

// requestID puts the request's id in the context (chi's middleware.GetReqID reads it). A client's
// X-Request-Id (from a proxy or a client correlating its calls) is kept only when it is a plain
// token of up to 64 letters, digits, '.', '_' or '-': the id is written to the server log and to
// the append-only audit log, so free text (an e-mail address, a name, a forged log line) must
// never get there. Anything else is replaced by a generated id.
func requestID(next http.Handler) http.Handler {
	chiID := middleware.RequestID(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := r.Header.Get(middleware.RequestIDHeader); id != "" && !validRequestID(id) {
			r = r.Clone(r.Context())
			r.Header.Del(middleware.RequestIDHeader)
		}
		chiID.ServeHTTP(w, r)
	})
}

func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func requestIDHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", middleware.GetReqID(r.Context()))
		next.ServeHTTP(w, r)
	})
}

// observe logs and measures each request. It is ours rather than chi's middleware.Logger because
// it must log structured JSON with the route pattern only: raw paths, query strings, bodies and
// headers can carry personal data or tokens and are never logged.
func observe(m Metrics, logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			defer func() {
				route := "unmatched"
				if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
					route = rc.RoutePattern()
				}
				status := ww.Status()
				if status == 0 {
					status = http.StatusOK
				}
				d := time.Since(start)
				m.ObserveHTTP(route, r.Method, status, d)
				logger.LogAttrs(r.Context(), slog.LevelInfo, "http request",
					slog.String("request_id", middleware.GetReqID(r.Context())),
					slog.String("method", r.Method), slog.String("route", route),
					slog.Int("status", status), slog.Int("bytes", ww.BytesWritten()),
					slog.Duration("duration", d))
			}()
			next.ServeHTTP(ww, r)
		})
	}
}

// writeJSON answers the health endpoints; errors go through httperr.Write.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
