package publish

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestMain lets TestKilledPublisher run a publish in a child process of the
// test binary, so it can kill it with SIGKILL.
func TestMain(m *testing.M) {
	if dir := os.Getenv("ADVISORY_TEST_PUBLISH_DIR"); dir != "" {
		_, err := Publish(context.Background(), Options{Dir: dir, Remote: os.Getenv("ADVISORY_TEST_PUBLISH_REMOTE")})
		if err != nil {
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKilledPublisher kills a publisher with SIGKILL while the remote is
// receiving its push (its pre-receive hook is running). The remote must end
// either exactly as it was or with the complete new commit, and pass fsck.
func TestKilledPublisher(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the orphaned receive-pack")
	}
	remote, next := publishedRemote(t)
	before := head(t, remote)
	marks := t.TempDir()
	started, done := filepath.Join(marks, "started"), filepath.Join(marks, "done")
	hook := "#!/bin/sh\ncat >/dev/null\ntouch '" + started + "'\nsleep 1\ntouch '" + done + "'\nexit 0\n"
	if err := os.WriteFile(filepath.Join(remote, "hooks", "pre-receive"), []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "ADVISORY_TEST_PUBLISH_DIR="+next, "ADVISORY_TEST_PUBLISH_REMOTE="+remote)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitFor(started, 30*time.Second) {
		child.Process.Kill()
		child.Wait()
		t.Fatal("the push never reached the remote's hook")
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	waitFor(done, 10*time.Second)
	time.Sleep(500 * time.Millisecond) // let the orphaned receive-pack finish or die
	gitOut(t, remote, "fsck", "--strict")
	after := head(t, remote)
	switch after {
	case before:
		t.Log("the killed push left the remote as it was")
	default:
		if gitOut(t, remote, "rev-parse", after+"^") != before || gitOut(t, remote, "rev-parse", after+"^{tree}") != treeOf(t, next) {
			t.Fatalf("the remote moved to %s, which is not the complete new commit on %s", after, before)
		}
		t.Log("the killed push landed whole")
	}
}

func waitFor(path string, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}
