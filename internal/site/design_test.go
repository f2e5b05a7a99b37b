package site

import (
	"encoding/xml"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFeed checks the Atom 1.0 elements a reader needs: feed id, title,
// updated, self link; entries newest first, each with an absolute id and
// link, a title and RFC 3339 times.
func TestFeed(t *testing.T) {
	dir := buildFixture(t)
	data, err := os.ReadFile(filepath.Join(dir, FeedFile))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID        string `xml:"id"`
			Title     string `xml:"title"`
			Updated   string `xml:"updated"`
			Published string `xml:"published"`
			Link      []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content struct {
				Type string `xml:"type,attr"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.XMLName.Local != "feed" {
		t.Fatalf("root element %v, want Atom feed", f.XMLName)
	}
	base := DefaultBaseURL
	if f.ID != base+FeedFile || f.Title == "" || f.Author.Name == "" {
		t.Errorf("feed id %q title %q author %q", f.ID, f.Title, f.Author.Name)
	}
	if f.Updated != "2025-03-10T12:00:00Z" {
		t.Errorf("feed updated %q, want the newest modified time", f.Updated)
	}
	var self bool
	for _, l := range f.Links {
		self = self || (l.Rel == "self" && l.Href == base+FeedFile)
	}
	if !self {
		t.Error("no rel=self link")
	}
	want := []string{"PSF-2025-2", "PSF-2025-1", "PSF-2024-3", "PSF-2024-9", "PSF-2023-7", "PSF-2023-4"}
	if len(f.Entries) != len(want) {
		t.Fatalf("%d entries, want %d", len(f.Entries), len(want))
	}
	for i, e := range f.Entries {
		if e.ID != base+"advisory/"+want[i]+".html" {
			t.Errorf("entry %d id %q, want %s (newest first)", i, e.ID, want[i])
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry %s updated %q: %v", e.ID, e.Updated, err)
		}
		if e.Title == "" || len(e.Link) == 0 || !strings.HasPrefix(e.Link[0].Href, "https://") || e.Content.Type != "html" {
			t.Errorf("entry %s: title %q links %v content type %q", e.ID, e.Title, e.Link, e.Content.Type)
		}
	}
	if !strings.HasPrefix(f.Entries[5].Title, "[Withdrawn] ") {
		t.Errorf("withdrawn entry title %q", f.Entries[5].Title)
	}
}

// TestContrast checks, in both colour schemes, that text on its
// backgrounds meets WCAG AA (4.5:1).
func TestContrast(t *testing.T) {
	css, err := fs.ReadFile(assetsFS(), "assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	src := string(css)
	dark := strings.Index(src, "@media (prefers-color-scheme: dark)")
	if dark < 0 {
		t.Fatal("style.css has no dark scheme")
	}
	pairs := [][2]string{
		{"text", "bg"}, {"text", "surface"}, {"muted", "bg"}, {"muted", "surface"},
		{"link", "bg"}, {"link", "surface"}, {"link-visited", "surface"}, {"text", "code-bg"},
		{"surface", "accent"}, {"ok-fg", "ok-bg"}, {"bad-fg", "bad-bg"}, {"bad-fg", "surface"},
		{"low-fg", "low-bg"}, {"medium-fg", "medium-bg"}, {"high-fg", "high-bg"},
		{"critical-fg", "critical-bg"}, {"unknown-fg", "unknown-bg"}, {"withdrawn-fg", "withdrawn-bg"},
	}
	for _, scheme := range []struct {
		name string
		vars map[string]string
	}{{"light", cssVars(src[:dark])}, {"dark", cssVars(src[dark:])}} {
		for _, p := range pairs {
			fg, bg := scheme.vars[p[0]], scheme.vars[p[1]]
			if fg == "" || bg == "" {
				t.Errorf("%s: --%s or --%s is not a #rrggbb colour", scheme.name, p[0], p[1])
				continue
			}
			if r := contrast(fg, bg); r < 4.5 {
				t.Errorf("%s: --%s %s on --%s %s: contrast %.2f, want at least 4.5", scheme.name, p[0], fg, p[1], bg, r)
			}
		}
	}
}

var cssVarRe = regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})\b`)

// cssVars reads the first block of custom properties in src.
func cssVars(src string) map[string]string {
	end := strings.Index(src, "}")
	if end < 0 {
		end = len(src)
	}
	vars := map[string]string{}
	for _, m := range cssVarRe.FindAllStringSubmatch(src[:end], -1) {
		vars[m[1]] = m[2]
	}
	return vars
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}
