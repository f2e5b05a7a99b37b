package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/publish"
)

// Environment variables read by publish.
const (
	envCommitName  = "ADVISORY_COMMIT_NAME"
	envCommitEmail = "ADVISORY_COMMIT_EMAIL"
	envCommitDate  = "ADVISORY_COMMIT_DATE"
)

func init() { register(newPublishCmd) }

func newPublishCmd() *cobra.Command {
	var o publish.Options
	cmd := &cobra.Command{
		Use:   "publish --dir DIR --remote URL [--branch B]",
		Short: "Push a build output to the public advisory repository, after the guards",
		Long: `publish makes one commit on the public repository's branch whose tree is
exactly DIR (the output of advisory build, checked against its SHA256SUMS),
and pushes it. It refuses (exit 1), leaving the remote as it was, when a
published record would disappear (withdraw it instead), a record's published
time changes, a modified time goes back or stays the same on changed content,
an ID or alias is used twice, or more than --max-change-share of the
published records change or are withdrawn without --allow-mass-change.
Records whose ID is still a placeholder (PSF-0000-...) are refused: run
assign-ids first. So are records whose versions are unknown
(database_specific.versions_source: unknown), which every scanner would read
as affecting no version: resolve them, or state their release facts. An unchanged tree pushes nothing and exits 0.
--dry-run fetches the branch and runs the same guards, and stops there. A push rejected because the
branch moved is retried on top of the new head (bounded); it never forces.

The remote is an https:// URL, a file:// URL or a local path; it must not
carry credentials. For https the token is read from $` + publish.TokenEnv + `
and sent as HTTPS basic auth (user x-access-token), as GitHub expects; it
never appears in output. The commit author and committer are
$` + envCommitName + ` <$` + envCommitEmail + `> (default "` + publish.DefaultName + `
<` + publish.DefaultEmail + `>"); the commit time is $` + envCommitDate + ` (RFC 3339) or
else the newest modified time of the records, never the clock.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := publishEnv(&o); err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			o.Log = logLines(cmd.ErrOrStderr())
			return runPublish(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "build output directory to publish (required)")
	f.StringVar(&o.Remote, "remote", "", "public repository: https:// URL, file:// URL or path (required)")
	f.StringVar(&o.Branch, "branch", publish.DefaultBranch, "branch to publish to")
	f.BoolVar(&o.AllowMassChange, "allow-mass-change", false, "allow changing or withdrawing more than --max-change-share of the published records")
	f.Float64Var(&o.MaxChangeShare, "max-change-share", publish.DefaultMaxChangeShare, "share (0..1) of published records a run may change or withdraw")
	f.IntVar(&o.MaxAttempts, "max-attempts", publish.DefaultMaxAttempts, "push attempts when the branch moves under the push")
	f.BoolVar(&o.DryRun, "dry-run", false, "run the guards against the published branch; commit and push nothing")
	return cmd
}

func publishEnv(o *publish.Options) error {
	o.Token = os.Getenv(publish.TokenEnv)
	o.Name = os.Getenv(envCommitName)
	o.Email = os.Getenv(envCommitEmail)
	if d := os.Getenv(envCommitDate); d != "" {
		t, err := time.Parse(time.RFC3339, d)
		if err != nil {
			return fmt.Errorf("$%s %q is not an RFC 3339 time (2024-06-01T12:00:00Z)", envCommitDate, d)
		}
		o.When = t
	}
	return nil
}

func runPublish(ctx context.Context, stdout io.Writer, o publish.Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := publish.Publish(ctx, o)
	var refused *publish.RefusedError
	var usage *publish.UsageError
	switch {
	case errors.As(err, &refused):
		return &ExitError{Code: ExitFindings, Err: err}
	case errors.As(err, &usage):
		return &ExitError{Code: ExitUsage, Err: err}
	case err != nil:
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if !res.Changed {
		fmt.Fprintf(stdout, "unchanged: nothing to publish\n")
		return nil
	}
	if o.DryRun {
		fmt.Fprintf(stdout, "dry run: the guards pass; would publish %s\n", summary(res))
		return nil
	}
	fmt.Fprintf(stdout, "published %s: %s\n", res.Commit, summary(res))
	return nil
}

func summary(r *publish.Result) string {
	parts := []string{
		fmt.Sprintf("%d added", len(r.Added)),
		fmt.Sprintf("%d updated", len(r.Updated)),
		fmt.Sprintf("%d withdrawn", len(r.Withdrawn)),
		fmt.Sprintf("%d other files", r.OtherFiles),
	}
	return strings.Join(parts, ", ")
}
