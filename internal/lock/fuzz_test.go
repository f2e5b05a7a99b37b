package lock

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecodePosition: any lock text decodes or is refused at a line and
// column inside the text; nothing panics.
func FuzzDecodePosition(f *testing.F) {
	f.Add([]byte(`{"product": "pip", "advisories": {"PSF-2024-1": {"versions": ["23.1"]}}}`))
	f.Add([]byte("{\n  \"advisories\": []\n}"))
	f.Add([]byte(`{"product": "pip",,}`))
	f.Add([]byte(`{"advisories": {"PSF-2024-1": {`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := decode(bytes.NewReader(b))
		var oe *offsetError
		if err == nil || !errors.As(err, &oe) {
			return
		}
		line, col := position(b, oe)
		lines := bytes.Split(b, []byte("\n"))
		if line < 1 || line > len(lines) || col < 1 || col > len([]rune(string(lines[line-1])))+1 {
			t.Fatalf("problem at %d:%d outside the text", line, col)
		}
	})
}
