package packed

import (
	"reflect"
	"testing"
)

func TestStringsAndInterner(t *testing.T) {
	var in Interner
	words := []string{"v3.12.0", "", "main", "v3.12.0", "fixed", "main", "ü"}
	nums := make([]uint32, len(words))
	for i, w := range words {
		nums[i] = in.Intern(w)
	}
	if nums[0] != nums[3] || nums[2] != nums[5] || nums[1] != 0 {
		t.Errorf("numbers %v: a repeated string got a new number, or \"\" is not 0", nums)
	}
	if in.Len() != 4 {
		t.Errorf("%d strings stored, want 4 (each distinct one once)", in.Len())
	}
	s := in.Done()
	for i, w := range words {
		if got := s.At(nums[i]); got != w {
			t.Errorf("At(%d) = %q, want %q", nums[i], got, w)
		}
	}
	for _, n := range []uint32{0, 99} {
		if s.At(n) != "" {
			t.Errorf("At(%d) = %q, want \"\"", n, s.At(n))
		}
	}
}

func TestAppendRead(t *testing.T) {
	var b []byte
	b = AppendUint(b, 0)
	b = AppendUint(b, 1<<40)
	b = AppendBool(b, true)
	b = AppendString(b, "PSF-2024-1")
	b = AppendString(b, "")
	b = AppendUint(b, 7)
	r := NewReader(b)
	if r.Uint() != 0 || r.Uint() != 1<<40 || !r.Bool() || r.String() != "PSF-2024-1" || r.String() != "" || r.Uint32() != 7 || r.Err() != nil {
		t.Fatalf("read back wrong: %v", r.Err())
	}
	r.Uint()
	if r.Err() != ErrCorrupt {
		t.Errorf("reading past the end: err = %v, want ErrCorrupt", r.Err())
	}
}

// FuzzReader: any bytes read as any sequence of values fail with
// ErrCorrupt or succeed, and never panic or allocate beyond the input.
func FuzzReader(f *testing.F) {
	f.Add([]byte{1, 'a', 3, 1}, []byte{0, 1, 2, 3})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1}, []byte{4, 2})
	f.Fuzz(func(t *testing.T, data, ops []byte) {
		r := NewReader(data)
		for _, op := range ops {
			switch op % 5 {
			case 0:
				r.Uint()
			case 1:
				r.Uint32()
			case 2:
				if n := r.Len(); n > len(data)+1 {
					t.Fatalf("Len %d beyond %d bytes", n, len(data))
				}
			case 3:
				r.Bool()
			case 4:
				if s := r.String(); len(s) > len(data) {
					t.Fatalf("string of %d bytes from %d", len(s), len(data))
				}
			}
		}
		if err := r.Err(); err != nil && err != ErrCorrupt {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestArenaChunks: records stay where they were put across chunks, a
// record larger than a chunk among them, empty ones too.
func TestArenaChunks(t *testing.T) {
	var a Arena
	var want [][]byte
	for i := range 3000 {
		n := (i * 7919) % 3000
		switch i {
		case 1000:
			n = 3 * chunkSize // a chunk of its own
		case 1001:
			n = 0
		}
		rec := make([]byte, n)
		for j := range rec {
			rec[j] = byte(i + j)
		}
		if got := a.Add(rec); got != uint32(i+1) {
			t.Fatalf("record %d got number %d", i+1, got)
		}
		want = append(want, rec)
	}
	for i, rec := range want {
		got := a.At(uint32(i + 1))
		if string(got) != string(rec) {
			t.Fatalf("record %d: %d bytes back, want %d, or different bytes", i+1, len(got), len(rec))
		}
		if cap(got) != len(got) {
			t.Fatalf("record %d: appending to it would write into the arena", i+1)
		}
	}
	if a.At(0) != nil || a.At(uint32(len(want)+1)) != nil {
		t.Error("a number never added has a record")
	}
}

func TestPointerFree(t *testing.T) {
	type free struct {
		a, b uint32
		sum  [32]byte
		ok   bool
	}
	type holds struct {
		n int
		s string
	}
	for _, tt := range []struct {
		v    any
		want bool
	}{
		{free{}, true}, {[4]free{}, true}, {holds{}, false}, {"", false}, {[]byte{}, false}, {[1]*int{}, false}, {[0]*int{}, true},
	} {
		if got := PointerFree(reflect.TypeOf(tt.v)); got != tt.want {
			t.Errorf("PointerFree(%T) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
