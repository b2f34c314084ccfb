// Package retention is storage limitation (GDPR art. 5(1)(e)): how long Bridge keeps what it
// keeps, and the job that deletes what is due.
//
//   - A profile the secretariat imported and its owner never confirmed (Person.confirmed = false,
//     source IMPORT, not demo, nobody signs in as it) that has been inactive for
//     Policy.UnconfirmedAfter is flagged, and its owner is asked by e-mail (RECONFIRM_PROFILE) to
//     sign in and confirm it by a deadline, Policy.Grace later.
//   - A flagged profile still unconfirmed after the deadline is erased (the store's erasure, with
//     the system as actor and "reason=retention" in the ERASE audit event).
//   - Audit events older than Policy.Audit and notifications in a final state (SENT, FAILED,
//     UNCERTAIN, DROPPED) older than Policy.Notifications are deleted.
//
// The rules (Policy.Cutoffs, Policy.Decide) are pure functions of the policy and a time; the Job
// runs them over the store in batches. Standard library and internal/bridge only.
package retention

import (
	"errors"
	"fmt"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Day is 24 hours: policy durations are Go durations (8760h is 365 days).
const Day = 24 * time.Hour

// The defaults: a year of inactivity, thirty days to answer, a year of audit, ninety days of sent
// notifications.
const (
	DefaultUnconfirmedAfter = 365 * Day
	DefaultGrace            = 30 * Day
	DefaultAudit            = 365 * Day
	DefaultNotifications    = 90 * Day
)

// The smallest durations a policy may have, so that a typo in the configuration cannot erase
// profiles or the audit trail within days: a person needs time to read the e-mail and sign in,
// and the audit trail must cover at least a month of accountability.
const (
	MinUnconfirmedAfter = 30 * Day
	MinGrace            = 7 * Day
	MinAudit            = 30 * Day
	MinNotifications    = 1 * Day
)

// Policy is how long things are kept.
type Policy struct {
	// UnconfirmedAfter: an unconfirmed imported profile inactive this long is flagged and its owner
	// asked to confirm it.
	UnconfirmedAfter time.Duration
	// Grace: how long the owner of a flagged profile has to confirm it before it is erased.
	Grace time.Duration
	// Audit: how long audit events are kept.
	Audit time.Duration
	// Notifications: how long notifications in a final state are kept (from their creation).
	Notifications time.Duration
}

// DefaultPolicy is the policy of the defaults above.
func DefaultPolicy() Policy {
	return Policy{UnconfirmedAfter: DefaultUnconfirmedAfter, Grace: DefaultGrace, Audit: DefaultAudit,
		Notifications: DefaultNotifications}
}

// Validate reports every duration below its minimum, naming the field.
func (p Policy) Validate() error {
	var errs []error
	check := func(name string, d, least time.Duration) {
		if d < least {
			errs = append(errs, fmt.Errorf("%s: %s is less than the minimum %s", name, d, least))
		}
	}
	check("UnconfirmedAfter", p.UnconfirmedAfter, MinUnconfirmedAfter)
	check("Grace", p.Grace, MinGrace)
	check("Audit", p.Audit, MinAudit)
	check("Notifications", p.Notifications, MinNotifications)
	return errors.Join(errs...)
}

// Cutoffs are the policy's instants at now (in UTC).
func (p Policy) Cutoffs(now time.Time) bridge.RetentionCutoffs {
	now = now.UTC()
	return bridge.RetentionCutoffs{
		Now:                 now,
		FlagInactiveBefore:  now.Add(-p.UnconfirmedAfter),
		ReconfirmBy:         now.Add(p.Grace),
		EraseFlaggedBefore:  now.Add(-p.Grace),
		AuditBefore:         now.Add(-p.Audit),
		NotificationsBefore: now.Add(-p.Notifications),
	}
}

// Decision is what the job does with one profile.
type Decision int

// The decisions.
const (
	Keep  Decision = iota // nothing is due
	Flag                  // ask the owner to confirm the profile by the deadline
	Erase                 // the deadline passed without confirmation
)

func (d Decision) String() string {
	switch d {
	case Flag:
		return "flag"
	case Erase:
		return "erase"
	}
	return "keep"
}

// Covered reports whether the retention of unconfirmed profiles applies to the profile at all:
// imported by the secretariat, not confirmed, not demo data, and nobody signs in as it.
func Covered(pr bridge.RetentionProfile) bool {
	return !pr.Confirmed && !pr.Demo && !pr.HasAccount && pr.Source == bridge.SourceImport
}

// Decide says what is due for a profile at c.Now:
//
//   - Keep anything not Covered, and a profile whose last activity is unknown (the job stamps it
//     first: its clock starts then, so that nobody is flagged the day the job is deployed).
//   - Flag an unflagged profile last active before c.FlagInactiveBefore.
//   - Erase a flagged profile that was flagged before c.EraseFlaggedBefore, whose deadline
//     (ReconfirmBy, if it was told one) has passed, and that was not active since it was flagged.
//     Both conditions hold: a shorter grace configured later never erases before the date the
//     person was told, and a longer one applies to profiles flagged earlier as well.
//   - Keep everything else.
func Decide(pr bridge.RetentionProfile, c bridge.RetentionCutoffs) Decision {
	if !Covered(pr) || pr.LastActiveAt.IsZero() {
		return Keep
	}
	if !pr.Flagged() {
		if pr.LastActiveAt.Before(c.FlagInactiveBefore) {
			return Flag
		}
		return Keep
	}
	if pr.LastActiveAt.After(pr.ReconfirmRequestedAt) {
		return Keep // active since the request (the store clears the flag on activity; defensive)
	}
	if !pr.ReconfirmRequestedAt.Before(c.EraseFlaggedBefore) {
		return Keep
	}
	if !pr.ReconfirmBy.IsZero() && c.Now.Before(pr.ReconfirmBy) {
		return Keep
	}
	return Erase
}
