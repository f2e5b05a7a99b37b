package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// clone is one clone of the benchmark's source repository and what was
// measured on it.
type clone struct {
	name, dir, filter string
	took              time.Duration
	bytes, packBytes  int64
	cold, warm        measure
	resCold, resWarm  measure
	out, lock         []byte
}

// benchPartial compares a full mirror clone of src with a --filter=tree:0
// one (both made by `git clone --mirror --no-local`, as from a server, each
// with its commit-graph): bytes on disk, and cold and warm
// `advisory versions --batch` and `advisory resolve` on each. The outputs
// and the locks must be byte-identical.
func benchPartial(bin, work, src string, batch []input, fixes []string) error {
	for _, kv := range [][2]string{{"uploadpack.allowFilter", "true"}, {"uploadpack.allowAnySHA1InWant", "true"}} {
		if err := gitRun(src, "config", kv[0], kv[1]); err != nil {
			return err
		}
	}
	batchFile := filepath.Join(work, "batch.jsonl")
	if err := writeBatch(batchFile, batch); err != nil {
		return err
	}
	clones := []*clone{{name: "full", filter: ""}, {name: "tree:0", filter: "tree:0"}}
	for _, c := range clones {
		if err := c.make(work, src); err != nil {
			return err
		}
		if err := c.measure(bin, work, batchFile, fixes); err != nil {
			return err
		}
	}
	printPartial(clones, len(batch), countFixes(batch), len(fixes))
	full, t0 := clones[0], clones[1]
	if !bytes.Equal(full.out, t0.out) || !bytes.Equal(full.lock, t0.lock) {
		return fmt.Errorf("the tree:0 clone's answers differ from the full clone's")
	}
	return nil
}

func (c *clone) make(work, src string) error {
	c.dir = filepath.Join(work, strings.ReplaceAll(c.name, ":", "")+".git")
	args := []string{"clone", "-q", "--mirror", "--no-local"}
	if c.filter != "" {
		args = append(args, "--filter="+c.filter)
	}
	start := time.Now()
	if err := gitRun(".", append(args, "file://"+src, c.dir)...); err != nil {
		return err
	}
	if err := gitRun(c.dir, "commit-graph", "write", "--reachable"); err != nil {
		return err
	}
	c.took = time.Since(start)
	var err error
	c.bytes, err = dirBytes(c.dir, "")
	if err != nil {
		return err
	}
	c.packBytes, err = dirBytes(filepath.Join(c.dir, "objects", "pack"), ".pack")
	return err
}

func (c *clone) measure(bin, work, batchFile string, fixes []string) error {
	cache := filepath.Join(work, "cache-"+filepath.Base(c.dir))
	var out string
	var err error
	if c.cold, out, err = timed(bin, cache, "versions", "--repo", c.dir, "--batch", batchFile); err != nil {
		return err
	}
	c.out = []byte(out)
	if c.warm, out, err = timed(bin, cache, "versions", "--repo", c.dir, "--batch", batchFile); err != nil {
		return err
	}
	if out != string(c.out) {
		return fmt.Errorf("%s: cold and warm runs disagree", c.name)
	}
	root := filepath.Join(work, "db-"+filepath.Base(c.dir))
	if err := writeDB(root, fixes); err != nil {
		return err
	}
	rcache := filepath.Join(work, "rcache-"+filepath.Base(c.dir))
	if c.resCold, _, err = timed(bin, rcache, "resolve", "--repo", c.dir, "--root", root, "--product", "python"); err != nil {
		return err
	}
	if c.resWarm, out, err = timed(bin, rcache, "resolve", "--repo", c.dir, "--root", root, "--product", "python", "--check"); err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	c.lock, err = os.ReadFile(filepath.Join(root, "advisories", "python.lock.json"))
	return err
}

func printPartial(clones []*clone, advisories, nfix, nres int) {
	fmt.Printf("versions --batch: %d advisories, %d fix commits; resolve: %d advisories\n", advisories, nfix, nres)
	fmt.Printf("%-8s %10s %10s %9s %13s %13s %13s %13s\n", "clone", "disk MB", "pack MB", "clone s",
		"versions cold", "versions warm", "resolve cold", "resolve warm")
	for _, c := range clones {
		fmt.Printf("%-8s %10.1f %10.1f %9.1f %13s %13s %13s %13s\n", c.name, mb(c.bytes), mb(c.packBytes), c.took.Seconds(),
			c.cold.short(), c.warm.short(), c.resCold.short(), c.resWarm.short())
	}
	fmt.Println("(times: wall s / cpu s / peak MB)")
	same := bytes.Equal(clones[0].out, clones[1].out) && bytes.Equal(clones[0].lock, clones[1].lock)
	fmt.Printf("versions output and lock byte-identical: %v\n", same)
}

func (m measure) short() string {
	return fmt.Sprintf("%.2f/%.2f/%d", m.wall.Seconds(), m.cpu.Seconds(), m.rssKB/1024)
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// dirBytes sums the sizes of the files under dir whose names end in suffix.
func dirBytes(dir, suffix string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), suffix) {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	return n, err
}

func gitRun(dir string, args ...string) error {
	if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// randomBatch picks nfix commits reachable from the branches and tags of
// the repository at dir into advisories of up to seven fixes, one in five
// with an introduced commit instead of "0", and nres more commits for the
// resolve database; deterministic.
func randomBatch(dir string, nfix, nres int) ([]input, []string, error) {
	out, err := exec.Command("git", "-C", dir, "rev-list", "--branches", "--tags").Output()
	if err != nil {
		return nil, nil, fmt.Errorf("git rev-list: %v", err)
	}
	commits := strings.Fields(string(out))
	rnd := rand.New(rand.NewPCG(3, 4))
	pick := func() string { return commits[rnd.IntN(len(commits))] }
	var batch []input
	for total := 0; total < nfix; {
		in := input{ID: fmt.Sprintf("BENCH-%d", len(batch)+1), Introduced: []string{"0"}}
		if len(batch)%5 == 4 {
			in.Introduced = []string{pick()}
		}
		for k := 0; k < 7 && total < nfix; k++ {
			in.Fixed = append(in.Fixed, pick())
			total++
		}
		batch = append(batch, in)
	}
	var fixes []string
	for range nres {
		fixes = append(fixes, pick())
	}
	return batch, fixes, nil
}
