package publish

import (
	"io"
	"strings"
	"sync"
)

// scrubWriter removes the token from everything written through it, even
// when a writer (a server hook relayed by the sideband) sends it in pieces:
// it holds back the longest tail that could begin a form of the token and
// writes it only once the next bytes show it is not one, or on Close.
type scrubWriter struct {
	s    secret
	w    io.Writer
	mu   sync.Mutex
	held string
}

func newScrubWriter(s secret, w io.Writer) *scrubWriter {
	return &scrubWriter{s: s, w: w}
}

func (w *scrubWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	text := w.s.scrub(w.held + string(p))
	keep := w.partial(text)
	w.held = text[len(text)-keep:]
	if _, err := io.WriteString(w.w, text[:len(text)-keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close writes what is held back: at the end nothing more can complete it.
func (w *scrubWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	held := w.held
	w.held = ""
	_, err := io.WriteString(w.w, held)
	return err
}

// partial is the length of the longest tail of text that is a proper
// prefix of a form of the token.
func (w *scrubWriter) partial(text string) int {
	best := 0
	for _, f := range w.s.forms() {
		for n := min(len(f)-1, len(text)); n > best; n-- {
			if strings.HasSuffix(text, f[:n]) {
				best = n
				break
			}
		}
	}
	return best
}
