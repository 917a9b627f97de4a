package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
)

// Main holds everything the process gives the program: its streams and its
// environment. Tests build one with buffers and call Run.
type Main struct {
	Stdout   io.Writer
	Stderr   io.Writer
	Getenv   func(string) string
	Terminal bool // stderr is a terminal: human-readable logs and progress
	// Hangup delivers SIGHUP: qb run restarts its stopped strategies.
	// Nil in tests that do not send one.
	Hangup <-chan os.Signal
}

// command is one subcommand: its flags are set up by setup, run does the work.
type command struct {
	name    string
	summary string
	usage   string
	run     func(ctx context.Context, m *Main, args []string) error
}

func commands() []command {
	return []command{
		{"run", "run strategies against a live or simulated feed", "qb run [flags]", runCmd},
		{"replay", "replay recorded ticks or bars through strategies", "qb replay (--data FILE... | --store URL --symbols S,... --from DAY --to DAY) --strategy FILE|DIR... [flags]", replayCmd},
		{"check", "compile and check strategy files", "qb check FILE...", checkCmd},
		{"migrate", "apply the store's schema migrations and show their status", "qb migrate [--store URL] [--status]", migrateCmd},
		{"import", "load CSV files of ticks or bars into the store", "qb import [--store URL] FILE...", importCmd},
		{"kis-server", "run a local KIS protocol server (paper account, streamed trades) to try --feed kis", "qb kis-server [--data FILE] [flags]", kisServerCmd},
		{"version", "print the version", "qb version", versionCmd},
	}
}

// Run parses args (without the program name) and runs the subcommand.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(m.Stdout)
		if len(args) == 0 {
			return &exitError{code: 2}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, m, args[1:])
		}
	}
	m.usage(m.Stderr)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q", args[0])}
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "qb: a trading-strategy host for the Korean stock market.\n\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'qb COMMAND --help' for a command's flags.")
}

// newFlags returns a flag set that reports errors instead of exiting and
// prints its usage to m.Stdout on --help.
func (m *Main) newFlags(c string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c, pflag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.SortFlags = false
	for _, cmd := range commands() {
		if cmd.name == c {
			fs.Usage = func() {
				fmt.Fprintf(m.Stdout, "%s\n\nUsage: %s\n\nFlags:\n%s", cmd.summary, cmd.usage, fs.FlagUsages())
			}
		}
	}
	return fs
}

// parse parses flags; --help is not an error.
func parse(fs *pflag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return true, nil
		}
		return false, &exitError{code: 2, msg: err.Error()}
	}
	return false, nil
}

// exitError carries a process exit code to main.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func versionCmd(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlags("version")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "qb", version)
	return nil
}
