// Package packed holds many small values without pointers, so that what a
// build keeps for every advisory costs the garbage collector nothing to
// scan: strings in one byte arena addressed by number, and records encoded
// as unsigned varints (Append*, Reader).
//
// A string read back (Strings.At) points into the arena, which is never
// written where a string already lies: it stays valid as long as anything
// refers to it.
package packed

import (
	"encoding/binary"
	"errors"
	"unsafe"
)

// Strings is an append-only arena of strings, each addressed by the number
// Add returned. Number 0 is always "".
type Strings struct {
	data []byte
	ends []uint32 // ends[i] is where string i+1 ends in data
}

// Add appends s and returns its number.
func (t *Strings) Add(s string) uint32 {
	if s == "" {
		return 0
	}
	t.data = append(t.data, s...)
	t.ends = append(t.ends, uint32(len(t.data)))
	return uint32(len(t.ends))
}

// At is string number i ("" for 0 or a number never added).
func (t *Strings) At(i uint32) string {
	if i == 0 || int(i) > len(t.ends) {
		return ""
	}
	start := uint32(0)
	if i > 1 {
		start = t.ends[i-2]
	}
	end := t.ends[i-1]
	if end == start {
		return ""
	}
	return unsafe.String(&t.data[start], int(end-start))
}

// Len is how many strings were added (0 not counted).
func (t *Strings) Len() int { return len(t.ends) }

// Bytes is the size of the arena, its strings and their ends.
func (t *Strings) Bytes() int { return len(t.data) + 4*len(t.ends) }

// Trim gives back the capacity the arena grew beyond what it holds.
func (t *Strings) Trim() {
	t.data = append([]byte(nil), t.data...)
	t.ends = append([]uint32(nil), t.ends...)
}

// Interner is a Strings that stores each distinct string once, while it
// is being filled; Done drops the look-up table (the only part with
// pointers) and leaves the arena.
type Interner struct {
	Strings
	seen map[string]uint32
}

// Intern is the number of s, adding it the first time it is seen.
func (in *Interner) Intern(s string) uint32 {
	if s == "" {
		return 0
	}
	if n, ok := in.seen[s]; ok {
		return n
	}
	if in.seen == nil {
		in.seen = map[string]uint32{}
	}
	n := in.Add(s)
	in.seen[in.At(n)] = n
	return n
}

// Done drops the look-up table and trims the arena; Intern may still be
// called (it then stores repeated strings again).
func (in *Interner) Done() *Strings {
	in.seen = nil
	in.Trim()
	return &in.Strings
}

// AppendUint appends v as an unsigned varint.
func AppendUint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }

// AppendBool appends a bool as one byte.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// AppendString appends s as its length and its bytes.
func AppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// ErrCorrupt is the error of a Reader that ran past its bytes or read a
// malformed varint: a bug in whoever encoded them.
var ErrCorrupt = errors.New("packed: corrupt record")

// Reader reads back what the Append functions wrote. Its first failure
// sticks: every later read returns zero values, and Err reports it.
type Reader struct {
	b   []byte
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = ErrCorrupt
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Uint32 reads an unsigned varint that must fit 32 bits.
func (r *Reader) Uint32() uint32 {
	v := r.Uint()
	if v > 1<<32-1 {
		r.err = ErrCorrupt
		return 0
	}
	return uint32(v)
}

// Len reads a count of items, each at least one byte long: a count beyond
// the bytes left is corrupt (so no caller allocates for it).
func (r *Reader) Len() int {
	v := r.Uint()
	if v > uint64(len(r.b))+1 {
		r.err = ErrCorrupt
		return 0
	}
	return int(v)
}

// Bool reads a bool.
func (r *Reader) Bool() bool {
	if r.err != nil {
		return false
	}
	if len(r.b) == 0 || r.b[0] > 1 {
		r.err = ErrCorrupt
		return false
	}
	v := r.b[0] == 1
	r.b = r.b[1:]
	return v
}

// String reads a string written by AppendString (a copy).
func (r *Reader) String() string {
	n := r.Uint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = ErrCorrupt
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// Err is the first failure, or nil; reading every byte is not required.
func (r *Reader) Err() error { return r.err }
