package product

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
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

// TestParseHostileConfig: the products configuration is untrusted input,
// loaded under the advisory sources' rules; every refusal names
// file:line:col.
func TestParseHostileConfig(t *testing.T) {
	const base = "python:\n  repo: https://github.com/python/cpython\n  tag_pattern: '^v[0-9.]+$'\n  branches:\n    main: feature\n    \"3.12\": security\n"
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("%q not in the base config", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	tests := []struct {
		name, doc, at, msg string
	}{
		{"javascript repo", edit("https://github.com/python/cpython", `"javascript:alert(1)//"`), "2:9", "scheme javascript: is not allowed"},
		{"credentials in repo", edit("https://github.com/python/cpython", "https://user:secret@github.com/python/cpython"), "2:9", "user information"},
		{"plain http repo", edit("https://github.com/python/cpython", "http://github.com/python/cpython"), "2:9", "plain http"},
		{"relative repo", edit("https://github.com/python/cpython", "//github.com/python/cpython"), "2:9", "scheme-less"},
		{"anchor", edit("python:\n", "python: &p\n"), "1:9", "anchors are not allowed"},
		{"alias", base + "pip: *x\n", "1:1", "unknown anchor"}, // the parser gives no line
		{"anchor and alias", edit("branches:\n", "branches: &b\n") + "pip:\n  repo: https://github.com/pypa/pip\n  tag_pattern: x\n  branches: *b\n", "4:13", "anchors are not allowed"},
		{"merge key", base + "pip:\n  <<: {repo: https://github.com/pypa/pip}\n", "8:3", "merge key"},
		{"explicit tag", edit("tag_pattern: '^v", "tag_pattern: !!str '^v"), "3:16", "explicit tag"},
		{"traversal branch", edit(`"3.12": security`, `"../../x": security`), "6:5", `branch "../../x" must be main or X.Y`},
		{"unquoted branch", edit(`"3.12": security`, `3.12: security`), "6:5", `quote this key (3.12 reads as a decimal number`},
		{"bad status", edit("main: feature", "main: active"), "5:5", `unknown status "active"`},
		{"duplicate key", edit("    main: feature\n", "    main: feature\n    main: bugfix\n"), "6:5", `duplicate key "main"`},
		{"unknown field", edit("  branches:", "  colour: red\n  branches:"), "4:3", `unknown field "colour"`},
		{"bad pattern", edit(`'^v[0-9.]+$'`, `'('`), "3:16", "not a valid regular expression"},
		{"long pattern", edit(`'^v[0-9.]+$'`, "'"+strings.Repeat("a", MaxTagPattern+1)+"'"), "3:16", "over the limit of 256"},
		{"traversal product", strings.Replace(base, "python:", `"../x":`, 1), "1:1", "product name"},
		{"traversal ecosystem", base + "  package: {ecosystem: ../../x, name: pip, purl: pkg:pypi/pip}\n", "7:24", `package ecosystem "../../x"`},
		{"purl of another package", base + "  package: {ecosystem: PyPI, name: pip, purl: pkg:pypi/setuptools}\n", "7:47", `package purl "pkg:pypi/setuptools" does not name the package PyPI "pip": write pkg:pypi/pip`},
		{"purl of another type", base + "  package: {ecosystem: PyPI, name: pip, purl: pkg:npm/pip}\n", "7:47", "write pkg:pypi/pip"},
		{"purl not normalised", base + "  package: {ecosystem: PyPI, name: Foo_Bar, purl: pkg:pypi/Foo_Bar}\n", "7:51", "write pkg:pypi/foo-bar"},
		{"unknown ecosystem", base + "  package: {ecosystem: npm, name: pip, purl: pkg:npm/pip}\n", "7:24", `package ecosystem "npm" is not one this project publishes (PyPI)`},
		{"second document", base + "---\npip: {}\n", "7:1", "second YAML document"},
		{"empty product", "python:\n", "1:8", "empty value"},
		{"not a mapping", "- python\n", "1:1", "expected a mapping"},
		{"missing repo", "python:\n  tag_pattern: x\n", "1:1", "repo is required"},
		{"control character", edit("main: feature", "main: feature\x1b[2J"), "5:18", "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("products.yaml", []byte(tt.doc))
			prefix := "products.yaml:" + tt.at + ": error: "
			if err == nil || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v\nwant %s...%s...", err, prefix, tt.msg)
			}
		})
	}
	if _, err := Parse("products.yaml", []byte(base)); err != nil {
		t.Fatalf("base config refused: %v", err)
	}
}

// TestLoadRefusesLinks: a products file that is a link (or not a regular
// file) is refused without reading it or naming its target.
func TestLoadRefusesLinks(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "advisories"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "secret-target.yaml")
	if err := os.WriteFile(target, []byte("python: {repo: https://x.example, tag_pattern: x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, ConfigPath(root)); err != nil {
		t.Fatal(err)
	}
	_, err := Load(root)
	if err == nil || !strings.HasPrefix(err.Error(), ConfigPath(root)+":1:1: error: products configuration: symbolic link") || strings.Contains(err.Error(), "secret-target") {
		t.Fatalf("Load through a link: %v", err)
	}
	os.Remove(ConfigPath(root))
	if err := syscall.Mkfifo(ConfigPath(root), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(root); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Load of a FIFO: %v", err)
	}
}

// FuzzParse: any products file parses or is refused with an error at
// file:line:col, without panicking.
// Run: go test ./internal/product -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "python:\n  repo: https://github.com/python/cpython\n  tag_pattern: '^v[0-9.]+$'\n  branches: {main: feature, \"3.12\": security}\n", "a: &x {b: *x}", "- 1", "python: {package: {ecosystem: PyPI}}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("products.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "products.yaml:") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		for _, n := range cfg.Names() {
			if _, err := regexp.Compile(cfg[n].TagPattern); err != nil {
				t.Fatalf("accepted a bad tag pattern %q", cfg[n].TagPattern)
			}
		}
	})
}

// TestStable: bugfix and security branches are stable; a product with no
// branch statuses counts every branch as stable (nothing says otherwise).
func TestStable(t *testing.T) {
	withStatuses := &Product{Branches: map[string]string{"main": StatusFeature, "3.13": StatusSecurity,
		"3.14": StatusBugfix, "3.9": StatusEndOfLife}}
	noStatuses := &Product{Name: "derived"}
	for _, tc := range []struct {
		p      *Product
		branch string
		want   bool
	}{
		{withStatuses, "3.13", true},
		{withStatuses, "3.14", true},
		{withStatuses, "3.9", false},
		{withStatuses, "main", false},
		{withStatuses, "3.11", false},
		{noStatuses, "3.11", true},
		{noStatuses, "3.9", true},
		{nil, "3.12", false},
	} {
		if got := tc.p.Stable(tc.branch); got != tc.want {
			t.Errorf("%v.Stable(%q) = %v, want %v", tc.p, tc.branch, got, tc.want)
		}
	}
}
