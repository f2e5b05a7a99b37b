package ci

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var repoRoot = filepath.Join("..", "..")

func workflowFiles(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join(repoRoot, ".github", "workflows", "*.yml"))
	if len(files) < 3 {
		t.Fatalf("want the validate, publish and refresh workflows, found %v", files)
	}
	return files
}

// actionlintBinary builds tools/actionlint, a separate module (actionlint
// v1.7.12 does not compile against the yaml/v4 version this module needs).
// The build uses the module cache; it needs the network only when the cache
// lacks actionlint's dependencies.
func actionlintBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "actionlint")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(repoRoot, "tools", "actionlint")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building tools/actionlint: %v\n%s", err, out)
	}
	return bin
}

func actionlint(t *testing.T, bin string, files ...string) (string, error) {
	out, err := exec.Command(bin, files...).CombinedOutput()
	return string(out), err
}

// TestActionlint runs actionlint (with shellcheck when installed) over every
// workflow; any finding fails. A broken workflow proves it bites.
func TestActionlint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds actionlint; skipped with -short")
	}
	bin := actionlintBinary(t)
	if out, err := actionlint(t, bin, workflowFiles(t)...); err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yml")
	os.WriteFile(bad, []byte("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"), 0o644)
	if out, err := actionlint(t, bin, bad); err == nil || !strings.Contains(out, "nope") {
		t.Fatalf("actionlint accepted a broken workflow: %v\n%s", err, out)
	}
}

func load(t *testing.T, name string) (map[string]any, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m, string(data)
}

func TestPullRequestPolicy(t *testing.T) {
	wf, text := load(t, ".github/workflows/validate.yml")
	on := wf["on"].(map[string]any)
	if _, ok := on["pull_request"]; !ok {
		t.Error("validate.yml must run on pull_request")
	}
	if strings.Contains(text, "secrets.") {
		t.Error("validate.yml must not use secrets: pull requests from forks run it")
	}
	if p := wf["permissions"].(map[string]any); len(p) != 1 || p["contents"] != "read" {
		t.Errorf("validate.yml permissions %v, want contents: read only", p)
	}
	for _, want := range []string{"lint --format github", "pipeline validate", "--check --pr", "GITHUB_STEP_SUMMARY", "--remote", "persist-credentials: false"} {
		if !strings.Contains(text, want) {
			t.Errorf("validate.yml lacks %q", want)
		}
	}
}

func TestNoPullRequestTarget(t *testing.T) {
	for _, f := range workflowFiles(t) {
		wf, _ := load(t, rel(f))
		if _, ok := wf["on"].(map[string]any)["pull_request_target"]; ok {
			t.Errorf("%s runs on pull_request_target", f)
		}
	}
}

func rel(f string) string {
	r, _ := filepath.Rel(repoRoot, f)
	return filepath.ToSlash(r)
}

// runs collects every `run:` script of a parsed workflow or action.
func runs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "run" {
				out = append(out, s)
			} else {
				out = append(out, runs(e)...)
			}
		}
	case []any:
		for _, e := range x {
			out = append(out, runs(e)...)
		}
	}
	return out
}

// TestMirror: the product mirror is the smallest that resolves: heads and
// tags only (no pull-request refs), --filter=tree:0, never shallow; one
// cache entry per week, not one per run.
func TestMirror(t *testing.T) {
	names := []string{".github/actions/product-mirror/action.yml"}
	for _, f := range workflowFiles(t) {
		names = append(names, rel(f))
	}
	bad := regexp.MustCompile(`--depth|--shallow|clone --mirror|refs/pull|filter=blob:limit`)
	for _, name := range names {
		doc, _ := load(t, name)
		for _, script := range runs(doc) {
			if m := bad.FindString(script); m != "" {
				t.Errorf("%s runs %q with %s", name, script, m)
			}
		}
	}
	action, text := load(t, ".github/actions/product-mirror/action.yml")
	script := strings.Join(runs(action), "\n")
	for _, want := range []string{"partialclonefilter tree:0", "'+refs/heads/*:refs/heads/*'", "'+refs/tags/*:refs/tags/*'", "is-shallow-repository", "commit-graph write"} {
		if !strings.Contains(script, want) {
			t.Errorf("product-mirror action does not run %q", want)
		}
	}
	for _, want := range []string{"actions/cache/restore", "steps.restore.outputs.cache-hit != 'true'"} {
		if !strings.Contains(text, want) {
			t.Errorf("product-mirror action lacks %q", want)
		}
	}
	if strings.Contains(text, "run_id") {
		t.Error("product-mirror action keys the cache by run: every run would add a multi-gigabyte entry")
	}
}

// TestNoSwallowedFailures: no step hides a failure.
func TestNoSwallowedFailures(t *testing.T) {
	names := []string{".github/actions/product-mirror/action.yml"}
	for _, f := range workflowFiles(t) {
		names = append(names, rel(f))
	}
	swallow := regexp.MustCompile(`\|\|\s*(true|:)|continue-on-error`)
	for _, name := range names {
		_, text := load(t, name)
		if m := swallow.FindString(text); m != "" {
			t.Errorf("%s swallows a failure with %q", name, m)
		}
	}
}

// pipelineStep is the run script of the step calling advisory pipeline.
func pipelineStep(t *testing.T, wf map[string]any, name string) string {
	for _, s := range runs(wf) {
		if strings.Contains(s, "advisory\" pipeline ") {
			return s
		}
	}
	t.Fatalf("%s runs no advisory pipeline", name)
	return ""
}

func TestPublishPolicy(t *testing.T) {
	pub, ptext := load(t, ".github/workflows/publish.yml")
	ref, rtext := load(t, ".github/workflows/refresh.yml")
	for name, wf := range map[string]map[string]any{"publish.yml": pub, "refresh.yml": ref} {
		c := wf["concurrency"].(map[string]any)
		if c["group"] != "publish" || c["cancel-in-progress"] != false {
			t.Errorf("%s concurrency %v, want group publish without cancelling", name, c)
		}
		if p, ok := wf["permissions"].(map[string]any); !ok || len(p) != 0 {
			t.Errorf("%s top-level permissions %v, want {}", name, wf["permissions"])
		}
		for job, j := range wf["jobs"].(map[string]any) {
			p := j.(map[string]any)["permissions"].(map[string]any)
			if len(p) != 1 || p["contents"] != "write" {
				t.Errorf("%s job %s permissions %v, want contents: write only", name, job, p)
			}
		}
	}
	if _, ok := pub["on"].(map[string]any)["push"]; !ok {
		t.Error("publish.yml must run on push to main")
	}
	if _, ok := ref["on"].(map[string]any)["schedule"]; !ok {
		t.Error("refresh.yml must run on a schedule")
	}
	for _, want := range []string{"pipeline publish", "--summary \"$GITHUB_STEP_SUMMARY\"", "--announce", "ADVISORY_PUSH_TOKEN"} {
		if !strings.Contains(ptext, want) {
			t.Errorf("publish.yml lacks %q", want)
		}
	}
	// Both keep the build's lock-dates cache between runs (restored before
	// the pipeline, saved after it under a key of their own).
	for name, text := range map[string]string{"publish.yml": ptext, "refresh.yml": rtext} {
		restore, save := strings.Index(text, "actions/cache/restore@v4\n        with:\n          path: .git/advisory-builder"), strings.Index(text, "actions/cache/save@v4\n        with:\n          path: .git/advisory-builder")
		if step := strings.Index(text, `"$RUNNER_TEMP/advisory" pipeline publish`); restore < 0 || save < 0 || !(restore < step && step < save) {
			t.Errorf("%s must restore .git/advisory-builder before the pipeline and save it after", name)
		}
	}
	if p, r := pipelineStep(t, pub, "publish.yml"), pipelineStep(t, ref, "refresh.yml"); p != r || !strings.Contains(rtext, "pipeline publish") {
		t.Errorf("publish and refresh must run the same pipeline:\n%s\n%s", p, r)
	}
}

// TestActionsPinned: remote actions are pinned to a major version tag or a
// full commit SHA.
func TestActionsPinned(t *testing.T) {
	uses := regexp.MustCompile(`uses:\s*([^\s#]+)`)
	pin := regexp.MustCompile(`^[\w.-]+/[\w./-]+@(v[0-9]+|[0-9a-f]{40})$`)
	files := append(workflowFiles(t), filepath.Join(repoRoot, ".github", "actions", "product-mirror", "action.yml"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for _, m := range uses.FindAllStringSubmatch(string(data), -1) {
			if !strings.HasPrefix(m[1], "./") && !pin.MatchString(m[1]) {
				t.Errorf("%s: %s is not pinned to vN or a commit SHA", f, m[1])
			}
		}
	}
}

func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID       string `yaml:"id"`
		Name     string `yaml:"name"`
		Entry    string `yaml:"entry"`
		Language string `yaml:"language"`
		Files    string `yaml:"files"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(false)
	if err := dec.Decode(&hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 || hooks[0].ID != "advisory-lint" {
		t.Fatalf("hooks %+v, want advisory-lint first", hooks)
	}
	for _, h := range hooks {
		if h.Language != "golang" || h.Entry != "advisory lint" || h.Name == "" {
			t.Errorf("hook %+v: want language golang, entry \"advisory lint\"", h)
		}
		if _, err := regexp.Compile(h.Files); err != nil {
			t.Errorf("hook %s: files %q: %v", h.ID, h.Files, err)
		}
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "cmd", "advisory")); err != nil {
		t.Errorf("language golang installs cmd/advisory: %v", err)
	}
}
