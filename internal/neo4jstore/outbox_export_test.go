package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// OutboxCypherForTest runs one statement in a write transaction and returns its records as maps: the
// outbox tests (package neo4jstore_test) write their fixtures (people, introductions,
// notifications) and read statuses back with Cypher of their own, which no store method has.
func (s *Store) OutboxCypherForTest(ctx context.Context, query string, params map[string]any) ([]map[string]any, error) {
	recs, err := s.write(ctx, "test_outbox_cypher", statement{query: query, params: params})
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out, nil
}

// HoldNotificationForTest starts a transaction that sets the notification's status (taking its
// write lock) and keeps it open until the returned commit is called: what another sender's claim
// looks like from the outside while it is in progress.
func (s *Store) HoldNotificationForTest(ctx context.Context, id, status string) (commit func() error, err error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	tx, err := session.BeginTransaction(ctx)
	if err != nil {
		session.Close(ctx)
		return nil, err
	}
	res, err := tx.Run(ctx, `MATCH (n:Notification {id: $id}) SET n.status = $status RETURN n.id AS id`, map[string]any{"id": id, "status": status})
	if err == nil {
		_, err = res.Single(ctx)
	}
	if err != nil {
		tx.Rollback(ctx)
		session.Close(ctx)
		return nil, err
	}
	return func() error {
		defer session.Close(context.WithoutCancel(ctx))
		return tx.Commit(ctx)
	}, nil
}
