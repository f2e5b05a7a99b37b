package build

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"testing"
	"testing/iotest"

	"github.com/psf/advisory-builder/internal/lock"
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

// streamed is what streamEntries handed over: entries in order.
type streamedEntry struct{ id, raw string }

func streamAll(t *testing.T, r io.Reader) ([]streamedEntry, bool) {
	t.Helper()
	var got []streamedEntry
	ok, err := streamEntries(r, func(id string, raw []byte) {
		got = append(got, streamedEntry{id, string(raw)})
	})
	if err != nil {
		t.Fatalf("reading from memory: %v", err)
	}
	return got, ok
}

// checkStreamAgrees: streamEntries takes a lock only when splitEntries
// does, hands over the entries splitEntries cuts, in increasing ID order,
// and reads the same however the bytes arrive.
func checkStreamAgrees(t *testing.T, data []byte) (streamed bool) {
	got, ok := streamAll(t, bytes.NewReader(data))
	slow, slowOK := streamAll(t, iotest.OneByteReader(bytes.NewReader(data)))
	if ok != slowOK || !slices.Equal(got, slow) {
		t.Fatalf("a byte at a time: %v, %d entries; at once: %v, %d entries", slowOK, len(slow), ok, len(got))
	}
	if !ok {
		return false
	}
	split, splitOK := splitEntries(data)
	if !splitOK || len(split) != len(got) {
		t.Fatalf("streamed %d entries of a lock splitEntries cuts into %d (%v)", len(got), len(split), splitOK)
	}
	for i, e := range got {
		if string(split[e.id]) != e.raw || (i > 0 && got[i-1].id >= e.id) {
			t.Fatalf("entry %d (%s) streamed as %q, split as %q", i, e.id, e.raw, split[e.id])
		}
	}
	return true
}

// canonicalLock is a small lock as lock.Marshal writes it.
func canonicalLock(t testing.TB) []byte {
	l := &lock.Lock{Product: "python", Repo: "https://github.com/python/cpython", Advisories: map[string]*lock.Entry{
		"PSF-2024-1":  {InputDigest: "d1", Versions: []string{"v3.12.0", "v3.12.1"}, Changed: "2025-01-01T00:00:00Z"},
		"PSF-2024-10": {InputDigest: "d2", Fixed: []lock.Fix{{Commit: "abc", Source: "authored"}}, Warnings: []string{"w }"}},
		"PSF-2024-2":  {InputDigest: "d3", Branches: []lock.BranchResult{{Branch: "3.12", Status: "fixed"}}},
	}}
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestStreamEntries: a canonical lock streams; the forms splitEntries
// refuses, and those a stream leaves to it, do not.
func TestStreamEntries(t *testing.T) {
	data := canonicalLock(t)
	empty, _ := (&lock.Lock{Product: "python", Advisories: map[string]*lock.Entry{}}).Marshal()
	swapped := bytes.Replace(data, []byte(`"PSF-2024-1"`), []byte(`"PSF-2024-3"`), 1) // out of ID order
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"canonical", data, true},
		{"no trailing newline", bytes.TrimSuffix(data, []byte("\n")), true},
		{"empty map", empty, true},
		{"out of order", swapped, false},
		{"trailing text", append(bytes.Clone(data), "x"...), false},
		{"compact", compactJSON(t, data), false},
		{"truncated", data[:len(data)/2], false},
		{"nothing", nil, false},
	} {
		if got := checkStreamAgrees(t, tc.data); got != tc.want {
			t.Errorf("%s: streamed %v, want %v", tc.name, got, tc.want)
		}
	}
}

func compactJSON(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzStreamEntries: whatever the bytes, streamEntries never takes a lock
// splitEntries would not cut the same way, and reads the same a byte at a
// time.
func FuzzStreamEntries(f *testing.F) {
	data := canonicalLock(f)
	f.Add(data)
	f.Add(bytes.Replace(data, []byte("\n    }"), []byte("\n    }\n    }"), 1))
	f.Add(bytes.Replace(data, []byte(`"PSF-2024-1"`), []byte(`"PSF-2024-10"`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkStreamAgrees(t, data)
	})
}
