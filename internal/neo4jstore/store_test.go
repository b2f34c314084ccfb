package neo4jstore_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/schema"
	"github.com/nordic-integration/bridge/seed"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestMigrateIsIdempotentAndRecorded(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil) // applies everything once (or finds it applied)
	ms, err := schema.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Migrate(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 0 || len(res.Skipped) != len(ms) {
		t.Fatalf("second migrate applied %v, skipped %v; want nothing applied", res.Applied, res.Skipped)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.Nodes != after.Nodes || before.Relationships != after.Relationships {
		t.Fatalf("migrate changed the graph: %+v -> %+v", before, after)
	}
	if got := after.ByLabel["Migration"]; got != int64(len(ms)) {
		t.Fatalf("%d Migration records, want %d", got, len(ms))
	}
	constraints, indexes, err := s.SchemaNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"country_code", "person_id", "person_email_key", "municipality_official_code", "account_issuer_subject", "migration_id"} {
		if !slices.Contains(constraints, want) {
			t.Errorf("constraint %s missing; have %v", want, constraints)
		}
	}
	if !slices.Contains(indexes, "search_text") {
		t.Errorf("full-text index search_text missing; have %v", indexes)
	}
}

func TestMigrateRefusesAnEditedMigration(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	ms, err := schema.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	edited := slices.Clone(ms)
	edited[0].Source += "\n// edited after it was applied\n"
	_, err = s.Migrate(ctx, edited)
	if err == nil || !strings.Contains(err.Error(), "add a new migration") {
		t.Fatalf("Migrate with an edited migration = %v, want a checksum error", err)
	}
}

func TestFullTextIndexFoldsLetters(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	// The countries carry their local names in searchText: "Føroyar" must be found as "foroyar"
	// and "Ísland" as "island".
	for query, want := range map[string]string{"foroyar": "FO", "island": "IS", "ahvenanmaa": "AX", "ALAND": "AX"} {
		codes, err := s.SearchCountryCodes(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(codes, want) {
			t.Errorf("search %q found %v, want %s among them", query, codes, want)
		}
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := seed.Countries()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertCountries(ctx, cs); err != nil {
		t.Fatal(err)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.Nodes != after.Nodes || before.Relationships != after.Relationships {
		t.Fatalf("seeding again changed the graph: %+v -> %+v", before, after)
	}
	if after.ByLabel["Country"] != 8 {
		t.Fatalf("%d Country nodes, want 8", after.ByLabel["Country"])
	}
}

func TestUpsertCountriesRejectsBadInputAndWritesNothing(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := []bridge.Country{
		{Code: "ZZ", Name: "Nowhere", Kind: bridge.CountryKindCountry},
		{Code: "ZY", Name: "Nowhere either", Kind: bridge.CountryKindTerritory, ParentCode: "QQ"},
	}
	err = s.UpsertCountries(ctx, bad)
	if bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Fatalf("UpsertCountries = %v, want BAD_USER_INPUT", err)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Nodes != before.Nodes {
		t.Fatalf("a rejected batch wrote %d nodes", after.Nodes-before.Nodes)
	}
}

func TestCountries(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	cs, err := s.Countries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range cs {
		codes = append(codes, c.Code)
		wantParent := map[string]string{"FO": "DK", "GL": "DK", "AX": "FI"}[c.Code]
		gotParent := ""
		if c.Parent != nil {
			gotParent = c.Parent.Code
		}
		if gotParent != wantParent {
			t.Errorf("%s: parent %q, want %q", c.Code, gotParent, wantParent)
		}
	}
	if want := []string{"AX", "DK", "FI", "FO", "GL", "IS", "NO", "SE"}; !slices.Equal(codes, want) {
		t.Fatalf("codes %v, want %v", codes, want)
	}
}

func TestCountryByCode(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	gl, err := s.CountryByCode(ctx, "GL")
	if err != nil {
		t.Fatal(err)
	}
	if gl == nil || gl.Name != "Greenland" || gl.Kind != bridge.CountryKindTerritory || gl.Parent == nil ||
		gl.Parent.Code != "DK" || gl.Parent.Parent != nil || !slices.Contains(gl.LocalNames, "Kalaallit Nunaat") {
		t.Fatalf("GL = %+v", gl)
	}
	none, err := s.CountryByCode(ctx, "XX")
	if err != nil || none != nil {
		t.Fatalf("XX = %+v, %v; want nil, nil", none, err)
	}
}

type countingObserver struct {
	mu    sync.Mutex
	names []string
	codes []bridge.Code
}

func (o *countingObserver) ObserveQuery(name string, _ time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.names = append(o.names, name)
	o.codes = append(o.codes, bridge.ErrorCode(err))
}

func TestDatabaseDownIsUnavailableWithinDeadline(t *testing.T) {
	cfg := testneo4j.Config(t)
	proxy := testneo4j.NewProxy(t, cfg.URI)
	cfg.URI = proxy.URI()
	cfg.QueryTimeout = 2 * time.Second
	obs := &countingObserver{}
	s := testneo4j.Open(t, cfg, obs)
	ctx := ctxT(t)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("ping through the proxy: %v", err)
	}
	proxy.SetDown(true)
	start := time.Now()
	_, err := s.Countries(ctx)
	elapsed := time.Since(start)
	if bridge.ErrorCode(err) != bridge.CodeUnavailable {
		t.Fatalf("Countries with the database down = %v, want UNAVAILABLE", err)
	}
	// The bound is the query timeout plus slack for scheduling, not a performance figure.
	if elapsed > cfg.QueryTimeout+3*time.Second {
		t.Fatalf("Countries took %s with a %s query timeout", elapsed, cfg.QueryTimeout)
	}
	proxy.SetDown(false)
	if _, err := s.Countries(ctx); err != nil {
		t.Fatalf("after the database came back: %v", err)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if !slices.Contains(obs.codes, bridge.CodeUnavailable) {
		t.Fatalf("observer saw %v, want an UNAVAILABLE round trip", obs.codes)
	}
}

func TestWrongPasswordIsUnavailableNotInternal(t *testing.T) {
	cfg := testneo4j.Config(t)
	cfg.Password = "not-the-password"
	cfg.QueryTimeout = 2 * time.Second
	s := testneo4j.Open(t, cfg, nil)
	err := s.Ping(ctxT(t))
	if bridge.ErrorCode(err) != bridge.CodeUnavailable {
		t.Fatalf("Ping with a wrong password = %v, want UNAVAILABLE", err)
	}
	var e *bridge.Error
	if errors.As(err, &e) && strings.Contains(e.Message, "password") {
		t.Fatalf("message leaks detail: %q", e.Message)
	}
}

func TestConstraintViolationIsConflictWithoutTheValue(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	err := s.CreateMigrationRecordForTest(ctx, "0001_constraints")
	if bridge.ErrorCode(err) != bridge.CodeConflict {
		t.Fatalf("duplicate Migration id = %v, want CONFLICT", err)
	}
	if strings.Contains(err.Error(), "0001_constraints") {
		t.Fatalf("error keeps the duplicate value (could be personal data): %v", err)
	}
}

// TestDeadlinesAreUnavailable: whatever the driver answers when the caller's deadline passes —
// a query still running, or no connection free in the pool (its PoolTimeout does not unwrap to
// the context's error) — the store says UNAVAILABLE, never an unclassified (INTERNAL) error.
func TestDeadlinesAreUnavailable(t *testing.T) {
	const slow = `UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n`
	cfg := testneo4j.Config(t)
	cfg.QueryTimeout = 20 * time.Second
	cfg.MaxConnectionPoolSize = 1
	s := testneo4j.Open(t, cfg, nil)
	if err := s.Ping(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	t.Run("a query past the deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctxT(t), 300*time.Millisecond)
		defer cancel()
		err := s.ReadForTest(ctx, slow)
		if bridge.ErrorCode(err) != bridge.CodeUnavailable {
			t.Fatalf("a query past the deadline = %v (%T), want UNAVAILABLE", err, errors.Unwrap(err))
		}
	})
	t.Run("no connection free before the deadline", func(t *testing.T) {
		busy, stop := context.WithTimeout(ctxT(t), 3*time.Second)
		defer stop()
		held := make(chan struct{})
		go func() {
			defer close(held)
			_ = s.ReadForTest(busy, slow) // holds the pool's one connection
		}()
		time.Sleep(500 * time.Millisecond)
		ctx, cancel := context.WithTimeout(ctxT(t), 300*time.Millisecond)
		defer cancel()
		_, err := s.Countries(ctx)
		if bridge.ErrorCode(err) != bridge.CodeUnavailable {
			t.Errorf("a read with the pool taken = %v, want UNAVAILABLE", err)
		}
		stop()
		<-held
	})
}
