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
// Every subcommand has a flag set of its own (bridge CMD -h lists its flags) over the one shared
// configuration (config.go: environment variables, each with a flag). main keeps configuration
// and dispatch; internal/app wires the API and the workers.
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
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints err and returns the exit status: 0 for success and for -h, 2 for a command
// line that is wrong (unknown command or flag, bad arguments), 1 for everything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "bridge:", err)
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// usageError is a command line that is wrong: the process exits with 2, like the flag package.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// action runs a subcommand; args are its positional arguments (import and export only).
type action func(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error

// command is one subcommand: the shared settings it takes and its own flags.
type command struct {
	name, synopsis, summary string
	help                    string // what -h prints after the summary
	settings                settings
	// positional: the command takes arguments, and flags may come between them.
	positional bool
	// flags registers the command's own flags and returns its action.
	flags func(fs *flag.FlagSet, cfg *config) action
}

var commands = []command{
	{name: "serve", summary: "run the GraphQL API", settings: settingsAll,
		flags: func(*flag.FlagSet, *config) action {
			return func(ctx context.Context, cfg *config, _ []string, stdout, _ io.Writer) error {
				return serve(ctx, cfg, stdout)
			}
		}},
	{name: "migrate", summary: "apply the Neo4j schema migrations (idempotent)", settings: settingsDatabase,
		flags: func(*flag.FlagSet, *config) action {
			return func(ctx context.Context, cfg *config, _ []string, stdout, _ io.Writer) error {
				return migrate(ctx, cfg, stdout)
			}
		}},
	{name: "seed", synopsis: "[--demo-people N --seed S] [--demo-reset]", summary: "load the reference data (idempotent)",
		settings: settingsDatabase, flags: func(fs *flag.FlagSet, _ *config) action {
			var demo demoOptions
			fs.IntVar(&demo.People, "demo-people", 0, "also load this many generated demo people (0: none)")
			fs.Uint64Var(&demo.Seed, "seed", 1, "the random seed of the demo data (same seed, same people)")
			fs.BoolVar(&demo.Reset, "demo-reset", false, "delete all demo data before loading")
			fs.IntVar(&demo.Batch, "batch", 2000, "demo people per transaction")
			return func(ctx context.Context, cfg *config, _ []string, stdout, _ io.Writer) error {
				return seedCmd(ctx, cfg, demo, stdout)
			}
		}},
	{name: "waitdb", synopsis: "[--timeout 4m]", summary: "wait until Neo4j answers RETURN 1, then print its version",
		settings: settingsDatabase, flags: func(fs *flag.FlagSet, _ *config) action {
			timeout := fs.Duration("timeout", 4*time.Minute, "how long to wait")
			return func(ctx context.Context, cfg *config, _ []string, stdout, _ io.Writer) error {
				return waitDB(ctx, cfg, *timeout, stdout)
			}
		}},
	{name: "import", synopsis: "people|organisations [--dry-run] FILE.csv", summary: "import people or organisations from CSV",
		help: importHelp, settings: settingsDatabase, positional: true, flags: importFlags},
	{name: "export", synopsis: "people|organisations [--format csv|json] [--out FILE] [--include-demo]",
		summary: "export people or organisations", help: exportHelp, settings: settingsDatabase, positional: true, flags: exportFlags},
	{name: "retention", summary: "one run of the retention job (flag and erase unconfirmed profiles, prune audit and outbox); prints counts",
		settings: settingsDatabase | settingsRetention | settingsJournal, flags: func(*flag.FlagSet, *config) action {
			return func(ctx context.Context, cfg *config, _ []string, stdout, stderr io.Writer) error {
				return retentionCmd(ctx, cfg, stdout, stderr)
			}
		}},
	{name: "reapply-erasures", synopsis: "[--journal FILE]",
		summary:  "after restoring a backup, before serve: erase again everyone in the erasure journal",
		settings: settingsDatabase | settingsJournal, flags: func(fs *flag.FlagSet, cfg *config) action {
			journalFlag(fs, cfg)
			return func(ctx context.Context, cfg *config, _ []string, stdout, stderr io.Writer) error {
				return reapplyErasuresCmd(ctx, cfg, stdout, stderr)
			}
		}},
}

// journalFlag registers -journal, reapply-erasures' name for -erasure-journal.
func journalFlag(fs *flag.FlagSet, cfg *config) {
	fs.StringVar(&cfg.ErasureJournal, "journal", cfg.ErasureJournal, "the erasure journal to read (same as -erasure-journal)")
}

func usage() string {
	var b strings.Builder
	b.WriteString("usage: bridge <command> [flags]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-17s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'bridge <command> -h' for its flags; each flag of the configuration has an environment variable.")
	return b.String()
}

// flagSet is the flag set of one subcommand over a configuration read from getenv; envErrs are
// the variables of its settings that did not parse. It prints nothing while parsing: run reports
// a wrong flag in one line and prints the usage for -h.
func (c command) flagSet(getenv func(string) string) (*flag.FlagSet, *config, action, *[]error) {
	fs := flag.NewFlagSet("bridge "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, envErrs := bindConfig(fs, getenv, c.settings)
	act := c.flags(fs, cfg)
	return fs, cfg, act, envErrs
}

// printUsage is what `bridge CMD -h` prints: the synopsis, the description and the flags.
func (c command) printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s.\n", strings.TrimSpace("bridge "+c.name+" [flags] "+c.synopsis), c.summary)
	if c.help != "" {
		fmt.Fprint(w, "\n"+c.help)
	}
	fmt.Fprintln(w, "\nflags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// run executes one subcommand. ctx is cancelled on SIGINT or SIGTERM.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage())
		return usageErrorf("no command given")
	}
	name, args := args[0], args[1:]
	if name == "help" || name == "-h" || name == "--help" {
		fmt.Fprintln(stdout, usage())
		return nil
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		fmt.Fprintln(stderr, usage())
		return usageErrorf("unknown command %q", name)
	}
	cmd := commands[i]
	fs, cfg, act, envErrs := cmd.flagSet(getenv)
	var pos []string
	var err error
	if cmd.positional {
		pos, err = parseInterleaved(fs, args)
	} else {
		err = fs.Parse(args)
		pos = fs.Args()
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cmd.printUsage(fs, stderr)
			return err
		}
		return usageError{fmt.Errorf("%s: %w%s; see 'bridge %s -h'", cmd.name, err, otherCommandsFlag(err, getenv), cmd.name)}
	}
	if !cmd.positional && len(pos) > 0 {
		return usageErrorf("%s: unexpected arguments %v; see 'bridge %s -h'", cmd.name, pos, cmd.name)
	}
	if err := errors.Join(*envErrs...); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	return act(ctx, cfg, pos, stdout, stderr)
}

// otherCommandsFlag names the commands that take the flag a "not defined" error is about, so
// that `bridge serve -demo-people 5` says where -demo-people belongs.
func otherCommandsFlag(err error, getenv func(string) string) string {
	_, name, ok := strings.Cut(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	var owners []string
	for _, c := range commands {
		fs, _, _, _ := c.flagSet(getenv)
		if fs.Lookup(name) != nil {
			owners = append(owners, "bridge "+c.name)
		}
	}
	if len(owners) == 0 {
		return ""
	}
	return " (a flag of " + strings.Join(owners, ", ") + ")"
}

// newLogger returns the JSON logger every command writes to.
func newLogger(w io.Writer, level string) *slog.Logger {
	l, err := parseLevel(level)
	if err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
