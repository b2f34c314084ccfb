package neo4jstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/nordic-integration/bridge/schema"
)

// MigrationResult says what Migrate did.
type MigrationResult struct {
	Applied []string // ids applied by this run, in order
	Skipped []string // ids already recorded in the graph
}

const (
	qMigrationApplied = `MATCH (m:Migration {id: $id}) RETURN m.checksum AS checksum`
	qMigrationRecord  = `MERGE (m:Migration {id: $id})
ON CREATE SET m.checksum = $checksum, m.appliedAt = datetime()`
	qAwaitIndexes = `CALL db.awaitIndexes($seconds)`
)

// Migrate applies the migrations that the graph has not recorded yet, in order, and records each
// one as a (:Migration {id, checksum, appliedAt}) node. A recorded migration whose file has since
// changed is an error: applied migrations are never edited, a new file is added instead.
// Statements are schema commands, each in its own transaction; all are IF NOT EXISTS, so a run cut
// off half-way is finished by the next one. Migrate waits until the indexes are online.
func (s *Store) Migrate(ctx context.Context, migrations []schema.Migration) (MigrationResult, error) {
	var res MigrationResult
	for _, m := range migrations {
		sum := sha256.Sum256([]byte(m.Source))
		checksum := hex.EncodeToString(sum[:])
		recs, err := s.read(ctx, "migration_applied", qMigrationApplied, map[string]any{"id": m.ID})
		if err != nil {
			return res, fmt.Errorf("migration %s: %w", m.ID, err)
		}
		if len(recs) > 0 {
			got, err := column(recs[0], "checksum", (*row).Str)
			if err != nil {
				return res, fmt.Errorf("migration %s: read checksum: %w", m.ID, err)
			}
			if got != checksum {
				return res, fmt.Errorf("migration %s was applied with checksum %s but the file now has %s: add a new migration instead of editing an applied one", m.ID, got, checksum)
			}
			res.Skipped = append(res.Skipped, m.ID)
			continue
		}
		for i, stmt := range m.Statements {
			if _, err := s.write(ctx, "migration_statement", statement{query: stmt}); err != nil {
				return res, fmt.Errorf("migration %s statement %d: %w", m.ID, i+1, err)
			}
		}
		if step := dataSteps[m.ID]; step != nil {
			if err := step(ctx, s); err != nil {
				return res, fmt.Errorf("migration %s data step: %w", m.ID, err)
			}
		}
		if _, err := s.write(ctx, "migration_record", statement{query: qMigrationRecord,
			params: map[string]any{"id": m.ID, "checksum": checksum}}); err != nil {
			return res, fmt.Errorf("migration %s: record: %w", m.ID, err)
		}
		res.Applied = append(res.Applied, m.ID)
	}
	if len(res.Applied) > 0 {
		wait := s.timeout
		if wait < 2*time.Minute {
			wait = 2 * time.Minute
		}
		ctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		// A longer deadline than ordinary queries: building an index over existing data takes time.
		sub := *s
		sub.timeout = wait
		if _, err := sub.read(ctx, "await_indexes", qAwaitIndexes, map[string]any{"seconds": int64(wait.Seconds())}); err != nil {
			return res, fmt.Errorf("await indexes: %w", err)
		}
	}
	return res, nil
}

// SchemaNames returns the names of the constraints and indexes present, for tests and `migrate`.
func (s *Store) SchemaNames(ctx context.Context) (constraints, indexes []string, err error) {
	if constraints, err = s.readStrings(ctx, "show_constraints", `SHOW CONSTRAINTS YIELD name RETURN name AS value ORDER BY name`, nil); err != nil {
		return nil, nil, err
	}
	if indexes, err = s.readStrings(ctx, "show_indexes", `SHOW INDEXES YIELD name RETURN name AS value ORDER BY name`, nil); err != nil {
		return nil, nil, err
	}
	return constraints, indexes, nil
}

// dataSteps are the data changes that go with a migration (its file holds schema commands only:
// Neo4j does not mix them with data changes in one transaction). A step runs after the
// migration's statements and before it is recorded, so a run cut off half-way does it again; it
// must be idempotent and work in batches (no transaction holds a whole graph's changes).
var dataSteps = map[string]func(context.Context, *Store) error{
	"0015_works_on_keys": func(ctx context.Context, s *Store) error {
		return s.inBatches(ctx, "works_on_keys", qWorksOnKeys)
	},
	"0017_person_name_on_links": func(ctx context.Context, s *Store) error {
		return s.inBatches(ctx, "person_name_on_links", qLinkNames)
	},
	"0018_person_name_on_works_at": func(ctx context.Context, s *Store) error {
		return s.inBatches(ctx, "person_name_on_works_at", qWorksAtNames)
	},
	"0019_person_name_on_memberships": func(ctx context.Context, s *Store) error {
		return s.inBatches(ctx, "person_name_on_memberships", qMembershipNames)
	},
}

// qMembershipNames fills in the copies of migration 0019 (the person's name and id, and the
// group's id on MEMBER_OF or the event's on ATTENDED) on up to $batch relationships that lack them.
const qMembershipNames = `
MATCH (p:Person)-[r:MEMBER_OF|ATTENDED]->(x)
WHERE (r.personName IS NULL AND p.name IS NOT NULL) OR r.person IS NULL
   OR (x:ExpertGroup AND r.expertGroup IS NULL) OR (x:Event AND r.event IS NULL)
WITH p, r, x LIMIT $batch
SET r.personName = p.name, r.person = p.id, r.expertGroup = CASE WHEN x:ExpertGroup THEN x.id END,
    r.event = CASE WHEN x:Event THEN x.id END
RETURN count(*) AS changed`

// qWorksAtNames fills in the copies of migration 0018 (the person's name and id and the
// organisation's id on WORKS_AT) on up to $batch relationships that lack them.
const qWorksAtNames = `
MATCH (p:Person)-[r:WORKS_AT]->(o:Organisation)
WHERE (r.personName IS NULL AND p.name IS NOT NULL) OR r.person IS NULL OR r.organisation IS NULL
WITH p, r, o LIMIT $batch
SET r.personName = p.name, r.person = p.id, r.organisation = o.id
RETURN count(*) AS changed`

// qLinkNames fills in the copies of migration 0017 (the person's name and id on WORKS_ON and
// LOCATED_IN, the municipality's id on LOCATED_IN) on up to $batch relationships that lack them.
const qLinkNames = `
MATCH (p:Person)-[r:WORKS_ON|LOCATED_IN]->(x)
WHERE (r.personName IS NULL AND p.name IS NOT NULL) OR r.person IS NULL OR (x:Municipality AND r.municipality IS NULL)
WITH p, r, x LIMIT $batch
SET r.personName = p.name, r.person = p.id, r.municipality = CASE WHEN x:Municipality THEN x.id END
RETURN count(*) AS changed`

// syncLinkNames keeps those copies, and those of migrations 0018 (WORKS_AT) and 0019 (MEMBER_OF,
// ATTENDED), in step for the person p of the statement it is part of: every write that links a
// person to a theme, a municipality, an organisation, a group or an event, or renames them, runs
// it after its changes (or sets the copies itself). A unit subquery: the statement's rows and
// variables are as before it.
const syncLinkNames = `
CALL (p) {
  MATCH (p)-[r:WORKS_ON|LOCATED_IN|WORKS_AT|MEMBER_OF|ATTENDED]->(x)
  WHERE r.personName IS NULL OR r.personName <> p.name OR r.person IS NULL OR r.person <> p.id
     OR (x:Municipality AND (r.municipality IS NULL OR r.municipality <> x.id))
     OR (x:Organisation AND (r.organisation IS NULL OR r.organisation <> x.id))
     OR (x:ExpertGroup AND (r.expertGroup IS NULL OR r.expertGroup <> x.id))
     OR (x:Event AND (r.event IS NULL OR r.event <> x.id))
  SET r.personName = p.name, r.person = p.id, r.municipality = CASE WHEN x:Municipality THEN x.id END,
      r.organisation = CASE WHEN x:Organisation THEN x.id END, r.expertGroup = CASE WHEN x:ExpertGroup THEN x.id END,
      r.event = CASE WHEN x:Event THEN x.id END
}`

// qWorksOnKeys fills in the theme and person ids of up to $batch WORKS_ON relationships that
// lack them, and says how many it changed.
const qWorksOnKeys = `
MATCH (p:Person)-[w:WORKS_ON]->(t:Theme) WHERE w.theme IS NULL OR w.person IS NULL
WITH p, w, t LIMIT $batch
SET w.theme = t.id, w.person = p.id
RETURN count(*) AS changed`

// inBatches runs a write that changes at most $batch elements and returns how many it changed
// (column changed), until it changes none, each batch in a transaction of its own.
func (s *Store) inBatches(ctx context.Context, name, query string) error {
	for {
		recs, err := s.write(ctx, name, statement{query: query, params: map[string]any{"batch": int64(20000)}})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		changed, err := column(recs[0], "changed", (*row).Int)
		if err != nil {
			return err
		}
		if changed == 0 {
			return nil
		}
	}
}

// RefreshStatistics samples the indexes that are out of date. After a bulk load (`bridge seed`
// of demo people, the tests' demo people) the planner still had the statistics of the empty
// database: it took the person id index for empty and planned a scan of every person for each id
// asked (qPeopleByIDs: 9.4 million db hits for 50 ids among 1,000 people, 3,000 once sampled).
// Plans made before the sampling are made again by Neo4j once it sees that the statistics have
// moved, except the kept ones (keptPlan), which hold their index seeks by hints whatever the
// statistics say; the query caches are not cleared, which would make every query plan again (a peers
// query takes about 0.7 s to plan).
func (s *Store) RefreshStatistics(ctx context.Context) error {
	if _, err := s.write(ctx, "resample_indexes", statement{query: `CALL db.resampleOutdatedIndexes()`}); err != nil {
		return err
	}
	// The sampling is scheduled, not awaited: give it the time it takes (well under a second
	// at 100,000 people) before the next queries are planned.
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Second):
		return nil
	}
}
