package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psf/advisory-builder/internal/product"
)

func products(t *testing.T) product.Config {
	t.Helper()
	cfg, err := product.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestParseRefuses(t *testing.T) {
	py := products(t)["python"]
	commit := strings.Repeat("a", 40)
	cases := []struct{ name, data, want string }{
		{"not a tag", "v3.12.5\n3.12.6\n", "f:2:1: error: \"3.12.6\" is not a release tag of python"},
		{"bad commit", "v3.12.5 abc\n", "f:1:9: error: \"abc\" is not a full 40-hex"},
		{"two spaces", "v3.12.5  " + commit + "\n", "f:1:9: error:"},
		{"twice", "v2.7\nv2.7.0\n", "f:2:1: error: release v2.7.0 is listed twice (first on line 1, as v2.7)"},
		{"order", "v3.12.6\nv3.12.5\n", "f:2:1: error: release v3.12.5 comes before v3.12.6"},
		{"control", "v3.12.5\x1b\n", "f:1:8: error:"},
		{"bidi in comment", "# \u202e\nv3.12.5\n", "f:1:3: error:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, ds := Parse("f", []byte(c.data), py)
			if l != nil || !ds.HasErrors() {
				t.Fatalf("accepted %q", c.data)
			}
			if got := ds[0].String(); !strings.HasPrefix(got, c.want) {
				t.Errorf("got  %s\nwant %s...", got, c.want)
			}
		})
	}
}

func TestLookupAndRoundTrip(t *testing.T) {
	cfg := products(t)
	py := cfg["python"]
	l := New(py, []Tag{{Name: "v3.12.6"}, {Name: "v2.7"}, {Name: "v3.13.0rc2"}, {Name: "v3.12.5"}, {Name: "junk"}})
	if got := strings.Join(l.Names(), " "); got != "v2.7 v3.12.5 v3.12.6 v3.13.0rc2" {
		t.Fatalf("order: %s", got)
	}
	for in, want := range map[string]string{"3.12.5": "v3.12.5", "v3.12.6": "v3.12.6", "2.7.0": "v2.7", "3.13.0rc2": "v3.13.0rc2"} {
		if tag, ok := l.Lookup(in); !ok || tag != want {
			t.Errorf("Lookup(%s) = %s, %v; want %s", in, tag, ok, want)
		}
	}
	for _, in := range []string{"3.12.7", "3.13.0", "garbage", ""} {
		if tag, ok := l.Lookup(in); ok {
			t.Errorf("Lookup(%s) = %s; want unknown", in, tag)
		}
	}
	again, ds := Parse("f", l.Format(), py)
	if ds.HasErrors() || strings.Join(again.Names(), " ") != strings.Join(l.Names(), " ") {
		t.Fatalf("round trip: %v %v", ds, again.Names())
	}
}

// TestDigestMatchesLock: a list written from a repository carries the
// digest the resolution lock records for the same tags.
func TestDigestMatchesLock(t *testing.T) {
	cfg := products(t)
	l, err := Read("../..", cfg["pip"])
	if err != nil || l == nil {
		t.Fatalf("pip release list: %v", err)
	}
	data, err := os.ReadFile(filepath.Join("../..", "advisories", "pip.lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, d, ok := l.Digest()
	if !ok || !strings.Contains(string(data), `"tags_digest": "`+d+`"`) {
		t.Errorf("the pip release list's digest %s is not the lock's", d)
	}
}

// TestShippedLists: every product's committed list reads cleanly.
func TestShippedLists(t *testing.T) {
	cfg := products(t)
	ls, err := ReadAll("../..", cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range cfg.Names() {
		if ls[n] == nil || len(ls[n].Tags) == 0 {
			t.Errorf("%s has no release list", n)
		}
	}
	if _, ok := ls["python"].Lookup("3.12.5"); !ok {
		t.Error("3.12.5 is not a known CPython release")
	}
}
