// Command resolvebench measures `advisory versions --batch` against a
// `git tag --contains` loop on a generated CPython-scale repository, in the
// same run, and prints the ratio. See docs/benchmarks.md.
//
//	go run ./cmd/resolvebench [-dir DIR] [-commits 150000] [-fixes 1000] [-baseline BIN] [-runs N] [-git=false] [-static] [-keep]
//	go run ./cmd/resolvebench -partial [-dir DIR -files 4000 | -repo REPO]
//
// The repository is generated once into DIR with `git fast-import` (package
// synth) and reused by later runs; a commit-graph is written for both sides.
// -partial compares a full mirror clone of DIR (or of the existing
// repository REPO) with a --filter=tree:0 one instead: bytes on disk and
// cold and warm resolution times, with byte-identical answers; -files gives
// the generated commits content (trees and blobs), which the default
// history lacks. -static builds the measured binary without cgo
// (CGO_ENABLED=0), as docs/resolver.md advises for scripts that start the
// tool once per query; without it the binary is built as `go build` builds
// it by default.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/psf/advisory-builder/internal/gitgraph/synth"
)

type input struct {
	ID         string   `json:"id"`
	Introduced []string `json:"introduced"`
	Fixed      []string `json:"fixed"`
}

func main() {
	dir := flag.String("dir", filepath.Join(os.TempDir(), "resolvebench-repo"), "repository to generate or reuse")
	commits := flag.Int("commits", 150000, "commits to generate")
	fixes := flag.Int("fixes", 1000, "fix commits to resolve (about 7 per advisory)")
	partial := flag.Bool("partial", false, "compare a full clone with a --filter=tree:0 clone")
	src := flag.String("repo", "", "with -partial: an existing repository to clone instead of generating one")
	files := flag.Int("files", 0, "files in the generated tree, each commit rewriting one (0: empty trees)")
	baseline := flag.String("baseline", "", "an advisory binary built from the baseline, measured in the same run (outputs and locks must be byte-identical)")
	runs := flag.Int("runs", 1, "run each measurement this many times (the sides taking turns); print the best and median")
	gitLoopOn := flag.Bool("git", true, "also time the git tag --contains loop and compare")
	static := flag.Bool("static", false, "build the measured binary without cgo (CGO_ENABLED=0), statically linked")
	keep := flag.Bool("keep", false, "keep the work directory (batch, databases, caches, binary) and print its path, for profiling by hand")
	flag.Parse()
	var err error
	if *partial {
		err = runPartial(*dir, *src, *commits, *fixes, *files, *static)
	} else {
		err = run(*dir, *commits, *fixes, *files, runOpts{baseline: *baseline, runs: *runs, git: *gitLoopOn, static: *static, keep: *keep})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "resolvebench:", err)
		os.Exit(1)
	}
}

func run(dir string, commits, nfix, files int, o runOpts) error {
	h, hashes, err := repo(dir, commits, files)
	if err != nil {
		return err
	}
	batch, err := makeBatch(dir, h, hashes, nfix)
	if err != nil {
		return err
	}
	work, bin, err := prepare(o.static)
	if err != nil {
		return err
	}
	if o.keep {
		defer fmt.Println("work directory kept:", work)
	} else {
		defer os.RemoveAll(work)
	}
	batchFile := filepath.Join(work, "batch.jsonl")
	if err := writeBatch(batchFile, batch); err != nil {
		return err
	}
	sides := []side{{"this build", bin}}
	if o.baseline != "" {
		sides = append([]side{{"baseline", o.baseline}}, sides...)
	}
	fmt.Printf("advisories %d, fix commits %d; %d runs each: wall s best / median, cpu s best / median (children included), peak MB\n", len(batch), countFixes(batch), o.runs)
	// The sides take turns, run after run, so that a change in the
	// machine's load weighs on both alike.
	cold, warm := make([]series, len(sides)), make([]series, len(sides))
	for range max(o.runs, 1) {
		for k, sd := range sides {
			cache := filepath.Join(work, fmt.Sprintf("cache-%d", k))
			os.RemoveAll(cache)
			if err := cold[k].add(timed(sd.bin, cache, "versions", "--repo", dir, "--batch", batchFile)); err != nil {
				return fmt.Errorf("%s, cold: %v", sd.name, err)
			}
			if err := warm[k].add(timed(sd.bin, cache, "versions", "--repo", dir, "--batch", batchFile)); err != nil {
				return fmt.Errorf("%s, warm: %v", sd.name, err)
			}
		}
	}
	var outs []string
	for k, sd := range sides {
		if cold[k].out != warm[k].out {
			return fmt.Errorf("%s: cold and warm runs disagree", sd.name)
		}
		outs = append(outs, warm[k].out)
		printRow(fmt.Sprintf("versions --batch, cold (%s)", sd.name), cold[k].summary())
		printRow(fmt.Sprintf("versions --batch, warm (%s)", sd.name), warm[k].summary())
	}
	for _, out := range outs[1:] {
		if out != outs[0] {
			return fmt.Errorf("the baseline and this build disagree")
		}
	}
	if len(outs) > 1 {
		fmt.Println("baseline and this build: byte-identical output")
	}
	if o.git {
		cpuBefore := childCPU()
		gitStart := time.Now()
		gitOut, calls, err := gitLoop(dir, batch)
		if err != nil {
			return err
		}
		gitDur := time.Since(gitStart)
		gitCPU := childCPU() - cpuBefore
		fmt.Printf("%-50s %9.3f %9.3f\n", fmt.Sprintf("git tag --contains loop (%d git calls)", calls), gitDur.Seconds(), gitCPU.Seconds())
		fmt.Printf("results identical to git: %v\n", gitOut == outs[0])
		if gitOut != outs[0] {
			return fmt.Errorf("the resolver and the git loop disagree")
		}
	}
	return benchResolve(sides, o.runs, work, dir, h, hashes)
}

type runOpts struct {
	baseline string // a previously built advisory binary, measured in the same run
	runs     int    // each measurement is taken this many times, the sides taking turns
	git      bool   // also time the git tag --contains loop
	static   bool   // build the measured binary without cgo
	keep     bool   // keep the work directory
}

type side struct{ name, bin string }

// series collects the runs of one measurement, which must all give the
// same output.
type series struct {
	runs []measure
	out  string
}

func (s *series) add(m measure, out string, err error) error {
	if err != nil {
		return err
	}
	if len(s.runs) > 0 && out != s.out {
		return fmt.Errorf("runs disagree")
	}
	s.runs, s.out = append(s.runs, m), out
	return nil
}

// summary is the fastest run (by wall time), with the median wall and CPU
// times and the least CPU time over all runs: on a loaded machine CPU
// times are the steadier measure.
func (s *series) summary() measure {
	var b measure
	var walls, cpus []time.Duration
	for k, m := range s.runs {
		if k == 0 || m.wall < b.wall {
			b = m
		}
		walls, cpus = append(walls, m.wall), append(cpus, m.cpu)
	}
	if len(walls) == 0 {
		return b
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	b.wallMedian, b.cpuMedian, b.cpuBest = median(walls), median(cpus), cpus[0]
	return b
}

// median of sorted ds (the mean of the middle two for an even count).
func median(ds []time.Duration) time.Duration {
	m := len(ds) / 2
	if len(ds)%2 == 0 {
		return (ds[m-1] + ds[m]) / 2
	}
	return ds[m]
}

// printRow prints a measure: wall best and median, CPU best and median,
// peak RSS of the fastest run.
func printRow(label string, m measure) {
	fmt.Printf("%-46s %7.3f %7.3f %7.3f %7.3f %6d\n", label, m.wall.Seconds(), m.wallMedian.Seconds(), m.cpuBest.Seconds(), m.cpuMedian.Seconds(), m.rssKB/1024)
}

func runPartial(dir, src string, commits, nfix, files int, static bool) error {
	var batch []input
	var fixes []string
	if src == "" {
		h, hashes, err := repo(dir, commits, files)
		if err != nil {
			return err
		}
		if batch, err = makeBatch(dir, h, hashes, nfix); err != nil {
			return err
		}
		src, fixes = dir, mainFixes(h, hashes, 150)
	} else {
		var err error
		if batch, fixes, err = randomBatch(src, nfix, 150); err != nil {
			return err
		}
	}
	work, bin, err := prepare(static)
	if err != nil {
		return err
	}
	if err := benchPartial(bin, work, src, batch, fixes); err != nil {
		return fmt.Errorf("%w (work directory %s kept for inspection)", err, work)
	}
	return os.RemoveAll(work)
}

// prepare makes a work directory and builds the advisory command into it,
// without cgo when static is set, and says which build it made.
func prepare(static bool) (work, bin string, err error) {
	if work, err = os.MkdirTemp("", "resolvebench-"); err != nil {
		return "", "", err
	}
	bin = filepath.Join(work, "advisory")
	build := exec.Command("go", "build", "-o", bin, "./cmd/advisory")
	mode := "default build (cgo as go build decides)"
	if static {
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		mode = "static build (CGO_ENABLED=0)"
	}
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(work)
		return "", "", fmt.Errorf("go build ./cmd/advisory (run from the module root): %v\n%s", err, out)
	}
	fmt.Println("this build:", mode)
	return work, bin, nil
}

// repo generates the repository unless DIR already holds one made with the
// same parameters, and writes its commit-graph.
func repo(dir string, commits, files int) (*synth.History, []string, error) {
	p := synth.Params{Commits: commits, Series: 40, Live: 9, ReleaseEvery: 60, FixRate: 0.012, MergeRate: 0.01, Seed: 2026, Files: files}
	meta := filepath.Join(dir, "resolvebench.json")
	type saved struct {
		Params  synth.Params
		History *synth.History
		Hashes  []string
	}
	var s saved
	if data, err := os.ReadFile(meta); err == nil && json.Unmarshal(data, &s) == nil && s.Params == p {
		return s.History, s.Hashes, packRefs(dir)
	}
	os.RemoveAll(dir)
	start := time.Now()
	h, hashes, err := synth.Create(dir, p)
	if err != nil {
		return nil, nil, err
	}
	if out, err := exec.Command("git", "-C", dir, "commit-graph", "write", "--reachable").CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("git commit-graph write: %v\n%s", err, out)
	}
	fmt.Printf("generated %s in %.1f s: %d commits, %d release tags, %d live maintenance branches, %d deleted, %d fixes on main\n",
		dir, time.Since(start).Seconds(), h.Commits, len(h.Tags), len(h.Branches), len(h.Deleted), len(h.Fixes))
	data, _ := json.Marshal(saved{p, h, hashes})
	if err := os.WriteFile(meta, data, 0o644); err != nil {
		return nil, nil, err
	}
	return h, hashes, packRefs(dir)
}

// packRefs packs the refs as a fresh clone has them (fast-import leaves
// one file per ref).
func packRefs(dir string) error {
	if out, err := exec.Command("git", "-C", dir, "pack-refs", "--all").CombinedOutput(); err != nil {
		return fmt.Errorf("git pack-refs: %v\n%s", err, out)
	}
	return nil
}

// makeBatch picks advisories (a main fix and its backports) until nfix
// reachable fix commits are chosen; one in five has a specific introduced
// commit on main instead of "0".
func makeBatch(dir string, h *synth.History, hashes []string, nfix int) ([]input, error) {
	out, err := exec.Command("git", "-C", dir, "rev-list", "--branches", "--tags").Output()
	if err != nil {
		return nil, err
	}
	reachable := map[string]bool{}
	for _, c := range strings.Fields(string(out)) {
		reachable[c] = true
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	order := rnd.Perm(len(h.Fixes))
	var batch []input
	total := 0
	for _, k := range order {
		if total >= nfix {
			break
		}
		f := h.Fixes[k]
		in := input{ID: fmt.Sprintf("PSF-BENCH-%d", len(batch)+1), Introduced: []string{"0"}}
		for _, m := range append([]int{f.Mark}, f.Backports...) {
			if reachable[hashes[m]] && total < nfix {
				in.Fixed = append(in.Fixed, hashes[m])
				total++
			}
		}
		if len(batch)%5 == 4 {
			i := slices.Index(h.MainMarks, f.Mark)
			in.Introduced = []string{hashes[h.MainMarks[rnd.IntN(i+1)]]}
		}
		batch = append(batch, in)
	}
	return batch, nil
}

func writeBatch(path string, batch []input) error {
	var sb strings.Builder
	for _, in := range batch {
		data, _ := json.Marshal(in)
		sb.Write(data)
		sb.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}

func countFixes(batch []input) int {
	n := 0
	for _, in := range batch {
		n += len(in.Fixed)
	}
	return n
}

type measure struct {
	wall, cpu time.Duration
	rssKB     int64
	// over all runs (best sets them): the median wall and CPU times and
	// the least CPU time; wall and cpu above are those of the fastest run
	wallMedian, cpuMedian, cpuBest time.Duration
}

// childCPU is the user and system time of the finished child processes.
func childCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func timed(bin, cache string, args ...string) (measure, string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ADVISORY_CACHE_DIR="+cache)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	m := measure{wall: time.Since(start)}
	if err != nil {
		e := stderr.String()
		return m, string(out), fmt.Errorf("advisory %v: %v\n%s", args, err, e[max(0, len(e)-2000):])
	}
	m.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rssKB = int64(ru.Maxrss)
	}
	return m, string(out), nil
}
