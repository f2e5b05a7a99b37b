package ci

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/product"
)

// mirrorStep is a product-mirror step of a workflow: the repository it
// mirrors and the environment variable holding its path.
type mirrorStep struct{ url, pathVar string }

var envRef = regexp.MustCompile(`^\$\{\{\s*env\.([A-Z0-9_]+)\s*\}\}$`)

// mirrorSteps lists the product-mirror steps of a parsed workflow.
func mirrorSteps(t *testing.T, name string, wf map[string]any) []mirrorStep {
	var out []mirrorStep
	jobs, _ := wf["jobs"].(map[string]any)
	for _, j := range jobs {
		steps, _ := j.(map[string]any)["steps"].([]any)
		for _, s := range steps {
			step, _ := s.(map[string]any)
			if step["uses"] != "./.github/actions/product-mirror" {
				continue
			}
			with, _ := step["with"].(map[string]any)
			url, _ := with["url"].(string)
			path, _ := with["path"].(string)
			m := envRef.FindStringSubmatch(path)
			if m == nil {
				t.Errorf("%s: the product-mirror step of %s has path %q, want ${{ env.NAME }}", name, url, path)
				continue
			}
			out = append(out, mirrorStep{url: url, pathVar: m[1]})
		}
	}
	return out
}

// TestWorkflowsMirrorEveryProduct: every product of advisories/products.yaml
// is mirrored by each workflow (from its repo) and passed to the pipeline
// (--mirror NAME="$VAR", the mirror's path), and validation checks its
// committed lock; no workflow mirrors a repository that is no product's.
// Adding a product to products.yaml without its workflow entries fails here.
func TestWorkflowsMirrorEveryProduct(t *testing.T) {
	cfg, err := product.Load(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range workflowFiles(t) {
		name := rel(f)
		wf, _ := load(t, name)
		steps := mirrorSteps(t, name, wf)
		script := strings.Join(runs(wf), "\n")
		for _, s := range steps {
			if productOf(cfg, s.url) == nil {
				t.Errorf("%s mirrors %s, the repo of no product in advisories/products.yaml", name, s.url)
			}
		}
		for _, n := range cfg.Names() {
			p := cfg[n]
			v := mirrorVar(steps, p.Repo)
			if v == "" {
				t.Errorf("%s has no product-mirror step for %s (url: %s)", name, n, p.Repo)
				continue
			}
			want := []string{fmt.Sprintf(`--mirror %s="$%s"`, n, v)}
			if strings.HasSuffix(name, "validate.yml") {
				want = append(want, fmt.Sprintf(`resolve --repo "$%s" --product %s --check --pr`, v, n))
			}
			for _, w := range want {
				if !strings.Contains(script, w) {
					t.Errorf("%s does not run %s for product %s", name, w, n)
				}
			}
		}
	}
}

func mirrorVar(steps []mirrorStep, repo string) string {
	for _, s := range steps {
		if s.url == repo {
			return s.pathVar
		}
	}
	return ""
}

func productOf(cfg product.Config, url string) *product.Product {
	for _, n := range cfg.Names() {
		if cfg[n].Repo == url {
			return cfg[n]
		}
	}
	return nil
}
