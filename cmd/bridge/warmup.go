package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// The warm-up (issue 15): Neo4j plans a statement on its first use and keeps the plan in its
// query cache. A text search's statements (one per query, projection and country choice:
// neo4jstore's peopleStatement) take 1.2–1.8 s to plan on a warmed-up Neo4j and more than the
// query deadline (5 s) on one just started, so without a warm-up the first visitors to search
// after a start waited seconds, or got "try again shortly". Once serving, `bridge serve` loads the
// web app's search page in the forms its visitors use, signed out, one after another, so that
// Neo4j plans those statements before they are needed. Through HTTP, not a list of statements:
// the pages send exactly what a visitor's would (the same operations, projections and filters),
// and nothing has to be kept in step with the queries. Not warmed: other pages, other
// projections of API clients, texts longer than about 40 letters, and the searches without text
// with filters other than a country (each combination is a statement of its own). After the
// pages, the profile writes, an introduction request and an answer to one are warmed in
// transactions rolled back (warmUpWrites).

// warmUpPaths are the pages the warm-up loads, in order. Neo4j keeps a plan per statement and
// per size class of its string parameters: on Neo4j 5.26, after a search for a word of 2 letters,
// one of 6 and one of 11 (each planned anew, 3–5 s on a fresh server), searches for every length
// from 2 to 40 and for texts of two and three words found their plan (docs/performance.md, "The
// warm-up"). So the text searches are warmed with a word of each class (up to 5 letters, 6–10,
// 11 and more), each with and without a country (written into the statement). The words find
// things in every deployment's reference data (a municipality, a theme alias, theme labels), so
// that the whole page runs: its facets and the other things found included. The searches without
// text write their filters into the statement; the warm-up covers none and a country's.
var warmUpPaths = []string{
	"/search?q=integration", "/search?q=flyktingar", "/search?q=Oslo",
	"/search?q=integration&country=SE", "/search?q=flyktingar&country=SE", "/search?q=Oslo&country=SE",
	"/search", "/search?country=SE",
}

// warmUpAttempts bounds the tries of one page: a first try that runs past the deadline while
// Neo4j plans still leaves the plan in its cache for the next.
const warmUpAttempts = 3

// warmUpPages loads warmUpPaths from the server at base (http://host:port) and logs what each took.
// It never fails the server: a page that does not answer is logged and left. ctx stops it.
func warmUpPages(ctx context.Context, base string, client *http.Client, logger *slog.Logger) {
	start := time.Now()
	warmed := 0
	for _, path := range warmUpPaths {
		for attempt := 1; attempt <= warmUpAttempts; attempt++ {
			t0 := time.Now()
			status, err := warmUpGet(ctx, client, base+path)
			if ctx.Err() != nil {
				return
			}
			if err == nil && status == http.StatusOK {
				logger.Debug("warm-up page", slog.String("path", path), slog.Duration("took", time.Since(t0)))
				warmed++
				break
			}
			attrs := []slog.Attr{slog.String("path", path), slog.Int("attempt", attempt), slog.Int("status", status),
				slog.Duration("took", time.Since(t0))}
			if err != nil {
				attrs = append(attrs, slog.String("error", err.Error()))
			}
			logger.LogAttrs(ctx, slog.LevelWarn, "warm-up page failed", attrs...)
		}
	}
	logger.Info("warmed up", slog.Int("pages", warmed), slog.Int("of", len(warmUpPaths)), slog.Duration("took", time.Since(start)))
}

// warmUpWrites has Neo4j plan the profile writes, an introduction request and an answer to one
// in transactions rolled back (neo4jstore.WarmUpWrites), after the pages, and logs what it took. It never fails
// the server.
func warmUpWrites(ctx context.Context, store *neo4jstore.Store, issuer string, logger *slog.Logger) {
	start := time.Now()
	n, err := store.WarmUpWrites(ctx, issuer)
	if err != nil {
		if ctx.Err() == nil {
			logger.Warn("warm-up of writes failed", slog.Int("writes", n), slog.String("error", err.Error()))
		}
		return
	}
	logger.Info("warmed up writes", slog.Int("writes", n), slog.Duration("took", time.Since(start)))
}

// warmUpGet loads one page and reads it whole; the status is 0 when there was no answer.
func warmUpGet(ctx context.Context, client *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// warmUpBase is the address the server can reach itself on: its listener's, with an unspecified
// host (":8080", "0.0.0.0", "[::]", a dual-stack listener) as 127.0.0.1.
func warmUpBase(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP
	if host == nil || host.IsUnspecified() {
		host = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(host.String(), strconv.Itoa(tcp.Port))
}
