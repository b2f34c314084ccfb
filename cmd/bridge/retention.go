package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/journal"
)

// openJournal opens the erasure journal of the configuration (BRIDGE_ERASURE_JOURNAL, or the
// development default): a path that cannot be appended to fails the command at start.
func openJournal(cfg *config, logger *slog.Logger) (*journal.File, error) {
	j, err := journal.Open(cfg.journalPath(), logger.With(slog.String("component", "erasure-journal")))
	if err != nil {
		return nil, fmt.Errorf("BRIDGE_ERASURE_JOURNAL: %w", err)
	}
	return j, nil
}

// retentionCmd is `bridge retention`: one run of the retention job (for cron), which prints the
// counts. Erasures are journaled as in serve.
func retentionCmd(ctx context.Context, cfg *config, stdout, stderr io.Writer) (err error) {
	if err := errors.Join(cfg.validate(false), cfg.validateRetention(), cfg.validateErasures()); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := newLogger(stderr, cfg.LogLevel)
	erasures, err := openJournal(cfg, logger)
	if err != nil {
		return err
	}
	store, err := openStore(cfg, nil, erasures)
	if err != nil {
		return err
	}
	defer closeStore(store, &err)
	rep, err := app.NewRetention(cfg.app(), store).Run(ctx)
	fmt.Fprintf(stdout, "retention: stamped %d, flagged %d, erased %d, audit events pruned %d, notifications pruned %d\n",
		rep.Stamped, rep.Flagged, rep.Erased, rep.AuditPruned, rep.NotificationsPruned)
	if err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	return nil
}

// reapplyQueryTimeout is the least deadline of each erasure reapply-erasures makes.
const reapplyQueryTimeout = time.Minute

// reapplyErasuresCmd is `bridge reapply-erasures [--journal FILE]`: after a backup was restored,
// and before serve starts, it erases again everyone the journal lists who exists again. Running it
// again erases nothing more.
func reapplyErasuresCmd(ctx context.Context, cfg *config, stdout, stderr io.Writer) (err error) {
	if err := errors.Join(cfg.validate(false), cfg.validateErasures()); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	path := cfg.journalPath()
	contents, err := journal.ReadFile(path)
	if err != nil {
		// A missing journal is an error, not "nothing to do": after a restore, silence would be wrong.
		return fmt.Errorf("reapply-erasures: %w", err)
	}
	// The restored database has just started: its first erasure plans the erasure's statements,
	// which took past the 5 s query deadline on a cold Neo4j in a backup drill (CI, 2026-12-07).
	// Nobody waits on this command, and giving up would leave an erased person restored; so each
	// erasure gets at least reapplyQueryTimeout.
	if cfg.QueryTimeout < reapplyQueryTimeout {
		cfg.QueryTimeout = reapplyQueryTimeout
	}
	store, err := openStore(cfg, nil, nil)
	if err != nil {
		return err
	}
	defer closeStore(store, &err)
	audit := bridge.AuditEntry{ActorRole: bridge.RoleSystem, RequestID: "reapply-erasures-" + uuid.NewString()}
	rep, rerr := journal.Reapply(ctx, store, contents.Entries, audit)
	fmt.Fprintf(stdout, "reapply-erasures: %d people in the journal, %d erased again, %d absent, %d unreadable lines\n",
		rep.People, rep.Erased, rep.Absent, len(contents.Unreadable))
	var errs []error
	if rerr != nil {
		errs = append(errs, rerr)
	}
	if n := len(contents.Unreadable); n > 0 {
		lines := make([]string, 0, min(n, 20))
		for i, l := range contents.Unreadable[:min(n, 20)] {
			if i < len(contents.UnreadableIn) {
				lines = append(lines, contents.UnreadableIn[i]+":"+strconv.Itoa(l))
			} else {
				lines = append(lines, strconv.Itoa(l))
			}
		}
		fmt.Fprintf(stderr, "%s: unreadable lines: %s\n", path, strings.Join(lines, ", "))
		errs = append(errs, fmt.Errorf("%d unreadable lines in %s: check them by hand (the other lines were applied)", n, path))
	}
	if len(errs) > 0 {
		return fmt.Errorf("reapply-erasures: %w", errors.Join(errs...))
	}
	return nil
}
