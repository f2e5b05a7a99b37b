package lock

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadErrorPosition: a malformed lock is refused at the line and
// column of what is wrong, with the fix.
func TestReadErrorPosition(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"not an object", "\n  [1]", ":2:3: expected \"{\", found \"[\""},
		{"advisories a list", "{\n  \"product\": \"pip\",\n  \"advisories\": []\n}", ":3:17: expected \"{\", found \"[\""},
		{"unknown top field", "{\n  \"product\": \"pip\",\n    \"colour\": 1}", ":3:5: unknown field colour"},
		{"unknown entry key", "{\"advisories\": {\n  \"PSF-2024-1\": {\"versoins\": []}}}", `:2:3: advisories.PSF-2024-1: json: unknown field "versoins"`},
		{"syntax error", "{\n  \"product\": \"pip\",,\n}", ":2:20: invalid character ','"},
		{"syntax error after a non-ASCII text", "{\n  \"repo\": \"é\" x}", ":2:15: invalid character 'x'"},
		{"truncated", "{\"product\": \"pip\",\n \"advisories\": {\"PSF-2024-1\": {", ":2:32: "},
		{"trailing data", "{\"product\": \"pip\"}\n\n {}", ":3:2: unexpected data after the lock object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			os.MkdirAll(filepath.Join(root, "advisories"), 0o755)
			os.WriteFile(Path(root, "pip"), []byte(tc.doc), 0o644)
			_, err := Read(root, "pip")
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, Path(root, "pip")+tc.want) {
				t.Errorf("err = %s\nwant prefix %s%s", msg, Path(root, "pip"), tc.want)
			}
			if !strings.Contains(msg, "git checkout -- ") || !strings.Contains(msg, "advisory resolve --product pip") {
				t.Errorf("err = %s: no fix", msg)
			}
		})
	}
}

// TestEntryPositions finds the keys of entries, and only those asked for.
func TestEntryPositions(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "advisories"), 0o755)
	doc := "{\n  \"product\": \"pip\",\n  \"repo\": \"advisories\",\n  \"advisories\": {\n    \"PSF-2024-1\": {\"versions\": [\"PSF-2024-2\"]},\n    \"PSF-2024-2\": {}\n  }\n}\n"
	os.WriteFile(Path(root, "pip"), []byte(doc), 0o644)
	got, err := EntryPositions(root, "pip", []string{"PSF-2024-2", "PSF-2024-9"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["PSF-2024-2"] != [2]int{6, 5} {
		t.Errorf("got %v, want PSF-2024-2 at 6:5 only", got)
	}
}
