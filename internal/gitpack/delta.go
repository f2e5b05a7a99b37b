package gitpack

import (
	"errors"
	"math"
)

// errBadDelta is any delta whose instructions do not fit its sizes.
var errBadDelta = errors.New("gitpack: malformed delta")

// op is one instruction of a delta: copy n bytes of the base from off,
// or, when insert is set, insert the n (at least one) bytes of the delta
// at off.
type op struct {
	off, n int
	insert bool
}

// maxSize bounds every size a delta states (1 TiB): larger is not a lock.
const maxSize = 1 << 40

// parseDelta reads a git delta: the base's size, the target's size and
// its instructions, each checked against both sizes; every byte of the
// delta must be read. An insert's offset is in data.
//
// More than maxOps instructions is ErrFragmented (found by a first pass
// that keeps nothing, so a delta of millions of fragments costs no
// memory).
func parseDelta(data []byte, maxOps int) (base, target int, ops []op, err error) {
	n := 0
	if base, target, err = walkDelta(data, func(op) { n++ }); err != nil {
		return 0, 0, nil, err
	}
	if n > maxOps {
		return 0, 0, nil, ErrFragmented
	}
	ops = make([]op, 0, n)
	walkDelta(data, func(o op) { ops = append(ops, o) })
	return base, target, ops, nil
}

// walkDelta reads a delta (see parseDelta), handing each instruction to
// visit in order; an error (and some instructions handed) when the delta
// does not read.
func walkDelta(data []byte, visit func(op)) (base, target int, err error) {
	if len(data) < 2 { // the two sizes, a byte each at least
		return 0, 0, errBadDelta
	}
	base, delta, ok := deltaSize(data)
	if !ok {
		return 0, 0, errBadDelta
	}
	target, delta, ok = deltaSize(delta)
	if !ok {
		return 0, 0, errBadDelta
	}
	for left := target; left > 0; {
		if len(delta) == 0 {
			return 0, 0, errBadDelta
		}
		cmd := delta[0]
		delta = delta[1:]
		var o op
		switch {
		case cmd&0x80 != 0:
			o, delta, ok = copyOp(cmd, delta)
			if !ok || o.off+o.n > base {
				return 0, 0, errBadDelta
			}
		case cmd != 0 && int(cmd) <= len(delta):
			o = op{off: len(data) - len(delta), n: int(cmd), insert: true}
			delta = delta[cmd:]
		default:
			return 0, 0, errBadDelta
		}
		if o.n > left {
			return 0, 0, errBadDelta
		}
		left -= o.n
		visit(o)
	}
	if len(delta) != 0 {
		return 0, 0, errBadDelta
	}
	return base, target, nil
}

// deltaSize reads one of a delta's two sizes: seven bits a byte, low bits
// first, ending at a byte without the high bit or at the end of the delta
// (as git reads it); at most nine bytes, and no more than maxSize.
//
// The size is assembled in 64 bits and refused past what an int holds, so
// a 32-bit build refuses what it cannot address instead of wrapping.
func deltaSize(b []byte) (int, []byte, bool) {
	var n uint64
	for i := 0; i < len(b); i++ {
		if i == 9 {
			return 0, nil, false
		}
		n |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 || i == len(b)-1 {
			return int(n), b[i+1:], n <= maxSize && n <= math.MaxInt
		}
	}
	return 0, b, true // no byte: zero
}

// copyOp reads a copy instruction's offset (up to four bytes, flagged by
// cmd's low bits) and size (up to three, flagged by the next three; zero
// means 0x10000).
func copyOp(cmd byte, b []byte) (op, []byte, bool) {
	var o op
	for i := range 7 {
		if cmd&(1<<i) == 0 {
			continue
		}
		if len(b) == 0 {
			return op{}, nil, false
		}
		if i < 4 {
			o.off |= int(b[0]) << (8 * i)
		} else {
			o.n |= int(b[0]) << (8 * (i - 4))
		}
		b = b[1:]
	}
	if o.n == 0 {
		o.n = 0x10000
	}
	return o, b, true
}
