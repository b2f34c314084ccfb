// Package metrics owns Bridge's Prometheus registry (no global registry: each Metrics is
// independent, so tests and several servers in one process do not collide) and the collectors of
// HTTP requests and Cypher round trips.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Metrics holds the registry and the collectors. It is safe for concurrent use.
type Metrics struct {
	reg             *prometheus.Registry
	httpRequests    *prometheus.CounterVec
	httpDuration    *prometheus.HistogramVec
	cypherRoundTrip *prometheus.CounterVec
	cypherDuration  *prometheus.HistogramVec
	notifications   *prometheus.CounterVec
}

// New creates the collectors and registers them, with the Go runtime and process collectors, in a
// fresh registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridge_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bridge_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		cypherRoundTrip: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridge_cypher_round_trips_total",
			Help: "Cypher round trips (one managed transaction each) by query name and outcome code.",
		}, []string{"query", "outcome"}),
		cypherDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bridge_cypher_round_trip_duration_seconds",
			Help:    "Cypher round-trip latency by query name, including the driver's retries.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"query"}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridge_notifications_total",
			Help: "Notification e-mails by outcome: sent, retry, failed, released (given back unattempted), uncertain (left by a stopped sender, never sent).",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.httpRequests, m.httpDuration, m.cypherRoundTrip, m.cypherDuration, m.notifications,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry, for tests that read values back.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveHTTP records one finished HTTP request. route is the router's pattern (e.g. /graphql),
// never the raw path, so that labels stay few and free of user data.
func (m *Metrics) ObserveHTTP(route, method string, status int, d time.Duration) {
	m.httpRequests.WithLabelValues(route, method, http.StatusText(status)).Inc()
	m.httpDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

// ObserveQuery records one Cypher round trip; it implements neo4jstore.Observer.
func (m *Metrics) ObserveQuery(name string, d time.Duration, err error) {
	outcome := "OK"
	if err != nil {
		outcome = string(bridge.ErrorCode(err))
	}
	m.cypherRoundTrip.WithLabelValues(name, outcome).Inc()
	m.cypherDuration.WithLabelValues(name).Observe(d.Seconds())
}

// ObserveNotification counts one outcome of the notification sender; it implements
// notify.Observer.
func (m *Metrics) ObserveNotification(outcome string) {
	m.notifications.WithLabelValues(outcome).Inc()
}
