// Package packed holds many small values without pointers, so that what a
// build keeps for every advisory costs the garbage collector nothing to
// scan: strings in one byte arena addressed by number, and records encoded
// as unsigned varints (Append*, Reader).
//
// A string or record read back (Strings.At, Arena.At) points into the
// arena, which never moves nor overwrites what it holds: it stays valid as
// long as anything refers to it.
package packed

import (
	"encoding/binary"
	"errors"
	"reflect"
	"unsafe"
)

// chunkSize is the size of an arena's chunks once it has grown: an arena
// grows a chunk at a time, never copying what it holds (a slice grown by
// append would hold up to twice its bytes, and copy them at every
// doubling). Its first chunk is firstChunk, each next one twice the last.
const (
	chunkSize  = 1 << 20
	firstChunk = 4 << 10
)

// Arena is an append-only store of byte records, each addressed by the
// number Add returned (from 1). Records are never moved: a record lies
// in one chunk (a record larger than a chunk gets a chunk of its own).
type Arena struct {
	chunks [][]byte
	starts []uint64 // starts[k]: the position of chunks[k][0] in the arena
	ends   []uint64 // ends[i]: where record i+1 ends (positions count every byte added)
}

// Add appends a copy of b and returns its number.
func (a *Arena) Add(b []byte) uint32 {
	a.reserve(len(b))
	k := len(a.chunks) - 1
	a.chunks[k] = append(a.chunks[k], b...)
	a.ends = append(a.ends, a.starts[k]+uint64(len(a.chunks[k])))
	return uint32(len(a.ends))
}

// reserve makes room for n bytes in the last chunk.
func (a *Arena) reserve(n int) {
	if k := len(a.chunks) - 1; k >= 0 && cap(a.chunks[k])-len(a.chunks[k]) >= n {
		return
	}
	var pos uint64
	if len(a.ends) > 0 {
		pos = a.ends[len(a.ends)-1]
	}
	a.chunks = append(a.chunks, make([]byte, 0, max(n, a.nextChunk())))
	a.starts = append(a.starts, pos)
}

// nextChunk is the size of the next chunk: twice the last, from 4 KiB
// up to chunkSize, so that a small arena stays small.
func (a *Arena) nextChunk() int {
	if len(a.chunks) == 0 {
		return firstChunk
	}
	return min(2*cap(a.chunks[len(a.chunks)-1]), chunkSize)
}

// At is record number i (nil for 0 or a number never added).
func (a *Arena) At(i uint32) []byte {
	if i == 0 || int(i) > len(a.ends) {
		return nil
	}
	end := a.ends[i-1]
	start := uint64(0)
	if i > 1 {
		start = a.ends[i-2]
	}
	// The chunk holding the record: the last one starting at or before
	// it (a chunk started for the record starts where it starts).
	lo, hi := 0, len(a.starts)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if a.starts[mid] <= start {
			lo = mid
		} else {
			hi = mid
		}
	}
	for lo+1 < len(a.starts) && a.starts[lo+1] == start && end > start {
		lo++ // chunks started at the same place: only the last holds bytes
	}
	c := a.chunks[lo]
	return c[start-a.starts[lo] : end-a.starts[lo] : end-a.starts[lo]]
}

// Len is how many records were added.
func (a *Arena) Len() int { return len(a.ends) }

// Strings is an append-only arena of strings, each addressed by the number
// Add returned. Number 0 is always "".
type Strings struct {
	arena Arena
}

// Add appends s and returns its number.
func (t *Strings) Add(s string) uint32 {
	if s == "" {
		return 0
	}
	return t.arena.Add(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// At is string number i ("" for 0 or a number never added).
func (t *Strings) At(i uint32) string {
	b := t.arena.At(i)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Len is how many strings were added (0 not counted).
func (t *Strings) Len() int { return t.arena.Len() }

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

// Done drops the look-up table; Intern may still be called (it then
// stores repeated strings again).
func (in *Interner) Done() *Strings {
	in.seen = nil
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

// PointerFree reports whether values of type t hold no pointers (for tests
// that keep what a build holds per advisory scan-free).
func PointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return t.Len() == 0 || PointerFree(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !PointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}
