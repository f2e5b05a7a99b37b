package publish

import (
	"strings"
	"testing"
)

// TestScrubWriterSplits writes a message holding each form of the token in
// two writes, split at every position, and byte by byte: the token never
// comes out, and everything else comes out unchanged and in order.
func TestScrubWriterSplits(t *testing.T) {
	s := secret(testToken)
	for _, form := range s.forms() {
		msg := "remote: refusing " + form + " now\n"
		want := "remote: refusing *** now\n"
		for i := 0; i <= len(msg); i++ {
			if got := scrubbed(s, msg[:i], msg[i:]); got != want {
				t.Fatalf("form %q split at %d: got %q, want %q", form, i, got, want)
			}
		}
		if got := scrubbed(s, strings.Split(msg, "")...); got != want {
			t.Fatalf("form %q byte by byte: got %q", form, got)
		}
	}
	for _, tc := range []struct{ name, msg string }{
		{"a false start", "ghs_S3cr3t and then something else"},
		{"a prefix at the very end", "the log ends in ghs_S3cr"},
		{"no token", "plain progress 100%\n"},
	} {
		for i := 0; i <= len(tc.msg); i++ {
			if got := scrubbed(s, tc.msg[:i], tc.msg[i:]); got != tc.msg {
				t.Fatalf("%s split at %d: got %q", tc.name, i, got)
			}
		}
	}
	if got := scrubbed(secret(""), "no ", "secret"); got != "no secret" {
		t.Fatalf("without a token: got %q", got)
	}
}

func scrubbed(s secret, parts ...string) string {
	var b strings.Builder
	w := newScrubWriter(s, &b)
	for _, p := range parts {
		if n, err := w.Write([]byte(p)); err != nil || n != len(p) {
			panic("short write")
		}
	}
	w.Close()
	return b.String()
}

// TestTokenSplitByServer: a pre-receive hook prints the token in two
// writes a second apart (two sideband packets); the log and the error show
// it scrubbed, never whole.
func TestTokenSplitByServer(t *testing.T) {
	half := len(testToken) / 2
	refusedByHook(t, "printf 'refusing push authenticated by %s' '"+testToken[:half]+"' >&2\n"+
		"sleep 1\nprintf '%s, goodbye\\n' '"+testToken[half:]+"' >&2",
		"refusing push authenticated by ***, goodbye")
}
