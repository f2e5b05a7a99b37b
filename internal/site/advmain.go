package site

import (
	"bytes"
	"strconv"
)

// writeAdvisoryMain writes the advisory page's "main" (site/templates/
// advisory.html) for v, in Go: executing the template's actions was the
// largest cost of a page, a reflective call or more per field. Every value
// is escaped as html/template escapes it in the same place: escapeText in
// element text and quoted attributes, escapeURLAttr at the start of an
// href, escapeText(normalizeURL(...)) after a fixed prefix inside one;
// template.HTML values are written as they are. The bytes are the
// template's: TestFramedPagesIdentical compares the two on every fixture,
// hostile and generated advisory, and FuzzAdvisoryMainAsTemplate on any
// values.
func writeAdvisoryMain(b *bytes.Buffer, v *advView) {
	b.WriteString("\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"../index.html\">All advisories</a> <span aria-hidden=\"true\">/</span> <span aria-current=\"page\">")
	b.WriteString(escapeText(v.ID))
	b.WriteString("</span></nav>\n<article class=\"advisory\">\n<header class=\"adv-header\">\n")
	writeAdvisoryMeta(b, v)
	writeAdvisoryFacts(b, v)
	b.WriteString("</dl>\n</header>\n\n<section aria-labelledby=\"desc-h\">\n<h2 id=\"desc-h\">Description</h2>\n<div class=\"prose\">")
	b.WriteString(string(v.Description))
	b.WriteString("</div>\n</section>\n")
	if len(v.Components) > 0 {
		b.WriteString("\n<section aria-labelledby=\"comp-h\">\n<h2 id=\"comp-h\">Affected components</h2>\n<ul class=\"component-list\">\n")
		for _, c := range v.Components {
			b.WriteString("<li><code>")
			b.WriteString(escapeText(c))
			b.WriteString("</code></li>\n")
		}
		b.WriteString("</ul>\n</section>\n")
	}
	writeAffected(b, v)
	writeFixes(b, v)
	if v.Mitigations != "" {
		b.WriteString("\n<section aria-labelledby=\"mit-h\">\n<h2 id=\"mit-h\">Mitigations</h2>\n<div class=\"prose\">")
		b.WriteString(string(v.Mitigations))
		b.WriteString("</div>\n</section>\n")
	}
	if len(v.References) > 0 {
		b.WriteString("\n<section aria-labelledby=\"ref-h\">\n<h2 id=\"ref-h\">References</h2>\n<ul class=\"refs\">\n")
		b.WriteString(string(v.ReferenceItems))
		b.WriteString("</ul>\n</section>\n")
	}
	if len(v.Credits) > 0 {
		b.WriteString("\n<section aria-labelledby=\"cred-h\">\n<h2 id=\"cred-h\">Credits</h2>\n<ul class=\"credits\">\n")
		for _, c := range v.Credits {
			b.WriteString("<li>")
			b.WriteString(escapeText(c.Name))
			if c.Type != "" {
				b.WriteString(" <span class=\"muted\">(")
				b.WriteString(escapeText(c.Type))
				b.WriteString(")</span>")
			}
			b.WriteString("</li>\n")
		}
		b.WriteString("</ul>\n</section>\n")
	}
	b.WriteString("\n<section aria-labelledby=\"rec-h\">\n<h2 id=\"rec-h\">Record</h2>\n<ul class=\"record-links\">\n<li><a href=\"../")
	b.WriteString(escapeText(normalizeURL(v.JSONHref)))
	b.WriteString("\">OSV JSON</a></li>\n<li><a href=\"")
	b.WriteString(escapeURLAttr(v.OSVURL))
	b.WriteString("\" rel=\"noopener noreferrer\">")
	b.WriteString(escapeText(v.ID))
	b.WriteString(" on osv.dev</a></li>\n</ul>\n</section>\n</article>\n")
}

// writeAdvisoryMeta writes the header's badges, title and withdrawal notice.
func writeAdvisoryMeta(b *bytes.Buffer, v *advView) {
	b.WriteString("<div class=\"adv-meta\"><span class=\"badge sev-")
	b.WriteString(escapeText(v.Severity))
	b.WriteString("\">")
	b.WriteString(escapeText(v.SeverityLabel))
	b.WriteString("</span>")
	if v.Withdrawn != "" {
		b.WriteString(" <span class=\"badge badge-withdrawn\">Withdrawn</span>")
	}
	b.WriteString(" <span class=\"adv-id\">")
	b.WriteString(escapeText(v.ID))
	b.WriteString("</span>")
	for _, c := range v.CVEs {
		b.WriteString(" <span class=\"cve\">")
		b.WriteString(escapeText(c))
		b.WriteString("</span>")
	}
	b.WriteString(" <span class=\"product\">")
	b.WriteString(escapeText(v.ProductTitle))
	b.WriteString("</span></div>\n<h1>")
	b.WriteString(escapeText(v.Title))
	b.WriteString("</h1>\n")
	if v.Withdrawn != "" {
		b.WriteString("<p class=\"notice\" role=\"note\">This advisory was withdrawn on <time datetime=\"")
		b.WriteString(escapeText(v.Withdrawn))
		b.WriteString("\">")
		b.WriteString(escapeText(v.WithdrawnDate))
		b.WriteString("</time>. It is kept so that links and scanners see the withdrawal.</p>\n")
	}
}

// writeAdvisoryFacts writes the header's list of facts, up to its end tag.
func writeAdvisoryFacts(b *bytes.Buffer, v *advView) {
	b.WriteString("<dl class=\"facts\">\n<div><dt>Severity</dt><dd>")
	if v.Severity == "unknown" {
		b.WriteString("Not rated yet")
	} else {
		b.WriteString(escapeText(v.SeverityLabel))
		b.WriteString(" <span class=\"muted\">(PSRT scale)</span>")
	}
	b.WriteString("</dd></div>\n")
	for _, c := range v.CVSS {
		b.WriteString("<div><dt>CVSS")
		if c.Version != "" {
			b.WriteString(" ")
			b.WriteString(escapeText(c.Version))
		}
		b.WriteString("</dt><dd>")
		if c.Score != "" {
			b.WriteString("<strong>")
			b.WriteString(escapeText(c.Score))
			b.WriteString("</strong> ")
			b.WriteString(escapeText(c.Rating))
		} else {
			b.WriteString("<span class=\"muted\">invalid vector</span>")
		}
		b.WriteString("<br><code class=\"vector\">")
		b.WriteString(escapeText(c.Vector))
		b.WriteString("</code></dd></div>\n")
	}
	if v.Platforms != "" {
		b.WriteString("<div><dt>Platforms</dt><dd>")
		b.WriteString(escapeText(v.Platforms))
		b.WriteString("</dd></div>\n")
	}
	b.WriteString("<div><dt>Published</dt><dd><time datetime=\"")
	b.WriteString(escapeText(v.Published))
	b.WriteString("\">")
	b.WriteString(escapeText(v.PublishedDate))
	b.WriteString("</time></dd></div>\n<div><dt>Modified</dt><dd><time datetime=\"")
	b.WriteString(escapeText(v.Modified))
	b.WriteString("\">")
	b.WriteString(escapeText(v.ModifiedDate))
	b.WriteString("</time></dd></div>\n")
	if len(v.Aliases) > 0 {
		b.WriteString("<div><dt>Aliases</dt><dd>")
		for i, a := range v.Aliases {
			if i > 0 {
				b.WriteString(", ")
			}
			writeLink(b, a.ID, a.URL)
		}
		b.WriteString("</dd></div>\n")
	}
	if len(v.CWEs) > 0 {
		b.WriteString("<div><dt>Weakness</dt><dd>")
		for i, c := range v.CWEs {
			if i > 0 {
				b.WriteString("<br>")
			}
			writeLink(b, c.ID, c.URL)
			if c.Name != "" {
				b.WriteString(" ")
				b.WriteString(escapeText(c.Name))
			}
		}
		b.WriteString("</dd></div>\n")
	}
}

// writeLink writes label as a link to url, or as text when url is empty
// (the template's {{if .URL}}<a href=...>{{.Label}}</a>{{else}}{{.Label}}{{end}}).
func writeLink(b *bytes.Buffer, label, url string) {
	if url == "" {
		b.WriteString(escapeText(label))
		return
	}
	b.WriteString("<a href=\"")
	b.WriteString(escapeURLAttr(url))
	b.WriteString("\" rel=\"noopener noreferrer\">")
	b.WriteString(escapeText(label))
	b.WriteString("</a>")
}

// writeAffected writes the "Affected versions" section.
func writeAffected(b *bytes.Buffer, v *advView) {
	b.WriteString("\n<section aria-labelledby=\"aff-h\">\n<h2 id=\"aff-h\">Affected versions</h2>\n")
	if !v.Known {
		b.WriteString("<p class=\"source source-unknown\">Unknown: this advisory has neither a computed resolution nor stated affected releases yet, so no version can be said to be safe from it.</p>\n</section>\n")
		return
	}
	computed := v.Source == "computed"
	b.WriteString("<p class=\"source source-")
	b.WriteString(escapeText(v.Source))
	b.WriteString("\">")
	if computed {
		b.WriteString("Computed from the ")
		b.WriteString(escapeText(v.ProductTitle))
		b.WriteString(" git history: the releases that contain the vulnerable code and not its fix.")
	} else {
		b.WriteString("As stated in the advisory (its authored release facts); not yet checked against the ")
		b.WriteString(escapeText(v.ProductTitle))
		b.WriteString(" git history.")
	}
	b.WriteString("</p>\n")
	if len(v.Branches) > 0 {
		b.WriteString("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"aff-caption\">\n<table class=\"branches\">\n<caption id=\"aff-caption\">Per branch, ")
		if computed {
			b.WriteString("computed from the ")
			b.WriteString(escapeText(v.ProductTitle))
			b.WriteString(" release tags")
		} else {
			b.WriteString("as stated in the advisory")
		}
		b.WriteString("</caption>\n<colgroup><col class=\"col-branch\"><col class=\"col-first\"><col class=\"col-last\"><col class=\"col-fixed\"><col class=\"col-commit\"></colgroup>\n<thead><tr><th scope=\"col\">Branch</th><th scope=\"col\">First affected</th><th scope=\"col\">Last affected</th><th scope=\"col\">Fixed in</th><th scope=\"col\">Fix commit</th></tr></thead>\n<tbody>\n")
		b.WriteString(string(v.BranchRows))
		b.WriteString("</tbody>\n</table>\n</div>\n")
	} else {
		b.WriteString("<p>No release branch is affected.</p>\n")
	}
	writeEndOfLife(b, v)
	if len(v.Versions) > 0 {
		b.WriteString("<details class=\"versions\">\n<summary>All ")
		b.WriteString(strconv.Itoa(len(v.Versions)))
		b.WriteString(" affected ")
		b.WriteString(plural(len(v.Versions), "release", "releases"))
		b.WriteString("</summary>\n<ul class=\"version-list\">\n")
		b.WriteString(string(v.VersionItems))
		b.WriteString("</ul>\n</details>\n")
	}
	b.WriteString("</section>\n")
}

// writeEndOfLife writes the note on end-of-life branches, when there are.
func writeEndOfLife(b *bytes.Buffer, v *advView) {
	n := len(v.EndOfLife)
	if n == 0 {
		return
	}
	b.WriteString("<p class=\"eol\">")
	b.WriteString(plural(n, "Branch ", "Branches "))
	for i, br := range v.EndOfLife {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(escapeText(br))
	}
	b.WriteString(" ")
	b.WriteString(plural(n, "is", "are"))
	b.WriteString(" end-of-life: no fix will come to ")
	b.WriteString(plural(n, "it", "them"))
	b.WriteString(". ")
	if v.UpgradeTo != "" {
		b.WriteString("The nearest release of a maintained branch that fixes this is ")
		b.WriteString(escapeText(v.UpgradeTo))
		b.WriteString(".")
	} else {
		b.WriteString("No maintained branch has a fixed release yet.")
	}
	b.WriteString("</p>\n")
}

// writeFixes writes the "Fixes" section, when there are fixes or pull
// requests.
func writeFixes(b *bytes.Buffer, v *advView) {
	if len(v.Fixes) == 0 && len(v.PullRequests) == 0 {
		return
	}
	b.WriteString("\n<section aria-labelledby=\"fix-h\">\n<h2 id=\"fix-h\">Fixes</h2>\n")
	if len(v.Fixes) > 0 {
		b.WriteString("<ul class=\"fix-list\">\n")
		for _, f := range v.Fixes {
			b.WriteString("<li>")
			if f.URL != "" {
				b.WriteString("<a href=\"")
				b.WriteString(escapeURLAttr(f.URL))
				b.WriteString("\" rel=\"noopener noreferrer\"><code>")
				b.WriteString(escapeText(f.Short))
				b.WriteString("</code></a>")
			} else {
				b.WriteString("<code>")
				b.WriteString(escapeText(f.Short))
				b.WriteString("</code>")
			}
			if f.Branch != "" {
				b.WriteString(" on ")
				b.WriteString(escapeText(f.Branch))
			}
			if f.PR.Label != "" {
				b.WriteString(", pull request ")
				writeLink(b, f.PR.Label, f.PR.URL)
			}
			b.WriteString("</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	if len(v.PullRequests) > 0 {
		b.WriteString("<p>Pull ")
		b.WriteString(plural(len(v.PullRequests), "request", "requests"))
		b.WriteString(": ")
		for i, p := range v.PullRequests {
			if i > 0 {
				b.WriteString(", ")
			}
			writeLink(b, p.Label, p.URL)
		}
		b.WriteString("</p>\n")
	}
	b.WriteString("</section>\n")
}

// plural is one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
