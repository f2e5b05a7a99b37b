package gitpack

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func BenchmarkPDDebug(b *testing.B) {
	dir := "/tmp/pd-h10k"
	out, _ := exec.Command("git", "-C", dir, "log", "--format=%H", "--", "advisories/python.lock.json").Output()
	var hs []plumbing.Hash
	for _, c := range strings.Fields(string(out)) {
		o, _ := exec.Command("git", "-C", dir, "rev-parse", c+":advisories/python.lock.json").Output()
		hs = append(hs, plumbing.NewHash(strings.TrimSpace(string(o))))
	}
	for b.Loop() {
		s, err := Open(dir + "/.git")
		if err != nil {
			b.Fatal(err)
		}
		for _, h := range hs {
			if _, err := s.Blob(h); err != nil {
				b.Fatal(err)
			}
		}
		s.Close()
	}
}
