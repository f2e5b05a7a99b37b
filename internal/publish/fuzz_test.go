package publish

import (
	"net/url"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// FuzzCheckRemote: no input panics; an accepted URL never carries user
// info; a refusal never repeats a password from the input.
func FuzzCheckRemote(f *testing.F) {
	for _, s := range []string{"https://github.com/psf/x", "https://u:p4ss@h/x", "file:///srv/x", "x/y", "git@h:x", "https://h/x?t=1", "%zz://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := checkRemote(s)
		if err == nil {
			if u, perr := url.Parse(got); perr == nil && u.User != nil && strings.Contains(got, "://") {
				t.Fatalf("accepted %q with user info", s)
			}
			return
		}
		if u, perr := url.Parse(s); perr == nil && u.User != nil {
			if p, ok := u.User.Password(); ok && len(p) > 3 && strings.Contains(err.Error(), p) {
				t.Fatalf("error %q repeats the password of %q", err, s)
			}
		}
	})
}

// FuzzParseRecord: no record file panics the guards' parser.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"id":"PSF-2024-1","modified":"2024-01-01T00:00:00Z","published":"2024-01-01T00:00:00Z","aliases":["CVE-2024-1"]}`))
	f.Add([]byte(`{"id":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, problem := parseRecord("advisories/python/PSF-2024-1.json", plumbing.ZeroHash, b)
		if problem == "" && (r.ID != "PSF-2024-1" || r.Modified == "") {
			t.Fatalf("accepted %q as %+v", b, r)
		}
	})
}
