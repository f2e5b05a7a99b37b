package pipeline

import "github.com/psf/advisory-builder/internal/diag"

// readable shows a diagnostic the resolver printed as a workflow command
// (--format github) in the text format, for the job summary; other lines
// pass unchanged.
func readable(line string) string {
	d, ok := diag.ParseGitHub(line)
	switch {
	case !ok:
		return line
	case d.File == "":
		return string(d.Severity) + ": " + diag.Escape(d.Message)
	}
	return d.String()
}
