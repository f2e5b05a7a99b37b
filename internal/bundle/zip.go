package bundle

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
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

// compressor is a reusable deflate writer and its output buffer.
type compressor struct {
	buf bytes.Buffer
	fw  *flate.Writer
}

var compressors = sync.Pool{New: func() any {
	c := new(compressor)
	c.fw, _ = flate.NewWriter(&c.buf, flate.DefaultCompression) // level is valid: no error
	return c
}}

// zipFile is a zip archive being written, one raw entry at a time.
type zipFile struct {
	name string
	f    *os.File
	bw   *bufio.Writer
	zw   *zip.Writer
}

func createZip(root *os.Root, name string) (*zipFile, error) {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	return &zipFile{name: name, f: f, bw: bw, zw: zip.NewWriter(bw)}, nil
}

// add writes one compressed entry (entries come sorted by ID).
func (z *zipFile) add(e zipEntry) error {
	fh := &zip.FileHeader{
		Name:               e.name,
		Method:             zip.Deflate,
		CreatorVersion:     zipVersion,
		ReaderVersion:      zipVersion,
		ModifiedDate:       dosDate1980,
		ModifiedTime:       dosTime0,
		CRC32:              e.crc,
		CompressedSize64:   uint64(len(e.compressed)),
		UncompressedSize64: e.size,
	}
	out, err := z.zw.CreateRaw(fh)
	if err == nil {
		_, err = out.Write(e.compressed)
	}
	if err != nil {
		return fmt.Errorf("bundle: writing %s: %w", z.name, err)
	}
	return nil
}

// close writes the central directory and closes the file.
func (z *zipFile) close() error {
	err := z.zw.Close()
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
