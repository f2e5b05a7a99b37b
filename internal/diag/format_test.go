package diag

import (
	"bytes"
	"testing"
)

func TestGitHubFormat(t *testing.T) {
	for _, tc := range []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{File: "advisories/python/PSF-2024-1.yaml", Line: 3, Col: 5, Severity: Error, Rule: "id", Message: "bad\nid: 100%"},
			"::error file=advisories/python/PSF-2024-1.yaml,line=3,col=5,title=advisory lint%3A id::bad%0Aid: 100%25\n"},
		{Diagnostic{Severity: Error, Rule: "publish-guard", Message: "a record disappears"},
			"::error title=advisory lint%3A publish-guard::a record disappears\n"},
	} {
		var b bytes.Buffer
		if err := Write(&b, "github", List{tc.d}); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("github format = %q, want %q", b.String(), tc.want)
		}
	}
}
