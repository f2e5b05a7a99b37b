package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/psf/advisory-builder/internal/gitgraph/gittest"
	"github.com/psf/advisory-builder/internal/golden"
	"github.com/psf/advisory-builder/internal/testenv"
)

// TestGitScripts runs the end-to-end scripts of the commands that need a git
// repository (resolve, versions) in testdata/gitscript. Besides `advisory`,
// they have `cpython-repo DIR [bare]`, which builds the CPython-shaped
// repository of package gittest in DIR and sets $M1..$M8, $B310_2, ... to
// its commit hashes (they are reproducible, so YAML files in scripts can
// name them literally), and `backports-repo DIR`, which builds
// gittest.Backports (bare) and sets $C1..$C3, $B2, $D2, and `pip-repo DIR`,
// a pip-shaped repository (below). The graph cache goes to $WORK/cache;
// $SHARED and the condition [shared] are as in TestScripts.
func TestGitScripts(t *testing.T) {
	shared, haveShared := testenv.Optional(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/gitscript",
		Setup: func(env *testscript.Env) error {
			env.Setenv("ADVISORY_CACHE_DIR", env.WorkDir+"/cache")
			env.Setenv("SHARED", shared)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "shared" {
				return haveShared, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"cpython-repo": cpythonRepo, "backports-repo": backportsRepo, "pip-repo": pipRepo},
		RequireExplicitExec: true,
		UpdateScripts:       golden.Updating(),
	})
}

func cpythonRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: cpython-repo DIR [bare]")
	}
	r := gittest.CPython(tsTB{ts}, ts.MkAbs(args[0]), len(args) == 2 && args[1] == "bare")
	for _, l := range []string{"m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "b38_1", "b38_2", "b39_1", "b39_2", "b39_3",
		"b310_1", "b310_2", "b310_rel", "b310_merge", "b310_3", "b311_1", "b311_2", "b311_3", "b311_4"} {
		ts.Setenv(strings.ToUpper(l), r.Hex(l))
	}
}

func backportsRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: backports-repo DIR")
	}
	r := gittest.Backports(tsTB{ts}, ts.MkAbs(args[0]), true)
	for _, l := range []string{"c1", "c2", "c3", "b2", "d2"} {
		ts.Setenv(strings.ToUpper(l), r.Hex(l))
	}
}

// tsTB lets gittest report through a script.
type tsTB struct{ ts *testscript.TestScript }

func (t tsTB) Helper()                           {}
func (t tsTB) Fatal(args ...any)                 { t.ts.Fatalf("%s", fmt.Sprint(args...)) }
func (t tsTB) Fatalf(format string, args ...any) { t.ts.Fatalf(format, args...) }

// pipReleases are the release tags of the pip-shaped repository: pip
// releases from main, one tag per release, annotated; among them the
// fixed releases the PYSEC records of pip name (1.3, 1.5, 6.0, 19.2, 21.1,
// 23.3) and the newest release, 26.2.1.
var pipReleases = []string{"0.2", "1.2.1", "1.3", "1.4", "1.5", "1.5.6", "6.0", "19.1", "19.2", "21.0", "21.1", "23.2", "23.3", "26.2.1"}

// pipRepo builds a bare pip-shaped repository in DIR: one line of
// history on main, a commit per release, each tagged, with origin
// https://github.com/pypa/pip.
func pipRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: pip-repo DIR")
	}
	r := gittest.New(tsTB{ts}, ts.MkAbs(args[0]), true)
	prev := ""
	for i, v := range pipReleases {
		name := fmt.Sprintf("r%d", i)
		if prev == "" {
			r.Commit(name, "Release "+v)
		} else {
			r.Commit(name, "Release "+v, prev)
		}
		r.Tag(v, name, true)
		prev = name
	}
	r.Branch("main", prev)
}
