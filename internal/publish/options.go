package publish

import (
	"io"
	"time"
)

// Defaults of Options.
const (
	DefaultBranch         = "main"
	DefaultMaxChangeShare = 0.25
	DefaultMaxAttempts    = 4
	DefaultName           = "PSF Advisory Builder"
	DefaultEmail          = "security@python.org"
	// MassChangeFloor: a run changing or withdrawing fewer records than this
	// is never a mass change, whatever the share (small databases).
	MassChangeFloor = 5
)

// Options configures one publish run.
type Options struct {
	// Dir is a complete build output (it must hold a matching SHA256SUMS).
	// Its content becomes the whole tree of the published branch.
	Dir string
	// Remote is an https:// URL, a file:// URL or a local path of the public
	// repository. User info, a query or a fragment in it is refused.
	Remote string
	// Branch is the published branch; DefaultBranch when empty.
	Branch string
	// Token is the HTTPS password (user x-access-token), used only for
	// https remotes. It never appears in a message.
	Token string
	// AllowMassChange lets a run change or withdraw more than MaxChangeShare
	// of the published records.
	AllowMassChange bool
	// MaxChangeShare is the share of published records a run may change or
	// withdraw without AllowMassChange; DefaultMaxChangeShare when zero.
	MaxChangeShare float64
	// MaxAttempts bounds the push attempts when the remote moves under us;
	// DefaultMaxAttempts when zero.
	MaxAttempts int
	// Name and Email are the commit author and committer; DefaultName and
	// DefaultEmail when empty.
	Name, Email string
	// When is the commit time. When zero it is the newest `modified` of the
	// records in Dir (so the commit is reproducible), or the Unix epoch for
	// a tree without records. The wall clock is never read.
	When time.Time
	// WorkDir is where the temporary clone is made; os.TempDir() when empty.
	// The clone is removed when Publish returns.
	WorkDir string
	// Log receives progress lines (nil: none). The token is scrubbed.
	Log io.Writer
	// CABundle adds PEM certificates trusted for https remotes.
	CABundle []byte
	// DryRun fetches the published branch and runs every guard, then stops:
	// no commit is made and nothing is pushed (Result.Commit stays "").
	DryRun bool

	// CheckAdded, when set, is called with the IDs the run would add, after
	// the guards pass and before anything is committed or pushed (in a dry
	// run too); an error stops the run with the remote untouched. The
	// pipeline checks there that every new record makes its drafts.
	CheckAdded func(added []string) error

	// hook, set by tests, runs at each named step and may fail it.
	hook func(step string) error
}

func (o *Options) defaults() {
	if o.Branch == "" {
		o.Branch = DefaultBranch
	}
	if o.MaxChangeShare == 0 {
		o.MaxChangeShare = DefaultMaxChangeShare
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.Email == "" {
		o.Email = DefaultEmail
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Result says what a run did.
type Result struct {
	// Commit is the pushed commit, or "" when the tree was unchanged.
	Commit string
	// Previous is the branch head before the push ("" for a new branch).
	Previous                  string
	Added, Updated, Withdrawn []string // record IDs, sorted
	// HeadAdded are the record IDs (sorted) the branch's newest commit
	// added: the pushed commit's Added, or, when the output was already
	// published, what the commit holding it added. A run that pushed and
	// died before making its drafts leaves them derivable: the next run
	// finds them here. Empty in a dry run.
	HeadAdded []string
	// OtherFiles counts changed files that are not records (indexes, site).
	OtherFiles int
	// Attempts is how many times the push was tried (0: nothing to push).
	Attempts int
	// Changed is false when the output equals the published tree.
	Changed bool
	// Versions holds, per published record whose affected versions change,
	// the versions it gains and loses.
	Versions map[string]VersionChange
}

// VersionChange is what one record's affected versions gain and lose.
type VersionChange struct {
	Added, Removed []string
}
