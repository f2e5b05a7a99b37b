package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/psf/advisory-builder/internal/pipeline"
	"github.com/psf/advisory-builder/internal/publish"
)

func init() { register(newPipelineCmd) }

type pipelineFlags struct {
	o       pipeline.Options
	mirrors []string
	summary string
}

func newPipelineCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pipeline",
		Short: "The CI runs: publish (on merge and on schedule) and validate (pull requests)",
		Long: `pipeline is the one sequence the workflows run, so publish, refresh and
pull-request validation cannot drift apart: assign final IDs, resolve every
product against its mirror, build, publish.

  pipeline publish    from the newest main of the database: assign, resolve,
                      commit and push the renames and locks, build, publish;
                      started again (bounded) when main moves under it.
                      Running it again changes nothing.
  pipeline validate   the same steps for a pull request's HEAD in a local
                      clone (the checkout is untouched), with the publish
                      guards as a dry run against the published repository.

Both write a Markdown job summary with --summary FILE (appended, as
$GITHUB_STEP_SUMMARY expects). After a publish, the GitHub repository
security advisory of every pip record is drafted or updated on pypa/pip when
$` + envGHSAToken + ` is set, and printed (nothing sent) when not; see
` + "`advisory ghsa`" + `. Exit codes: 0 done, 1 findings (database
errors, refused by the publish guards), 2 usage, I/O or git errors.`,
	}
	cmd.AddCommand(newPipelineSub("publish", "Assign, resolve, commit, build and publish from the newest main", false),
		newPipelineSub("validate", "Rehearse the publish run for a pull request, pushing nothing", true))
	return cmd
}

func newPipelineSub(use, short string, validate bool) *cobra.Command {
	var f pipelineFlags
	cmd := &cobra.Command{
		Use:   use + " --mirror PRODUCT=DIR... --remote URL",
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPipeline(cmd, &f, validate)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.o.Root, "root", ".", "the database checkout (a git work tree holding advisories/)")
	fl.StringArrayVar(&f.mirrors, "mirror", nil, "PRODUCT=DIR: a clone of the product's repository (one per product)")
	fl.StringVar(&f.o.Publish.Remote, "remote", "", "the public advisory repository (https:// URL, file:// URL or path)")
	fl.StringVar(&f.o.Publish.Branch, "branch", publish.DefaultBranch, "the published branch")
	fl.BoolVar(&f.o.Publish.AllowMassChange, "allow-mass-change", false, "allow changing or withdrawing more than --max-change-share of the published records")
	fl.Float64Var(&f.o.Publish.MaxChangeShare, "max-change-share", publish.DefaultMaxChangeShare, "share (0..1) of published records a run may change or withdraw")
	fl.StringVar(&f.o.Out, "out", "", "build output directory (default: a temporary directory)")
	fl.StringVar(&f.summary, "summary", "", "append the Markdown job summary to this file ($GITHUB_STEP_SUMMARY)")
	fl.StringVar(&f.o.Format, "format", "text", "diagnostics format: text or github (annotations)")
	if validate {
		fl.StringVar(&f.o.Base, "base", "", "the pull request's base revision: its changed advisories are summarised")
	} else {
		fl.StringVar(&f.o.DBRemote, "db-remote", pipeline.DefaultDBRemote, "the database's git remote")
		fl.StringVar(&f.o.DBBranch, "db-branch", pipeline.DefaultDBBranch, "the database's main branch")
		fl.StringVar(&f.o.Announce, "announce", "", "write the e-mail and CVE record drafts of new advisories into this directory")
		fl.IntVar(&f.o.Attempts, "attempts", pipeline.DefaultAttempts, "runs started again when main moves under the run")
	}
	return cmd
}

func runPipeline(cmd *cobra.Command, f *pipelineFlags, validate bool) error {
	o := &f.o
	if err := pipelineOptions(f); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	o.Log = logLines(cmd.ErrOrStderr())
	o.Progress = logProgress(cmd.ErrOrStderr())
	run := pipeline.Run
	if validate {
		run = pipeline.Validate
	}
	rep, err := run(cmd.Context(), *o)
	if rep != nil && f.summary != "" {
		var b bytes.Buffer
		rep.Summary(&b)
		if werr := appendFile(f.summary, b.Bytes()); werr != nil {
			return &ExitError{Code: ExitUsage, Err: werr}
		}
	}
	return pipelineExit(cmd.OutOrStdout(), rep, err)
}

func pipelineOptions(f *pipelineFlags) error {
	o := &f.o
	if o.Publish.Remote == "" {
		return fmt.Errorf("--remote is required: the public advisory repository")
	}
	if o.Format != "text" && o.Format != "github" {
		return fmt.Errorf("--format %q: use text or github", o.Format)
	}
	o.Mirrors = map[string]string{}
	for _, m := range f.mirrors {
		name, dir, ok := strings.Cut(m, "=")
		if !ok || name == "" || dir == "" {
			return fmt.Errorf("--mirror %q: give PRODUCT=DIR", m)
		}
		o.Mirrors[name] = dir
	}
	if err := publishEnv(&o.Publish); err != nil {
		return err
	}
	o.GitHub.Token, o.GitHub.API = os.Getenv(envGHSAToken), os.Getenv(envGitHubAPI)
	o.Ident = []string{"-c", "user.name=" + orDefault(o.Publish.Name, publish.DefaultName),
		"-c", "user.email=" + orDefault(o.Publish.Email, publish.DefaultEmail)}
	return nil
}

func pipelineExit(stdout io.Writer, rep *pipeline.Report, err error) error {
	var refused *pipeline.Refused
	var ee *ExitError
	switch {
	case errors.As(err, &refused):
		return &ExitError{Code: ExitFindings, Err: fmt.Errorf("%w; each is listed above", err)}
	case errors.Is(err, pipeline.ErrFindings), errors.Is(err, pipeline.ErrCommitDates):
		return &ExitError{Code: ExitFindings, Err: err}
	case errors.As(err, &ee):
		return &ExitError{Code: ee.Code, Err: err}
	case err != nil:
		return &ExitError{Code: ExitUsage, Err: err}
	}
	p := rep.Published
	switch {
	case !p.Changed:
		fmt.Fprintln(stdout, "unchanged: nothing to publish")
	case rep.DryRun:
		fmt.Fprintf(stdout, "dry run: the guards pass; would publish %s\n", summary(p))
	default:
		fmt.Fprintf(stdout, "published %s: %s\n", p.Commit, summary(p))
	}
	return nil
}

func appendFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
