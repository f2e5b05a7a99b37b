package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats are the output formats of Write.
var Formats = []string{"text", "github", "json"}

// Write prints the diagnostics in the given format: "text"
// (file:line:col: severity: message), "github" (workflow command
// annotations) or "json" (an array of objects).
func Write(w io.Writer, format string, l List) error {
	switch format {
	case "text":
		for _, d := range l {
			if _, err := fmt.Fprintln(w, d.String()); err != nil {
				return err
			}
		}
		return nil
	case "github":
		for _, d := range l {
			if _, err := fmt.Fprintln(w, github(d)); err != nil {
				return err
			}
		}
		return nil
	case "json":
		if l == nil {
			l = List{}
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(l)
	}
	return fmt.Errorf("unknown format %q (use %s)", format, strings.Join(Formats, ", "))
}

// github renders a diagnostic as a GitHub Actions workflow command, escaped
// as the runner unescapes it: %, CR and LF in the message; those and : and
// , in properties. Other control characters are escaped by Escape, so
// nothing in an input can end the command early or start another one.
func github(d Diagnostic) string {
	if d.File == "" {
		return fmt.Sprintf("::%s title=%s::%s", d.Severity, ghProperty("advisory lint: "+d.Rule), ghData(d.Message))
	}
	return fmt.Sprintf("::%s file=%s,line=%d,col=%d,title=%s::%s",
		d.Severity, ghProperty(d.File), d.Line, d.Col, ghProperty("advisory lint: "+d.Rule), ghData(d.Message))
}

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func ghData(s string) string { return Escape(ghDataEscaper.Replace(s)) }

func ghProperty(s string) string { return Escape(ghPropertyEscaper.Replace(s)) }
