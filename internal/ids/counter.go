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

	"github.com/psf/advisory-builder/internal/advisory"
	"github.com/psf/advisory-builder/internal/advisory/rule"
	"github.com/psf/advisory-builder/internal/atomicfile"
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
	c := &Counter{Last: map[int]int{}, Trail: map[int]string{}}
	path := CounterPath(root)
	data, err := readCounterFile(path)
	if data == nil || err != nil {
		return c, err
	}
	for n, line := range strings.Split(string(data), "\n") {
		n++
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "<<<<<<<") || strings.HasPrefix(line, "=======") || strings.HasPrefix(line, ">>>>>>>") {
			return nil, fmt.Errorf("%s:%d: unresolved merge conflict: two branches assigned IDs independently; abort the merge, revert the assign-ids commit on one side, merge, then run assign-ids again", path, n)
		}
		if err := c.parseLine(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %v (want \"YEAR LAST ...\")", path, n, err)
		}
	}
	return c, nil
}

// readCounterFile reads the counter if it exists (nil data when it does
// not): a regular file within MaxCounterSize.
func readCounterFile(path string) ([]byte, error) {
	data, err := regularfile.Read(path, MaxCounterSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %v; the counter is a plain file of one line per year, written by assign-ids", path, err)
	}
	return data, nil
}

func (c *Counter) parseLine(line string) error {
	f := strings.Fields(line)
	if len(f) < 2 {
		return fmt.Errorf("%q has no number", line)
	}
	year, err := strconv.Atoi(f[0])
	if err != nil || year < 1000 || year > 9999 {
		return fmt.Errorf("%q is not a year", f[0])
	}
	last, err := strconv.Atoi(f[1])
	if err != nil || last < 0 {
		return fmt.Errorf("%q is not a count", f[1])
	}
	if last > rule.MaxIDNumber {
		return fmt.Errorf("%d is over %d, the largest ID number", last, rule.MaxIDNumber)
	}
	if _, dup := c.Last[year]; dup {
		return fmt.Errorf("year %d is listed twice", year)
	}
	c.Last[year], c.Trail[year] = last, strings.Join(f[2:], " ")
	return nil
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
