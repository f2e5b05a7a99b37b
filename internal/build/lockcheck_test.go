package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHandEditedLockRefused: a lock is committed, so a pull request can
// edit it; every value that reaches the records is checked at build, the
// error names the lock file and the field, and nothing is written.
func TestHandEditedLockRefused(t *testing.T) {
	tests := []struct{ name, lock, old, new, want string }{
		{"a path and escapes in versions", "python", `"v3.12.5"`, `"../../etc/passwd\u001b[2J<script>"`,
			`advisories.PSF-2024-9.versions[1]: "../../etc/passwd\x1b[2J<script>" is not a release tag of python`},
		{"a pip tag in a python lock", "python", `"v3.12.0", "v3.12.5"`, `"v3.12.0", "23.2"`,
			`advisories.PSF-2024-9.versions[1]: "23.2" is not a release tag of python`},
		{"a short commit", "python", `"commit": "a77ab24427a18bff817025adb03ca920dc3f1a06"`, `"commit": "a77ab24"`,
			`advisories.PSF-2024-9.fixed[2].commit: "a77ab24" is not a full 40-character`},
		{"a branch path", "python", `"branch": "3.13", "source": "trailer"`, `"branch": "../3.13", "source": "trailer"`,
			`advisories.PSF-2024-9.fixed[1].branch: "../3.13" is not a branch name`},
		{"an unknown status", "pip", `"status": "fixed"`, `"status": "safe"`,
			`advisories.PSF-2023-7.branches[0].status: "safe" is not fixed, unfixed or not-affected`},
		{"an unknown source", "pip", `"source": "authored"`, `"source": "trust me"`,
			`advisories.PSF-2023-7.fixed[0].source`},
		{"a fixed_in that is no tag", "pip", `"fixed_in": "23.3"`, `"fixed_in": "<b>23.3</b>"`,
			`advisories.PSF-2023-7.branches[0].fixed_in`},
		{"a fix_commit that is no hash", "pip", `"fix_commit": "389cb799d0da9a840749fcd14878928467ed49b4"`, `"fix_commit": "HEAD"`,
			`advisories.PSF-2023-7.branches[0].fix_commit`},
		{"a changed date that is no date", "pip", `"changed": "2023-10-02T00:00:00Z"`, `"changed": "2099-99-99"`,
			`advisories.PSF-2023-7.changed`},
		{"an escape in a warning", "pip", `"changed": "2023-10-02T00:00:00Z"`, `"changed": "2023-10-02T00:00:00Z", "warnings": ["ok\u001b]8;;x"]`,
			`advisories.PSF-2023-7.warnings[0]`},
		{"another product's lock", "pip", `"product": "pip"`, `"product": "python"`, `product: "python" is not "pip"`},
		{"a bad ID", "pip", `"PSF-2023-7": {`, `"../PSF-2023-7": {`, `advisories: id "../PSF-2023-7"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			unpackFixture(t, root, nil)
			p := filepath.Join(root, "advisories", tc.lock+".lock.json")
			data := string(mustRead(t, p))
			if !strings.Contains(data, tc.old) {
				t.Fatalf("fixture lock has no %s", tc.old)
			}
			writeFile(t, p, []byte(strings.Replace(data, tc.old, tc.new, 1)))
			out := filepath.Join(t.TempDir(), "out")
			_, err := Run(Options{Root: root, Out: out, Now: now})
			if err == nil {
				t.Fatal("the hand-edited lock was accepted")
			}
			for _, w := range []string{p + ": ", tc.want, "re-run it"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not hold %q", err, w)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output written: %v", err)
			}
		})
	}
}

// TestLockEntryWithoutAdvisory: a lock entry whose advisory does not exist
// (removed or renamed by hand) is a warning at the entry's key, naming it
// and saying that a full resolve drops it; the build still succeeds.
func TestLockEntryWithoutAdvisory(t *testing.T) {
	root := t.TempDir()
	unpackFixture(t, root, nil)
	p := filepath.Join(root, "advisories", "pip.lock.json")
	data := string(mustRead(t, p))
	const entry = `"PSF-2023-7": {`
	i := strings.Index(data, entry)
	if i < 0 {
		t.Fatalf("fixture lock has no %s", entry)
	}
	ghost := `"PSF-2023-99": {"input_digest": "` + strings.Repeat("0", 64) + `"},` + "\n    "
	edited := data[:i] + ghost + data[i:]
	writeFile(t, p, []byte(edited))
	line := strings.Count(edited[:i], "\n") + 1
	col := i - strings.LastIndex(edited[:i], "\n")
	var log strings.Builder
	res, err := Run(Options{Root: root, Out: filepath.Join(t.TempDir(), "out"), Now: now, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%s:%d:%d: warning: advisories.PSF-2023-99: an entry for PSF-2023-99, which is not an advisory of pip", p, line, col)
	if !strings.Contains(log.String(), want) || !strings.Contains(log.String(), "`advisory resolve --product pip` drops it") {
		t.Errorf("log lacks %q and the fix:\n%s", want, log.String())
	}
	found := false
	for _, d := range res.Warnings {
		found = found || d.File == p && d.Line == line && d.Col == col && d.Rule == "lock"
	}
	if !found {
		t.Errorf("no warning at %s:%d:%d in the result: %v", p, line, col, res.Warnings)
	}
}
