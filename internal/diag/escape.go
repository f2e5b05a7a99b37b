package diag

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Escape makes text safe to print on a terminal or in a CI log: every
// character that is not printable (newlines, carriage returns, tabs, escape
// sequences, other C0 and C1 controls, bidirectional and zero-width
// format characters, line separators) and every invalid UTF-8 byte is
// written as a Go-style escape (\n, \x1b, \u202e). A file name or URL from
// an input can then neither start a new line (a forged diagnostic or a CI
// workflow command) nor move the cursor, recolour or reorder the text. The
// result holds printable characters and spaces only, so escaping it again
// changes nothing.
func Escape(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

func printable(s string) bool {
	for _, r := range s {
		if r != ' ' && (r == utf8.RuneError || !unicode.IsPrint(r)) {
			return false
		}
	}
	return true
}

// LineWriter passes text from an outside party (a git remote's sideband
// messages) to w line by line: every line starts with prefix ("remote: ")
// and holds Escape's printable text, so the party can neither forge a line
// of this program's own nor send terminal sequences. A line ends at "\n"
// or at "\r" (a progress update a terminal redraws in place), and keeps
// that end; blank lines are dropped and a partial line waits for its end
// or for Close.
type LineWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	held   []byte
}

// NewLineWriter returns a LineWriter writing to w.
func NewLineWriter(w io.Writer, prefix string) *LineWriter {
	return &LineWriter{w: w, prefix: prefix}
}

func (l *LineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held = append(l.held, p...)
	start := 0
	for i, c := range l.held {
		if c != '\n' && c != '\r' {
			continue
		}
		if err := l.line(l.held[start:i], c); err != nil {
			return 0, err
		}
		start = i + 1
	}
	l.held = append(l.held[:0], l.held[start:]...)
	return len(p), nil
}

// Close writes a partial line held back, ended by a newline.
func (l *LineWriter) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	held := l.held
	l.held = nil
	return l.line(held, '\n')
}

func (l *LineWriter) line(text []byte, end byte) error {
	if len(bytes.TrimSpace(text)) == 0 {
		return nil
	}
	_, err := io.WriteString(l.w, l.prefix+Escape(string(text))+string(end))
	return err
}
