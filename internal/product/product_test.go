package product

import (
	"strings"
	"testing"
)

func TestLoadRepositoryConfig(t *testing.T) {
	cfg, err := Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	py, pip := cfg["python"], cfg["pip"]
	if py == nil || pip == nil {
		t.Fatalf("products %v", cfg.Names())
	}
	if py.Package != nil || py.Ecosystem() != "GIT" || pip.Ecosystem() != "PyPI" {
		t.Errorf("ecosystems: python %q, pip %q", py.Ecosystem(), pip.Ecosystem())
	}
	for tag, want := range map[string]bool{"v3.12.4": true, "v3.13.0a1": true, "v3.13.0rc2": true, "v2.5c1": true, "v2.7": true, "3.12.4": false, "v3.12.4-dirty": false} {
		if got := py.TagRegexp().MatchString(tag); got != want {
			t.Errorf("python tag %s: match %v, want %v", tag, got, want)
		}
	}
	for tag, want := range map[string]bool{"23.3": true, "20.1b1": true, "23.3.1": true, "v23.3": false} {
		if got := pip.TagRegexp().MatchString(tag); got != want {
			t.Errorf("pip tag %s: match %v, want %v", tag, got, want)
		}
	}
	if !Maintained(py.Branches["3.13"]) || Maintained(py.Branches["3.9"]) {
		t.Error("branch status: 3.13 should be maintained, 3.9 not")
	}
}

func TestParseRefusesBadConfig(t *testing.T) {
	tests := map[string]string{
		"unknown field": "python:\n  repo: https://x\n  tag_pattern: 'v'\n  colour: red\n",
		"bad status":    "python:\n  repo: https://x\n  tag_pattern: 'v'\n  branches: {main: active}\n",
		"bad pattern":   "python:\n  repo: https://x\n  tag_pattern: '('\n",
		"missing repo":  "python:\n  tag_pattern: 'v'\n",
		"empty product": "python:\n",
		"not a mapping": "- python\n",
		"missing tags":  "python:\n  repo: https://x\n",
	}
	for name, doc := range tests {
		if _, err := Parse("products.yaml", []byte(doc)); err == nil || !strings.HasPrefix(err.Error(), "products.yaml") {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
}

// TestParseRefusesHiddenCharacters: the products configuration is held to
// the advisory character rules on decoded values, so escapes count.
func TestParseRefusesHiddenCharacters(t *testing.T) {
	const base = "python:\n  repo: https://github.com/python/cpython\n  tag_pattern: '^v[0-9.]+$'\n  branches: {main: feature}\n"
	for _, c := range []struct{ doc, where string }{
		{strings.Replace(base, "https://github.com/python/cpython", `"https://github.com/python/cpython\u202E"`, 1), "products.yaml:2:9: "},
		{strings.Replace(base, "main: feature", `"ma\u00ADin": feature`, 1), "products.yaml:4:14: "},
		{strings.Replace(base, "main: feature", `main: "feature\e[2J"`, 1), "products.yaml:4:20: "},
		{strings.Replace(base, "python:", `"py\U000E0041thon":`, 1), "products.yaml:1:1: "},
		{strings.Replace(base, "python:", "python: # \u2067", 1), "products.yaml:1:11: "},
		{strings.Replace(base, "main: feature", "main: \"f\\0\"", 1), "products.yaml:4:20: "},
	} {
		_, err := Parse("products.yaml", []byte(c.doc))
		if err == nil || !strings.HasPrefix(err.Error(), c.where) {
			t.Errorf("%q: err = %v, want one at %s", c.doc, err, c.where)
		}
	}
	if _, err := Parse("products.yaml", []byte(base)); err != nil {
		t.Fatalf("base config refused: %v", err)
	}
}
