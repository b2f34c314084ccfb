// Package testneo4j gives integration tests the real Neo4j that `make test` starts (a throwaway
// instance on a free port, announced through NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD), and a TCP
// proxy that can cut the connection to it, for tests of what happens when the database goes away.
//
// A test that needs Neo4j fails, never skips, when none is configured: CI must not pass because a
// server was not started.
package testneo4j

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/schema"
	"github.com/nordic-integration/bridge/seed"
)

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
		Database: "neo4j", QueryTimeout: 5 * time.Second}
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
// seeded (places, organisations, themes, groups, events, practices). Both steps are idempotent,
// so tests may call it in any order.
func Prepared(t testing.TB, obs neo4jstore.Observer) *neo4jstore.Store {
	t.Helper()
	s := Open(t, Config(t), obs)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	migrations, err := schema.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx, migrations); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	ref, err := seed.ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertReference(ctx, ref); err != nil {
		t.Fatalf("seed reference data: %v", err)
	}
	return s
}
