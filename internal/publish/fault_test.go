package publish

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// publishedRemote returns a remote holding one publish of db(3) and the
// output of a later change to publish over it.
func publishedRemote(t *testing.T) (remote, next string) {
	t.Helper()
	remote = bareRemote(t)
	mustPublish(t, opts(outputDir(t, db(3, "2024-06-01T00:00:00Z")), remote))
	return remote, outputDir(t, db(4, "2024-06-01T00:00:00Z"))
}

// TestFaultAtEachStep fails each step of a run in turn: the run reports the
// error, the remote keeps its head, and the temporary clone is removed.
func TestFaultAtEachStep(t *testing.T) {
	remote, next := publishedRemote(t)
	before := head(t, remote)
	for _, step := range []string{"verify", "store", "fetch", "guard", "commit", "push"} {
		t.Run(step, func(t *testing.T) {
			work := t.TempDir()
			o := opts(next, remote)
			o.WorkDir = work
			injected := errors.New("injected failure")
			o.hook = func(s string) error {
				if s == step {
					return injected
				}
				return nil
			}
			_, err := Publish(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), "step "+step+": injected failure") {
				t.Fatalf("Publish = %v, want the injected failure at %s", err, step)
			}
			if head(t, remote) != before {
				t.Fatal("the remote moved")
			}
			if ents, _ := os.ReadDir(work); len(ents) != 0 {
				t.Errorf("the temporary clone was left behind: %v", ents)
			}
		})
	}
	// And the same output publishes fine afterwards.
	if res := mustPublish(t, opts(next, remote)); res.Commit == "" {
		t.Fatal("no commit after the faults")
	}
}

// TestRealFaults makes real operations fail: each leaves the remote as it was.
func TestRealFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, remote string, o *Options)
		want  string
	}{
		{"remote refuses in pre-receive", func(t *testing.T, remote string, o *Options) {
			hook := "#!/bin/sh\necho 'policy: publishing is frozen' >&2\nexit 1\n"
			if err := os.WriteFile(filepath.Join(remote, "hooks", "pre-receive"), []byte(hook), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "the remote did not move: it refused the push"},
		{"work dir is a file", func(t *testing.T, _ string, o *Options) {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			o.WorkDir = f
		}, "creating the temporary clone"},
		{"output changed after SHA256SUMS", func(t *testing.T, _ string, o *Options) {
			if err := os.WriteFile(filepath.Join(o.Dir, "index.html"), []byte("half-written"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "index.html has changed since SHA256SUMS was written"},
		{"output without SHA256SUMS", func(t *testing.T, _ string, o *Options) {
			if err := os.Remove(filepath.Join(o.Dir, "SHA256SUMS")); err != nil {
				t.Fatal(err)
			}
		}, "SHA256SUMS missing"},
		{"output holds a symbolic link", func(t *testing.T, _ string, o *Options) {
			if err := os.Symlink("/etc/passwd", filepath.Join(o.Dir, "passwd")); err != nil {
				t.Fatal(err)
			}
		}, "passwd is not a regular file"},
		{"output directory missing", func(t *testing.T, _ string, o *Options) {
			o.Dir = filepath.Join(t.TempDir(), "nope")
		}, "opening the output directory"},
		{"remote missing", func(t *testing.T, _ string, o *Options) {
			o.Remote = filepath.Join(t.TempDir(), "nope.git")
		}, "fetching main from"},
		{"cancelled", func(t *testing.T, _ string, o *Options) {}, "publish interrupted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			remote, next := publishedRemote(t)
			before := head(t, remote)
			o := opts(outputDir(t, db(4, "2024-06-01T00:00:00Z")), remote)
			_ = next
			tc.setup(t, remote, &o)
			ctx := context.Background()
			if tc.name == "cancelled" {
				c, cancel := context.WithCancel(ctx)
				cancel()
				ctx = c
			}
			_, err := Publish(ctx, o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Publish = %v, want an error containing %q", err, tc.want)
			}
			var refused *RefusedError
			if errors.As(err, &refused) {
				t.Errorf("a fault reported as a guard refusal: %v", err)
			}
			if head(t, remote) != before {
				t.Fatal("the remote moved")
			}
		})
	}
}
