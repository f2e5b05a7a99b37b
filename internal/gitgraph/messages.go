package gitgraph

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Messages is what backport discovery needs from commit messages: every
// commit's title, the commits each one says it was cherry-picked from, and
// the commits it reverts.
type Messages struct {
	Key    string
	Titles []string
	// Picked maps a commit number to the hashes in its
	// "(cherry picked from commit <sha>)" trailers.
	Picked map[uint32][]string
	// Reverts maps a commit number to the hashes in its
	// "This reverts commit <sha>" lines.
	Reverts map[uint32][]string
}

var (
	pickedRE = regexp.MustCompile(`\(cherry picked from commit ([0-9a-f]{40})\)`)
	revertRE = regexp.MustCompile(`This reverts commit ([0-9a-f]{40})`)
	ghRE     = regexp.MustCompile(`\(GH-([0-9]{1,9})\)`)
	prRE     = regexp.MustCompile(`\(#([0-9]{1,9})\)\s*$`)
	branchRE = regexp.MustCompile(`^\[([0-9]+\.[0-9]+)\] `)
)

// GHRefs returns the pull request numbers a title references as (GH-NNN).
// Revert titles reference nothing: a revert is no backport.
func GHRefs(title string) []int {
	if strings.HasPrefix(title, "Revert ") {
		return nil
	}
	var out []int
	for _, m := range ghRE.FindAllStringSubmatch(title, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// PRNumber returns the pull request number of a squash-merged title ending
// in "(#NNN)", or 0.
func PRNumber(title string) int {
	m := prRE.FindStringSubmatch(title)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TitleBranch returns the X.Y of a "[X.Y] " title prefix, or "".
func TitleBranch(title string) string {
	if m := branchRE.FindStringSubmatch(title); m != nil {
		return m[1]
	}
	return ""
}

// Messages reads every commit's message (cached like the graph).
func (g *Graph) Messages(opts Options) (*Messages, error) {
	if g.msgs != nil {
		return g.msgs, nil
	}
	dir := opts.CacheDir
	if dir == "" && !opts.NoCache {
		dir = DefaultCacheDir()
	}
	if !opts.NoCache && dir != "" {
		if m, err := readMessages(dir, g.key, g.Len()); err == nil {
			g.msgs = m
			return m, nil
		}
	}
	m, err := g.loadMessages(opts.Progress)
	if err != nil {
		return nil, err
	}
	if !opts.NoCache && dir != "" {
		_ = writeFile(dir, cachePath(dir, g.key, ".msgs"), m)
	}
	g.msgs = m
	return m, nil
}

func readMessages(dir, key string, n int) (*Messages, error) {
	data, err := os.ReadFile(cachePath(dir, key, ".msgs"))
	if err != nil {
		return nil, err
	}
	var m Messages
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&m); err != nil {
		return nil, err
	}
	if m.Key != key || len(m.Titles) != n {
		return nil, fmt.Errorf("message cache does not match")
	}
	return &m, nil
}

// loadMessages decodes every commit object, reading the packs in order.
func (g *Graph) loadMessages(progress interface{ Write([]byte) (int, error) }) (*Messages, error) {
	repo, err := git.PlainOpenWithOptions(g.Dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("%s: opening repository: %w", g.Dir, err)
	}
	m := &Messages{Key: g.key, Titles: make([]string, g.Len()), Picked: map[uint32][]string{}, Reverts: map[uint32][]string{}}
	seen := make([]bool, g.Len())
	count := 0
	iter, err := repo.Storer.IterEncodedObjects(plumbing.CommitObject)
	if err != nil {
		return nil, err
	}
	err = iter.ForEach(func(o plumbing.EncodedObject) error {
		i, ok := g.index[o.Hash()]
		if !ok || seen[i] {
			return nil
		}
		c, err := object.DecodeCommit(repo.Storer, o)
		if err != nil {
			return &MissingObjectError{Hash: o.Hash(), From: "commit messages", Err: err}
		}
		m.add(i, c.Message)
		seen[i] = true
		count++
		if progress != nil && count%20000 == 0 {
			fmt.Fprintf(progress, "\rreading commit messages: %d of %d", count, g.Len())
		}
		return nil
	})
	if err != nil && err != storer.ErrStop {
		return nil, err
	}
	if progress != nil && count >= 20000 {
		fmt.Fprintf(progress, "\rreading commit messages: %d of %d, done\n", count, g.Len())
	}
	for i, ok := range seen {
		if !ok {
			return nil, &MissingObjectError{Hash: g.Hash(uint32(i)), From: "commit messages", Err: plumbing.ErrObjectNotFound}
		}
	}
	return m, nil
}

func (m *Messages) add(i uint32, msg string) {
	title, _, _ := strings.Cut(msg, "\n")
	m.Titles[i] = strings.TrimSpace(title)
	for _, x := range pickedRE.FindAllStringSubmatch(msg, -1) {
		m.Picked[i] = append(m.Picked[i], x[1])
	}
	for _, x := range revertRE.FindAllStringSubmatch(msg, -1) {
		m.Reverts[i] = append(m.Reverts[i], x[1])
	}
}
