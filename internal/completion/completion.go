// Package completion lists what the shell completes for the CLI: the
// advisory IDs of a database, its products, their branches, and the output
// formats. Every list is read from the database at hand, never guessed, and
// an unreadable database completes nothing (completion never fails loudly).
package completion

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/product"
)

// IDs are the advisory IDs of the database at root that begin with prefix
// (case-insensitively), each as "ID\tproduct title", sorted.
func IDs(root, prefix string) []string {
	cfg, err := product.Load(root)
	if err != nil {
		return nil
	}
	var out []string
	for _, name := range cfg.Names() {
		entries, err := os.ReadDir(advisory.Dir(root, name))
		if err != nil {
			continue
		}
		for _, e := range entries {
			id, ok := strings.CutSuffix(e.Name(), ".yaml")
			if ok && e.Type().IsRegular() && strings.HasPrefix(strings.ToUpper(id), strings.ToUpper(prefix)) {
				out = append(out, id+"\t"+cfg[name].Title)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Products are the products of the database at root, as "name\ttitle".
func Products(root string) []string {
	cfg, err := product.Load(root)
	if err != nil {
		return nil
	}
	var out []string
	for _, name := range cfg.Names() {
		out = append(out, name+"\t"+cfg[name].Title)
	}
	return out
}

// Branches are the release branches of the product (every product when
// name is empty) as version prefixes to complete a release from ("3.12."),
// each with its status, newest first. The branch main has no releases of
// its own and is left out.
func Branches(root, name string) []string {
	cfg, err := product.Load(root)
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range cfg.Names() {
		if name != "" && n != name {
			continue
		}
		for b, status := range cfg[n].Branches {
			if b != "main" {
				out = append(out, b+".\t"+cfg[n].Title+" "+b+", "+status)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return newer(out[i], out[j]) })
	return out
}

// newer orders "X.Y." prefixes by version, newest first.
func newer(a, b string) bool {
	pa, pb := numbers(a), numbers(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			return pa[i] > pb[i]
		}
	}
	return a < b
}

func numbers(s string) []int {
	s, _, _ = strings.Cut(s, "\t")
	var out []int
	for _, f := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		n := 0
		for _, c := range f {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
		}
		out = append(out, n)
	}
	return out
}

// Root is the database root a command line names (its --root value, else
// the current directory), made absolute for the completion.
func Root(flag string) string {
	if flag == "" {
		flag = "."
	}
	if abs, err := filepath.Abs(flag); err == nil {
		return abs
	}
	return flag
}
