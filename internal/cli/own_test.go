package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestOwnAdvisoriesExport: `advisory email` and `advisory cve` succeed for
// every advisory of the repository (with a CVE alias, not withdrawn), with
// or without a resolution, and say where the versions come from.
func TestOwnAdvisoriesExport(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "advisories", "*", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("the repository has no advisories")
	}
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f), ".yaml")
		for _, cmd := range []string{"cve", "email"} {
			var out, errb bytes.Buffer
			if code := Main([]string{cmd, id, "--root", root}, &out, &errb); code != 0 {
				t.Errorf("advisory %s %s: exit %d\n%s", cmd, id, code, errb.String())
				continue
			}
			if !strings.Contains(errb.String(), "affected versions") || out.Len() == 0 {
				t.Errorf("advisory %s %s: no output or no source said:\n%s", cmd, id, errb.String())
			}
		}
	}
}
