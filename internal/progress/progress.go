// Package progress reports how far long steps have come, as whole lines
// when the output is a log rather than a terminal: CI logs show progress
// without carriage-return redraws and without a line per item.
package progress

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"sync"
)

// lines turns carriage-return updates into whole lines.
type lines struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	last map[string]int // the last percentage step written, per label
}

// Lines returns a writer for a log that is not a terminal: every update a
// terminal would redraw in place ("\rloading commit graph: 20000 commits")
// becomes a line of its own, and an update carrying a percentage
// ("Counting objects:  37% (37/100)\r") is kept only when it reaches the
// next multiple of 10% of its label. Text ending in a newline always
// passes. A partial update is held until its \r or \n arrives.
func Lines(w io.Writer) io.Writer {
	return &lines{w: w, last: map[string]int{}}
}

var percent = regexp.MustCompile(`^(.*?)\s*([0-9]{1,3})%`)

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexAny(l.buf, "\r\n")
		if i < 0 {
			return len(p), nil
		}
		seg, end := l.buf[:i], l.buf[i]
		rest := l.buf[i+1:]
		if end == '\r' && len(rest) > 0 && rest[0] == '\n' { // CRLF ends a line
			end, rest = '\n', rest[1:]
		}
		if len(bytes.TrimSpace(seg)) > 0 && l.keep(seg, end == '\n') {
			if _, err := fmt.Fprintf(l.w, "%s\n", bytes.TrimRight(seg, " \t")); err != nil {
				return 0, err
			}
		}
		l.buf = append(l.buf[:0:0], rest...)
	}
}

// keep decides whether an update is written.
func (l *lines) keep(seg []byte, final bool) bool {
	m := percent.FindSubmatch(seg)
	if m == nil || final {
		return true
	}
	label := string(bytes.TrimSpace(m[1]))
	n, _ := strconv.Atoi(string(m[2]))
	step := n / 10
	if last, seen := l.last[label]; seen && step <= last {
		return false
	}
	l.last[label] = step
	return true
}

// Counter writes "<what>: N% (done of total)" each time the count reaches
// the next 10% of total. It is safe for concurrent use; nil writes nothing.
type Counter struct {
	mu          sync.Mutex
	w           io.Writer
	what        string
	total, done int
	step        int
}

// NewCounter counts total items; it returns nil (silent) when w is nil.
func NewCounter(w io.Writer, what string, total int) *Counter {
	if w == nil || total <= 0 {
		return nil
	}
	return &Counter{w: w, what: what, total: total}
}

// Add counts n more items done.
func (c *Counter) Add(n int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done += n
	step := c.done * 10 / c.total
	if step > c.step {
		c.step = step
		fmt.Fprintf(c.w, "%s: %d%% (%d of %d)\n", c.what, step*10, c.done, c.total)
	}
}
