package ids_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/psf/advisory-builder/internal/ids"
)

const products = `python:
  title: CPython
  repo: https://github.com/python/cpython
  tag_pattern: '^v[0-9]+\.[0-9]+(\.[0-9]+)?((a|b|c|rc)[0-9]+)?$'
  branches:
    main: feature
pip:
  title: pip
  repo: https://github.com/pypa/pip
  tag_pattern: '^[0-9]+\.[0-9]+(\.[0-9]+)?$'
  package: {ecosystem: PyPI, name: pip, purl: pkg:pypi/pip}
  branches:
    main: feature
`

func source(id, published string, extra ...string) string {
	return "id: " + id + "\npublished: \"" + published + "\"\ntitle: Title of " + id +
		"\nseverity: low\ndescription: |\n  Text.\nintroduced: \"0\"\n" + strings.Join(extra, "")
}

func writeFile(t *testing.T, root, rel, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newDB(t *testing.T) string {
	root := t.TempDir()
	writeFile(t, root, "advisories/products.yaml", products)
	writeFile(t, root, "advisories/python/PSF-2025-4.yaml", source("PSF-2025-4", "2025-03-01T00:00:00Z"))
	writeFile(t, root, "advisories/python/PSF-2025-6.yaml", source("PSF-2025-6", "2025-04-01T00:00:00Z", "withdrawn: \"2025-04-02T00:00:00Z\"\n"))
	return root
}

func TestAssign(t *testing.T) {
	root := newDB(t)
	writeFile(t, root, "advisories/python/PSF-0000-late.yaml", source("PSF-0000-late", "2025-09-01T00:00:00Z"))
	writeFile(t, root, "advisories/pip/PSF-0000-early.yaml", source("PSF-0000-early", "2025-08-01T00:00:00Z"))
	writeFile(t, root, "advisories/python/PSF-0000-old.yaml", "# a comment kept as is\nid: \"PSF-0000-old\"\npublished: \"2024-12-31T23:59:59Z\"\ntitle: T\nseverity: low\ndescription: D\nintroduced: \"0\"\n")
	writeFile(t, root, "advisories/python.lock.json", `{"product":"python","repo":"r","tags":0,"tags_digest":"","advisories":{"PSF-0000-late":{"input_digest":"d","fixed":[],"versions":["v3.12.0"],"branches":[]}}}`)
	got, err := ids.Assign(root)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for _, a := range got {
		pairs = append(pairs, a.From+">"+a.To)
	}
	// Numbered in publication order after the highest number in use (the
	// withdrawn PSF-2025-6 counts); 2024 starts at 1.
	want := "PSF-0000-old>PSF-2024-1 PSF-0000-early>PSF-2025-7 PSF-0000-late>PSF-2025-8"
	if strings.Join(pairs, " ") != want {
		t.Fatalf("assigned %v, want %s", pairs, want)
	}
	data, err := os.ReadFile(filepath.Join(root, "advisories/python/PSF-2024-1.yaml"))
	if err != nil || string(data) != "# a comment kept as is\nid: \"PSF-2024-1\"\npublished: \"2024-12-31T23:59:59Z\"\ntitle: T\nseverity: low\ndescription: D\nintroduced: \"0\"\n" {
		t.Fatalf("renamed source changed beyond its id: %v\n%s", err, data)
	}
	if _, err := os.Stat(filepath.Join(root, "advisories/python/PSF-0000-old.yaml")); !os.IsNotExist(err) {
		t.Fatalf("placeholder file still there: %v", err)
	}
	lockData, _ := os.ReadFile(filepath.Join(root, "advisories/python.lock.json"))
	if !strings.Contains(string(lockData), `"PSF-2025-8"`) || strings.Contains(string(lockData), "PSF-0000-late") {
		t.Fatalf("lock entry not renamed:\n%s", lockData)
	}
	c, err := ids.ReadCounter(root)
	if err != nil || c.Last[2025] != 8 || c.Last[2024] != 1 {
		t.Fatalf("counter %+v, %v", c, err)
	}
	// Idempotent: nothing left to do, nothing changes.
	before, _ := os.ReadFile(ids.CounterPath(root))
	if again, err := ids.Assign(root); err != nil || len(again) != 0 {
		t.Fatalf("second run: %v %v", again, err)
	}
	after, _ := os.ReadFile(ids.CounterPath(root))
	if string(before) != string(after) {
		t.Fatal("second run rewrote the counter")
	}
}

// TestNumbersNeverReused: the counter remembers numbers whose files are gone.
func TestNumbersNeverReused(t *testing.T) {
	root := newDB(t)
	writeFile(t, root, "advisories/ids.txt", "2025 9 PSF-2025-9<-python/PSF-0000-gone\n")
	writeFile(t, root, "advisories/python/PSF-0000-new.yaml", source("PSF-0000-new", "2025-10-01T00:00:00Z"))
	got, err := ids.Assign(root)
	if err != nil || len(got) != 1 || got[0].To != "PSF-2025-10" {
		t.Fatalf("got %+v, %v; want PSF-2025-10", got, err)
	}
}

func TestAssignRefuses(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"placeholder collision", map[string]string{
			"advisories/python/PSF-0000-dup.yaml": source("PSF-0000-dup", "2025-10-01T00:00:00Z"),
			"advisories/pip/PSF-0000-dup.yaml":    source("PSF-0000-dup", "2025-10-01T00:00:00Z"),
		}, "is already used by"},
		{"no published year", map[string]string{
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "TODO: fill"),
		}, "numbered by the year of publication"},
		{"bad counter", map[string]string{
			"advisories/ids.txt":                "2025 many\n",
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, "ids.txt:1:6: \"many\" is not a count"},
		{"conflicted counter", map[string]string{
			"advisories/ids.txt":                "<<<<<<< HEAD\n2025 7 a\n=======\n2025 7 b\n>>>>>>> b\n",
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, "unresolved merge conflict"},
		{"committed lock file", map[string]string{
			"advisories/.assign-ids.lock":       "",
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, `advisories/.assign-ids.lock:1:1: error: file ".assign-ids.lock" is not part of the database`},
		{"unknown file", map[string]string{
			"advisories/notes.txt":              "",
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, `advisories/notes.txt:1:1: error: file "notes.txt" is not part of the database`},
		{"number over the largest", map[string]string{
			"advisories/python/PSF-2025-9223372036854775807.yaml": source("PSF-2025-9223372036854775807", "2025-10-01T00:00:00Z"),
			"advisories/python/PSF-0000-x.yaml":                   source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, "the number is over 999999999"},
		{"largest number in use", map[string]string{
			"advisories/python/PSF-2025-999999999.yaml": source("PSF-2025-999999999", "2025-10-01T00:00:00Z"),
			"advisories/python/PSF-0000-x.yaml":         source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, "PSF-0000-x.yaml: no ID number is left in 2025"},
		{"counter over the largest", map[string]string{
			"advisories/ids.txt":                "2025 9223372036854775807\n",
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, "ids.txt:1:6: 9223372036854775807 is over 999999999"},
		// lint refuses these dates; numbering one would leave PSF-1-1 or
		// PSF-2999-1 in the counter, refusing every later assignment.
		{"published year 1", map[string]string{
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "0001-01-01T00:00:00Z"),
		}, "PSF-0000-x.yaml:2:12: published 0001-01-01T00:00:00Z is before Python's first release"},
		{"published in 2999", map[string]string{
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "2999-01-01T00:00:00Z"),
		}, "PSF-0000-x.yaml:2:12: published 2999-01-01T00:00:00Z is in the future; the ID is numbered by the year of publication"},
		{"counter too large", map[string]string{
			"advisories/ids.txt":                strings.Repeat("#\n", ids.MaxCounterSize),
			"advisories/python/PSF-0000-x.yaml": source("PSF-0000-x", "2025-10-01T00:00:00Z"),
		}, "ids.txt: 2097152 bytes, over the 1048576-byte limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newDB(t)
			for p, d := range tt.files {
				writeFile(t, root, p, d)
			}
			before := tree(t, root)
			_, err := ids.Assign(root)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Assign: %v, want an error containing %q", err, tt.want)
			}
			if after := tree(t, root); after != before {
				t.Errorf("a refused run changed the database:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

// tree lists the files under root with their sizes.
func tree(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		fmt.Fprintf(&b, "%s %d\n", p, fi.Size())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestAssignLockHeld: a second run in the same work tree waits for none
// and changes nothing while the first holds the lock.
func TestAssignLockHeld(t *testing.T) {
	root := newDB(t)
	writeFile(t, root, "advisories/python/PSF-0000-x.yaml", source("PSF-0000-x", "2025-10-01T00:00:00Z"))
	dir, err := os.Open(filepath.Join(root, "advisories"))
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if err := syscall.Flock(int(dir.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if _, err := ids.Assign(root); err == nil || !strings.Contains(err.Error(), "another assign-ids run is in progress") {
		t.Fatalf("Assign with the lock held: %v", err)
	}
	if err := syscall.Flock(int(dir.Fd()), syscall.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	if got, err := ids.Assign(root); err != nil || len(got) != 1 {
		t.Fatalf("Assign after release: %v %v", got, err)
	}
}

// TestCounterLongLine: a year's trail has no length limit (a run that
// assigns thousands of IDs names them all on one line); only the file is
// capped, and errors name the file and line.
func TestCounterLongLine(t *testing.T) {
	root := newDB(t)
	trail := strings.Repeat("PSF-2025-1<-python/PSF-0000-a-long-placeholder-name ", 2000)
	writeFile(t, root, "advisories/ids.txt", "# header\n2025 8 "+trail+"\n2024 x "+trail+"\n")
	_, err := ids.ReadCounter(root)
	if err == nil || !strings.Contains(err.Error(), filepath.Join("advisories", "ids.txt")+":3:6: \"x\" is not a count") {
		t.Fatalf("ReadCounter: %v, want the error at ids.txt:3", err)
	}
	writeFile(t, root, "advisories/ids.txt", "# header\n2025 8 "+trail+"\n")
	writeFile(t, root, "advisories/python/PSF-0000-x.yaml", source("PSF-0000-x", "2025-10-01T00:00:00Z"))
	if got, err := ids.Assign(root); err != nil || len(got) != 1 || got[0].To != "PSF-2025-9" {
		t.Fatalf("Assign after a long counter line: %+v, %v; want PSF-2025-9", got, err)
	}
}

func git(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := git(t, dir, args...)
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return out
}

// branchAndAssign makes a branch from main, adds a placeholder of the
// product, assigns and commits.
func branchAndAssign(t *testing.T, root, branch, prod string) string {
	mustGit(t, root, "checkout", "-q", "-b", branch, "main")
	writeFile(t, root, "advisories/"+prod+"/PSF-0000-"+branch+".yaml", source("PSF-0000-"+branch, "2025-10-01T00:00:00Z"))
	got, err := ids.Assign(root)
	if err != nil || len(got) != 1 {
		t.Fatalf("assign on %s: %v %v", branch, got, err)
	}
	mustGit(t, root, "add", "-A")
	mustGit(t, root, "commit", "-q", "-m", "assign on "+branch)
	return got[0].To
}

// TestDivergingBranchesConflict runs assign-ids on two branches cut from the
// same commit, one for a python advisory and one for a pip advisory: both
// compute PSF-2025-7 in different directories, which git alone would merge
// silently. The counter file makes the merge conflict.
func TestDivergingBranchesConflict(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git not found on PATH: these tests use git as the oracle; install git")
	}
	for _, withCounter := range []bool{true, false} {
		root := newDB(t)
		mustGit(t, root, "init", "-q")
		if withCounter {
			writeFile(t, root, "advisories/ids.txt", "2025 6\n")
		}
		mustGit(t, root, "add", "-A")
		mustGit(t, root, "commit", "-q", "-m", "database")
		a := branchAndAssign(t, root, "a", "python")
		b := branchAndAssign(t, root, "b", "pip")
		if a != b || a != "PSF-2025-7" {
			t.Fatalf("branches assigned %s and %s; the test expects both to compute PSF-2025-7", a, b)
		}
		if !withCounter {
			// Without a committed counter both branches write one: still a conflict.
			if out, err := git(t, root, "merge", "-q", "--no-edit", "a"); err == nil {
				t.Fatalf("merge without a committed counter succeeded: %s", out)
			}
			continue
		}
		out, err := git(t, root, "merge", "--no-edit", "a")
		if err == nil {
			t.Fatalf("merging two branches that both assigned PSF-2025-7 succeeded:\n%s", out)
		}
		unmerged := mustGit(t, root, "diff", "--name-only", "--diff-filter=U")
		if strings.TrimSpace(unmerged) != "advisories/ids.txt" {
			t.Fatalf("conflicted files %q, want advisories/ids.txt\n%s", unmerged, out)
		}
		// The merged tree holds PSF-2025-7 twice: assign-ids refuses it.
		if _, err := ids.Assign(root); err == nil || !strings.Contains(err.Error(), "is already used by") {
			t.Fatalf("assign on the conflicted merge: %v", err)
		}
		mustGit(t, root, "merge", "--abort")
	}
}

// TestSequentialBranches: a branch cut after another's assignment was
// merged continues the numbering and merges cleanly.
func TestSequentialBranches(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git not found on PATH: these tests use git as the oracle; install git")
	}
	root := newDB(t)
	mustGit(t, root, "init", "-q")
	mustGit(t, root, "add", "-A")
	mustGit(t, root, "commit", "-q", "-m", "database")
	a := branchAndAssign(t, root, "a", "python")
	mustGit(t, root, "checkout", "-q", "main")
	mustGit(t, root, "merge", "-q", "--ff-only", "a")
	b := branchAndAssign(t, root, "b", "pip")
	if a != "PSF-2025-7" || b != "PSF-2025-8" {
		t.Fatalf("assigned %s then %s, want PSF-2025-7 then PSF-2025-8", a, b)
	}
	mustGit(t, root, "checkout", "-q", "main")
	mustGit(t, root, "merge", "-q", "--ff-only", "b")
}

// TestAssignLineEndings: the id is found at its position whatever the line
// breaks (LF, CRLF, lone CR), and the rest of the file is kept byte for byte.
func TestAssignLineEndings(t *testing.T) {
	for name, eol := range map[string]string{"CR": "\r", "CRLF": "\r\n", "LF": "\n"} {
		t.Run(name, func(t *testing.T) {
			root := newDB(t)
			src := strings.ReplaceAll("# a comment\nid: PSF-0000-x\n"+strings.TrimPrefix(source("PSF-0000-x", "2025-10-01T00:00:00Z"), "id: PSF-0000-x\n"), "\n", eol)
			writeFile(t, root, "advisories/python/PSF-0000-x.yaml", src)
			got, err := ids.Assign(root)
			if err != nil || len(got) != 1 {
				t.Fatalf("Assign: %v %v", got, err)
			}
			data, err := os.ReadFile(filepath.Join(root, "advisories/python", got[0].To+".yaml"))
			if want := strings.Replace(src, "PSF-0000-x", got[0].To, 1); err != nil || string(data) != want {
				t.Fatalf("renamed source %q, want %q (%v)", data, want, err)
			}
		})
	}
}
