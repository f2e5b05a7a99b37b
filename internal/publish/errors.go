package publish

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"

	"github.com/psf/advisory-builder/internal/diag"
)

// RefusedError is a guard refusal: publishing would lose or corrupt
// something, so nothing was pushed. The CLI exits 1 on it.
type RefusedError struct {
	Problems []Problem
}

// Problem is one reason the guards refuse an output.
type Problem struct {
	// ID is the advisory the problem is about ("" when it is about no one
	// record: a file that does not parse, a mass change).
	ID string
	// Path is the record's path in the output or the published tree.
	Path string
	// Field is the source field the problem is about (published,
	// aliases), or "" for the advisory as a whole.
	Field string
	// Message is one sentence: what, which record, how to fix.
	Message string
}

func (p Problem) String() string { return p.Message }

func (e *RefusedError) Error() string {
	return refusedHead + diag.ItemLead + strings.Join(e.messages(), diag.ItemLead)
}

const refusedHead = "publish refused:"

// Lines gives the head and one problem per line; the CLI escapes each
// problem on its own, keeping the line breaks between them.
func (e *RefusedError) Lines() (string, []string) { return refusedHead, e.messages() }

func (e *RefusedError) messages() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Message
	}
	return out
}

// UsageError is a bad flag or argument (for example a remote URL carrying
// credentials). The CLI exits 2 on it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// pushUser is the HTTPS user name GitHub expects with an installation or
// fine-grained token as the password.
const pushUser = "x-access-token"

// secret scrubs every form of the token that could end up in a message:
// itself, URL-escaped, and base64 of the basic-auth pair.
type secret string

func (s secret) scrub(msg string) string {
	for _, f := range s.forms() {
		msg = strings.ReplaceAll(msg, f, "***")
	}
	return msg
}

// forms lists the spellings of the token scrub removes, longest first.
func (s secret) forms() []string {
	if s == "" {
		return nil
	}
	t := string(s)
	return []string{
		base64.StdEncoding.EncodeToString([]byte(pushUser + ":" + t)),
		base64.StdEncoding.EncodeToString([]byte(t)),
		url.QueryEscape(t),
		url.PathEscape(t),
		t,
	}
}

// scrubbedError is an error whose message had the token removed. It keeps
// the chain for errors.Is (context cancellation) but not the text.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// clean returns err with the token scrubbed from its message, keeping the
// refusal and usage types the CLI maps to exit codes.
func (s secret) clean(err error) error {
	if err == nil {
		return nil
	}
	var r *RefusedError
	if errors.As(err, &r) {
		out := &RefusedError{}
		for _, p := range r.Problems {
			p.Message = s.scrub(p.Message)
			out.Problems = append(out.Problems, p)
		}
		return out
	}
	var u *UsageError
	if errors.As(err, &u) {
		return &UsageError{Msg: s.scrub(u.Msg)}
	}
	msg := s.scrub(err.Error())
	var c *checkAddedError
	if errors.As(err, &c) {
		return &scrubbedError{msg: msg, err: c.err}
	}
	if errors.Is(err, errContext) {
		return &scrubbedError{msg: msg, err: errContext}
	}
	return &scrubbedError{msg: msg}
}

// errContext marks a cancelled or timed-out run.
var errContext = errors.New("publish interrupted")

// checkAddedError is Options.CheckAdded's refusal; the caller's error stays
// in the chain (errors.Is), its message scrubbed like any other.
type checkAddedError struct{ err error }

func (e *checkAddedError) Error() string { return e.err.Error() }
func (e *checkAddedError) Unwrap() error { return e.err }
