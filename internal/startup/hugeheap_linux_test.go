package startup

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestHeapMarkedForHugePages: after start-up, a fresh allocation lands in
// heap the kernel has been asked to back with huge pages (the VMA's "hg"
// flag in /proc/self/smaps), and the blocks holding the holes lie below it.
func TestHeapMarkedForHugePages(t *testing.T) {
	if !hugePagesAllowed() {
		t.Skip("transparent huge pages are off or absent here (" + thpSetting + ")")
	}
	fresh := make([]byte, 1<<20)
	at := uintptr(unsafe.Pointer(unsafe.SliceData(fresh)))
	flags, ok := vmaFlags(t, at)
	if !ok {
		t.Fatalf("no mapping in /proc/self/smaps holds %#x", at)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the heap at %#x is not marked for huge pages; VmFlags: %s", at, flags)
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
