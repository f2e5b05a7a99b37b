// Package synth generates synthetic CPython-shaped histories as `git
// fast-import` streams: a main line with alpha tags, maintenance branches
// forked from it with beta, candidate and final release tags (annotated and
// lightweight), release merges whose tag sits on the second parent,
// forward merges of maintenance branches into main, fixes on main with
// "[X.Y] ... (GH-N)" backports to every live branch, and end-of-life
// branches whose refs are deleted so that only their tags remain.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Params shape a history.
type Params struct {
	Commits int // total commits, about
	Series  int // maintenance branches forked over the history
	Live    int // branches maintained at once; older ones are deleted
	// ReleaseEvery is the number of branch commits between releases.
	ReleaseEvery int
	// FixRate is the share of main commits that are fixes to backport.
	FixRate float64
	// MergeRate is the share of main commits that are forward merges.
	MergeRate float64
	// Roots adds that many extra root commits: orphan lines merged into
	// main along the way (CPython's history has several roots).
	Roots int
	Seed  uint64
	// Files, when above zero, gives the history content: every commit
	// rewrites one of that many files (Lib/dNN/mNNNN.py, a few hundred
	// bytes naming the commit), so that trees and blobs weigh as in a real
	// repository. Zero: every commit has the empty tree. Either way the
	// commit graph, messages and tags are the same.
	Files int
}

// Fix is a fix on main and its backports, as fast-import marks.
type Fix struct {
	PR        int
	Mark      int
	Backports []int
}

// History is what was generated.
type History struct {
	Commits  int
	Tags     []string
	Branches []string // live at the end (refs kept)
	Deleted  []string // end-of-life branches whose refs are deleted
	Fixes    []Fix
	// MainMarks are the marks of main's commits, in order.
	MainMarks []int
	// marks of every commit, for hash lookup after import
	Marks int
	// Roots is the number of extra roots made.
	Roots int
}

type line struct {
	name    string
	head    int
	minor   int
	patch   int
	commits int
	pre     []string // pending pre-release names
	pending []int    // indexes into History.Fixes of backports to make
}

type gen struct {
	p     Params
	w     *bufio.Writer
	rnd   *rand.Rand
	mark  int
	time  int64
	h     History
	pr    int
	lines []*line // live maintenance branches
	main  *line
	forks int
}

// Write writes the fast-import stream of a history to w.
func Write(w io.Writer, p Params) (*History, error) {
	g := &gen{p: p, w: bufio.NewWriterSize(w, 1<<20), rnd: rand.New(rand.NewPCG(p.Seed, 42)), time: 946684800, pr: 1000}
	g.main = &line{name: "main", minor: 0}
	g.run()
	return &g.h, g.w.Flush()
}

func (g *gen) run() {
	mainShare := 0.55
	forkEvery := int(float64(g.p.Commits) * mainShare / float64(g.p.Series+1))
	g.commit(g.main, "Initial commit")
	g.h.MainMarks = append(g.h.MainMarks, g.main.head)
	sinceFork := 0
	for g.mark < g.p.Commits {
		if g.h.Roots < g.p.Roots && g.mark >= (g.h.Roots+1)*g.p.Commits/(g.p.Roots+1) {
			g.orphan()
			continue
		}
		if len(g.lines) == 0 || g.rnd.Float64() < mainShare {
			g.mainStep()
			sinceFork++
			if sinceFork >= forkEvery && g.forks < g.p.Series {
				g.fork()
				sinceFork = 0
			}
			continue
		}
		g.branchStep(g.lines[g.rnd.IntN(len(g.lines))])
	}
	for _, l := range g.lines {
		g.h.Branches = append(g.h.Branches, l.name)
	}
	fmt.Fprintf(g.w, "reset refs/heads/main\nfrom :%d\n\n", g.main.head)
	g.h.Commits = g.mark
	g.h.Marks = g.mark
}

func (g *gen) next() string { return fmt.Sprintf("3.%d", g.main.minor) }

func (g *gen) mainStep() {
	switch r := g.rnd.Float64(); {
	case r < g.p.MergeRate && len(g.lines) > 0:
		l := g.lines[g.rnd.IntN(len(g.lines))]
		g.commit(g.main, fmt.Sprintf("Merge branch '%s' into main", l.name), l.head)
	case r < g.p.MergeRate+g.p.FixRate:
		g.pr++
		pr := g.pr
		g.commit(g.main, fmt.Sprintf("gh-%d: Fix a security issue (#%d)", pr-500, pr))
		g.h.Fixes = append(g.h.Fixes, Fix{PR: pr, Mark: g.main.head})
		for _, l := range g.lines {
			l.pending = append(l.pending, len(g.h.Fixes)-1)
		}
	default:
		g.pr++
		g.commit(g.main, fmt.Sprintf("gh-%d: Improve something (#%d)", g.pr-500, g.pr))
	}
	g.h.MainMarks = append(g.h.MainMarks, g.main.head)
	if g.rnd.IntN(g.p.ReleaseEvery*3) == 0 && g.main.patch < 6 {
		g.main.patch++
		g.tag(fmt.Sprintf("v%s.0a%d", g.next(), g.main.patch), g.main.head)
	}
}

// orphan makes a two-commit line with no parent and merges it into main.
func (g *gen) orphan() {
	g.h.Roots++
	o := &line{name: fmt.Sprintf("import-%d", g.h.Roots)}
	g.commit(o, "Import a history")
	g.commit(o, "Import more")
	g.commit(g.main, fmt.Sprintf("Merge the imported history %d", g.h.Roots), o.head)
	g.h.MainMarks = append(g.h.MainMarks, g.main.head)
	g.h.Deleted = append(g.h.Deleted, o.name)
}

// fork starts the maintenance branch of the series in development on main.
func (g *gen) fork() {
	g.forks++
	name := g.next()
	l := &line{name: name, head: g.main.head, minor: g.main.minor, pre: []string{"b1", "b2", "b3", "rc1", "rc2", ""}}
	g.commit(l, fmt.Sprintf("Bump to %s.0 beta 1", name))
	g.lines = append(g.lines, l)
	g.main.minor++
	g.main.patch = 0
	if len(g.lines) > g.p.Live {
		old := g.lines[0]
		g.lines = g.lines[1:]
		g.h.Deleted = append(g.h.Deleted, old.name)
		fmt.Fprintf(g.w, "reset refs/heads/%s\nfrom :%d\n\n", old.name, old.head)
	}
}

func (g *gen) branchStep(l *line) {
	if len(l.pending) > 0 && g.rnd.IntN(3) == 0 {
		fi := l.pending[0]
		l.pending = l.pending[1:]
		f := &g.h.Fixes[fi]
		g.pr++
		g.commit(l, fmt.Sprintf("[%s] gh-%d: Fix a security issue (GH-%d) (#%d)", l.name, f.PR-500, f.PR, g.pr))
		f.Backports = append(f.Backports, l.head)
	} else {
		g.pr++
		g.commit(l, fmt.Sprintf("[%s] gh-%d: Backport an improvement (GH-%d) (#%d)", l.name, g.pr-500, g.pr-1, g.pr))
	}
	l.commits++
	if l.commits%g.p.ReleaseEvery == 0 {
		g.release(l)
	}
}

func (g *gen) release(l *line) {
	var tag string
	if len(l.pre) > 0 {
		tag = fmt.Sprintf("v%s.0%s", l.name, l.pre[0])
		l.pre = l.pre[1:]
	} else {
		l.patch++
		tag = fmt.Sprintf("v%s.%d", l.name, l.patch)
	}
	if g.rnd.IntN(3) == 0 {
		// Release merge: the release commit is made on a side line and
		// merged back, so the tag sits on the merge's second parent.
		side := &line{name: l.name, head: l.head}
		g.commit(side, "Python "+strings.TrimPrefix(tag, "v"))
		g.tag(tag, side.head)
		g.commit(l, fmt.Sprintf("Merge tag '%s' into %s", tag, l.name), side.head)
		return
	}
	g.commit(l, "Python "+strings.TrimPrefix(tag, "v"))
	g.tag(tag, l.head)
}

func (g *gen) commit(l *line, msg string, merge ...int) {
	g.mark++
	g.time += 600
	ref := "refs/heads/" + l.name
	fmt.Fprintf(g.w, "commit %s\nmark :%d\nauthor Dev <dev@example.org> %d +0000\ncommitter Dev <dev@example.org> %d +0000\ndata %d\n%s\n",
		ref, g.mark, g.time, g.time, len(msg), msg)
	if l.head != 0 {
		fmt.Fprintf(g.w, "from :%d\n", l.head)
	}
	for _, m := range merge {
		fmt.Fprintf(g.w, "merge :%d\n", m)
	}
	if g.p.Files > 0 {
		g.file(msg)
	}
	fmt.Fprintln(g.w)
	l.head = g.mark
}

// file rewrites one file of the tree, chosen from the mark (not from the
// random source, which shapes the graph).
func (g *gen) file(msg string) {
	k := (g.mark * 7919) % g.p.Files
	var b strings.Builder
	fmt.Fprintf(&b, "# Lib/d%02d/m%04d.py\n# %s\n", k%64, k, msg)
	for i := range 8 {
		fmt.Fprintf(&b, "def f%d(x):\n    return x * %d + %d  # commit %d\n", i, i+1, g.mark%97, g.mark)
	}
	fmt.Fprintf(g.w, "M 100644 inline Lib/d%02d/m%04d.py\ndata %d\n%s\n", k%64, k, b.Len(), b.String())
}

func (g *gen) tag(name string, mark int) {
	g.h.Tags = append(g.h.Tags, name)
	if len(g.h.Tags)%2 == 0 {
		fmt.Fprintf(g.w, "reset refs/tags/%s\nfrom :%d\n\n", name, mark)
		return
	}
	msg := "Python " + name
	fmt.Fprintf(g.w, "tag %s\nfrom :%d\ntagger RM <rm@example.org> %d +0000\ndata %d\n%s\n", name, mark, g.time+30, len(msg), msg)
}

// Create makes a bare repository in dir from a generated history, deletes
// the end-of-life branches, and returns the history and the commit hash of
// every mark (index 0 unused).
func Create(dir string, p Params) (*History, []string, error) {
	if err := run("", "git", "init", "-q", "--bare", dir); err != nil {
		return nil, nil, err
	}
	marks := filepath.Join(dir, "synth-marks")
	cmd := exec.Command("git", "fast-import", "--quiet", "--export-marks="+marks)
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	h, werr := Write(stdin, p)
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return nil, nil, fmt.Errorf("git fast-import: %v", err)
	}
	if werr != nil {
		return nil, nil, werr
	}
	for _, b := range h.Deleted {
		if err := run(dir, "git", "update-ref", "-d", "refs/heads/"+b); err != nil {
			return nil, nil, err
		}
	}
	hashes, err := readMarks(marks, h.Marks)
	if err != nil {
		return nil, nil, err
	}
	os.Remove(marks)
	return h, hashes, nil
}

func readMarks(path string, n int) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	hashes := make([]string, n+1)
	for _, ln := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var m int
		var h string
		if _, err := fmt.Sscanf(ln, ":%d %s", &m, &h); err != nil || m > n {
			return nil, fmt.Errorf("marks file: bad line %q", ln)
		}
		hashes[m] = h
	}
	return hashes, nil
}

func run(dir string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %v\n%s", name, args, err, out)
	}
	return nil
}
