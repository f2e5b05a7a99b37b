package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/diag"
)

// markerFile marks a directory as this tool's output: only a directory
// holding it, with exactly markerText, is ever replaced.
const markerFile = ".advisory-output"

const markerText = "This directory is the output of `advisory build`, which replaces it whole on the next build.\n"

// leftoverInfix names the temporary trees beside the output:
// .<out>.new-<random>.
const leftoverInfix = ".new-"

// checkOut refuses an output directory the build must not replace: a
// symbolic link, a non-directory, the database root, a directory holding
// the database root, a place inside the database's sources or git
// directory, a git repository, or a non-empty directory without the marker.
func checkOut(root, out string) error {
	fi, err := os.Lstat(out)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("output directory %s: %w", out, err)
	}
	if exists {
		if err := checkKind(out, fi); err != nil {
			return err
		}
	}
	if err := checkAgainstRoot(root, out); err != nil {
		return err
	}
	if !exists {
		return nil
	}
	return checkMarked(out)
}

func checkKind(out string, fi fs.FileInfo) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(out)
		return fmt.Errorf("output directory %s is a symbolic link (to %q), which advisory build does not follow or replace; give the real directory as --out", out, target)
	}
	if !fi.IsDir() {
		return fmt.Errorf("output directory %s exists and is not a directory; choose another --out", out)
	}
	return nil
}

func checkAgainstRoot(root, out string) error {
	r, err := realPath(root)
	if err != nil {
		return fmt.Errorf("database root %s: %w", root, err)
	}
	o, err := realPath(out)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", out, err)
	}
	switch {
	case o == r:
		return fmt.Errorf("output directory %s is the database root; choose another --out (default: public)", out)
	case inside(r, o):
		return fmt.Errorf("output directory %s contains the database root %s; choose another --out (default: public)", out, root)
	case inside(o, r):
		rel, _ := filepath.Rel(r, o)
		first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if first == "advisories" || first == ".git" {
			return fmt.Errorf("output directory %s lies inside the database's %s/; choose another --out (default: public)", out, first)
		}
	}
	return nil
}

// checkMarked accepts an empty directory or one holding the marker, and
// never a git repository.
func checkMarked(out string) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(out, ".git")); err == nil {
		return fmt.Errorf("output directory %s holds a git repository (.git), which advisory build never replaces; choose another --out", out)
	}
	if hasMarker(out) {
		return nil
	}
	return fmt.Errorf("output directory %s is not empty and holds no %s written by advisory build, so it is not a previous build and is left alone; choose another --out, or empty it yourself", out, markerFile)
}

// realPath is the absolute path of p with every symbolic link resolved in
// the part that exists; the missing rest is appended as given.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			return filepath.Join(real, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(dir) == dir {
			return "", err
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// inside reports whether p lies strictly inside dir.
func inside(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// cleanLeftovers removes the temporary trees of killed builds beside out:
// those that carry the marker (a build writes it first thing into its
// tree) and that no running build holds locked. A look-alike without the
// marker is someone else's and is left alone, with a warning on log.
func cleanLeftovers(out string, log io.Writer) {
	parent, base := filepath.Dir(out), filepath.Base(out)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "."+base+leftoverInfix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if !hasMarker(p) {
			if log != nil {
				fmt.Fprintf(log, "warning: %s looks like the temporary tree of a build but holds no %s, so advisory build did not write it and leaves it alone; remove it yourself if it is not needed\n", diag.Escape(p), markerFile)
			}
			continue
		}
		unlock, ok := tryLock(p)
		if !ok {
			continue // a running build's tree
		}
		os.RemoveAll(p)
		unlock()
	}
}

// hasMarker reports whether dir holds the marker file, a regular file
// with exactly markerText.
func hasMarker(dir string) bool {
	p := filepath.Join(dir, markerFile)
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(markerText)) {
		return false
	}
	b, err := os.ReadFile(p)
	return err == nil && bytes.Equal(b, []byte(markerText))
}

// swap puts the new tree at out. The path holds the old tree or the new
// one at every instant: a first build is one rename, a rebuild exchanges
// the two directories in one system call and then deletes the old tree.
func swap(tmp, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, out)
	}
	if err := exchange(tmp, out); err != nil {
		return fmt.Errorf("replacing %s: %w; the previous output is untouched", out, err)
	}
	return os.RemoveAll(tmp) // now the old tree
}
