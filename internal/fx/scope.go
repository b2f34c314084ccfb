package fx

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
)

// Scope is a test's own corner of the shared test database: ids made with ID start with a random
// prefix of the test's own, and when the test ends every person, organisation, introduction and
// notification with that prefix is deleted.
type Scope struct {
	Prefix string
}

const qScopeCleanup = `
CALL {
  MATCH (n:Notification) WHERE n.id STARTS WITH $prefix RETURN n
  UNION MATCH (n:Introduction) WHERE n.id STARTS WITH $prefix RETURN n
  UNION MATCH (n:Person) WHERE n.id STARTS WITH $prefix RETURN n
  UNION MATCH (n:Account)-[:SIGNS_IN_AS]->(p:Person) WHERE p.id STARTS WITH $prefix RETURN n
  UNION MATCH (n:Organisation) WHERE n.id STARTS WITH $prefix RETURN n
}
WITH collect(n) AS found // all found before any is deleted: deleting a person first would hide its account
UNWIND found AS n
DETACH DELETE n`

// NewScope opens a scope whose ids start with "test-<name>-<random>-".
func NewScope(t testing.TB, name string) *Scope {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	s := &Scope{Prefix: "test-" + name + "-" + hex.EncodeToString(b) + "-"}
	t.Cleanup(func() { run(t, qScopeCleanup, map[string]any{"prefix": s.Prefix}) })
	return s
}

// ID is the scope's id for a name.
func (s *Scope) ID(name string) string { return s.Prefix + name }
