package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/psf/advisory-builder/internal/startup"
	"github.com/psf/advisory-builder/internal/testenv"
)

func TestMain(m *testing.M) {
	startup.Done() // the tests run outside Main, which turns the collector on
	testscript.Main(m, map[string]func(){
		"advisory": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
		// advisory-exit runs advisory, then says its exit code on stderr
		// ("exit code 3") and succeeds, for scripts that tell codes apart.
		"advisory-exit": func() {
			code := Main(os.Args[1:], os.Stdout, os.Stderr)
			fmt.Fprintf(os.Stderr, "exit code %d\n", code)
			os.Exit(0)
		},
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script. Each script
// sees $SHARED, the shared test data directory (../shared beside the
// checkout), and $REPO, the repository root (for advisories/products.yaml).
// The condition [shared] says whether the shared data is present; a script
// that needs it skips with `[!shared] skip` when it is missing.
func TestScripts(t *testing.T) {
	shared, haveShared := testenv.Optional(t)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("SHARED", shared)
			env.Setenv("REPO", repo)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "shared" {
				return haveShared, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		RequireExplicitExec: true,
	})
}
