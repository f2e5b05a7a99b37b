package bundle

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"sync"
)

// zipEntry is one record compressed once, written raw into every archive
// that holds it.
type zipEntry struct {
	name       string
	crc        uint32
	size       uint64
	compressed []byte
}

// Every entry is dated 1980-01-01 00:00:00, the first MS-DOS date, so the
// archives do not depend on when or where they were built.
const (
	dosDate1980 = 1<<5 | 1 // year 0 (1980), month 1, day 1
	dosTime0    = 0
	zipVersion  = 20 // version 2.0: deflate
)

// deflate compresses one record for the archives.
func deflate(name string, data []byte) zipEntry {
	c := compressors.Get().(*compressor)
	defer compressors.Put(c)
	c.buf.Reset()
	c.fw.Reset(&c.buf)
	_, _ = c.fw.Write(data) // writes to a bytes.Buffer cannot fail
	_ = c.fw.Close()
	return zipEntry{
		name:       name,
		crc:        crc32.ChecksumIEEE(data),
		size:       uint64(len(data)),
		compressed: bytes.Clone(c.buf.Bytes()),
	}
}

// compressor is a reusable deflate writer and its output buffer. It
// deflates at the fastest level: a record is a few KB, and at the default
// level each one paid for clearing the 640 KB match tables and a search
// the small input hardly needs. Building 100,000 generated records, the
// fastest level saved 3.8 to 5.3 s of CPU (1.6 to 3.8 s of a 17 to 23 s
// build), for archives 7% larger (docs/benchmarks.md, round 7).
type compressor struct {
	buf bytes.Buffer
	fw  *flate.Writer
}

var compressors = sync.Pool{New: func() any {
	c := new(compressor)
	c.fw, _ = flate.NewWriter(&c.buf, flate.BestSpeed) // level is valid: no error
	return c
}}

// The zip format's records (APPNOTE.TXT 4.3), as archive/zip writes them
// for entries created raw (Writer.CreateRaw) with no flags, no extra field
// and no comment: the archives are byte for byte what archive/zip wrote
// (TestZipMatchesArchiveZip), but the central directory waits as bytes,
// not as a header struct per entry.
const (
	zipLocalSig     = 0x04034b50
	zipCentralSig   = 0x02014b50
	zipEndSig       = 0x06054b50
	zip64EndSig     = 0x06064b50
	zip64LocatorSig = 0x07064b50
	zipLocalLen     = 30
	zipCentralLen   = 46
	zipEndLen       = 22
	zip64EndLen     = 56
	zip64LocatorLen = 20
	zip64ExtraID    = 0x0001
	zip64Version    = 45
	max16           = 1<<16 - 1
	max32           = 1<<32 - 1
)

// zipFile is a zip archive being written, one raw entry at a time.
type zipFile struct {
	name    string
	f       *os.File
	bw      *bufio.Writer
	offset  uint64 // bytes written so far
	dir     []byte // the central directory's records, in order
	entries uint64
}

func createZip(root *os.Root, name string) (*zipFile, error) {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	return &zipFile{name: name, f: f, bw: bufio.NewWriterSize(f, 256<<10)}, nil
}

// add writes one compressed entry (entries come sorted by ID).
func (z *zipFile) add(e zipEntry) error {
	if len(e.name) > max16 {
		return fmt.Errorf("bundle: writing %s: entry name longer than 65535 bytes", z.name)
	}
	z.dir = appendCentral(z.dir, e, z.offset)
	z.entries++
	err := z.write(appendLocal(make([]byte, 0, zipLocalLen+len(e.name)), e))
	if err == nil {
		err = z.write(e.compressed)
	}
	if err != nil {
		return fmt.Errorf("bundle: writing %s: %w", z.name, err)
	}
	return nil
}

func (z *zipFile) write(b []byte) error {
	n, err := z.bw.Write(b)
	z.offset += uint64(n)
	return err
}

// appendNeededToCRC appends the fields the local header and the central
// record share, from the version needed to the CRC: no flags, deflate, the
// fixed time and date.
func appendNeededToCRC(b []byte, e zipEntry) []byte {
	b = binary.LittleEndian.AppendUint16(b, zipVersion) // version needed
	b = binary.LittleEndian.AppendUint16(b, 0)          // flags
	b = binary.LittleEndian.AppendUint16(b, 8)          // deflate
	b = binary.LittleEndian.AppendUint16(b, dosTime0)
	b = binary.LittleEndian.AppendUint16(b, dosDate1980)
	return binary.LittleEndian.AppendUint32(b, e.crc)
}

// appendLocal appends an entry's local file header and name.
func appendLocal(b []byte, e zipEntry) []byte {
	b = binary.LittleEndian.AppendUint32(b, zipLocalSig)
	b = appendNeededToCRC(b, e)
	b = binary.LittleEndian.AppendUint32(b, uint32(min(uint64(len(e.compressed)), max32)))
	b = binary.LittleEndian.AppendUint32(b, uint32(min(e.size, max32)))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(e.name)))
	b = binary.LittleEndian.AppendUint16(b, 0) // extra length
	return append(b, e.name...)
}

// appendCentral appends an entry's central directory record; an entry
// too large, or starting too far, for 32 bits carries a zip64 extra field.
func appendCentral(b []byte, e zipEntry, offset uint64) []byte {
	csize := uint64(len(e.compressed))
	zip64 := csize >= max32 || e.size >= max32 || offset >= max32
	b = binary.LittleEndian.AppendUint32(b, zipCentralSig)
	b = binary.LittleEndian.AppendUint16(b, zipVersion) // version made by
	b = appendNeededToCRC(b, e)
	extra := 0
	if zip64 {
		b = binary.LittleEndian.AppendUint32(b, max32)
		b = binary.LittleEndian.AppendUint32(b, max32)
		extra = 28
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(csize))
		b = binary.LittleEndian.AppendUint32(b, uint32(e.size))
	}
	b = binary.LittleEndian.AppendUint16(b, uint16(len(e.name)))
	b = binary.LittleEndian.AppendUint16(b, uint16(extra))
	b = binary.LittleEndian.AppendUint16(b, 0) // comment length
	b = binary.LittleEndian.AppendUint16(b, 0) // disk number
	b = binary.LittleEndian.AppendUint16(b, 0) // internal attributes
	b = binary.LittleEndian.AppendUint32(b, 0) // external attributes
	b = binary.LittleEndian.AppendUint32(b, uint32(min(offset, max32)))
	b = append(b, e.name...)
	if zip64 {
		b = binary.LittleEndian.AppendUint16(b, zip64ExtraID)
		b = binary.LittleEndian.AppendUint16(b, 24)
		b = binary.LittleEndian.AppendUint64(b, e.size)
		b = binary.LittleEndian.AppendUint64(b, csize)
		b = binary.LittleEndian.AppendUint64(b, offset)
	}
	return b
}

// appendEnd appends the end of the central directory (start, size), in
// its zip64 form too when the counts or offsets need it.
func appendEnd(b []byte, entries, start, size uint64) []byte {
	if entries >= max16 || size >= max32 || start >= max32 {
		end := start + size
		b = binary.LittleEndian.AppendUint32(b, zip64EndSig)
		b = binary.LittleEndian.AppendUint64(b, zip64EndLen-12)
		b = binary.LittleEndian.AppendUint16(b, zip64Version) // made by
		b = binary.LittleEndian.AppendUint16(b, zip64Version) // needed
		b = binary.LittleEndian.AppendUint32(b, 0)            // this disk
		b = binary.LittleEndian.AppendUint32(b, 0)            // the directory's disk
		b = binary.LittleEndian.AppendUint64(b, entries)
		b = binary.LittleEndian.AppendUint64(b, entries)
		b = binary.LittleEndian.AppendUint64(b, size)
		b = binary.LittleEndian.AppendUint64(b, start)
		b = binary.LittleEndian.AppendUint32(b, zip64LocatorSig)
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint64(b, end)
		b = binary.LittleEndian.AppendUint32(b, 1) // disks
		entries, size, start = max16, max32, max32
	}
	b = binary.LittleEndian.AppendUint32(b, zipEndSig)
	b = binary.LittleEndian.AppendUint16(b, 0) // this disk
	b = binary.LittleEndian.AppendUint16(b, 0) // the directory's disk
	b = binary.LittleEndian.AppendUint16(b, uint16(entries))
	b = binary.LittleEndian.AppendUint16(b, uint16(entries))
	b = binary.LittleEndian.AppendUint32(b, uint32(size))
	b = binary.LittleEndian.AppendUint32(b, uint32(start))
	return binary.LittleEndian.AppendUint16(b, 0) // comment length
}

// close writes the central directory and closes the file.
func (z *zipFile) close() error {
	start := z.offset
	err := z.write(z.dir)
	if err == nil {
		err = z.write(appendEnd(nil, z.entries, start, uint64(len(z.dir))))
	}
	z.dir = nil
	if err == nil {
		err = z.bw.Flush()
	}
	if cerr := z.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("bundle: writing %s: %w", z.name, err)
	}
	return nil
}
