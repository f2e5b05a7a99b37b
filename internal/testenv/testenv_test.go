package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ADVISORY_SHARED", dir)
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "DESIGN.md") {
		t.Fatalf("Find on a directory without DESIGN.md = %v, want an error naming DESIGN.md", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "DESIGN.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Find()
	if err != nil || got != dir {
		t.Fatalf("Find = %q, %v; want %q", got, err, dir)
	}
}

// recorder notes whether Missing skipped or failed.
type recorder struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped, r.msg = true, fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) { r.failed, r.msg = true, fmt.Sprint(args...) }

func TestMissing(t *testing.T) {
	for _, c := range []struct {
		ci         string
		skip, fail bool
	}{{"", true, false}, {"false", true, false}, {"true", false, true}} {
		t.Setenv("CI", c.ci)
		r := &recorder{TB: t}
		Missing(r, os.ErrNotExist)
		if r.skipped != c.skip || r.failed != c.fail {
			t.Errorf("CI=%q: skipped=%v failed=%v, want %v %v", c.ci, r.skipped, r.failed, c.skip, c.fail)
		}
		if !strings.HasPrefix(r.msg, MissingPrefix+": ") {
			t.Errorf("message %q does not begin with %q", r.msg, MissingPrefix)
		}
	}
}

// TestSharedNamesWhatIsMissing: a missing part of the shared data is named
// in the skip line.
func TestSharedNamesWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "DESIGN.md"), nil, 0o644)
	t.Setenv("ADVISORY_SHARED", dir)
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	Shared(r, "osv", "records", "psf")
	if want := filepath.Join(dir, "osv", "records", "psf") + " not found"; !r.skipped || !strings.Contains(r.msg, want) {
		t.Errorf("skipped=%v message %q, want it to name %q", r.skipped, r.msg, want)
	}
}
