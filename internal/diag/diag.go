// Package diag holds diagnostics: what is wrong with an input, where
// (file:line:col) and how to fix it, and their output formats.
package diag

import (
	"fmt"
	"sort"
)

// Severity of a diagnostic.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Diagnostic is one finding about one place in one file.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Severity Severity `json:"severity"`
	// Rule names the check ("yaml", "id", "url", ...).
	Rule string `json:"rule"`
	// Message says what is wrong and how to fix it.
	Message string `json:"message"`
}

// String is the text form, file:line:col: severity: message, on one line:
// the file name and message are escaped (see Escape), since both may carry
// an input's bytes.
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", Escape(d.File), d.Line, d.Col, d.Severity, Escape(d.Message))
}

// Error makes a Diagnostic usable as an error.
func (d Diagnostic) Error() string { return d.String() }

// List is a set of diagnostics.
type List []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders diagnostics by file, line, column, then message.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Message < b.Message
	})
}

// Err returns the errors of the list (warnings left out) as an error, or
// nil when there are none.
func (l List) Err() error {
	var errs ListError
	for _, d := range l {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// ListError is a non-empty list of diagnostics used as an error.
type ListError List

func (e ListError) Error() string {
	if len(e) == 1 {
		return e[0].String()
	}
	return fmt.Sprintf("%s (and %d more)", e[0].String(), len(e)-1)
}
