// Package cli wires the `advisory` subcommands: flags and one call each into
// the packages that do the work.
package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"sort"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/startup"
	"github.com/spf13/cobra"
)

// Exit codes of every command.
const (
	ExitOK       = 0
	ExitFindings = 1 // lint errors, stale lock, refused publish, affected version
	ExitUsage    = 2 // usage or I/O errors
	// ExitCannotTell: check could not judge some advisory (no version data)
	// and none of the others affects the version.
	ExitCannotTell = 3
)

// ExitError carries an exit code out of a command; its message (if any) is
// printed to standard error.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// findings returns an error that exits 1 without printing anything more.
func findings() error { return &ExitError{Code: ExitFindings} }

// failed is the exit of a command whose work failed: an I/O error (a file
// or directory missing, unreadable or unwritable) exits 2 like a usage
// error, anything else (a refusal of the input) exits 1.
func failed(err error) error {
	if isIO(err) {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return &ExitError{Code: ExitFindings, Err: err}
}

// isIO reports whether err comes from the file system.
func isIO(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	return errors.As(err, &pe) || errors.As(err, &le) || errors.As(err, &se) ||
		errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission)
}

// collectorLater annotates a command that turns the garbage collector on
// itself (it is off while the program starts; see internal/startup):
// versions, whose run from the cache allocates about 2 MB, turns it on
// only before work the cache does not serve (gitgraph.Options.Computing),
// which allocates with the size of the history. Every other command has
// it on from the start. The soft memory limit bounds the heap either way.
const collectorLater = "collector-later"

// commands holds the constructors registered by each command's file.
var commands []func() *cobra.Command

// register adds a subcommand; each command file calls it from init.
func register(c func() *cobra.Command) { commands = append(commands, c) }

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "advisory",
		Short: "Build the CPython and pip security advisory database",
		Long: `advisory turns the YAML advisories under advisories/<product>/ into validated
OSV records, with affected versions computed from the product's git tags, an
osv.dev-compatible bundle and a static site, and publishes them.

Exit codes: 0 success, 1 findings (lint errors, stale lock, refused publish,
an affected version), 2 usage or I/O errors, 3 check cannot tell (some
advisory has no version data).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) {
		if cmd.Annotations[collectorLater] == "" {
			startup.Done()
		}
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	var subs []*cobra.Command
	for _, c := range commands {
		subs = append(subs, c())
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].Name() < subs[j].Name() })
	root.AddCommand(subs...)
	addCompletions(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: err}
	})
	return root
}

// softMemoryLimit keeps a very large run under about 1 GB by making the
// garbage collector work harder near it; ordinary runs stay far below and
// are unaffected. GOMEMLIMIT overrides it.
const softMemoryLimit = 768 << 20

// buildMemoryLimit is build's tighter soft limit: the build streams, so
// what it holds grows only by a light summary per advisory, packed without
// pointers (about 120 MB live at 100,000 advisories, 155 MB while the
// site's indexes are written), and the garbage collector need not let the
// heap grow far beyond that (docs/benchmarks.md, "What the stream holds at
// 100k"). GOMEMLIMIT overrides it.
const buildMemoryLimit = 448 << 20

// limitMemory sets a soft memory limit unless GOMEMLIMIT sets one, and
// returns the limit in effect.
func limitMemory(limit int64) int64 {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
	return debug.SetMemoryLimit(-1)
}

// Main runs the CLI with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	limitMemory(softMemoryLimit)
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			diag.WriteError(stderr, "advisory:", ee.Err)
		}
		return ee.Code
	}
	diag.WriteError(stderr, "advisory:", err)
	return ExitUsage
}
