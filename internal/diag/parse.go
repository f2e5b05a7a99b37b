package diag

import (
	"regexp"
	"strconv"
	"strings"
)

// ghCommand is a line of the github format.
var ghCommand = regexp.MustCompile(`^::(error|warning) (?:file=([^,]*),line=([0-9]+),col=([0-9]+),)?title=advisory lint%3A ([^:]*)::(.*)$`)

var (
	ghDataUnescaper     = strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%")
	ghPropertyUnescaper = strings.NewReplacer("%2C", ",", "%3A", ":", "%0D", "\r", "%0A", "\n", "%25", "%")
)

// ParseGitHub reads back a line the github format wrote (for example to
// show it as text in a job summary). Escape sequences Escape added stay.
func ParseGitHub(line string) (Diagnostic, bool) {
	m := ghCommand.FindStringSubmatch(line)
	if m == nil {
		return Diagnostic{}, false
	}
	d := Diagnostic{Severity: Severity(m[1]), File: ghPropertyUnescaper.Replace(m[2]),
		Rule: ghPropertyUnescaper.Replace(m[5]), Message: ghDataUnescaper.Replace(m[6])}
	d.Line, _ = strconv.Atoi(m[3])
	d.Col, _ = strconv.Atoi(m[4])
	return d, true
}
