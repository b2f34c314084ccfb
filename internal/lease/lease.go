// Package lease lets a periodic job run on one API instance per interval when several run beside
// each other (issue 16): before each run the instance asks the store for the job's lease, held
// in Neo4j with an expiry (neo4jstore.AcquireLease). The holder renews it at each of its runs;
// another instance gets it only when the holder stopped renewing (stopped or crashed) and the
// lease ran out. Written here rather than taken from a library: the lease must live in the one
// store every instance shares, and is one Cypher statement.
package lease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"
)

// Store holds the leases.
type Store interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLeases gives up the holder's leases (at a graceful shutdown).
	ReleaseLeases(ctx context.Context, holder string) error
}

// Gate says whether this instance should run the job now; on an error it does not (the next
// interval asks again), and the error is handed to report when it is set.
type Gate func(ctx context.Context) bool

// For returns the gate of the named job for holder: the lease lasts one interval, so that the
// holder's next run renews it and another instance's run within the interval is refused.
func For(s Store, name, holder string, interval time.Duration, report func(error)) Gate {
	return func(ctx context.Context) bool {
		ok, err := s.AcquireLease(ctx, name, holder, interval)
		if err != nil {
			if report != nil {
				report(err)
			}
			return false
		}
		return ok
	}
}

// Holder names this process among the instances: host, process id and a random part (a
// restarted process is a new holder, and waits for its old lease to run out like any other).
func Holder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}
