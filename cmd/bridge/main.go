// Command bridge is the one binary of Bridge: the API server and the operator's tools.
//
//	bridge serve     run the GraphQL API
//	bridge migrate   apply the Neo4j schema migrations (idempotent)
//	bridge seed      load the reference data (idempotent)
//	bridge waitdb    wait until Neo4j answers RETURN 1, then print its version
//	bridge import    import people or organisations from CSV (the secretariat's lists)
//	bridge export    export people or organisations as CSV or JSON
//	bridge retention one run of the retention job (for cron); serve runs it hourly
//	bridge reapply-erasures  after restoring a backup: erase again whoever the erasure journal lists
//
// Every subcommand takes its configuration from environment variables or flags (bridge CMD -h).
// main is a thin shell around run, which is where everything is wired.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bridge:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage: bridge <command> [flags]

commands:
  serve     run the GraphQL API
  migrate   apply the Neo4j schema migrations (idempotent)
  seed      load the reference data (idempotent)
  waitdb    wait until Neo4j answers RETURN 1, then print its version
  import    import people or organisations from CSV: bridge import people|organisations FILE.csv
  export    export people or organisations: bridge export people|organisations [--format csv|json] [--out FILE]
  retention one run of the retention job (flag and erase unconfirmed profiles, prune audit and outbox); prints counts
  reapply-erasures  after restoring a backup, before serve: erase again everyone in the erasure journal [--journal FILE]

Run 'bridge <command> -h' for the flags; each flag has an environment variable.`

// run executes one subcommand. ctx is cancelled on SIGINT or SIGTERM.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command given")
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet("bridge "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, envErrs := bindConfig(fs, getenv)
	waitTimeout := fs.Duration("timeout", 0, "waitdb: how long to wait (default 4m)")
	var demo demoOptions
	fs.IntVar(&demo.People, "demo-people", 0, "seed: also load this many generated demo people (0: none)")
	fs.Uint64Var(&demo.Seed, "seed", 1, "seed: the random seed of the demo data (same seed, same people)")
	fs.BoolVar(&demo.Reset, "demo-reset", false, "seed: delete all demo data before loading")
	fs.IntVar(&demo.Batch, "batch", 2000, "seed: demo people per transaction")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 && cmd != "import" && cmd != "export" {
		return fmt.Errorf("%s: unexpected arguments %v", cmd, fs.Args())
	}
	if err := errors.Join(*envErrs...); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, stdout)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "seed":
		return seedCmd(ctx, cfg, demo, stdout)
	case "waitdb":
		return waitDB(ctx, cfg, *waitTimeout, stdout)
	case "import":
		return importCmd(ctx, cfg, fs.Args(), stdout, stderr)
	case "export":
		return exportCmd(ctx, cfg, fs.Args(), stdout, stderr)
	case "retention":
		return retentionCmd(ctx, cfg, stdout, stderr)
	case "reapply-erasures":
		return reapplyErasuresCmd(ctx, cfg, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// newLogger returns the JSON logger every command writes to.
func newLogger(w io.Writer, level string) *slog.Logger {
	l, err := parseLevel(level)
	if err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
