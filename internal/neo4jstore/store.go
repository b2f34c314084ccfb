// Package neo4jstore is the only package that speaks Cypher. It implements the domain's service
// interfaces over a Neo4j 5.26 server with the official Go driver: one driver per process, a fresh
// session per unit of work, managed transactions with a deadline on every call, parameters only
// (labels and relationship types are constants in this package), results consumed inside the
// transaction, and Neo4j errors translated into domain error codes.
//
// A Store is safe for concurrent use; Close it once, after the last request has finished.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/causal"
)

// Config says which Neo4j to use and how long any one query may take.
type Config struct {
	URI      string // bolt://, neo4j://, neo4j+s:// …
	User     string
	Password string
	Database string
	// QueryTimeout bounds every round trip (including the driver's retries) unless the caller's
	// context has an earlier deadline. It is also sent to the server as the transaction timeout.
	QueryTimeout time.Duration
	// ErasureJournal is told about every erasure after its transaction committed (ErasePerson,
	// EraseForRetention), so that a restored backup can be cleaned again (reapply-erasures).
	// Nil: erasures are not journaled (tests, and commands that never erase).
	ErasureJournal bridge.ErasureJournal
	// MaxConnectionPoolSize bounds the connections to Neo4j (per server); 0 is 100.
	MaxConnectionPoolSize int
}

// Observer is told about every Cypher round trip; the metrics package implements it. name is a
// constant of this package, never query text or parameters.
type Observer interface {
	ObserveQuery(name string, d time.Duration, err error)
}

type nopObserver struct{}

func (nopObserver) ObserveQuery(string, time.Duration, error) {}

// Store implements the domain's services over Neo4j.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
	timeout  time.Duration
	observe  Observer
	journal  bridge.ErasureJournal // nil: none
	// bookmarks chain every transaction of this instance causally: on a cluster, a read routed
	// to a secondary waits until that secondary has the instance's last write (read your own
	// writes within an instance); on a single server it changes nothing.
	bookmarks neo4j.BookmarkManager
	// awaitSearch makes a write return only when the eventually consistent full-text indexes
	// (migration 0021) hold it: the bulk writes (bulk()), so that what a seed, an import or a
	// test fixture loads is found at once. A profile write does not wait (issue 15: its p99
	// within 50 ms); it is found a few milliseconds after it returns.
	awaitSearch bool
}

// qAwaitSearchRefresh waits until the eventually consistent full-text indexes have applied every
// committed change.
const qAwaitSearchRefresh = `CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()`

// Open creates the driver. It does not wait for the server: a Store over an unreachable server
// answers every call with UNAVAILABLE until the server is back, so the API can start (and report
// not ready) while the database is down.
func Open(cfg Config, obs Observer) (*Store, error) {
	if cfg.URI == "" {
		return nil, errors.New("neo4j: URI is required")
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 5 * time.Second
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	if obs == nil {
		obs = nopObserver{}
	}
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""), func(c *config.Config) {
		// The driver's defaults (60 s to acquire a connection, 30 s of retries) outlast any HTTP
		// request; bound them by the query timeout so a dead server fails fast and visibly.
		c.MaxTransactionRetryTime = cfg.QueryTimeout
		c.ConnectionAcquisitionTimeout = cfg.QueryTimeout
		c.SocketConnectTimeout = 3 * time.Second
		c.ConnectionLivenessCheckTimeout = 30 * time.Second
		c.MaxConnectionPoolSize = 100
		if cfg.MaxConnectionPoolSize > 0 {
			c.MaxConnectionPoolSize = cfg.MaxConnectionPoolSize
		}
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j: create driver: %w", err)
	}
	// Workaround for a data race in driver v5.28.4: the connector initialises its dial function
	// lazily on the first Connect (internal/connector/connector.go:55), so two first connections
	// made concurrently race (seen with -race). One connection attempt before the driver is shared
	// does that initialisation; it happens whether or not the server answers, so its error is
	// ignored here (Ping and every query report an unreachable server).
	warm, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	_ = drv.VerifyConnectivity(warm)
	cancel()
	return &Store{driver: drv, database: cfg.Database, timeout: cfg.QueryTimeout, observe: obs, journal: cfg.ErasureJournal,
		bookmarks: neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{})}, nil
}

// Close closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error {
	return s.driver.Close(ctx)
}

const qPing = `RETURN 1 AS ok`

// Ping runs RETURN 1 on the configured database: an open port is not enough to be ready.
func (s *Store) Ping(ctx context.Context) error {
	recs, err := s.read(ctx, "ping", qPing, nil)
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("ping: %d records", len(recs))
	}
	return nil
}

// Components returns the server's name, version and edition as reported by dbms.components().
func (s *Store) Components(ctx context.Context) (name, version, edition string, err error) {
	const q = `CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition`
	recs, err := s.read(ctx, "components", q, nil)
	if err != nil {
		return "", "", "", err
	}
	if len(recs) == 0 {
		return "", "", "", errors.New("dbms.components() returned nothing")
	}
	rec := recordRow(recs[0])
	name, version, edition = rec.Str("name"), rec.Str("version"), rec.Str("edition")
	if err := rec.Err("components"); err != nil {
		return "", "", "", err
	}
	return name, version, edition, nil
}

// read runs one query in a managed read transaction: one call is one Cypher round trip.
func (s *Store) read(ctx context.Context, name, query string, params map[string]any) ([]*neo4j.Record, error) {
	return s.run(ctx, neo4j.AccessModeRead, name, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	})
}

// write runs the statements in order in one managed write transaction, so that they all happen or
// none does. The work may be retried by the driver, so the statements must be idempotent (MERGE on
// our own keys). It returns the records of the last statement.
func (s *Store) write(ctx context.Context, name string, stmts ...statement) ([]*neo4j.Record, error) {
	recs, _, err := s.writeCounted(ctx, name, stmts...)
	return recs, err
}

// WriteCounts is how many graph elements a write created, changed or deleted.
type WriteCounts struct {
	NodesCreated, NodesDeleted, RelationshipsCreated, RelationshipsDeleted, PropertiesSet int
}

// Elements is the number of nodes and relationships created.
func (c WriteCounts) Elements() int { return c.NodesCreated + c.RelationshipsCreated }

// Add returns the sum of two counts.
func (c WriteCounts) Add(o WriteCounts) WriteCounts {
	return WriteCounts{c.NodesCreated + o.NodesCreated, c.NodesDeleted + o.NodesDeleted,
		c.RelationshipsCreated + o.RelationshipsCreated, c.RelationshipsDeleted + o.RelationshipsDeleted,
		c.PropertiesSet + o.PropertiesSet}
}

// writeCounted is write that also returns the server's update counters, summed over statements.
func (s *Store) writeCounted(ctx context.Context, name string, stmts ...statement) ([]*neo4j.Record, WriteCounts, error) {
	var counts WriteCounts
	recs, err := s.run(ctx, neo4j.AccessModeWrite, name, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		counts = WriteCounts{} // the work may run again on retry
		var last []*neo4j.Record
		for _, st := range stmts {
			res, err := tx.Run(ctx, st.query, st.params)
			if err != nil {
				return nil, err
			}
			if last, err = res.Collect(ctx); err != nil {
				return nil, err
			}
			sum, err := res.Consume(ctx)
			if err != nil {
				return nil, err
			}
			c := sum.Counters()
			counts = counts.Add(WriteCounts{c.NodesCreated(), c.NodesDeleted(), c.RelationshipsCreated(),
				c.RelationshipsDeleted(), c.PropertiesSet()})
		}
		return last, nil
	})
	return recs, counts, err
}

// statement is one parameterised Cypher statement of a write.
type statement struct {
	query  string
	params map[string]any
}

func (s *Store) run(ctx context.Context, mode neo4j.AccessMode, name string,
	work func(neo4j.ManagedTransaction) ([]*neo4j.Record, error)) (recs []*neo4j.Record, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	start := time.Now()
	rollback := rollsBack(ctx)
	defer func() {
		if !rollback { // a warm-up's transactions are not the service's (warmup.go)
			s.observe.ObserveQuery(name, time.Since(start), err)
		}
	}()

	// The client's bookmarks (internal/causal: its last write, possibly on another instance) join
	// the instance's own.
	client := causal.Bookmarks(ctx)
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: mode, BookmarkManager: s.bookmarks,
		Bookmarks: neo4j.BookmarksFromRawValues(client...)})
	defer func() {
		// The close error matters only if the work succeeded; otherwise the work's error says more.
		if cerr := session.Close(context.WithoutCancel(ctx)); cerr != nil && err == nil {
			err = translate(name, cerr)
		}
	}()
	txTimeout := neo4j.WithTxTimeout(s.timeout)
	if mode == neo4j.AccessModeWrite {
		if rollback {
			work = rolledBack(work)
		}
		if recs, err = neo4j.ExecuteWrite(ctx, session, work, txTimeout); err == nil {
			causal.Wrote(ctx, neo4j.BookmarksToRawValues(session.LastBookmarks()))
			if s.awaitSearch {
				err = s.awaitSearchRefresh(ctx, session, txTimeout)
			}
		}
	} else {
		recs, err = neo4j.ExecuteRead(ctx, session, work, txTimeout)
	}
	if err != nil {
		if len(client) > 0 && invalidBookmark(err) {
			if refused := causal.Rejected(ctx, fmt.Errorf("neo4j %s: the client's bookmark: %w", name, translate(name, err))); refused != nil {
				return nil, refused
			}
			return s.run(ctx, mode, name, work) // the browser's cookie: again, without it
		}
		terr := translate(name, err)
		// When the round trip's context is done, whatever the driver answered (some of its
		// errors, such as a read timeout, do not unwrap to the context's error) is the deadline's
		// doing: UNAVAILABLE, never an unclassified error that clients would see as INTERNAL.
		if ctx.Err() != nil && bridge.ErrorCode(terr) == bridge.CodeInternal {
			return nil, bridge.Unavailable(terr)
		}
		return nil, terr
	}
	return recs, nil
}

// awaitSearchRefresh waits, in the write's session, until the eventually consistent full-text
// indexes hold every committed change; a round trip of its own name in the metrics.
func (s *Store) awaitSearchRefresh(ctx context.Context, session neo4j.SessionWithContext, txTimeout func(*neo4j.TransactionConfig)) (err error) {
	start := time.Now()
	defer func() { s.observe.ObserveQuery("await_search_refresh", time.Since(start), err) }()
	_, err = neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res, err := tx.Run(ctx, qAwaitSearchRefresh, nil)
		if err != nil {
			return nil, err
		}
		_, err = res.Consume(ctx)
		return nil, err
	}, txTimeout)
	return err
}

// invalidBookmark is Neo4j refusing a transaction's bookmarks (not waiting for them: a bookmark
// it cannot reach in time is a TransientError, UNAVAILABLE like any other wait).
func invalidBookmark(err error) bool {
	var neoErr *neo4j.Neo4jError
	return errors.As(err, &neoErr) && strings.HasPrefix(neoErr.Code, "Neo.ClientError.Transaction.InvalidBookmark")
}

// translate maps driver and server errors to domain codes by error type and Neo4j status code,
// never by message. The cause is kept for logs; clients see only the code's safe message.
func translate(name string, err error) error {
	var domainErr *bridge.Error
	if errors.As(err, &domainErr) {
		return err
	}
	wrapped := fmt.Errorf("neo4j %s: %w", name, err)
	var neoErr *neo4j.Neo4jError
	var limit *neo4j.TransactionExecutionLimit
	switch {
	case errors.As(err, &neoErr):
		// A server message can quote property values (a constraint violation names the duplicate
		// value), i.e. personal data; keep only the status code for logs.
		wrapped = fmt.Errorf("neo4j %s: server error %s", name, neoErr.Code)
	case errors.As(err, &limit):
		// The driver gave up retrying; its message embeds the last server message, which does
		// not unwrap. Keep the cause and the kinds of the attempts' errors only.
		kinds := make([]string, 0, len(limit.Errors))
		for _, e := range limit.Errors {
			var ne *neo4j.Neo4jError
			if errors.As(e, &ne) {
				kinds = append(kinds, ne.Code)
			} else {
				kinds = append(kinds, fmt.Sprintf("%T", e))
			}
		}
		wrapped = fmt.Errorf("neo4j %s: retries exhausted (%s): %v", name, limit.Cause, kinds)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.As(err, new(*neo4j.ConnectivityError)), errors.As(err, new(*neo4j.TransactionExecutionLimit)):
		return bridge.Unavailable(wrapped)
	case errors.As(err, &neoErr):
		switch {
		case neoErr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return &bridge.Error{Code: bridge.CodeConflict, Message: "this conflicts with data that already exists", Err: wrapped}
		case neoErr.Code == "Neo.ClientError.Security.Unauthorized",
			neoErr.Code == "Neo.ClientError.Security.AuthenticationRateLimit",
			neoErr.Code == "Neo.ClientError.Database.DatabaseNotFound",
			neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOut",
			neoErr.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
			neoErr.Classification() == "TransientError":
			return bridge.Unavailable(wrapped)
		}
	}
	return wrapped
}

// keptPlan marks a statement whose plan Neo4j keeps when the statistics move (CYPHER
// replan=skip), and records it under name for TestKeptPlansSeekTheirAnchors. Neo4j plans a
// statement again, in the request that sends it, once the counts it was planned with have moved
// by enough (dbms.cypher.statistics_divergence_threshold, at most every
// dbms.cypher.min_replan_interval): on a network that grows, now and then a person's write waited
// 0.3-0.7 s for a plan (issue 15: the p99 of the introduction writes' second round in the write
// benchmarks, where the statements of the answer and the read of the people in it were planned
// again). Only for statements whose every MATCH starts from an index seek held by a hint (USING
// INDEX) or from nodes already bound: no count can make a better plan of them, and the test
// checks that their plans hold no scan.
func keptPlan(name, q string) string {
	kept := keptPlanPrefix + q
	keptPlans[name] = kept
	return kept
}

const keptPlanPrefix = "CYPHER replan=skip"

// keptPlans are the statements marked by keptPlan, by name.
var keptPlans = map[string]string{}
