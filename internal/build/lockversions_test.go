package build

import (
	"bytes"
	"testing"
)

// TestIndexEntryClose: the search by closing brace finds what bytes.Index
// finds.
func TestIndexEntryClose(t *testing.T) {
	for _, s := range []string{
		"", "}", "\n    }", "x\n    }", "\n     }\n    }", "\n   }", "}}\n    }}", "\n      \"a\": {\n        }\n    },",
		"    }", "\n\n    }", "\n    \n    }",
	} {
		if got, want := indexEntryClose([]byte(s), entryClose), bytes.Index([]byte(s), entryClose); got != want {
			t.Errorf("indexEntryClose(%q) = %d, want %d", s, got, want)
		}
	}
}
