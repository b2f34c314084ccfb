package bridge

import "time"

// Storage limitation (GDPR art. 5(1)(e)) and the erasure journal (art. 17 across restores). The
// rules are in internal/retention; the graph model is docs/introductions.md ("Retention").

// The reasons an ERASE audit event gives in its detail when no person asked for the erasure.
const (
	ErasureReasonRetention = "retention" // the retention job: an imported profile never confirmed
	ErasureReasonJournal   = "journal"   // reapply-erasures: erased before, back from a backup
)

// RetentionProfile is what the retention rules read about a profile the secretariat imported
// and its owner has not confirmed (Person.confirmed = false).
type RetentionProfile struct {
	PersonID   string
	Confirmed  bool
	Demo       bool
	Source     PersonSource
	HasAccount bool // someone signs in as this person
	// LastActiveAt is the last time the profile was created, claimed, edited or written by an
	// import; zero when unknown (the retention job stamps such profiles when it first sees them).
	LastActiveAt time.Time
	// ReconfirmRequestedAt is when the retention job flagged the profile and asked its owner to
	// confirm it (zero: not flagged); ReconfirmBy is the deadline the owner was told.
	ReconfirmRequestedAt time.Time
	ReconfirmBy          time.Time
}

// Flagged reports whether a reconfirmation was requested and the profile is still waiting.
func (p RetentionProfile) Flagged() bool { return !p.ReconfirmRequestedAt.IsZero() }

// RetentionCutoffs are the instants a retention policy gives at one moment (Now). The store
// selects candidates with them and re-checks them under the person's lock before it acts, so that
// a profile confirmed in the meantime is left alone.
type RetentionCutoffs struct {
	Now time.Time
	// FlagInactiveBefore: an unflagged, unconfirmed profile last active before this is flagged.
	FlagInactiveBefore time.Time
	// ReconfirmBy: the deadline a profile flagged now is given (Now + grace).
	ReconfirmBy time.Time
	// EraseFlaggedBefore: a profile flagged before this (and past the deadline it was told) is
	// erased.
	EraseFlaggedBefore time.Time
	// AuditBefore: audit events older than this are deleted.
	AuditBefore time.Time
	// NotificationsBefore: notifications in a final state created before this are deleted.
	NotificationsBefore time.Time
}

// RetentionReport counts what one run of the retention job did. It holds no ids.
type RetentionReport struct {
	Stamped             int // unconfirmed profiles without a last activity, given the run's time
	Flagged             int // profiles flagged, each with a RECONFIRM_PROFILE notification
	Erased              int // flagged profiles erased after the grace period
	AuditPruned         int // audit events deleted
	NotificationsPruned int // notifications in a final state deleted
}

// ErasureJournal records erasures outside the database, so that restoring a backup taken before
// an erasure does not bring the person back (`bridge reapply-erasures`). The store calls it after
// the erasure's transaction committed, with ids only. It does not return an error: the erasure has
// happened whatever the journal does, so an implementation reports its own failures (the file
// journal logs them with the person's id).
type ErasureJournal interface {
	RecordErasure(personID string, erasedAt time.Time)
}
