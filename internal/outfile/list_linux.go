package outfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"unsafe"
)

// The layout of a linux_dirent64 record, as getdents64 writes it.
var (
	direntReclen = int(unsafe.Offsetof(syscall.Dirent{}.Reclen))
	direntType   = int(unsafe.Offsetof(syscall.Dirent{}.Type))
	direntName   = int(unsafe.Offsetof(syscall.Dirent{}.Name))
)

// list reads dir's entries with getdents64 and takes each one's type from
// its record (lstat only where the record says DT_UNKNOWN).
func list(root *os.Root, dir *os.File) ([]Entry, error) {
	conn, err := dir.SyscallConn()
	if err != nil {
		return nil, err
	}
	var out []Entry
	buf := make([]byte, 64<<10)
	for {
		var n int
		var rerr error
		cerr := conn.Control(func(fd uintptr) {
			for {
				n, rerr = syscall.Getdents(int(fd), buf)
				if rerr != syscall.EINTR {
					return
				}
			}
		})
		if cerr != nil {
			return nil, cerr
		}
		if rerr != nil {
			return nil, &os.PathError{Op: "getdents", Path: dir.Name(), Err: rerr}
		}
		if n == 0 {
			return out, nil
		}
		if out, err = appendEntries(root, out, buf[:n]); err != nil {
			return nil, fmt.Errorf("listing %s: %w", dir.Name(), err)
		}
	}
}

// appendEntries adds the entries of the records in b.
func appendEntries(root *os.Root, out []Entry, b []byte) ([]Entry, error) {
	for len(b) > 0 {
		if len(b) < direntName {
			return nil, fmt.Errorf("a directory record of %d bytes is cut short", len(b))
		}
		reclen := int(binary.NativeEndian.Uint16(b[direntReclen:]))
		if reclen <= direntName || reclen > len(b) {
			return nil, fmt.Errorf("a directory record claims %d bytes of %d", reclen, len(b))
		}
		rec := b[:reclen]
		b = b[reclen:]
		name := rec[direntName:]
		end := 0
		for end < len(name) && name[end] != 0 {
			end++
		}
		if end == len(name) || end == 0 || bytes.IndexByte(name[:end], '/') >= 0 {
			return nil, fmt.Errorf("a directory record's name is empty, holds a slash or is not terminated")
		}
		if ino := binary.NativeEndian.Uint64(rec); ino == 0 {
			continue // an entry being removed
		}
		e := Entry{Name: string(name[:end])}
		if e.Name == "." || e.Name == ".." {
			continue
		}
		t, known := typeOf(rec[direntType])
		if !known {
			var err error
			if t, err = lstatType(root, e.Name); err != nil {
				return nil, err
			}
		}
		e.Type = t
		out = append(out, e)
	}
	return out, nil
}

// typeOf turns a record's d_type into the type bits of fs.FileMode;
// known is false for DT_UNKNOWN (and any value the kernel does not
// define).
func typeOf(dt byte) (t fs.FileMode, known bool) {
	switch dt {
	case syscall.DT_REG:
		return 0, true
	case syscall.DT_DIR:
		return fs.ModeDir, true
	case syscall.DT_LNK:
		return fs.ModeSymlink, true
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, true
	case syscall.DT_SOCK:
		return fs.ModeSocket, true
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	case syscall.DT_BLK:
		return fs.ModeDevice, true
	}
	return 0, false
}
