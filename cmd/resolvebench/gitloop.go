package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strings"

	"github.com/psf/advisory-builder/internal/version"
)

// gitLoop resolves the batch with the git CLI the way a script would:
// `git tag --contains` per introduced and fixed commit and
// `git merge-base --is-ancestor` per (introduced, fixed) pair, applying the
// definition: T affected iff some I ⪯ T and no F with I ⪯ F ⪯ T. It writes
// the same JSON lines as `advisory versions --batch`.
func gitLoop(dir string, batch []input) (string, int, error) {
	calls := 0
	re := regexp.MustCompile(version.DefaultTagPattern)
	tagsOf := func(args ...string) (map[string]bool, error) {
		calls++
		out, err := exec.Command("git", append([]string{"-C", dir, "tag"}, args...)...).Output()
		if err != nil {
			return nil, fmt.Errorf("git tag %v: %v", args, err)
		}
		set := map[string]bool{}
		for _, t := range strings.Fields(string(out)) {
			if re.MatchString(t) {
				set[t] = true
			}
		}
		return set, nil
	}
	all, err := tagsOf("-l")
	if err != nil {
		return "", calls, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, in := range batch {
		affected := map[string]bool{}
		for _, i := range in.Introduced {
			var reach map[string]bool
			if i == "0" {
				reach = all // one root: every tag descends from it, and it precedes every fix
			} else if reach, err = tagsOf("--contains", i); err != nil {
				return "", calls, err
			}
			live := map[string]bool{}
			for t := range reach {
				live[t] = true
			}
			for _, f := range in.Fixed {
				if i != "0" {
					calls++
					if exec.Command("git", "-C", dir, "merge-base", "--is-ancestor", i, f).Run() != nil {
						continue
					}
				}
				fixed, err := tagsOf("--contains", f)
				if err != nil {
					return "", calls, err
				}
				for t := range fixed {
					delete(live, t)
				}
			}
			for t := range live {
				affected[t] = true
			}
		}
		versions := []string{}
		for t := range affected {
			versions = append(versions, t)
		}
		version.Sort(versions)
		enc.Encode(struct {
			ID       string   `json:"id"`
			Versions []string `json:"versions"`
		}{in.ID, versions})
	}
	return buf.String(), calls, nil
}
