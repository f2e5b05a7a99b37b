package build

import (
	"bytes"
	"encoding/json"

	"github.com/psf/advisory-builder/internal/lock"
)

// lockVersion is one stored version of a lock, by entry: each entry's
// bytes as lock.Marshal writes them (found by their fixed indentation,
// without decoding the lock), or, for a version in any other form, each
// entry's content digest (decoded in full). An empty version holds no
// entry (no lock, or one that does not parse).
type lockVersion struct {
	raw     map[string][]byte
	digests map[string]string
}

// pendingEntry is an entry of HEAD's lock being followed back: its bytes
// in HEAD's lock (nil when that lock is not in the canonical form), the
// part of them that reaches a record (contentOf; nil when they have none
// that can be cut out) and its content digest.
type pendingEntry struct {
	raw, content []byte
	digest       string
}

// newPendingEntry follows an entry whose bytes in HEAD's lock are raw (nil
// when that lock is not in the canonical form) and whose content digest is
// digest.
func newPendingEntry(raw []byte, digest string) pendingEntry {
	p := pendingEntry{raw: raw, digest: digest}
	if raw != nil {
		if c, ok := contentOf(raw); ok {
			p.content = c
		}
	}
	return p
}

// readLockVersion splits data into entries, or decodes it when it is not
// in the canonical form. legacy decodes always (the way the build read
// lock versions before; the benchmarks' baseline).
func readLockVersion(data []byte, legacy bool) lockVersion {
	if !legacy {
		if raw, ok := splitEntries(data); ok {
			return lockVersion{raw: raw}
		}
	}
	v := lockVersion{digests: map[string]string{}}
	l, err := lock.Parse(bytes.NewReader(data))
	if err != nil {
		return v
	}
	for id, e := range l.Advisories {
		v.digests[id] = e.ContentDigest()
	}
	return v
}

// same reports whether the version holds the entry id with the content of
// want: equal bytes but for `changed` and `warnings`, or, when HEAD's lock
// is in another form, the same content digest.
func (v lockVersion) same(id string, want pendingEntry) bool {
	if v.raw == nil {
		d, ok := v.digests[id]
		return ok && d == want.digest
	}
	r, ok := v.raw[id]
	if !ok {
		return false
	}
	if want.raw != nil && bytes.Equal(r, want.raw) {
		return true // the same bytes: the same content
	}
	if want.content != nil && hasContent(r, want.content) {
		return true
	}
	return entryDigest(r) == want.digest
}

// Markers of the two last fields of an entry in the canonical form, which
// reach no record (see lock.Entry.ContentDigest).
var (
	changedField  = []byte("\n      \"changed\": ")
	warningsField = []byte("\n      \"warnings\": ")
)

// contentOf is the part of an entry's bytes that reaches a record when
// `changed` and `warnings` come last, as lock.Entry orders them (a test
// holds the struct to that): everything before them, without the comma
// that follows the last field kept. ok is false when another field follows
// them (a lock not written by lock.Marshal). Equal contents mean equal
// content digests; different ones are decoded to compare (a lock written
// in another layout splits too).
func contentOf(raw []byte) (content []byte, ok bool) {
	end := len(raw)
	for _, m := range [][]byte{changedField, warningsField} {
		if k := bytes.Index(raw, m); k >= 0 && k < end {
			end = k
		}
	}
	rest := raw[end:]
	keys := bytes.Count(rest, fieldStart)
	known := bytes.Count(rest, changedField) + bytes.Count(rest, warningsField)
	return bytes.TrimSuffix(raw[:end], []byte(",")), keys == known
}

// hasContent reports whether contentOf(raw) is content (cut from
// another entry by contentOf) without scanning all of raw: raw starts with
// content and what follows is nothing, or a comma and only `changed` and
// `warnings`. (content ends with the end of a field's value, never with
// the start of a marker, so the first marker in raw is in that rest.)
func hasContent(raw, content []byte) bool {
	if !bytes.HasPrefix(raw, content) {
		return false
	}
	c, ok := contentOf(raw[len(content):])
	return ok && len(c) == 0
}

// fieldStart opens a field of an entry in the canonical form.
var fieldStart = []byte("\n      \"")

// entryDigest decodes one entry's bytes (as splitEntries cut them) and
// returns its content digest; "" when they do not decode.
func entryDigest(raw []byte) string {
	open := bytes.IndexByte(raw, '{')
	if open < 0 {
		return ""
	}
	obj := append(bytes.Clone(raw[open:]), '}')
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.DisallowUnknownFields()
	var e lock.Entry
	if err := dec.Decode(&e); err != nil {
		return ""
	}
	return e.ContentDigest()
}

// The layout's markers: lock.Marshal indents by two spaces, so the
// advisories map opens at the top level and each entry opens and closes
// at an indentation of four ("\n    }" cannot occur inside an entry, whose
// lines are indented further and whose strings hold no newline).
var (
	advisoriesOpen = []byte("\n  \"advisories\": {")
	entryOpen      = []byte("    \"")
	entryClose     = []byte("\n    }")
	mapClose       = []byte("  }")
)

// splitEntries cuts a lock laid out as lock.Marshal writes it into its
// entries' bytes (each from its key line to before its closing brace), by
// ID; false when data is not laid out so.
//
// The fields before the map (advisories is the last) are decoded by the
// lock's own rules, and nothing may follow the map but the lock's closing
// brace: a version with an unknown field or in an earlier format does not
// split, so it is decoded whole, and counts as different content when it
// does not parse.
func splitEntries(data []byte) (map[string][]byte, bool) {
	i := bytes.Index(data, advisoriesOpen)
	if i < 0 || !headerParses(data[:i]) {
		return nil, false
	}
	rest := data[i+len(advisoriesOpen):]
	out := map[string][]byte{}
	if bytes.HasPrefix(rest, []byte("}")) {
		return out, isLockEnd(rest[1:])
	}
	if len(rest) == 0 || rest[0] != '\n' {
		return nil, false
	}
	rest = rest[1:]
	for !bytes.HasPrefix(rest, mapClose) {
		if !bytes.HasPrefix(rest, entryOpen) {
			return nil, false
		}
		q := bytes.IndexByte(rest[len(entryOpen):], '"')
		end := indexEntryClose(rest)
		if q < 0 || end < 0 {
			return nil, false
		}
		id := string(rest[len(entryOpen) : len(entryOpen)+q])
		if _, dup := out[id]; dup {
			return nil, false
		}
		out[id] = rest[:end]
		rest = rest[end+len(entryClose):]
		switch {
		case bytes.HasPrefix(rest, []byte(",\n")):
			rest = rest[2:]
		case bytes.HasPrefix(rest, []byte("\n")):
			rest = rest[1:]
			if !bytes.HasPrefix(rest, mapClose) {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return out, isLockEnd(rest[len(mapClose):])
}

// indexEntryClose is bytes.Index(rest, entryClose), found by the closing
// brace, which is rarer in a lock than the newline entryClose starts with.
func indexEntryClose(rest []byte) int {
	indent := len(entryClose) - 1
	for from := 0; ; {
		k := bytes.IndexByte(rest[from:], '}')
		if k < 0 {
			return -1
		}
		k += from
		if k >= indent && bytes.Equal(rest[k-indent:k+1], entryClose) {
			return k - indent
		}
		from = k + 1
	}
}

// headerParses reports whether the fields before the advisories map are
// a lock's, by the lock's own decoder.
func headerParses(header []byte) bool {
	h := bytes.TrimSuffix(bytes.TrimRight(header, " \n"), []byte(","))
	_, err := lock.Parse(bytes.NewReader(append(bytes.Clone(h), "\n}"...)))
	return err == nil
}

// isLockEnd reports whether rest is what follows the advisories map as
// lock.Marshal writes it: the lock's closing brace.
func isLockEnd(rest []byte) bool {
	return string(rest) == "\n}\n" || string(rest) == "\n}"
}
