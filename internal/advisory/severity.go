package advisory

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/psf/advisory-builder/internal/advisory/rule"
)

// severitySentence is the PSRT's sentence "There is a HIGH severity
// vulnerability affecting CPython." Group 1 is the severity, group 2 (when
// the sentence goes on to say it) what is affected.
var severitySentence = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?is)\bthere is an? (low|medium|high|critical) severity vulnerability(?:\s+affecting\s+(.*?)\.(?:\s+|$))?`)
})

// SeveritySentence is "There is a HIGH severity vulnerability affecting
// CPython."
func SeveritySentence(severity, product string) string {
	return fmt.Sprintf("There is a %s severity vulnerability affecting %s.", strings.ToUpper(severity), product)
}

// SeverityIn finds the PSRT severity stated anywhere in a text (a
// published record's details), lowercase, or "".
func SeverityIn(text string) string {
	if m := severitySentence().FindStringSubmatch(text); m != nil {
		return strings.ToLower(m[1])
	}
	return ""
}

// openingSeverity locates the severity sentence when it opens the text
// and names what it affects: the match's start and end, and the start and
// end of what is affected; nil when the text does not open with it.
func openingSeverity(text string) []int {
	m := severitySentence().FindStringSubmatchIndex(text)
	if m == nil || m[4] < 0 || strings.TrimSpace(text[:m[0]]) != "" {
		return nil
	}
	return m
}

// SeverityOf finds the PSRT severity the text opens with, lowercase, or
// "".
func SeverityOf(text string) string {
	if m := openingSeverity(text); m != nil {
		return strings.ToLower(text[m[2]:m[3]])
	}
	return ""
}

// StripSeverity removes the opening severity sentence when it says no more
// than the severity and the product ("... affecting CPython."): the e-mail
// and the records state the severity on their own. A sentence naming a
// module is kept.
func StripSeverity(text string) string {
	m := openingSeverity(text)
	if m == nil {
		return text
	}
	what := strings.TrimSpace(text[m[4]:m[5]])
	if !strings.EqualFold(what, "CPython") && !strings.EqualFold(what, "pip") {
		return text
	}
	return text[m[1]:]
}

// CVE is the advisory's CVE alias.
func (a *Advisory) CVE() (string, error) {
	for _, al := range a.Aliases {
		if rule.IsCVE(al) {
			return al, nil
		}
	}
	return "", fmt.Errorf("%s: %s has no CVE alias; reserve one (mail cna@python.org) and add it to aliases", a.Path, a.ID)
}
