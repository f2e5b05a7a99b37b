// Package ids assigns final advisory IDs: it renames placeholder sources
// (PSF-0000-<slug>) to PSF-<year of published>-<next number>, keeping a
// committed counter file so that numbers are never reused and two runs on
// diverging git branches conflict in git instead of handing out one ID twice.
package ids

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/atomicfile"
	"github.com/psf/advisory-builder/internal/diag"
	"github.com/psf/advisory-builder/internal/regularfile"
)

// CounterPath is the counter file under the database root. It is a plain
// file beside products.yaml (a directory there would read as a product).
func CounterPath(root string) string {
	return filepath.Join(root, "advisories", advisory.CounterFile)
}

const counterHeader = `# The last advisory number handed out in each year, written by
# "advisory assign-ids"; never edit it by hand. Each line is
#   YEAR LAST  ID<-product/placeholder ...
# naming what the last run assigned. Two branches that both assign IDs
# change the same line differently, so merging them conflicts here instead
# of producing one ID twice. To resolve: abort the merge, revert the
# assign-ids commit on one side, merge, then run assign-ids again.
`

// Counter holds, per year, the last number handed out and what the last
// run assigned in that year.
type Counter struct {
	Last  map[int]int
	Trail map[int]string
}

// MaxCounterSize caps the counter file: one short line per year.
const MaxCounterSize = 1 << 20

// ReadCounter reads the counter file; a missing file is an empty counter.
// Lines may be of any length (a year's trail names every ID of the last
// run); the file as a whole is capped.
func ReadCounter(root string) (*Counter, error) {
	path := CounterPath(root)
	data, err := readCounterFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	c, p := parseCounter(data)
	if p != nil {
		return nil, fmt.Errorf("%s:%d:%d: %s", path, p.line, p.col, p.msg)
	}
	return c, nil
}

// CheckCounter is lint's check of the counter file: the problem that
// would stop assign-ids, at its line and column; none for a missing file.
func CheckCounter(root string) diag.List {
	path := CounterPath(root)
	data, err := readCounterFile(path)
	if err != nil {
		return diag.List{{File: path, Line: 1, Col: 1, Severity: diag.Error, Rule: "counter", Message: err.Error()}}
	}
	if _, p := parseCounter(data); p != nil {
		return diag.List{{File: path, Line: p.line, Col: p.col, Severity: diag.Error, Rule: "counter", Message: p.msg}}
	}
	return nil
}

// counterProblem is what is wrong with the counter file, and where.
type counterProblem struct {
	line, col int
	msg       string
}

const conflictFix = "unresolved merge conflict: two branches assigned IDs independently; abort the merge, revert the assign-ids commit on one side, merge, then run assign-ids again"

// parseCounter parses the counter file's text (nil: an empty counter).
func parseCounter(data []byte) (*Counter, *counterProblem) {
	c := &Counter{Last: map[int]int{}, Trail: map[int]string{}}
	for n, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "<<<<<<<") || strings.HasPrefix(line, "=======") || strings.HasPrefix(line, ">>>>>>>") {
			return nil, &counterProblem{n + 1, column(raw, line), conflictFix}
		}
		if off, msg := c.parseLine(line); msg != "" {
			col := column(raw, line) + utf8.RuneCountInString(line[:off])
			return nil, &counterProblem{n + 1, col, msg + ` (want "YEAR LAST ID<-product/placeholder ...", as assign-ids writes it)`}
		}
	}
	return c, nil
}

// column is the 1-based character column where line (raw trimmed) starts.
func column(raw, line string) int {
	return utf8.RuneCountInString(raw[:strings.Index(raw, line)]) + 1
}

// readCounterFile reads the counter if it exists (nil data when it does
// not): a regular file within MaxCounterSize.
func readCounterFile(path string) ([]byte, error) {
	data, err := regularfile.Read(path, MaxCounterSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%v; the counter is a plain file of one line per year, written by assign-ids", err)
	}
	return data, nil
}

// parseLine reads "YEAR LAST TRAIL..."; on a problem it returns the byte
// offset in line of the field at fault and what is wrong.
func (c *Counter) parseLine(line string) (int, string) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, fmt.Sprintf("%s has no number", quoteShort(line))
	}
	countAt := strings.Index(line[len(f[0]):], f[1]) + len(f[0])
	year, err := strconv.Atoi(f[0])
	if err != nil || year < 1000 || year > 9999 {
		return 0, fmt.Sprintf("%s is not a year", quoteShort(f[0]))
	}
	last, err := strconv.Atoi(f[1])
	if err != nil || last < 0 {
		return countAt, fmt.Sprintf("%s is not a count", quoteShort(f[1]))
	}
	if last > rule.MaxIDNumber {
		return countAt, fmt.Sprintf("%d is over %d, the largest ID number", last, rule.MaxIDNumber)
	}
	if _, dup := c.Last[year]; dup {
		return 0, fmt.Sprintf("year %d is listed twice", year)
	}
	at := countAt + len(f[1])
	for _, item := range f[2:] {
		at += strings.Index(line[at:], item)
		if msg := trailProblem(item, year, last); msg != "" {
			return at, msg
		}
		at += len(item)
	}
	c.Last[year], c.Trail[year] = last, strings.Join(f[2:], " ")
	return 0, ""
}

// trailProblem says why item is not an entry of year's trail as
// assign-ids writes it, "PSF-YEAR-N<-product/PSF-0000-slug" with N from 1
// to last, or "".
func trailProblem(item string, year, last int) string {
	id, from, ok := strings.Cut(item, "<-")
	prod, placeholder, ok2 := strings.Cut(from, "/")
	y, n, isID := rule.ParseID(id)
	switch {
	case !ok || !ok2:
		return fmt.Sprintf("%s is not an assignment ID<-product/placeholder", quoteShort(item))
	case !isID || y != year:
		return fmt.Sprintf("%s is not an ID of %d", quoteShort(id), year)
	case n > last:
		return fmt.Sprintf("%s is above the year's last number %d", id, last)
	case !rule.IsSlug(prod):
		return fmt.Sprintf("%s is not a product name", quoteShort(prod))
	case !rule.IsPlaceholder(placeholder):
		return fmt.Sprintf("%s is not a placeholder ID (PSF-0000-<slug>)", quoteShort(placeholder))
	}
	return ""
}

// quoteMax bounds how much of a bad value an error quotes.
const quoteMax = 40

// quoteShort quotes s, or only its first quoteMax characters and its
// length when it is longer: a 100 KB line makes a one-line error.
func quoteShort(s string) string {
	n := 0
	for i := range s {
		if n == quoteMax {
			return fmt.Sprintf("%q... (%d bytes in all)", s[:i], len(s))
		}
		n++
	}
	return strconv.Quote(s)
}

// Marshal renders the counter: the header, then one line per year, oldest
// first.
func (c *Counter) Marshal() []byte {
	years := make([]int, 0, len(c.Last))
	for y := range c.Last {
		years = append(years, y)
	}
	sort.Ints(years)
	var b strings.Builder
	b.WriteString(counterHeader)
	for _, y := range years {
		fmt.Fprintf(&b, "%d %d", y, c.Last[y])
		if t := c.Trail[y]; t != "" {
			b.WriteString(" " + t)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// write stores the counter atomically.
func (c *Counter) write(root string) error {
	return atomicfile.Write(CounterPath(root), c.Marshal())
}
