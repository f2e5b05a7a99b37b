package pipeline

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/psf/advisory-builder/internal/diag"
)

// ErrCommitDates: the pull request has commits whose committer dates main
// cannot take (printed to Log, listed in the summary).
var ErrCommitDates = errors.New("the pull request has commits whose committer dates main cannot take")

// commitDates checks the committer date of every commit of the pull
// request (base..HEAD, merges included). A commit that reaches main by
// fast-forward keeps its date: a commit dated before one of its parents
// (no commit is honestly made before what it builds on) is not believed by
// the build, so its changes are dated by the commit below it and a record
// it changes can keep its published modified; a date after the clock stops
// the build while it is HEAD. Either way the publish guard or the build
// would refuse the next run. A branch made from an older main is honest:
// its commits may be older than the base's HEAD, but not than their
// parents. The clock is only compared, never written. It returns the
// problems per commit in git's order (newest first).
func commitDates(root, base string, now time.Time) ([]string, error) {
	out, err := git(root, "log", "--format=%H %ct %P", base+"..HEAD")
	if err != nil {
		return nil, err
	}
	var commits []datedCommit
	for line := range strings.SplitSeq(out, "\n") {
		if line == "" {
			continue
		}
		c, err := parseDatedCommit(line)
		if err != nil {
			return nil, err
		}
		commits = append(commits, c)
	}
	times, err := parentTimes(root, commits)
	if err != nil {
		return nil, err
	}
	fix := fmt.Sprintf("re-commit it with a correct clock (git rebase --force-rebase %s sets every committer date to now), "+
		"or land the pull request with a merge or squash commit, never a fast-forward", base)
	var problems []string
	for _, c := range commits {
		if c.time.After(now) {
			problems = append(problems, fmt.Sprintf("commit %s has committer date %s, after the current time %s: a future date on main would block every later update of its records; %s",
				c.hash, stamp(c.time), stamp(now), fix))
		}
		for _, p := range c.parents {
			if pt := times[p]; c.time.Before(pt) {
				problems = append(problems, fmt.Sprintf("commit %s has committer date %s, before %s, the committer date of its parent %s: a commit cannot be made before what it builds on; fast-forwarded onto main its date is not believed, its changes are dated by the commit below it, and a record it changes could keep its published modified, which the publish guard refuses; %s",
					c.hash, stamp(c.time), stamp(pt), short(p), fix))
			}
		}
	}
	return problems, nil
}

// datedCommit is a commit, its committer time and its parents.
type datedCommit struct {
	hash    string
	time    time.Time
	parents []string
}

func parseDatedCommit(line string) (datedCommit, error) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return datedCommit{}, fmt.Errorf("unexpected git log output %q", line)
	}
	c, t, err := parseCommitTime(f[0] + " " + f[1])
	if err != nil {
		return datedCommit{}, err
	}
	return datedCommit{hash: c, time: t, parents: f[2:]}, nil
}

// parentTimes is the committer time of every commit and parent of
// commits; the parents outside the range are read with one git call.
func parentTimes(root string, commits []datedCommit) (map[string]time.Time, error) {
	times := map[string]time.Time{}
	for _, c := range commits {
		times[c.hash] = c.time
	}
	var missing []string
	for _, c := range commits {
		for _, p := range c.parents {
			if _, ok := times[p]; !ok && !slices.Contains(missing, p) {
				missing = append(missing, p)
			}
		}
	}
	if len(missing) == 0 {
		return times, nil
	}
	out, err := git(root, append([]string{"log", "--no-walk=unsorted", "--format=%H %ct"}, missing...)...)
	if err != nil {
		return nil, err
	}
	for line := range strings.SplitSeq(out, "\n") {
		if line == "" {
			continue
		}
		c, t, err := parseCommitTime(line)
		if err != nil {
			return nil, err
		}
		times[c] = t
	}
	return times, nil
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
