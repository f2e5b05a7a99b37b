package check

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/plaintext"
	"github.com/psf/advisory-builder/internal/verdict"
)

// WriteJSON writes a check's answer as one JSON document: product, version,
// outcome, the affecting advisories and those that could not be judged.
func WriteJSON(w io.Writer, q Query, r Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Product  string          `json:"product"`
		Version  string          `json:"version"`
		Outcome  verdict.Outcome `json:"outcome"`
		Affected []Finding       `json:"affected"`
		Unknown  []Unknown       `json:"unknown"`
		Reason   string          `json:"reason,omitempty"`
		// EndOfLife names the version's branch when no fix will come to it.
		EndOfLife string `json:"end_of_life,omitempty"`
		Platform  string `json:"platform,omitempty"`
		// OtherPlatforms counts the advisories --platform left out.
		OtherPlatforms int `json:"other_platforms,omitempty"`
	}{q.Product, q.Version, r.Outcome(), r.Affected, r.Unknown, r.Reason, r.EndOfLife, q.Platform, r.OtherPlatforms})
}

// WriteText writes a check's answer for people: the affecting advisories,
// or that none of the judged ones affects the version and which source
// answered, then those that could not be judged. title names the product.
// Every value comes from an input (a record of a built directory may hold
// anything) and is written escaped (diag.Escape), so none can start a line
// or send a terminal sequence. The answer goes out in a few large writes,
// not one per table cell (text/tabwriter writes each cell and its padding
// separately: 80,000 writes for 6,668 lines), and an error writing any of
// it is returned.
func WriteText(w io.Writer, title string, q Query, r Result) error {
	bw := bufio.NewWriter(w)
	if err := writeText(bw, title, q, r); err != nil {
		return err
	}
	return bw.Flush()
}

func writeText(w io.Writer, title string, q Query, r Result) error {
	title, q.Version = diag.Escape(title), diag.Escape(q.Version)
	if r.EndOfLife != "" {
		fmt.Fprintf(w, "%s %s is end-of-life: no fix will come to it; each advisory below names the nearest release of a maintained branch that fixes it, where one does\n", title, r.EndOfLife)
	}
	if r.OtherPlatforms > 0 {
		fmt.Fprintf(w, "left out %s limited to platforms other than %s\n", plaintext.Count(r.OtherPlatforms, "advisory", "advisories"), advisory.PlatformLabel(q.Platform))
	}
	switch {
	case len(r.Affected) > 0:
		fmt.Fprintf(w, "%s %s is affected by %d advisor%s:\n", title, q.Version, len(r.Affected), map[bool]string{true: "y", false: "ies"}[len(r.Affected) == 1])
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range r.Affected {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s(%s)\n", escaped(f.ID, strings.Join(f.Aliases, ","), orDash(f.Severity), fixText(f, r.EndOfLife), f.Title, platformText(f.Platforms), sourceWords(verdict.Source(f.Source)))...)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	case len(r.Unknown) > 0 && judged(r) == 0:
		fmt.Fprintf(w, "%s %s: cannot tell; no advisory could be judged (none has version data for it)\n", title, q.Version)
	case len(r.Unknown) > 0:
		fmt.Fprintf(w, "%s %s: cannot tell; none of the %d judged advisories affects it, but some have no version data for it\n", title, q.Version, judged(r))
	default:
		fmt.Fprintf(w, "%s %s: no known advisory affects this version (%s)\n", title, q.Version, sources(r))
	}
	return writeUnknown(w, r.Unknown)
}

// fixText says which release fixes a finding: its branch's, else, on an
// end-of-life branch, that none will come and the nearest maintained one.
func fixText(f Finding, eol string) string {
	switch {
	case f.FixedIn != "":
		return "fixed in " + f.FixedIn
	case eol != "" && f.UpgradeTo != "":
		return "no fix for " + eol + " (end-of-life); fixed in " + f.UpgradeTo
	case eol != "":
		return "no fix for " + eol + " (end-of-life)"
	}
	return "no fixed release"
}

// platformText is "[Windows only] " for an advisory limited to platforms.
func platformText(ps []string) string {
	if n := advisory.PlatformsNote(ps); n != "" {
		return "[" + n + "] "
	}
	return ""
}

func writeUnknown(w io.Writer, us []Unknown) error {
	if len(us) == 0 {
		return nil
	}
	fmt.Fprintf(w, "%d advisor%s could not be judged (no resolution, and no release facts that speak for this version):\n", len(us), map[bool]string{true: "y", false: "ies"}[len(us) == 1])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, u := range us {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", escaped(u.ID, orDash(strings.Join(u.Aliases, ",")), u.Title)...)
	}
	return tw.Flush()
}

func judged(r Result) int { return r.Judged[verdict.Computed] + r.Judged[verdict.Authored] }

// sources says how many advisories each source answered for.
func sources(r Result) string {
	var parts []string
	for _, s := range []verdict.Source{verdict.Computed, verdict.Authored} {
		if n := r.Judged[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sourceWords(s)))
		}
	}
	if len(parts) == 0 {
		return "the product has no advisories"
	}
	return "judged: " + strings.Join(parts, ", ")
}

// escaped is the values, each escaped, as arguments for Fprintf.
func escaped(values ...string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = diag.Escape(v)
	}
	return out
}

// sourceWords says where version data comes from in the words the site
// uses, not as the record's versions_source keyword.
func sourceWords(s verdict.Source) string {
	switch s {
	case verdict.Computed:
		return "computed from the release tags"
	case verdict.Authored:
		return "as stated in the advisory"
	}
	return string(s)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
