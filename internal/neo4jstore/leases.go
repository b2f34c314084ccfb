package neo4jstore

import (
	"context"
	"time"
)

// qAcquireLease takes or renews the lease of a job for $holder: it is theirs when nobody holds
// it, when its time has passed, or when they hold it already. The unique name (0014_job_leases)
// makes concurrent MERGEs of one lease meet at one node; SET _lock takes its write lock before
// the holder and time are read, so that of two instances asking at once the second reads what
// the first wrote. The time is the database's, so the instances' clocks do not matter.
const qAcquireLease = `
MERGE (l:JobLease {name: $name})
SET l._lock = true
WITH l, l.holder AS was, (l.holder IS NULL OR l.holder = $holder OR l.until IS NULL OR l.until <= datetime()) AS mine
SET l.holder = CASE WHEN mine THEN $holder ELSE was END,
    l.until = CASE WHEN mine THEN datetime() + duration({milliseconds: $ttlMs}) ELSE l.until END,
    l.since = CASE WHEN mine AND coalesce(was, '') <> $holder THEN datetime() ELSE l.since END
REMOVE l._lock
RETURN mine`

// AcquireLease implements lease.Store: whether holder now holds the named lease for ttl.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	recs, err := s.write(ctx, "acquire_lease", statement{qAcquireLease, map[string]any{
		"name": name, "holder": holder, "ttlMs": ttl.Milliseconds()}})
	if err != nil || len(recs) == 0 {
		return false, err
	}
	return column(recs[0], "mine", (*row).Bool)
}

// qReleaseLeases gives up every lease $holder holds (a graceful shutdown), so that another
// instance takes the jobs over at its next round instead of after the lease ran out.
const qReleaseLeases = `
MATCH (l:JobLease {holder: $holder})
SET l.until = datetime(), l.holder = null
RETURN count(l) AS value`

// ReleaseLeases implements lease.Store.
func (s *Store) ReleaseLeases(ctx context.Context, holder string) error {
	_, err := s.write(ctx, "release_leases", statement{qReleaseLeases, map[string]any{"holder": holder}})
	return err
}
