// Package fx holds the test fixtures that the store's API does not offer: named builders that
// write what a test needs into the test Neo4j (a person as an import left them, an introduction in
// a given state, a notification due on a given day), and named readers that tell a test what was
// stored (an introduction's status, the audit events about a person). It is the only test code
// outside internal/neo4jstore that contains Cypher; guard_test.go fails when a test elsewhere
// writes some.
//
// Everything here is for tests only (it takes a testing.TB and fails the test on any error). The
// statements touch only what the test names: ids, an e-mail suffix or a prefix of the test's own.
package fx

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// drivers holds one driver per server and account for the whole test process: opening a driver
// (and its first connection) per statement cost a handshake each time.
var drivers sync.Map // key string → *lazyDriver

type lazyDriver struct {
	once sync.Once
	drv  neo4j.DriverWithContext
	err  error
}

func driver(t testing.TB) (neo4j.DriverWithContext, string) {
	t.Helper()
	cfg := testneo4j.Config(t)
	v, _ := drivers.LoadOrStore(cfg.URI+"|"+cfg.User+"|"+cfg.Password, &lazyDriver{})
	d := v.(*lazyDriver)
	d.once.Do(func() {
		d.drv, d.err = neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	})
	if d.err != nil {
		t.Fatalf("fx: driver: %v", d.err)
	}
	return d.drv, cfg.Database
}

// row is one record of a statement, by column name.
type row map[string]any

// run sends one statement to the test server and returns its records.
func run(t testing.TB, query string, params map[string]any) []row {
	t.Helper()
	drv, db := driver(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := neo4j.ExecuteQuery(ctx, drv, query, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db))
	if err != nil {
		t.Fatalf("fx: test statement: %v", err)
	}
	out := make([]row, 0, len(res.Records))
	for _, r := range res.Records {
		out = append(out, r.AsMap())
	}
	return out
}

// one runs a statement that returns exactly one record.
func one(t testing.TB, what, query string, params map[string]any) row {
	t.Helper()
	rows := run(t, query, params)
	if len(rows) != 1 {
		t.Fatalf("fx: %s: %d records, want 1", what, len(rows))
	}
	return rows[0]
}

func (r row) str(k string) string     { s, _ := r[k].(string); return s }
func (r row) integer(k string) int64  { n, _ := r[k].(int64); return n }
func (r row) boolean(k string) bool   { b, _ := r[k].(bool); return b }
func (r row) when(k string) time.Time { at, _ := r[k].(time.Time); return at }

// orNil is v, or nil (an absent property) for the zero value.
func orNil[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// where joins conditions into a WHERE clause (none: no clause).
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(conds, " AND ") + "\n"
}

// requireFilter fails the test for a filter that would select everything (a delete with it would
// wipe what other tests rely on).
func requireFilter(t testing.TB, what string, conds []string) {
	t.Helper()
	if len(conds) == 0 {
		t.Fatalf("fx: %s without a filter", what)
	}
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
