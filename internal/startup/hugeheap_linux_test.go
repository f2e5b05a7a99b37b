package startup

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestHeapMarkedForHugePages: after start-up, a fresh allocation lands in
// heap the kernel has been asked to back with huge pages (the VMA's "hg"
// flag in /proc/self/smaps), and the blocks holding the holes lie below it;
// under GODEBUG=disablethp=1 the heap is not marked.
func TestHeapMarkedForHugePages(t *testing.T) {
	optedOut := thpDisabledBy(os.Getenv("GODEBUG"))
	if !hugePagesAllowed() && !optedOut {
		t.Skip("transparent huge pages are off or absent here (" + thpSetting + ")")
	}
	fresh := make([]byte, 1<<20)
	at := uintptr(unsafe.Pointer(unsafe.SliceData(fresh)))
	flags, ok := vmaFlags(t, at)
	if !ok {
		t.Fatalf("no mapping in /proc/self/smaps holds %#x", at)
	}
	if marked := strings.Contains(" "+flags+" ", " hg "); marked == optedOut {
		t.Errorf("the heap at %#x: marked for huge pages %v, want %v (GODEBUG=%q); VmFlags: %s", at, marked, !optedOut, os.Getenv("GODEBUG"), flags)
	}
	for _, h := range holes {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(h.String()))); p >= at {
			t.Errorf("a held hole at %#x lies above the fresh allocation at %#x", p, at)
		}
	}
	if len(holes) == maxHoles {
		t.Logf("the hole holding stopped at its bound (%d blocks)", maxHoles)
	}
}

// TestHeapAhead: once the heap has grown past what the start marked (4 MB
// blocks are taken, never written, until one lands in a mapping without
// the mark), HeapAhead marks the heap that comes next.
func TestHeapAhead(t *testing.T) {
	if !hugePagesAllowed() {
		t.Skip("transparent huge pages are off or absent here (" + thpSetting + ")")
	}
	marked := func(b *strings.Builder) bool {
		at := uintptr(unsafe.Pointer(unsafe.StringData(b.String())))
		flags, ok := vmaFlags(t, at)
		if !ok {
			t.Fatalf("no mapping in /proc/self/smaps holds %#x", at)
		}
		return strings.Contains(" "+flags+" ", " hg ")
	}
	var held []*strings.Builder
	for len(held) < 64 {
		b := freshBlock(4 << 20)
		held = append(held, b)
		if !marked(b) {
			break
		}
	}
	if marked(held[len(held)-1]) {
		t.Fatalf("%d blocks of 4 MB all landed in marked heap", len(held))
	}
	HeapAhead(64 << 20)
	if b := freshBlock(4 << 20); !marked(b) {
		t.Errorf("a block allocated after HeapAhead is not in heap marked for huge pages")
	}
	runtime.KeepAlive(held)
}

// vmaFlags returns the VmFlags line of the mapping that contains addr.
func vmaFlags(t *testing.T, addr uintptr) (string, bool) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	inside := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := vmaRange(line); ok {
			inside = lo <= uint64(addr) && uint64(addr) < hi
			continue
		}
		if rest, ok := strings.CutPrefix(line, "VmFlags:"); ok && inside {
			return strings.TrimSpace(rest), true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return "", false
}

// vmaRange parses the "lo-hi perms ..." header line of an smaps entry.
func vmaRange(line string) (lo, hi uint64, ok bool) {
	span, _, found := strings.Cut(line, " ")
	if !found {
		return 0, 0, false
	}
	l, h, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseUint(l, 16, 64)
	hi, err2 := strconv.ParseUint(h, 16, 64)
	return lo, hi, err1 == nil && err2 == nil
}

// TestThpDisabledBy: GODEBUG's disablethp=1 turns the preparation off; the
// last setting of the key wins, as it does for the runtime.
func TestThpDisabledBy(t *testing.T) {
	for _, tc := range []struct {
		godebug string
		want    bool
	}{
		{"", false},
		{"disablethp=1", true},
		{"disablethp=0", false},
		{"gctrace=1,disablethp=1", true},
		{"disablethp=1,disablethp=0", false},
		{"disablethp=0, disablethp=1", true},
		{"xdisablethp=1", false},
		{"disablethp", false},
		{"disablethp=2", false},
	} {
		if got := thpDisabledBy(tc.godebug); got != tc.want {
			t.Errorf("thpDisabledBy(%q) = %v, want %v", tc.godebug, got, tc.want)
		}
	}
}
