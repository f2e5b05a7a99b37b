// Package scaffold writes new advisory sources: a placeholder ID
// (PSF-0000-<slug>) and TODO markers that lint refuses until an author
// fills them, or everything a CVE JSON 5 record holds.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/cverecord"
	"github.com/psf/advisory-builder/internal/product"
)

// Header follows the schema comment of a scaffold that still holds a TODO
// marker; assign-ids removes it (StripHeader).
const Header = "# Written by `advisory new`: replace every TODO (or remove optional fields),\n# then run `advisory lint`. assign-ids gives the final ID on merge."

// CheckSlug refuses a slug that would not make a placeholder ID.
func CheckSlug(slug string) error {
	if slug != "" && !rule.IsSlug(slug) {
		return fmt.Errorf("slug %q must be lowercase letters and digits joined by single dashes, with at least one letter (an all-digit slug reads as an ID number), like tarfile-redos", slug)
	}
	return nil
}

// Options say what to scaffold.
type Options struct {
	Root    string // database root
	Product string // product name (python, pip)
	Record  string // optional CVE JSON 5 record file
	Slug    string // placeholder slug; default from the record's CVE ID
}

// Result is what New wrote.
type Result struct {
	Path     string
	Advisory *advisory.Advisory
	Warnings []string
}

// New writes advisories/<product>/PSF-0000-<slug>.yaml. It refuses to
// overwrite a file, to reuse an ID, and to import a CVE already in the
// database.
func New(opts Options) (*Result, error) {
	cfg, err := product.Load(opts.Root)
	if err != nil {
		return nil, err
	}
	p := cfg[opts.Product]
	if p == nil {
		return nil, fmt.Errorf("product %q is not configured in %s (have %s)", opts.Product, product.ConfigPath(opts.Root), strings.Join(cfg.Names(), ", "))
	}
	res, err := build(opts, p)
	if err != nil {
		return nil, err
	}
	if err := checkUnused(opts.Root, cfg, res.Advisory); err != nil {
		return nil, err
	}
	res.Path = filepath.Join(advisory.Dir(opts.Root, p.Name), res.Advisory.ID+".yaml")
	data, err := Render(res.Advisory)
	if err != nil {
		return nil, err
	}
	if err := loads(opts.Record, res, data, p.Name); err != nil {
		return nil, err
	}
	return res, write(res.Path, data)
}

func build(opts Options, p *product.Product) (*Result, error) {
	var rec *cverecord.Record
	if opts.Record != "" {
		var err error
		if rec, err = cverecord.ReadFile(opts.Record); err != nil {
			return nil, err
		}
	}
	slug := opts.Slug
	if slug == "" && rec != nil {
		slug = strings.ToLower(rec.CVEMetadata.CVEID)
	}
	if slug == "" {
		return nil, fmt.Errorf("--slug is required without --cve-record: a few lowercase words joined by dashes, like tarfile-redos")
	}
	if err := CheckSlug(slug); err != nil {
		return nil, err
	}
	id := "PSF-0000-" + slug
	if rec == nil {
		return &Result{Advisory: Blank(id, p)}, nil
	}
	im, err := cverecord.ToAdvisory(rec, id, p)
	if err != nil {
		return nil, err
	}
	return &Result{Advisory: im.Advisory, Warnings: im.Warnings}, nil
}

// Blank is a scaffold with a TODO in every field an author must write.
func Blank(id string, p *product.Product) *advisory.Advisory {
	repo := strings.TrimSuffix(p.Repo, "/")
	return &advisory.Advisory{
		ID:          id,
		Product:     p.Name,
		Aliases:     []string{"TODO: CVE-YYYY-NNNN (mail cna@python.org), GHSA-xxxx-xxxx-xxxx"},
		Published:   cverecord.TodoPublished,
		Title:       cverecord.TodoTitle,
		Severity:    cverecord.TodoSeverity,
		CVSS:        "TODO: a CVSS 4.0 vector (CVSS:4.0/AV:N/...) or remove this field",
		Components:  []string{"TODO: module.Class.method, or remove this field"},
		Description: cverecord.TodoDesc,
		Mitigations: "TODO: workarounds besides upgrading, or remove this field.",
		Introduced:  cverecord.TodoIntroduced,
		Branches:    []advisory.Branch{{Branch: "main", Fixed: "TODO: the 40-hex commit of the fix on main"}},
		Credits:     []advisory.Credit{{Name: "TODO: the reporter, as they want to be credited", Type: "REPORTER"}},
		References: []advisory.Reference{
			{Type: "REPORT", URL: repo + "/issues/TODO"},
			{Type: "FIX", URL: repo + "/pull/TODO"},
		},
	}
}

// Render is the source text of a scaffold: the loader's format (Marshal)
// with the scaffold header after the schema comment.
func Render(a *advisory.Advisory) ([]byte, error) {
	data, err := advisory.Marshal(a)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(string(data), "TODO") {
		return data, nil // nothing to replace: no instructions to remove later
	}
	first, rest, _ := strings.Cut(string(data), "\n")
	return []byte(first + "\n" + Header + "\n" + rest), nil
}

// StripHeader removes the scaffold's Header from a source's text, when it
// holds it, line for line; anything else is kept as it is.
func StripHeader(data []byte) []byte {
	h := Header + "\n"
	i := strings.Index(string(data), h)
	if i < 0 || (i > 0 && data[i-1] != '\n') {
		return data
	}
	return append(append([]byte(nil), data[:i]...), data[i+len(h):]...)
}

// checkUnused refuses an ID or CVE alias the database already uses.
func checkUnused(root string, cfg product.Config, a *advisory.Advisory) error {
	existing, _ := advisory.LoadAll(root, cfg)
	for _, e := range existing {
		if e.ID == a.ID {
			return fmt.Errorf("%s already uses the ID %s; choose another --slug", e.Path, a.ID)
		}
		for _, al := range e.Aliases {
			for _, mine := range a.Aliases {
				if al == mine {
					return fmt.Errorf("%s (%s) already covers %s; edit that advisory instead", e.Path, e.ID, al)
				}
			}
		}
	}
	return nil
}

func write(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; choose another --slug or edit that file", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loads checks that the scaffold reads back as a source, saying what in the
// CVE record made it too large or unreadable (nothing is written then).
func loads(record string, res *Result, data []byte, productName string) error {
	from := "the scaffold"
	if record != "" {
		from = "the advisory made from " + record
	}
	if len(data) > advisory.MaxFileSize {
		field, n := largestField(res.Advisory)
		return fmt.Errorf("%s would be %d bytes, over the %d-byte limit of a source; its largest field is %s (%d bytes): shorten it in the record or write the advisory by hand; nothing written",
			from, len(data), advisory.MaxFileSize, field, n)
	}
	if _, ds := advisory.Parse(res.Path, productName, data); ds.HasErrors() {
		return fmt.Errorf("%s does not load as a source (line %d of the scaffold: %s); nothing written", from, ds[0].Line, ds[0].Message)
	}
	return nil
}

// largestField names the field of a that takes the most bytes, with the
// record's field it comes from.
func largestField(a *advisory.Advisory) (string, int) {
	type size struct {
		name string
		n    int
	}
	refs, credits, cwes := 0, 0, 0
	for _, r := range a.References {
		refs += len(r.URL) + len(strings.Join(r.Tags, ""))
	}
	for _, c := range a.Credits {
		credits += len(c.Name) + len(strings.Join(c.Contact, ""))
	}
	for _, c := range a.CWENames {
		cwes += len(c.ID) + len(c.Name)
	}
	best := size{"title (the record's title)", len(a.Title)}
	for _, f := range []size{
		{"description (the record's descriptions)", len(a.Description)},
		{"mitigations (the record's workarounds)", len(a.Mitigations)},
		{"notes (what the format cannot hold)", len(a.Notes)},
		{"references (the record's references)", refs},
		{"credits (the record's credits)", credits},
		{"cwe_names (the record's problem types)", cwes},
	} {
		if f.n > best.n {
			best = f
		}
	}
	return best.name, best.n
}
