package gitgraph

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// Messages is what backport discovery needs from commit messages: every
// commit's title, the commits each one says it was cherry-picked from, and
// the commits it reverts.
type Messages struct {
	Key string
	// Hashes are the commits' hashes (20 bytes each, graph order), so that
	// a later load with other refs can reuse the messages it shares.
	Hashes []byte
	// titles holds every title, concatenated; titleEnds[c] is where commit
	// c's ends (see Title). building holds the titles while they are read.
	titles    string
	titleEnds []uint32
	building  []string
	// Picked maps a commit number to the hashes in its
	// "(cherry picked from commit <sha>)" trailers.
	Picked map[uint32][]string
	// Reverts maps a commit number to the hashes in its
	// "This reverts commit <sha>" lines.
	Reverts map[uint32][]string
	// Issues lists, per issue reference ("gh-123067", "bpo-41945"; see
	// IssueRefs), the commits whose titles name it.
	Issues Postings
	// Backports lists, per pull request number (decimal), the commits whose
	// "[X.Y]" titles reference it as (GH-N).
	Backports Postings
}

// Compiled on first use: a run that never reads messages (versions) does
// not pay for them at start-up.
var (
	pickedRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\(cherry picked from commit (` + rule.CommitPattern + `)\)`)
	})
	revertRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`This reverts commit (` + rule.CommitPattern + `)`) })
	ghRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\(GH-([0-9]{1,9})\)`) })
	prRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\(#([0-9]{1,9})\)\s*$`) })
	branchRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[(` + rule.BranchPattern + `)\] `) })
)

// Title returns commit c's title (its message's first line, trimmed).
func (m *Messages) Title(c uint32) string {
	start := uint32(0)
	if c > 0 {
		start = m.titleEnds[c-1]
	}
	return m.titles[start:m.titleEnds[c]]
}

// Len is the number of commits.
func (m *Messages) Len() int { return len(m.titleEnds) }

// packTitles moves the titles read into building into titles and
// titleEnds.
func (m *Messages) packTitles() {
	var all strings.Builder
	m.titleEnds = make([]uint32, len(m.building))
	for k, t := range m.building {
		all.WriteString(t)
		m.titleEnds[k] = uint32(all.Len())
	}
	m.titles, m.building = all.String(), nil
}

// GHRefs returns the pull request numbers a title references as (GH-NNN).
// Revert titles reference nothing: a revert is no backport.
func GHRefs(title string) []int {
	if strings.HasPrefix(title, "Revert ") {
		return nil
	}
	var out []int
	for _, m := range ghRE().FindAllStringSubmatch(title, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// PRNumber returns the pull request number of a squash-merged title ending
// in "(#NNN)", or 0.
func PRNumber(title string) int {
	m := prRE().FindStringSubmatch(title)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TitleBranch returns the X.Y of a "[X.Y] " title prefix, or "".
func TitleBranch(title string) string {
	if !strings.HasPrefix(title, "[") {
		return ""
	}
	if m := branchRE().FindStringSubmatch(title); m != nil {
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
	var prev *Messages
	if !opts.NoCache && dir != "" {
		prev = newestMessages(dir, g.key)
	}
	m, err := g.loadMessages(opts.Progress, prev)
	if err != nil {
		return nil, err
	}
	m.buildIndexes()
	if !opts.NoCache && dir != "" {
		_ = writeRaw(dir, cachePath(dir, g.key, ".msgs"), m.encode())
	}
	g.msgs = m
	return m, nil
}

func readMessages(dir, key string, n int) (m *Messages, err error) {
	data, err := mapChecked(cachePath(dir, key, ".msgs"))
	if err != nil {
		return nil, err
	}
	m, err = decodeMessages(data)
	if err != nil {
		return nil, err
	}
	if m.Key != key || m.Len() != n {
		return nil, fmt.Errorf("message cache does not match")
	}
	return m, nil
}

// encode writes the messages flat (see flatWriter): the titles as one
// string and their ends, the trailers, and the two indexes.
func (m *Messages) encode() []byte {
	w := &flatWriter{}
	w.str(cacheVersion)
	w.str(m.Key)
	w.u32(uint32(m.Len()))
	w.b = append(w.b, m.Hashes...)
	w.str(m.titles)
	w.u32s(m.titleEnds)
	for _, mm := range []map[uint32][]string{m.Picked, m.Reverts} {
		keys := make([]uint32, 0, len(mm))
		for c := range mm {
			keys = append(keys, c)
		}
		slices.Sort(keys)
		w.u32(uint32(len(keys)))
		for _, c := range keys {
			w.u32(c)
			w.u32(uint32(len(mm[c])))
			for _, h := range mm[c] {
				w.str(h)
			}
		}
	}
	for _, p := range []*Postings{&m.Issues, &m.Backports} {
		w.u32(uint32(len(p.keyEnds)))
		w.str(p.keys)
		w.u32s(p.keyEnds)
		w.u32s(p.Off)
		w.u32(uint32(len(p.Commits)))
		w.u32s(p.Commits)
	}
	return w.b
}

// decodeMessages reads what encode wrote, checking every count and index
// against the number of commits.
func decodeMessages(data []byte) (*Messages, error) {
	r := &flatReader{b: data}
	if r.str() != cacheVersion {
		return nil, fmt.Errorf("message cache of another version")
	}
	m := &Messages{Key: r.str(), Picked: map[uint32][]string{}, Reverts: map[uint32][]string{}}
	n := int(r.u32())
	if n > len(data) {
		return nil, fmt.Errorf("message cache corrupt")
	}
	m.Hashes = r.bytes(20 * n)
	all := r.strView()
	ends := r.u32s(n)
	if r.err != nil {
		return nil, fmt.Errorf("message cache corrupt")
	}
	start := uint32(0)
	for _, e := range ends {
		if e < start || int(e) > len(all) {
			return nil, fmt.Errorf("message cache corrupt")
		}
		start = e
	}
	m.titles, m.titleEnds = all, ends
	for _, mm := range []map[uint32][]string{m.Picked, m.Reverts} {
		count := int(r.u32())
		for range min(count, len(data)) {
			c, hs := r.u32(), int(r.u32())
			if int(c) >= n || hs > len(data) {
				return nil, fmt.Errorf("message cache corrupt")
			}
			for range hs {
				mm[c] = append(mm[c], r.strView())
			}
		}
	}
	for _, p := range []*Postings{&m.Issues, &m.Backports} {
		keys := int(r.u32())
		if keys > len(data) {
			return nil, fmt.Errorf("message cache corrupt")
		}
		p.keys = r.strView()
		p.keyEnds = r.u32s(keys)
		p.Off = r.u32s(keys + 1)
		p.Commits = r.u32s(min(int(r.u32()), len(data)))
		if !p.valid(n) {
			return nil, fmt.Errorf("message cache corrupt")
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, fmt.Errorf("message cache corrupt")
	}
	return m, nil
}

// newestMessages returns the most recently written message cache other
// than key's, or nil: its commits' messages can be reused, since commits
// are content-addressed.
func newestMessages(dir, key string) *Messages {
	files, _ := filepath.Glob(filepath.Join(dir, "*.msgs"))
	var best string
	var bestMod int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil || strings.HasPrefix(filepath.Base(f), key) {
			continue
		}
		if m := fi.ModTime().UnixNano(); best == "" || m > bestMod {
			best, bestMod = f, m
		}
	}
	if best == "" {
		return nil
	}
	data, err := readChecked(best)
	if err != nil {
		return nil
	}
	m, err := decodeMessages(data)
	if err != nil || len(m.Hashes) != 20*m.Len() {
		return nil
	}
	return m
}

// loadMessages reads every commit's message: from prev when it has the
// commit, else from the repository.
func (g *Graph) loadMessages(progress io.Writer, prev *Messages) (*Messages, error) {
	m := &Messages{Key: g.key, Hashes: g.hashes, building: make([]string, g.Len()), Picked: map[uint32][]string{}, Reverts: map[uint32][]string{}}
	seen := make([]bool, g.Len())
	todo := g.Len()
	if prev != nil {
		old := make(map[plumbing.Hash]uint32, prev.Len())
		for j := range prev.Len() {
			var h plumbing.Hash
			copy(h[:], prev.Hashes[20*j:])
			old[h] = uint32(j)
		}
		for i := range seen {
			j, ok := old[g.Hash(uint32(i))]
			if !ok {
				continue
			}
			m.building[i] = prev.Title(j)
			if p := prev.Picked[j]; p != nil {
				m.Picked[uint32(i)] = p
			}
			if r := prev.Reverts[j]; r != nil {
				m.Reverts[uint32(i)] = r
			}
			seen[i] = true
			todo--
		}
	}
	repo, err := openRepo(g.gitDir)
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	if todo > 0 {
		err = g.decodeEach(repo.Repository, m, seen, progress)
	}
	if err != nil {
		return nil, err
	}
	for i, ok := range seen {
		if !ok {
			return nil, &MissingObjectError{Hash: g.Hash(uint32(i)), From: "commit messages", Err: plumbing.ErrObjectNotFound}
		}
	}
	m.packTitles()
	return m, nil
}

// decodeEach looks up each commit not yet seen: one lookup per commit, so
// the cost follows the number of commits, not of all objects in the packs.
func (g *Graph) decodeEach(repo *git.Repository, m *Messages, seen []bool, progress io.Writer) error {
	count := 0
	var tick ticker
	for i, ok := range seen {
		if ok {
			continue
		}
		h := g.Hash(uint32(i))
		o, err := repo.Storer.EncodedObject(plumbing.CommitObject, h)
		if err != nil {
			return &MissingObjectError{Hash: h, From: "commit messages", Err: err}
		}
		c, err := object.DecodeCommit(repo.Storer, o)
		if err != nil {
			return &MissingObjectError{Hash: h, From: "commit messages", Err: err}
		}
		m.add(uint32(i), c.Message)
		seen[i] = true
		if count++; progress != nil && count%1024 == 0 && tick.due() {
			fmt.Fprintf(progress, "\rreading commit messages: %d", count)
		}
	}
	if progress != nil && tick.printed {
		fmt.Fprintf(progress, "\rreading commit messages: %d, done\n", count)
	}
	return nil
}

func (m *Messages) add(i uint32, msg string) {
	title, _, _ := strings.Cut(msg, "\n")
	m.building[i] = strings.TrimSpace(title)
	for _, x := range pickedRE().FindAllStringSubmatch(msg, -1) {
		m.Picked[i] = append(m.Picked[i], x[1])
	}
	for _, x := range revertRE().FindAllStringSubmatch(msg, -1) {
		m.Reverts[i] = append(m.Reverts[i], x[1])
	}
}
