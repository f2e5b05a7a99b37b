package product

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"go.yaml.in/yaml/v3"
)

// ConfigPath is where the products configuration lives under the database root.
func ConfigPath(root string) string {
	return filepath.Join(root, "advisories", "products.yaml")
}

// Config is the set of products, by name.
type Config map[string]*Product

// Load reads and checks the products configuration of the database at root.
func Load(root string) (Config, error) {
	p := ConfigPath(root)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading products configuration: %w", err)
	}
	return Parse(p, data)
}

// Parse decodes a products configuration; name is used in errors.
func Parse(name string, data []byte) (Config, error) {
	if err := checkText(name, data); err != nil {
		return nil, err
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	for n, p := range cfg {
		if p == nil {
			return nil, fmt.Errorf("%s: product %q is empty", name, n)
		}
		p.Name = n
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("%s: product %q: %v", name, n, err)
		}
	}
	return cfg, nil
}

func (p *Product) check() error {
	if p.Repo == "" {
		return fmt.Errorf("repo is required")
	}
	if _, err := regexp.Compile(p.TagPattern); err != nil || p.TagPattern == "" {
		return fmt.Errorf("tag_pattern %q is not a valid regular expression", p.TagPattern)
	}
	for b, s := range p.Branches {
		switch s {
		case StatusFeature, StatusPrerelease, StatusBugfix, StatusSecurity, StatusEndOfLife:
		default:
			return fmt.Errorf("branch %q: unknown status %q (use feature, prerelease, bugfix, security or end-of-life)", b, s)
		}
	}
	return nil
}

// TagRegexp is the compiled release-tag pattern.
func (p *Product) TagRegexp() *regexp.Regexp {
	return regexp.MustCompile(p.TagPattern)
}

// Names returns the product names, sorted.
func (c Config) Names() []string {
	var names []string
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
