// Package testneo4j gives integration tests the real Neo4j that `make test` starts (a throwaway
// instance on a free port, announced through NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD), and a TCP
// proxy that can cut the connection to it, for tests of what happens when the database goes away.
//
// A test that needs Neo4j fails, never skips, when none is configured: CI must not pass because a
// server was not started.
package testneo4j

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/schema"
	"github.com/nordic-integration/bridge/seed"
)

// TestQueryTimeout is the tests' deadline of one round trip. The tests check answers, not speed
// (benchmarks measure that), and a Neo4j started moments ago plans a statement for seconds: with
// the race detector on CI's two cores, first reads ran past a deadline of 5 s and failed tests
// that were right. Tests of deadlines set short ones of their own.
const TestQueryTimeout = 30 * time.Second

// Config returns the store configuration of the test server, failing the test when there is none.
func Config(t testing.TB) neo4jstore.Config {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Fatal("NEO4J_URI is not set: integration tests need the real Neo4j that `make test` starts " +
			"(or set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to a server of your own)")
	}
	user := os.Getenv("NEO4J_USER")
	if user == "" {
		user = "neo4j"
	}
	return neo4jstore.Config{URI: uri, User: user, Password: os.Getenv("NEO4J_PASSWORD"),
		Database: "neo4j", QueryTimeout: TestQueryTimeout}
}

// Open opens a store on the test server, closed when the test ends.
func Open(t testing.TB, cfg neo4jstore.Config, obs neo4jstore.Observer) *neo4jstore.Store {
	t.Helper()
	s, err := neo4jstore.Open(cfg, obs)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

// Prepared returns a store on the test server with the schema migrated and all reference data
// seeded (places, organisations, themes, groups, events, practices). The migration and the seed
// run once per test process and server (the first call does them; later calls only open a
// store): no test changes reference data, and both steps are idempotent. A test that changes or
// removes reference data calls Reseed when it is done, so that the tests after it see it whole.
func Prepared(t testing.TB, obs neo4jstore.Observer) *neo4jstore.Store {
	t.Helper()
	cfg := Config(t)
	if err := preparedOnce(cfg); err != nil {
		t.Fatal(err)
	}
	return Open(t, cfg, obs)
}

// Reseed migrates and seeds the reference data again, at once, whatever was done before: for a
// test that changed or removed reference data (call it in t.Cleanup).
func Reseed(t testing.TB) {
	t.Helper()
	if err := prepare(Config(t)); err != nil {
		t.Fatal(err)
	}
}

// prepared holds, per server and database, the outcome of the first preparation in this process.
var prepared sync.Map // key string → *preparation

type preparation struct {
	once sync.Once
	err  error
}

func preparedOnce(cfg neo4jstore.Config) error {
	v, _ := prepared.LoadOrStore(cfg.URI+"|"+cfg.Database, &preparation{})
	p := v.(*preparation)
	p.once.Do(func() { p.err = prepare(cfg) })
	return p.err
}

// prepare migrates the schema and upserts the reference data with a store of its own.
func prepare(cfg neo4jstore.Config) (err error) {
	s, err := neo4jstore.Open(cfg, nil)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	defer func() {
		if cerr := s.Close(ctx); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	migrations, err := schema.Migrations()
	if err != nil {
		return err
	}
	if _, err := s.Migrate(ctx, migrations); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ref, err := seed.ReferenceData()
	if err != nil {
		return err
	}
	if err := s.UpsertReference(ctx, ref); err != nil {
		return fmt.Errorf("seed reference data: %w", err)
	}
	return nil
}
