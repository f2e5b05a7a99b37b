// Package pipeline is the one sequence publish and refresh runs go through,
// and pull-request validation rehearses: assign final IDs, resolve every
// product against its mirror, build, publish. A run starts from the newest
// main of the database and does all the work, so a run that never ran (a
// pending run GitHub replaced) loses nothing, and running it again changes
// nothing.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/ids"
	"github.com/psf/advisory-builder/internal/lock"
	"github.com/psf/advisory-builder/internal/osv"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/product"
	"github.com/psf/advisory-builder/internal/publish"
	"github.com/psf/advisory-builder/internal/resolve"
)

// Resolver resolves one product of the database against its mirror
// (resolve.Product; tests slow it down).
type Resolver func(context.Context, resolve.Options) (*resolve.Outcome, error)

// Defaults of Options.
const (
	DefaultDBRemote = "origin"
	DefaultDBBranch = "main"
	DefaultAttempts = 3
	CommitMessage   = "Assign advisory IDs and update resolution locks"
)

// Options configure a run.
type Options struct {
	// Root is the database checkout (a git work tree; the directory holding
	// advisories/). Run checks out the newest DBBranch in it; Validate
	// leaves it untouched.
	Root string
	// Mirrors maps every product of the database to a clone of its
	// repository.
	Mirrors map[string]string
	// Resolve is the resolution step (resolve.Product when nil).
	Resolve Resolver
	// Publish is the publish step's options (remote, branch, token,
	// identity); Dir and DryRun are set by the pipeline.
	Publish publish.Options
	// DBRemote and DBBranch name the database's remote and main branch.
	DBRemote, DBBranch string
	// Ident are git options naming the committer of the database commit
	// (-c user.name=... -c user.email=...).
	Ident []string
	// Out is the build output directory; a temporary one when empty.
	Out string
	// Announce is where the drafts of newly published advisories are
	// written (<ID>.email.txt, <ID>.cve.json); none when empty.
	Announce string
	// Attempts bounds the runs started again because main moved.
	Attempts int
	// Now is the time lint checks dates against (never in the output).
	Now time.Time
	// Clock reads the current time (time.Now when nil). The build's clock
	// is read again after the run's own database commit: that commit is
	// dated by git when it is made, which may be minutes after the run
	// started (a slow resolve), and the build refuses a HEAD dated after
	// its clock.
	Clock func() time.Time
	// Format is the diagnostics format of the steps: text or github.
	Format string
	// Base is the pull request's base revision (Validate).
	Base string
	// Log receives the steps' progress and diagnostics.
	Log io.Writer
	// Progress receives the build's line-based progress (nil: none).
	Progress io.Writer
	// GitHub configures the GitHub advisory step (pip records).
	GitHub GitHubAdvisories
}

// GitHubAdvisories configures the step that drafts or updates, after a
// publish, the GitHub repository security advisory of every pip record.
type GitHubAdvisories struct {
	// Token authenticates to GitHub's REST API; without one the step
	// prints what it would send and sends nothing.
	Token string
	// API is the REST API's root URL (default https://api.github.com/).
	API string
}

func (o *Options) defaults() {
	if o.DBRemote == "" {
		o.DBRemote = DefaultDBRemote
	}
	if o.DBBranch == "" {
		o.DBBranch = DefaultDBBranch
	}
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.Format == "" {
		o.Format = "text"
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Resolve == nil {
		o.Resolve = resolve.Product
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Now.IsZero() {
		o.Now = o.Clock().UTC()
	}
}

// advanceClock moves o.Now to the clock's current time (never back): the
// build after the run's own commit must see that commit as past.
func (o *Options) advanceClock() {
	if now := o.Clock().UTC(); now.After(o.Now) {
		o.Now = now
	}
}

// Report is what a run did, for the job summary.
type Report struct {
	DryRun   bool
	Start    string // the database commit the run started from
	Attempts int
	Assigned []ids.Assignment
	// DBCommit is the database commit pushed with the assignments and
	// locks ("" when nothing changed, or in a dry run).
	DBCommit string
	Products product.Config
	Locks    map[string]*lock.Lock
	// Findings holds, per advisory ID, the resolver's diagnostics about
	// it (cross-checks against authored facts, commits the mirror lacks),
	// at the checkout's paths.
	Findings  map[string]diag.List
	Records   []*osv.Record
	Published *publish.Result
	Refused   []publish.Problem // guard refusals
	Remote    string
	Branch    string
	Drafts    []Draft
	Changed   []Change // Validate: the pull request's advisories
	// ProductChanges lists the products whose record fields (repo,
	// package) the pull request changes in products.yaml (Validate).
	ProductChanges []string
	// GitHub lists what the GitHub advisory step did, one line per record.
	GitHub []string
	// CommitDates lists the pull request's commits whose committer dates
	// main cannot take (Validate).
	CommitDates []string
	root        string // the database root the run worked in
}

// errMoved: the database's main moved during the run; start again.
var errMoved = errors.New("the database's main branch moved during the run")

// ErrFindings: the database has errors (printed to Log as diagnostics).
var ErrFindings = errors.New("the database has errors")

// Refused is returned when the publish guards refuse the output.
type Refused struct{ Problems []publish.Problem }

func (e *Refused) Error() string {
	return fmt.Sprintf("publish guards refused the output (%s)", plaintext.Count(len(e.Problems), "problem", "problems"))
}

// mirrorsFor checks that every product has a mirror.
func mirrorsFor(cfg product.Config, mirrors map[string]string) error {
	var missing []string
	for _, n := range cfg.Names() {
		if mirrors[n] == "" {
			missing = append(missing, n)
		}
	}
	for n := range mirrors {
		if _, ok := cfg[n]; !ok {
			return fmt.Errorf("--mirror %s: no such product in advisories/products.yaml (have %v)", n, cfg.Names())
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("no --mirror for product %v: every product is resolved in every run", missing)
	}
	return nil
}

// tempDir makes a temporary directory and its remover.
func tempDir(prefix string) (string, func(), error) {
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	return d, func() { os.RemoveAll(d) }, nil
}
