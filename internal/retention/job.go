package retention

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Store is what the job needs from storage (package neo4jstore). Every method is one managed
// transaction of at most limit items, so a large backlog never makes one huge transaction.
type Store interface {
	// StampRetentionActivity gives up to limit covered profiles without a last activity the
	// time now, and returns how many it stamped.
	StampRetentionActivity(ctx context.Context, now time.Time, limit int) (int, error)
	// RetentionCandidates returns up to limit unconfirmed imported profiles with an id after
	// afterID (ordered by id) that may be due at c: unflagged and inactive since before
	// c.FlagInactiveBefore, or flagged before c.EraseFlaggedBefore. Decide has the last word.
	RetentionCandidates(ctx context.Context, c bridge.RetentionCutoffs, afterID string, limit int) ([]bridge.RetentionProfile, error)
	// FlagForReconfirmation flags the profiles (reconfirmRequestedAt = c.Now, reconfirmBy =
	// c.ReconfirmBy) that are still due under their lock, each with a RECONFIRM_PROFILE
	// notification in the same transaction, and returns how many it flagged.
	FlagForReconfirmation(ctx context.Context, ids []string, c bridge.RetentionCutoffs) (int, error)
	// EraseForRetention erases the person with the store's erasure (one transaction, journaled)
	// if the profile is still due for erasure at c under the person's lock, and reports whether it
	// did. A person who no longer exists is not an error (false).
	EraseForRetention(ctx context.Context, personID string, c bridge.RetentionCutoffs, audit bridge.AuditEntry) (bool, error)
	// PruneAuditEvents deletes up to limit audit events older than before.
	PruneAuditEvents(ctx context.Context, before time.Time, limit int) (int, error)
	// PruneNotifications deletes up to limit notifications in a final state created before before.
	PruneNotifications(ctx context.Context, before time.Time, limit int) (int, error)
	// AppendAudit appends audit events in one transaction.
	AppendAudit(ctx context.Context, events []bridge.AuditEntry) error
}

// DefaultBatch is how many items one transaction of the job handles.
const DefaultBatch = 200

// Job runs the policy over the store. The clock is injected (Now), so tests run it at any time.
type Job struct {
	Store  Store
	Policy Policy
	Now    func() time.Time
	// NewID returns a fresh id for each run; the run's audit events carry "retention-<id>" as
	// their request id, so that the ERASE events of a run and its RETENTION event belong together.
	// Nil: the run's time stands in.
	NewID func() string
	Batch int // items per transaction; 0: DefaultBatch
	// Gate, when set, is asked before each periodic run of RunEvery (lease.For: one instance
	// runs the job per interval); a run it refuses is skipped until the next interval.
	Gate func(context.Context) bool
}

// Run does everything that is due now, in this order: stamp profiles without a last activity,
// flag and erase profiles, prune audit events and notifications; then it appends one RETENTION
// audit event with the counts (also when a step failed: then with complete=false). A failed
// erasure of one person does not stop the others; any other failure ends the run, and the next
// run starts again (every step is idempotent).
func (j Job) Run(ctx context.Context) (bridge.RetentionReport, error) {
	now := j.Now().UTC()
	c := j.Policy.Cutoffs(now)
	batch := j.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	runID := now.Format("20060102T150405.000000000Z")
	if j.NewID != nil {
		runID = j.NewID()
	}
	system := bridge.AuditEntry{ActorRole: bridge.RoleSystem, RequestID: "retention-" + runID}

	var rep bridge.RetentionReport
	err := j.run(ctx, c, batch, system, &rep)
	detail := fmt.Sprintf("stamped=%d flagged=%d erased=%d auditPruned=%d notificationsPruned=%d",
		rep.Stamped, rep.Flagged, rep.Erased, rep.AuditPruned, rep.NotificationsPruned)
	if err != nil {
		detail += " complete=false"
	}
	ev := system
	ev.Action, ev.Detail = bridge.AuditRetention, detail
	// The audit event is written even when the run was cancelled: with a context of its own, short.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if aerr := j.Store.AppendAudit(actx, []bridge.AuditEntry{ev}); aerr != nil {
		err = errors.Join(err, fmt.Errorf("retention audit event: %w", aerr))
	}
	return rep, err
}

func (j Job) run(ctx context.Context, c bridge.RetentionCutoffs, batch int, system bridge.AuditEntry, rep *bridge.RetentionReport) error {
	if err := drain(ctx, batch, &rep.Stamped, func() (int, error) { return j.Store.StampRetentionActivity(ctx, c.Now, batch) }); err != nil {
		return fmt.Errorf("stamp activity: %w", err)
	}
	var eraseErrs []error
	for after := ""; ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := j.Store.RetentionCandidates(ctx, c, after, batch)
		if err != nil {
			return fmt.Errorf("retention candidates: %w", err)
		}
		var flag []string
		for _, pr := range page {
			switch Decide(pr, c) {
			case Flag:
				flag = append(flag, pr.PersonID)
			case Erase:
				erased, err := j.Store.EraseForRetention(ctx, pr.PersonID, c, system)
				if err != nil {
					eraseErrs = append(eraseErrs, fmt.Errorf("erase %s: %w", pr.PersonID, err))
					continue
				}
				if erased {
					rep.Erased++
				}
			}
		}
		if len(flag) > 0 {
			n, err := j.Store.FlagForReconfirmation(ctx, flag, c)
			if err != nil {
				return errors.Join(append(eraseErrs, fmt.Errorf("flag for reconfirmation: %w", err))...)
			}
			rep.Flagged += n
		}
		if len(page) < batch {
			break
		}
		after = page[len(page)-1].PersonID
	}
	if err := drain(ctx, batch, &rep.AuditPruned, func() (int, error) { return j.Store.PruneAuditEvents(ctx, c.AuditBefore, batch) }); err != nil {
		return errors.Join(append(eraseErrs, fmt.Errorf("prune audit events: %w", err))...)
	}
	if err := drain(ctx, batch, &rep.NotificationsPruned, func() (int, error) {
		return j.Store.PruneNotifications(ctx, c.NotificationsBefore, batch)
	}); err != nil {
		return errors.Join(append(eraseErrs, fmt.Errorf("prune notifications: %w", err))...)
	}
	return errors.Join(eraseErrs...)
}

// drain calls step until it handles fewer than batch items, adding its counts to total.
func drain(ctx context.Context, batch int, total *int, step func() (int, error)) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := step()
		*total += n
		if err != nil {
			return err
		}
		if n < batch {
			return nil
		}
	}
}

// RunEvery runs the job at once and then every interval until ctx ends, and hands each run's
// report (or error) to report.
func (j Job) RunEvery(ctx context.Context, interval time.Duration, report func(bridge.RetentionReport, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if j.Gate == nil || j.Gate(ctx) {
			rep, err := j.Run(ctx)
			if ctx.Err() == nil {
				report(rep, err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
