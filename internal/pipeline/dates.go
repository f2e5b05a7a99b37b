package pipeline

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/diag"
)

// ErrCommitDates: the pull request has commits whose committer dates main
// cannot take (printed to Log, listed in the summary).
var ErrCommitDates = errors.New("the pull request has commits whose committer dates main cannot take")

// commitDates checks the committer date of every commit of the pull
// request (base..HEAD). A commit that reaches main by fast-forward keeps
// its date, and the build clamps each main-line commit's time by the
// commits after it: a date before the base's HEAD pulls the landing time
// of changes already published back, and a date after the clock moves it
// past every later update; either way the publish guard would refuse the
// next run. The clock is only compared, never written. It returns one
// problem per commit, oldest last (git's order).
func commitDates(root, base string, now time.Time) ([]string, error) {
	bc, bt, err := commitTime(root, base+"^{commit}")
	if err != nil {
		return nil, err
	}
	out, err := git(root, "log", "--format=%H %ct", base+"..HEAD")
	if err != nil {
		return nil, err
	}
	fix := fmt.Sprintf("re-commit it with a correct clock (git rebase --force-rebase %s sets every committer date to now), "+
		"or land the pull request with a merge or squash commit, never a fast-forward", base)
	var problems []string
	for line := range strings.SplitSeq(out, "\n") {
		if line == "" {
			continue
		}
		c, t, err := parseCommitTime(line)
		if err != nil {
			return nil, err
		}
		switch {
		case t.After(now):
			problems = append(problems, fmt.Sprintf("commit %s has committer date %s, after the current time %s: a future date on main would block every later update of its records; %s",
				c, stamp(t), stamp(now), fix))
		case t.Before(bt):
			problems = append(problems, fmt.Sprintf("commit %s has committer date %s, before %s (the base's HEAD, %s): fast-forwarded onto main it would move the landing time of changes already published back, and the publish guard would refuse; %s",
				c, stamp(t), stamp(bt), short(bc), fix))
		}
	}
	return problems, nil
}

// commitTime is the commit rev names and its committer time.
func commitTime(root, rev string) (string, time.Time, error) {
	out, err := git(root, "log", "-1", "--format=%H %ct", rev)
	if err != nil {
		return "", time.Time{}, err
	}
	return parseCommitTime(out)
}

func parseCommitTime(line string) (string, time.Time, error) {
	c, secs, ok := strings.Cut(line, " ")
	n, err := strconv.ParseInt(secs, 10, 64)
	if !ok || err != nil {
		return "", time.Time{}, fmt.Errorf("unexpected git log output %q", line)
	}
	return c, time.Unix(n, 0).UTC(), nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// reportDates prints each commit date problem as an error (a workflow
// annotation with github).
func reportDates(w io.Writer, format string, problems []string) {
	for _, p := range problems {
		if format == "github" {
			diag.Write(w, format, diag.List{{Severity: diag.Error, Rule: "commit-date", Message: p}})
			continue
		}
		fmt.Fprintf(w, "error: %s\n", diag.Escape(p))
	}
}
